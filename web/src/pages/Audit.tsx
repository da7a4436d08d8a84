// /audit — filtered, cursor-paginated audit records and hash-chain verification.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, DatePicker, Descriptions, Input, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, type AuditOutcome, type AuditRecord, type AuditVerifyResult } from '../api.ts';
import { CursorPager, useCursorList } from '../components/cursor.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useI18n } from '../context.tsx';
import { describeError, formatDateTime } from '../format.ts';
import { PageHeader } from '../Layout.tsx';

const PAGE_SIZE = 50;
const OUTCOMES: readonly AuditOutcome[] = ['success', 'failure', 'denied'];
const OUTCOME_COLORS: Record<string, string> = { success: 'success', failure: 'error', denied: 'warning' };

type Range = [Dayjs | null, Dayjs | null] | null;

interface Filters {
  action: string;
  outcome: AuditOutcome | undefined;
  range: Range;
}

const EMPTY: Filters = { action: '', outcome: undefined, range: null };

function useVerify() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<AuditVerifyResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  const run = async () => {
    setRunning(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.verifyAudit());
    } catch (err) {
      setError(err);
      void message.error(describeError(t, err));
    } finally {
      setRunning(false);
    }
  };

  return {
    button: (
      <Button type="primary" icon={<SafetyCertificateOutlined />} loading={running} onClick={() => void run()} data-testid="audit-verify">
        {running ? t('audit.verifying') : t('audit.verify')}
      </Button>
    ),
    result: (
      <>
        <ErrorAlert error={error} />
        {result ? (
          result.ok ? (
            <Alert
              type="success"
              showIcon
              closable={{ onClose: () => setResult(null) }}
              className="page-alert"
              data-testid="audit-verify-result"
              title={t('audit.verifyOk', { records: result.records, head: result.headSeq })}
            />
          ) : (
            <Alert
              type="error"
              showIcon
              closable={{ onClose: () => setResult(null) }}
              className="page-alert"
              data-testid="audit-verify-result"
              title={t('audit.verifyBroken', { seq: result.brokenAt?.seq ?? '?' })}
              description={t('audit.verifyReason', { reason: result.brokenAt?.reason ?? '—', records: result.records, head: result.headSeq })}
            />
          )
        ) : null}
      </>
    ),
  };
}

function AuditDetail({ record }: { record: AuditRecord }) {
  const { t } = useI18n();
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      className="audit-detail"
      items={[
        { key: 'requestId', label: t('audit.requestId'), children: <span className="mono">{record.requestId ?? '—'}</span> },
        { key: 'actorId', label: t('audit.actorId'), children: <span className="mono">{record.actorId ?? '—'}</span> },
        { key: 'departmentId', label: t('audit.departmentId'), children: <span className="mono">{record.departmentId ?? '—'}</span> },
        { key: 'hash', label: t('audit.hash'), children: <span className="mono break-all">{record.hash}</span> },
        {
          key: 'detail',
          label: t('audit.detail'),
          children: record.detail ? <pre className="json-block">{JSON.stringify(record.detail, null, 2)}</pre> : '—',
        },
      ]}
    />
  );
}

export default function AuditPage() {
  const { t, tx } = useI18n();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const verify = useVerify();

  const query = {
    action: filters.action.trim() || undefined,
    outcome: filters.outcome,
    from: filters.range?.[0]?.startOf('day').toISOString(),
    to: filters.range?.[1]?.endOf('day').toISOString(),
  };
  const list = useCursorList<AuditRecord>(JSON.stringify(query), (cursor, signal) => api.audit({ ...query, cursor, limit: PAGE_SIZE }, signal));

  const columns: TableColumnsType<AuditRecord> = [
    { title: t('audit.seq'), dataIndex: 'seq', key: 'seq', width: 80, className: 'mono' },
    { title: t('audit.at'), dataIndex: 'at', key: 'at', width: 165, render: (v: string) => formatDateTime(v) },
    { title: t('audit.actor'), dataIndex: 'actorName', key: 'actorName', width: 120, render: (v: string | null) => v ?? '—' },
    { title: t('audit.role'), dataIndex: 'role', key: 'role', width: 110, render: (v: string | null) => (v ? tx(`role.${v}`, v) : '—') },
    { title: t('audit.action'), dataIndex: 'action', key: 'action', width: 170, className: 'mono' },
    {
      title: t('audit.object'),
      key: 'object',
      ellipsis: { showTitle: false },
      render: (_: unknown, r: AuditRecord) => {
        if (!r.objectType && !r.objectId) return '—';
        const text = [r.objectType, r.objectId].filter(Boolean).join(':');
        return (
          <Tooltip title={text} placement="topLeft">
            <span className="mono">{text}</span>
          </Tooltip>
        );
      },
    },
    { title: t('audit.region'), dataIndex: 'regionCode', key: 'regionCode', width: 130, className: 'mono', render: (v: string | null) => v ?? '—' },
    {
      title: t('audit.outcome'),
      dataIndex: 'outcome',
      key: 'outcome',
      width: 80,
      render: (v: string) => <Tag color={OUTCOME_COLORS[v] ?? 'default'}>{tx(`audit.outcome.${v}`, v)}</Tag>,
    },
    { title: t('audit.clientAddr'), dataIndex: 'clientAddr', key: 'clientAddr', width: 130, className: 'mono', render: (v: string | null) => v ?? '—' },
  ];

  return (
    <div className="page">
      <PageHeader title={t('audit.title')} extra={verify.button} />
      {verify.result}
      <Card size="small" className="page-card">
        <div className="filter-bar">
          <Space wrap>
            <Input
              allowClear
              style={{ width: 220 }}
              placeholder={t('audit.actionPrefix')}
              value={draft.action}
              onChange={(e) => setDraft((d) => ({ ...d, action: e.target.value }))}
              onPressEnter={() => setFilters(draft)}
            />
            <Select<AuditOutcome>
              allowClear
              style={{ width: 120 }}
              placeholder={t('audit.outcomeFilter')}
              value={draft.outcome}
              onChange={(v) => setDraft((d) => ({ ...d, outcome: v ?? undefined }))}
              options={OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))}
            />
            <DatePicker.RangePicker
              allowEmpty={[true, true]}
              placeholder={[t('audit.startDate'), t('audit.endDate')]}
              value={draft.range}
              onChange={(v) => setDraft((d) => ({ ...d, range: v }))}
            />
            <Button type="primary" onClick={() => setFilters(draft)}>
              {t('common.search')}
            </Button>
            <Button
              onClick={() => {
                setDraft(EMPTY);
                setFilters(EMPTY);
              }}
            >
              {t('common.reset')}
            </Button>
          </Space>
        </div>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Table<AuditRecord>
          size="small"
          rowKey="seq"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 1200 }}
          expandable={{ expandedRowRender: (r) => <AuditDetail record={r} /> }}
        />
        <CursorPager list={list} />
      </Card>
    </div>
  );
}
