// /jobs — background jobs with their state (queued, running, failed, done), counts per state and a retry button on
// the rows whose abilities include it.
import { useState } from 'react';
import { App as AntApp, Badge, Button, Segmented, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { RedoOutlined } from '@ant-design/icons';
import { rowCan } from '../../abilities.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, ListSearch, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader, usePhoneLayout } from '../../Layout.tsx';
import { JOB_STATES, jobsApi, type Job, type JobState } from './api.ts';

const STATE_COLORS: Record<JobState, string> = { queued: 'blue', running: 'processing', failed: 'error', done: 'success' };

export default function JobsPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const phone = usePhoneLayout();
  const [state, setState] = useState<JobState | 'all'>('all');
  const [input, setInput] = useState('');
  const [name, setName] = useState('');
  const [counts, setCounts] = useState<Record<JobState, number> | null>(null);
  const [retrying, setRetrying] = useState<string | null>(null);

  const query = { state: state === 'all' ? undefined : state, name: name || undefined };
  const fetchPage: PageFetcher<Job> = async (cursor, signal, limit) => {
    const page = await jobsApi.list({ ...query, cursor: cursor ?? undefined, limit }, signal);
    setCounts(page.counts);
    return page;
  };
  const list = useCursorList<Job>(JSON.stringify(query), fetchPage, { choosePageSize: true });

  const retry = async (job: Job) => {
    setRetrying(job.id);
    try {
      await jobsApi.retry(job.id);
      void message.success(t('jobs.retried'));
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setRetrying(null);
    }
  };

  const stateLabel = (s: JobState) => t(`jobs.state.${s}`);
  const columns: ListColumn<Job>[] = [
    { key: 'id', title: t('jobs.id'), dataIndex: 'id', width: 70, className: 'mono', sort: (j) => Number(j.id) },
    { key: 'name', title: t('jobs.name'), dataIndex: 'name', width: 200, className: 'mono', ellipsis: true, required: true, sort: (j) => j.name },
    {
      key: 'state',
      title: t('jobs.state'),
      dataIndex: 'state',
      width: 90,
      sort: (j) => j.state,
      render: (j) => <Tag color={STATE_COLORS[j.state]}>{stateLabel(j.state)}</Tag>,
      exportValue: (j) => stateLabel(j.state),
    },
    { key: 'uniqueKey', title: t('jobs.key'), dataIndex: 'uniqueKey', width: 150, className: 'mono', ellipsis: true },
    { key: 'attempts', title: t('jobs.attempts'), width: 90, render: (j) => `${j.attempts} / ${j.maxAttempts}`, exportValue: (j) => `${j.attempts} / ${j.maxAttempts}` },
    { key: 'runAt', title: t('jobs.runAt'), dataIndex: 'runAt', width: 160, sort: (j) => j.runAt, render: (j) => formatDateTime(j.runAt) },
    {
      key: 'lastError',
      title: t('jobs.lastError'),
      dataIndex: 'lastError',
      width: 280,
      ellipsis: true,
      render: (j) =>
        j.lastError ? (
          <Tooltip title={j.lastError} placement="topLeft">
            <Typography.Text type="danger">{j.lastError}</Typography.Text>
          </Tooltip>
        ) : (
          '—'
        ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 90,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (j) =>
        rowCan(j, 'retry') ? (
          <Button type="link" size="small" icon={<RedoOutlined />} loading={retrying === j.id} onClick={() => void retry(j)} data-testid={`job-retry-${j.id}`}>
            {t('jobs.retry')}
          </Button>
        ) : null,
    },
  ];

  const options = [
    { value: 'all' as const, label: <span>{t('jobs.all')}</span> },
    ...JOB_STATES.map((s) => ({
      value: s,
      label: (
        <Space size={4}>
          {stateLabel(s)}
          {counts ? <Badge count={counts[s]} showZero overflowCount={99999} color={s === 'failed' && counts.failed > 0 ? 'red' : 'gray'} /> : null}
        </Space>
      ),
    })),
  ];

  return (
    <div className="page">
      <PageHeader title={t('jobs.title')} />
      <ListPage<Job>
        id="job"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={phone ? 1000 : 1150}
        phoneLead={{ key: 'name', width: 170, primary: (j) => j.name, secondary: (j) => `#${j.id}`, folds: ['id'] }}
        filters={
          <>
            {phone ? (
              <Select<JobState | 'all'> options={options} value={state} onChange={setState} style={{ width: 200 }} data-testid="job-state" />
            ) : (
              <Segmented<JobState | 'all'> options={options} value={state} onChange={setState} data-testid="job-state" />
            )}
            <ListSearch value={input} onChange={setInput} onSearch={setName} placeholder={t('jobs.namePlaceholder')} width={phone ? 360 : 300} testId="job-name" />
          </>
        }
      />
    </div>
  );
}
