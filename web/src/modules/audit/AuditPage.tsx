// /audit — for 纪委 and 审计 staff: records by name and in words, search, XLSX export, after-hours alerts, chain check.
import { useState } from 'react';
import { Alert, App as AntApp, Badge, Button, Card, DatePicker, Descriptions, Input, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, type AuditFilterQuery, type AuditLabel, type AuditOutcome, type AuditRecord, type AuditVerifyResult } from '../../api/index.ts';
import { CursorPager, useCursorList, type CursorList } from '../../components/cursor.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../context.tsx';
import { describeError, formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';

const PAGE_SIZE = 50;
const OUTCOMES: readonly AuditOutcome[] = ['success', 'failure', 'denied'];
const OUTCOME_COLORS: Record<string, string> = { success: 'success', failure: 'error', denied: 'warning' };

type Range = [Dayjs | null, Dayjs | null] | null;

interface Filters {
  action: string;
  person: string;
  department: string;
  object: string;
  outcome: AuditOutcome | undefined;
  range: Range;
}

const EMPTY: Filters = { action: '', person: '', department: '', object: '', outcome: undefined, range: null };

function toQuery(filters: Filters): AuditFilterQuery {
  const text = (value: string) => value.trim() || undefined;
  return {
    action: text(filters.action),
    person: text(filters.person),
    department: text(filters.department),
    object: text(filters.object),
    outcome: filters.outcome,
    from: filters.range?.[0]?.startOf('day').toISOString(),
    to: filters.range?.[1]?.endOf('day').toISOString(),
  };
}

function useLabel(): (label: AuditLabel) => string {
  const { lang } = useI18n();
  return (label) => (lang === 'zh-CN' ? label.zh : label.en);
}

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

function useExport(query: AuditFilterQuery) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [running, setRunning] = useState(false);
  const run = async () => {
    setRunning(true);
    try {
      const { blob, filename } = await api.exportAudit(query);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      void message.error(describeError(t, err));
    } finally {
      setRunning(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={running} onClick={() => void run()} data-testid="audit-export">
      {t('audit.export')}
    </Button>
  );
}

function AuditDetail({ record }: { record: AuditRecord }) {
  const { t } = useI18n();
  const label = useLabel();
  const value = (v: string | number | boolean | null) => (v === null ? '—' : v === true ? t('audit.yes') : v === false ? t('audit.no') : String(v));
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      className="audit-detail"
      data-testid="audit-detail"
      items={[
        { key: 'action', label: t('audit.action'), children: `${label(record.actionLabel)} (${record.action})` },
        ...record.detailFields.map((f) => ({ key: `detail.${f.key}`, label: label(f.label), children: value(f.value) })),
        { key: 'object', label: t('audit.objectId'), children: <span className="mono break-all">{[record.objectType, record.objectId].filter(Boolean).join(':') || '—'}</span> },
        { key: 'regionCode', label: t('audit.regionCode'), children: <span className="mono">{record.regionCode ?? '—'}</span> },
        { key: 'requestId', label: t('audit.requestId'), children: <span className="mono">{record.requestId ?? '—'}</span> },
        { key: 'hash', label: t('audit.hash'), children: <span className="mono break-all">{record.hash}</span> },
      ]}
    />
  );
}

function AuditTable({ list, testId }: { list: CursorList<AuditRecord>; testId: string }) {
  const { t, tx } = useI18n();
  const label = useLabel();
  const columns: TableColumnsType<AuditRecord> = [
    { title: t('audit.at'), dataIndex: 'at', key: 'at', width: 160, render: (v: string) => formatDateTime(v) },
    {
      title: t('audit.actor'),
      key: 'actor',
      width: 150,
      render: (_: unknown, r: AuditRecord) =>
        r.actorName === null ? (
          '—'
        ) : (
          <span>
            {r.actorDisplayName ?? r.actorName}
            {r.actorDisplayName ? (
              <Typography.Text type="secondary" className="audit-username">
                {' '}
                {r.actorName}
              </Typography.Text>
            ) : null}
          </span>
        ),
    },
    { title: t('audit.department'), dataIndex: 'departmentName', key: 'department', width: 160, ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: t('audit.role'), dataIndex: 'role', key: 'role', width: 110, render: (v: string | null) => (v ? tx(`role.${v}`, v) : '—') },
    {
      title: t('audit.action'),
      key: 'action',
      width: 150,
      render: (_: unknown, r: AuditRecord) => (
        <Tooltip title={r.action}>
          <span>{label(r.actionLabel)}</span>
        </Tooltip>
      ),
    },
    {
      title: t('audit.object'),
      key: 'object',
      ellipsis: { showTitle: false },
      render: (_: unknown, r: AuditRecord) => {
        const text = r.objectName ?? ([r.objectType, r.objectId].filter(Boolean).join(':') || '—');
        return (
          <Tooltip title={text} placement="topLeft">
            <span>{text}</span>
          </Tooltip>
        );
      },
    },
    { title: t('audit.region'), key: 'region', width: 120, render: (_: unknown, r: AuditRecord) => r.regionName ?? r.regionCode ?? '—' },
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
    <>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<AuditRecord>
        size="small"
        rowKey="seq"
        data-testid={testId}
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        scroll={{ x: 1150 }}
        expandable={{ expandedRowRender: (r) => <AuditDetail record={r} /> }}
      />
      <CursorPager list={list} />
    </>
  );
}

export default function AuditPage() {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [alertTotal, setAlertTotal] = useState<number | null>(null);
  const verify = useVerify();
  const query = toQuery(filters);
  const exportButton = useExport(query);
  const key = JSON.stringify(query);
  const list = useCursorList<AuditRecord>(key, (cursor, signal) => api.audit({ ...query, cursor, limit: PAGE_SIZE }, signal));
  const alerts = useCursorList<AuditRecord>(key, (cursor, signal) =>
    api.auditAlerts({ ...query, cursor, limit: PAGE_SIZE }, signal).then((page) => {
      setAlertTotal(page.total);
      return page;
    }),
  );
  const text = (field: 'action' | 'person' | 'department' | 'object', placeholder: string) => (
    <Input
      allowClear
      className="audit-filter-input"
      placeholder={placeholder}
      aria-label={placeholder}
      data-testid={`audit-filter-${field}`}
      value={draft[field]}
      onChange={(e) => setDraft((d) => ({ ...d, [field]: e.target.value }))}
      onPressEnter={() => setFilters(draft)}
    />
  );

  return (
    <div className="page">
      <PageHeader
        title={t('audit.title')}
        extra={
          <Space wrap>
            {exportButton}
            {verify.button}
          </Space>
        }
      />
      {verify.result}
      <Card size="small" className="page-card">
        <div className="filter-bar">
          <Space wrap>
            {text('person', t('audit.personFilter'))}
            {text('department', t('audit.departmentFilter'))}
            {text('object', t('audit.objectFilter'))}
            {text('action', t('audit.actionFilter'))}
            <Select<AuditOutcome>
              allowClear
              style={{ width: 120 }}
              placeholder={t('audit.outcomeFilter')}
              value={draft.outcome}
              onChange={(v) => setDraft((d) => ({ ...d, outcome: v ?? undefined }))}
              options={OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))}
            />
            <DatePicker.RangePicker
              className="audit-filter-range"
              allowEmpty={[true, true]}
              placeholder={[t('audit.startDate'), t('audit.endDate')]}
              value={draft.range}
              onChange={(v) => setDraft((d) => ({ ...d, range: v }))}
            />
            <Button type="primary" onClick={() => setFilters(draft)} data-testid="audit-search">
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
        <Tabs
          items={[
            { key: 'records', label: t('audit.tabRecords'), children: <AuditTable list={list} testId="audit-table" /> },
            {
              key: 'alerts',
              label: (
                <span data-testid="audit-alerts-tab">
                  {t('audit.tabAlerts')} <Badge count={alertTotal ?? 0} overflowCount={999} showZero={false} data-testid="audit-alerts-count" />
                </span>
              ),
              children: (
                <>
                  <Typography.Paragraph type="secondary">{t('audit.alertsHint')}</Typography.Paragraph>
                  <AuditTable list={alerts} testId="audit-alerts-table" />
                </>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
