// /departments — the department list (the shared ListPage) with text search and a region filter; create and edit
// where the server allows it. A department's code opens its own page (/departments/:id).
import { useState } from 'react';
import { Button, Tag, Tooltip } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { rowCan } from '../../abilities.ts';
import { api, type Department } from '../../api/index.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, ListSearch, type ListColumn } from '../../components/list/ListPage.tsx';
import { RegionTreeSelect } from '../../components/RegionTreeSelect.tsx';
import { useAuth, useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { Link } from '../../router.tsx';
import { DepartmentFormModal, KIND_COLORS } from './DepartmentForm.tsx';

export default function DepartmentsPage() {
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const canManage = can('departments.manage');
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [regionCode, setRegionCode] = useState<string | undefined>(undefined);
  // null: closed; 'new': create; a department: edit it.
  const [editing, setEditing] = useState<Department | 'new' | null>(null);

  const query = { q: q || undefined, regionCode };
  const fetchPage: PageFetcher<Department> = (cursor, signal, limit) => api.departments({ ...query, cursor, limit }, signal);
  const list = useCursorList<Department>(JSON.stringify(query), fetchPage, { choosePageSize: true });

  const onSaved = (d: Department) => {
    const created = editing === 'new';
    setEditing(null);
    if (created) {
      // Show the new department: the list is in directory order, so it may be on any page.
      setInput(d.code);
      setRegionCode(undefined);
      if (q === d.code && regionCode === undefined) list.reload();
      else setQ(d.code);
    } else {
      list.reload();
    }
  };

  const columns: ListColumn<Department>[] = [
    {
      key: 'code',
      title: t('departments.code'),
      dataIndex: 'code',
      width: 150,
      className: 'mono',
      required: true,
      sort: (d) => d.code,
      render: (d) => <Link to={`/departments/${encodeURIComponent(d.id)}`}>{d.code}</Link>,
    },
    {
      key: 'name',
      title: t('departments.name'),
      dataIndex: 'name',
      ellipsis: true,
      sort: (d) => d.name,
      render: (d) => (
        <Tooltip title={d.name} placement="topLeft">
          {d.name}
        </Tooltip>
      ),
    },
    { key: 'shortName', title: t('departments.shortName'), dataIndex: 'shortName', width: 140, sort: (d) => d.shortName },
    {
      key: 'kind',
      title: t('departments.kind'),
      dataIndex: 'kind',
      width: 110,
      sort: (d) => d.kind,
      render: (d) => <Tag color={KIND_COLORS[d.kind]}>{tx(`kind.${d.kind}`, d.kind)}</Tag>,
      exportValue: (d) => tx(`kind.${d.kind}`, d.kind),
    },
    {
      key: 'region',
      title: t('departments.region'),
      width: 200,
      sort: (d) => d.regionCode,
      render: (d) => (
        <span>
          {d.regionName} <span className="muted-mono">{d.regionCode}</span>
        </span>
      ),
      exportValue: (d) => `${d.regionName} ${d.regionCode}`,
    },
    { key: 'creditCode', title: t('departments.creditCode'), dataIndex: 'creditCode', width: 190, className: 'mono', sort: (d) => d.creditCode },
    { key: 'createdAt', title: t('departments.createdAt'), dataIndex: 'createdAt', width: 170, sort: (d) => d.createdAt, render: (d) => formatDateTime(d.createdAt) },
  ];
  if (canManage) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 90,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (d) =>
        rowCan(d, 'update') ? (
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(d)} aria-label={`${t('common.edit')} ${d.code}`}>
            {t('common.edit')}
          </Button>
        ) : null,
    });
  }

  return (
    <div className="page">
      <PageHeader
        title={t('departments.title')}
        extra={
          canManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="department-create">
              {t('departments.create')}
            </Button>
          ) : null
        }
      />
      <ListPage<Department>
        id="department"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={canManage ? 1200 : 1100}
        phoneLead={{ key: 'name', width: 190, primary: (d) => <Link to={`/departments/${encodeURIComponent(d.id)}`}>{d.name}</Link>, secondary: (d) => d.code, folds: ['code'] }}
        filters={
          <>
            <ListSearch value={input} onChange={setInput} onSearch={setQ} placeholder={t('departments.searchPlaceholder')} width={280} testId="department-search" />
            <RegionTreeSelect value={regionCode} onChange={setRegionCode} placeholder={t('departments.regionFilter')} width={260} />
          </>
        }
      />
      {editing !== null ? (
        <DepartmentFormModal department={editing === 'new' ? null : editing} onCancel={() => setEditing(null)} onDone={onSaved} />
      ) : null}
    </div>
  );
}
