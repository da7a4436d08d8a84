// /departments/:id — one department: its details, edit where the server allows it, and its people (the shared ListPage).
import { useEffect, useState } from 'react';
import { Breadcrumb, Button, Card, Descriptions, Skeleton, Tag } from 'antd';
import { EditOutlined, UserAddOutlined } from '@ant-design/icons';
import { rowCan } from '../../abilities.ts';
import { api, isAbortError, type Department, type User } from '../../api/index.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useAuth, useI18n } from '../../context.tsx';
import { orDash, UserNameCell } from '../../components/userCells.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { Link, useParams } from '../../router.tsx';
import { CreateUserModal } from '../users/UserDialogs.tsx';
import { DepartmentFormModal, KIND_COLORS } from './DepartmentForm.tsx';

function useDepartment(id: string) {
  const [state, setState] = useState<{ department: Department | null; error: unknown; tick: number }>({ department: null, error: null, tick: 0 });
  useEffect(() => {
    const controller = new AbortController();
    api
      .department(id, controller.signal)
      .then((department) => setState((s) => ({ ...s, department, error: null })))
      .catch((error: unknown) => {
        if (!isAbortError(error)) setState((s) => ({ ...s, error }));
      });
    return () => controller.abort();
  }, [id, state.tick]);
  return { ...state, reload: () => setState((s) => ({ ...s, tick: s.tick + 1 })), set: (department: Department) => setState((s) => ({ ...s, department })) };
}

function Members({ department }: { department: Department }) {
  const { t, tx } = useI18n();
  const fetchPage: PageFetcher<User> = (cursor, signal, limit) => api.users({ departmentId: department.id, cursor, limit }, signal);
  const list = useCursorList<User>(department.id, fetchPage, { choosePageSize: true });
  const [adding, setAdding] = useState(false);
  const columns: ListColumn<User>[] = [
    { key: 'username', title: t('users.username'), dataIndex: 'username', width: 160, className: 'mono', required: true, sort: (u) => u.username ?? null, render: (u) => <UserNameCell user={u} /> },
    { key: 'displayName', title: t('users.displayName'), dataIndex: 'displayName', width: 140, sort: (u) => u.displayName ?? null, render: (u) => orDash(u.displayName) },
    { key: 'phone', title: t('users.phone'), dataIndex: 'phone', width: 140, render: (u) => orDash(u.phone) },
    {
      key: 'status',
      title: t('users.status'),
      dataIndex: 'status',
      width: 90,
      sort: (u) => u.status ?? null,
      render: (u) => (u.status === undefined ? '—' : <Tag color={u.status === 'active' ? 'green' : 'default'}>{tx(`users.status.${u.status}`, u.status)}</Tag>),
      exportValue: (u) => (u.status === undefined ? null : tx(`users.status.${u.status}`, u.status)),
    },
    {
      key: 'roles',
      title: t('departments.roles'),
      render: (u) => (u.grants ?? []).map((g) => tx(`role.${g.role}`, g.role)).join('、') || '—',
      exportValue: (u) => (u.grants ?? []).map((g) => `${tx(`role.${g.role}`, g.role)}@${g.regionCode}`).join('; '),
    },
    { key: 'lastLoginAt', title: t('users.lastLogin'), dataIndex: 'lastLoginAt', width: 170, sort: (u) => u.lastLoginAt ?? null, render: (u) => (u.lastLoginAt ? formatDateTime(u.lastLoginAt) : '—') },
  ];
  return (
    <>
      <ListPage<User>
        id="department-members"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={900}
        phoneLead={{ key: 'displayName', width: 150, primary: (u) => orDash(u.displayName), secondary: (u) => <UserNameCell user={u} />, folds: ['username'] }}
        filters={<span className="list-title">{t('departments.members')}</span>}
        toolbar={
          rowCan(department, 'add_user') ? (
            <Button icon={<UserAddOutlined />} onClick={() => setAdding(true)} data-testid="department-add-user">
              {t('departments.addUser')}
            </Button>
          ) : null
        }
      />
      {adding ? (
        <CreateUserModal
          departmentId={department.id}
          onCancel={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            list.reload();
          }}
        />
      ) : null}
    </>
  );
}

export default function DepartmentPage() {
  const { id = '' } = useParams<'id'>();
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const { department, error, reload, set } = useDepartment(id);
  const [editing, setEditing] = useState(false);

  const crumbs = (
    <Breadcrumb
      className="page-breadcrumb"
      items={[{ title: <Link to="/departments">{t('nav.departments')}</Link> }, { title: department?.name ?? id }]}
    />
  );
  if (error) {
    return (
      <div className="page">
        {crumbs}
        <ErrorAlert error={error} onRetry={reload} />
      </div>
    );
  }
  if (!department) {
    return (
      <div className="page">
        {crumbs}
        <Skeleton active />
      </div>
    );
  }
  return (
    <div className="page" data-testid="department-detail">
      {crumbs}
      <PageHeader
        title={department.name}
        extra={
          rowCan(department, 'update') ? (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="department-edit">
              {t('common.edit')}
            </Button>
          ) : null
        }
      />
      <Card size="small" className="page-card">
        <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
          <Descriptions.Item label={t('departments.code')}>
            <span className="mono">{department.code}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('departments.kind')}>
            <Tag color={KIND_COLORS[department.kind]}>{tx(`kind.${department.kind}`, department.kind)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('departments.shortName')}>{department.shortName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('departments.region')}>
            {department.regionName} <span className="muted-mono">{department.regionCode}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('departments.parent')}>
            {department.parentId ? <Link to={`/departments/${encodeURIComponent(department.parentId)}`}>{t('departments.openParent')}</Link> : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('departments.creditCode')}>
            <span className="mono">{department.creditCode ?? '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('departments.createdAt')}>{formatDateTime(department.createdAt)}</Descriptions.Item>
        </Descriptions>
      </Card>
      {can('users.read') ? <Members department={department} /> : null}
      {editing ? (
        <DepartmentFormModal
          department={department}
          onCancel={() => setEditing(false)}
          onDone={(d) => {
            setEditing(false);
            set(d);
          }}
        />
      ) : null}
    </div>
  );
}
