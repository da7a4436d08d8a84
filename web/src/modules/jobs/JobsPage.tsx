// /jobs — background jobs with their state (queued, running, failed, done), counts per state and a retry button on
// the rows whose abilities include it.
import { useState } from 'react';
import { App as AntApp, Badge, Button, Card, Input, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { RedoOutlined } from '@ant-design/icons';
import { CursorPager, useCursorList } from '../../components/cursor.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { phoneColumns } from '../../components/phoneColumns.tsx';
import { useI18n } from '../../context.tsx';
import { describeError, formatDateTime } from '../../format.ts';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { JOB_STATES, jobsApi, type Job, type JobState } from './api.ts';
import { JOB_MESSAGES, type JobMessageKey } from './messages.ts';

const STATE_COLORS: Record<JobState, string> = { queued: 'blue', running: 'processing', failed: 'error', done: 'success' };

export default function JobsPage() {
  const { lang, t } = useI18n();
  const m = (key: JobMessageKey) => JOB_MESSAGES[lang][key];
  const { message } = AntApp.useApp();
  const phone = usePhoneLayout();
  const [state, setState] = useState<JobState | 'all'>('all');
  const [input, setInput] = useState('');
  const [name, setName] = useState('');
  const [counts, setCounts] = useState<Record<JobState, number> | null>(null);
  const [retrying, setRetrying] = useState<string | null>(null);

  const query = { state: state === 'all' ? undefined : state, name: name || undefined };
  const list = useCursorList<Job>(
    JSON.stringify(query),
    async (cursor, signal, limit) => {
      const page = await jobsApi.list({ ...query, cursor, limit }, signal);
      setCounts(page.counts);
      return page;
    },
    { choosePageSize: true },
  );

  const retry = async (job: Job) => {
    setRetrying(job.id);
    try {
      await jobsApi.retry(job.id);
      void message.success(m('retried'));
      list.reload();
    } catch (err) {
      void message.error(describeError(t, err));
    } finally {
      setRetrying(null);
    }
  };

  const columns: TableColumnsType<Job> = [
    { title: 'ID', dataIndex: 'id', key: 'id', width: 70, className: 'mono' },
    { title: m('name'), dataIndex: 'name', key: 'name', width: 200, className: 'mono', ellipsis: true },
    { title: m('state'), dataIndex: 'state', key: 'state', width: 90, render: (s: JobState) => <Tag color={STATE_COLORS[s]}>{m(`state.${s}`)}</Tag> },
    { title: m('key'), dataIndex: 'uniqueKey', key: 'uniqueKey', width: 150, className: 'mono', ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: m('attempts'), key: 'attempts', width: 90, render: (_: unknown, j: Job) => `${j.attempts} / ${j.maxAttempts}` },
    { title: m('runAt'), dataIndex: 'runAt', key: 'runAt', width: 160, render: (v: string) => formatDateTime(v) },
    {
      title: m('lastError'),
      dataIndex: 'lastError',
      key: 'lastError',
      width: 280,
      ellipsis: { showTitle: false },
      render: (v: string | null) =>
        v ? (
          <Tooltip title={v} placement="topLeft">
            <Typography.Text type="danger">{v}</Typography.Text>
          </Tooltip>
        ) : (
          '—'
        ),
    },
    {
      title: m('actions'),
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_: unknown, j: Job) =>
        j.abilities.includes('retry') ? (
          <Button type="link" size="small" icon={<RedoOutlined />} loading={retrying === j.id} onClick={() => void retry(j)} data-testid={`job-retry-${j.id}`}>
            {m('retry')}
          </Button>
        ) : null,
    },
  ];

  const options = [
    { value: 'all' as const, label: <span>{m('all')}</span> },
    ...JOB_STATES.map((s) => ({
      value: s,
      label: (
        <Space size={4}>
          {m(`state.${s}`)}
          {counts ? <Badge count={counts[s]} showZero overflowCount={99999} color={s === 'failed' && counts.failed > 0 ? 'red' : 'gray'} /> : null}
        </Space>
      ),
    })),
  ];

  return (
    <div className="page">
      <PageHeader title={m('title')} />
      <Card size="small" className="page-card">
        <div className="filter-bar">
          <Space wrap>
            {phone ? (
              <Select<JobState | 'all'> options={options} value={state} onChange={setState} style={{ width: 200 }} data-testid="job-state" />
            ) : (
              <Segmented<JobState | 'all'> options={options} value={state} onChange={setState} data-testid="job-state" />
            )}
            <Input.Search
              allowClear
              style={{ width: phone ? '100%' : 300 }}
              placeholder={m('namePlaceholder')}
              value={input}
              onChange={(e) => setInput(e.target.value)}
              onSearch={(v) => setName(v.trim())}
              enterButton={m('search')}
              data-testid="job-name"
            />
          </Space>
        </div>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Table<Job>
          size="small"
          rowKey="id"
          columns={phoneColumns(columns, phone, { key: 'name', title: m('name'), width: 170, primary: (j) => j.name, secondary: (j) => `#${j.id}`, folds: ['id'] })}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: phone ? 1000 : 1150 }}
          data-testid="job-table"
        />
        <CursorPager list={list} />
      </Card>
    </div>
  );
}
