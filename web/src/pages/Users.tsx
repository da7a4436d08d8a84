// /users — cursor-paginated user table with roles and their jurisdictions.
import { useEffect, useState } from 'react';
import { Card, Input, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { api, isAbortError, type Department, type Grant, type User } from '../api.ts';
import { CursorPager, useCursorList } from '../components/cursor.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useI18n } from '../context.tsx';
import { formatDateTime } from '../format.ts';
import { PageHeader } from '../Layout.tsx';

const PAGE_SIZE = 20;

const ROLE_COLORS: Record<string, string> = {
  platform_admin: 'red',
  department_admin: 'volcano',
  department_staff: 'blue',
  community_worker: 'cyan',
  supervisor: 'purple',
  auditor: 'magenta',
  leader: 'gold',
};

/** Remote-search department picker for the users filter. */
function DepartmentSelect({ value, onChange }: { value: string | undefined; onChange: (id: string | undefined) => void }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<Department[]>([]);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setLoading(true);
      api
        .departments({ q: search || undefined, limit: 20 }, controller.signal)
        .then((page) => setOptions(page.items))
        .catch((err: unknown) => {
          if (!isAbortError(err)) setOptions([]);
        })
        .finally(() => {
          if (!controller.signal.aborted) setLoading(false);
        });
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [search]);

  return (
    <Select<string>
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      style={{ width: 280 }}
      placeholder={t('users.departmentFilter')}
      value={value}
      onChange={(v) => onChange(v ?? undefined)}
      loading={loading}
      options={options.map((d) => ({ value: d.id, label: `${d.name} · ${d.regionName}` }))}
      popupMatchSelectWidth={false}
    />
  );
}

export function GrantTags({ grants }: { grants: Grant[] }) {
  const { tx } = useI18n();
  if (grants.length === 0) return <span>—</span>;
  return (
    <span className="grant-tags">
      {grants.map((g) => (
        <Tooltip key={`${g.role}@${g.regionCode}`} title={g.regionCode}>
          <Tag color={ROLE_COLORS[g.role] ?? 'default'}>
            {tx(`role.${g.role}`, g.role)} · {g.regionName}
          </Tag>
        </Tooltip>
      ))}
    </span>
  );
}

export default function UsersPage() {
  const { t, tx } = useI18n();
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [departmentId, setDepartmentId] = useState<string | undefined>(undefined);

  const query = { q: q || undefined, departmentId };
  const list = useCursorList<User>(JSON.stringify(query), (cursor, signal) => api.users({ ...query, cursor, limit: PAGE_SIZE }, signal));

  const columns: TableColumnsType<User> = [
    { title: t('users.username'), dataIndex: 'username', key: 'username', width: 140, className: 'mono' },
    { title: t('users.displayName'), dataIndex: 'displayName', key: 'displayName', width: 110 },
    {
      title: t('users.department'),
      key: 'department',
      width: 220,
      ellipsis: true,
      render: (_: unknown, u: User) => u.department?.name ?? (u.kind === 'citizen' ? t('users.kind.citizen') : '—'),
    },
    { title: t('users.roles'), key: 'grants', render: (_: unknown, u: User) => <GrantTags grants={u.grants} /> },
    { title: t('users.phone'), dataIndex: 'phone', key: 'phone', width: 130, className: 'mono', render: (v: string | null) => v ?? '—' },
    {
      title: t('users.status'),
      dataIndex: 'status',
      key: 'status',
      width: 80,
      render: (s: string, user: User) =>
        user.activated || s !== 'active' ? (
          <Tag color={s === 'active' ? 'success' : 'default'}>{tx(`users.status.${s}`, s)}</Tag>
        ) : (
          <Tag color="warning">{t('users.status.pending')}</Tag>
        ),
    },
    {
      title: t('users.lastLogin'),
      dataIndex: 'lastLoginAt',
      key: 'lastLoginAt',
      width: 170,
      render: (v: string | null) => (v ? formatDateTime(v) : t('users.neverLoggedIn')),
    },
  ];

  return (
    <div className="page">
      <PageHeader title={t('users.title')} />
      <Card size="small" className="page-card">
        <div className="filter-bar">
          <Space wrap>
            <Input.Search
              allowClear
              style={{ width: 260 }}
              placeholder={t('users.searchPlaceholder')}
              value={input}
              onChange={(e) => setInput(e.target.value)}
              onSearch={(v) => setQ(v.trim())}
              enterButton={t('common.search')}
            />
            <DepartmentSelect value={departmentId} onChange={setDepartmentId} />
          </Space>
        </div>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Table<User> size="small" rowKey="id" columns={columns} dataSource={list.items} loading={list.loading} pagination={false} scroll={{ x: 1100 }} />
        <CursorPager list={list} />
      </Card>
    </div>
  );
}
