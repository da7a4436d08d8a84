// /audit — for 纪委 and 审计 staff: records by name and in words, search, XLSX export, after-hours alerts, chain check.
import { useState } from 'react';
import { Alert, App as AntApp, Badge, Button, Card, DatePicker, Descriptions, Input, Select, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, type AuditFilterQuery, type AuditLabel, type AuditOutcome, type AuditRecord, type AuditVerifyResult } from '../../api/index.ts';
import { useCursorList, type CursorList, type PageFetcher } from '../../components/cursor.tsx';
import { saveBlob } from '../../components/list/exportRows.ts';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../context.tsx';
import { describeError, formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { AccessList, AccessLogTab } from './AccessLog.tsx';

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
      const { blob, filename, total, rows, truncated } = await api.exportAudit(query);
      saveBlob(blob, filename);
      // past the cap the workbook holds the newest rows only (its last row says so too)
      if (truncated) void message.warning(t('audit.exportTruncated', { rows: (rows ?? 0).toLocaleString('en'), total: (total ?? 0).toLocaleString('en') }));
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

function AuditList({ id, list, fetchPage }: { id: string; list: CursorList<AuditRecord>; fetchPage: PageFetcher<AuditRecord> }) {
  const { t, tx } = useI18n();
  const label = useLabel();
  const columns: ListColumn<AuditRecord>[] = [
    { key: 'at', title: t('audit.at'), dataIndex: 'at', width: 160, required: true, sort: (r) => r.at, render: (r) => formatDateTime(r.at) },
    {
      key: 'actor',
      title: t('audit.actor'),
      width: 150,
      sort: (r) => r.actorDisplayName ?? r.actorName,
      exportValue: (r) => (r.actorName === null ? null : [r.actorDisplayName, r.actorName].filter(Boolean).join(' ')),
      render: (r) =>
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
    { key: 'department', title: t('audit.department'), dataIndex: 'departmentName', width: 160, ellipsis: true, sort: (r) => r.departmentName },
    { key: 'role', title: t('audit.role'), dataIndex: 'role', width: 110, render: (r) => (r.role ? tx(`role.${r.role}`, r.role) : '—'), exportValue: (r) => (r.role ? tx(`role.${r.role}`, r.role) : null) },
    {
      key: 'action',
      title: t('audit.action'),
      width: 150,
      sort: (r) => label(r.actionLabel),
      exportValue: (r) => `${label(r.actionLabel)} (${r.action})`,
      render: (r) => (
        <Tooltip title={r.action}>
          <span>{label(r.actionLabel)}</span>
        </Tooltip>
      ),
    },
    {
      key: 'object',
      title: t('audit.object'),
      ellipsis: true,
      exportValue: (r) => r.objectName ?? ([r.objectType, r.objectId].filter(Boolean).join(':') || null),
      render: (r) => {
        const text = r.objectName ?? ([r.objectType, r.objectId].filter(Boolean).join(':') || '—');
        return (
          <Tooltip title={text} placement="topLeft">
            <span>{text}</span>
          </Tooltip>
        );
      },
    },
    { key: 'region', title: t('audit.region'), width: 120, render: (r) => r.regionName ?? r.regionCode ?? '—', exportValue: (r) => r.regionName ?? r.regionCode },
    {
      key: 'outcome',
      title: t('audit.outcome'),
      dataIndex: 'outcome',
      width: 80,
      sort: (r) => r.outcome,
      render: (r) => <Tag color={OUTCOME_COLORS[r.outcome] ?? 'default'}>{tx(`audit.outcome.${r.outcome}`, r.outcome)}</Tag>,
      exportValue: (r) => tx(`audit.outcome.${r.outcome}`, r.outcome),
    },
    { key: 'clientAddr', title: t('audit.clientAddr'), dataIndex: 'clientAddr', width: 130, className: 'mono', defaultHidden: true },
    { key: 'hash', title: t('audit.hash'), dataIndex: 'hash', width: 200, className: 'mono', defaultHidden: true },
  ];
  return (
    <ListPage<AuditRecord>
      id={id}
      list={list}
      fetchPage={fetchPage}
      columns={columns}
      rowKey="seq"
      scrollX={1150}
      expandable={{ expandedRowRender: (r) => <AuditDetail record={r} /> }}
    />
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
  const fetchRecords: PageFetcher<AuditRecord> = (cursor, signal, limit) => api.audit({ ...query, cursor, limit }, signal);
  const fetchAlerts: PageFetcher<AuditRecord> = (cursor, signal, limit) =>
    api.auditAlerts({ ...query, cursor, limit }, signal).then((page) => {
      setAlertTotal(page.total);
      return page;
    });
  const list = useCursorList<AuditRecord>(key, fetchRecords, { pageSize: PAGE_SIZE, choosePageSize: true });
  const alerts = useCursorList<AuditRecord>(key, fetchAlerts, { pageSize: PAGE_SIZE, choosePageSize: true });
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
      </Card>
      <Tabs
        className="audit-tabs"
        items={[
          { key: 'records', label: t('audit.tabRecords'), children: <AuditList id="audit" list={list} fetchPage={fetchRecords} /> },
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
                <Typography.Title level={5}>{t('audit.alertsChain')}</Typography.Title>
                <AuditList id="audit-alerts" list={alerts} fetchPage={fetchAlerts} />
                <Typography.Title level={5}>{t('audit.alertsAccess')}</Typography.Title>
                <AccessList id="audit-alerts-access" filter={{ afterHours: true, from: query.from, to: query.to }} />
              </>
            ),
          },
          { key: 'access', label: <span data-testid="audit-access-tab">{t('audit.tabAccess')}</span>, children: <AccessLogTab /> },
        ]}
      />
    </div>
  );
}
