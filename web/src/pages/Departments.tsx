// /departments — cursor-paginated department table with text search and a region filter.
import { useState } from 'react';
import { Card, Input, Space, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { api, type Department } from '../api.ts';
import { CursorPager, useCursorList } from '../components/cursor.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { RegionTreeSelect } from '../components/RegionTreeSelect.tsx';
import { useI18n } from '../context.tsx';
import { formatDateTime } from '../format.ts';
import { PageHeader } from '../Layout.tsx';

const PAGE_SIZE = 20;

export default function DepartmentsPage() {
  const { t } = useI18n();
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [regionCode, setRegionCode] = useState<string | undefined>(undefined);

  const query = { q: q || undefined, regionCode };
  const list = useCursorList<Department>(JSON.stringify(query), (cursor, signal) => api.departments({ ...query, cursor, limit: PAGE_SIZE }, signal));

  const columns: TableColumnsType<Department> = [
    { title: t('departments.code'), dataIndex: 'code', key: 'code', width: 150, className: 'mono' },
    {
      title: t('departments.name'),
      dataIndex: 'name',
      key: 'name',
      ellipsis: { showTitle: false },
      render: (name: string) => (
        <Tooltip title={name} placement="topLeft">
          {name}
        </Tooltip>
      ),
    },
    { title: t('departments.shortName'), dataIndex: 'shortName', key: 'shortName', width: 140, render: (v: string | null) => v ?? '—' },
    { title: t('departments.kind'), dataIndex: 'kind', key: 'kind', width: 110, render: (v: string) => <Tag>{v}</Tag> },
    {
      title: t('departments.region'),
      key: 'region',
      width: 200,
      render: (_: unknown, d: Department) => (
        <span>
          {d.regionName} <span className="muted-mono">{d.regionCode}</span>
        </span>
      ),
    },
    { title: t('departments.creditCode'), dataIndex: 'creditCode', key: 'creditCode', width: 200, className: 'mono', render: (v: string | null) => v ?? '—' },
    { title: t('departments.createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
  ];

  return (
    <div className="page">
      <PageHeader title={t('departments.title')} />
      <Card size="small" className="page-card">
        <div className="filter-bar">
          <Space wrap>
            <Input.Search
              allowClear
              style={{ width: 280 }}
              placeholder={t('departments.searchPlaceholder')}
              value={input}
              onChange={(e) => setInput(e.target.value)}
              onSearch={(v) => setQ(v.trim())}
              enterButton={t('common.search')}
            />
            <RegionTreeSelect value={regionCode} onChange={setRegionCode} placeholder={t('departments.regionFilter')} width={260} />
          </Space>
        </div>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Table<Department>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 1100 }}
        />
        <CursorPager list={list} />
      </Card>
    </div>
  );
}
