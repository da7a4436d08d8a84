// The access log (D47) on the audit page: who read whose personal data, with which permission and fields. The
// "访问日志" tab browses it with its own filters; the after-hours alerts tab shows its after-hours reads beside the
// chain's alert records.
import { useState } from 'react';
import { Button, Checkbox, DatePicker, Input, Space, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, type AccessEntry, type AccessQuery } from '../../api/index.ts';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';

type AccessFilter = Omit<AccessQuery, 'cursor' | 'limit'>;
/** A row with a key of its own: the log's identity is (batch, position). */
type AccessRow = AccessEntry & { key: string };

/** The access-log list for a filter; `id` names the list (test ids, saved columns, export file). */
export function AccessList({ id, filter }: { id: string; filter: AccessFilter }) {
  const { t, tx } = useI18n();
  const fetchPage: PageFetcher<AccessRow> = (cursor, signal, limit) =>
    api.auditAccess({ ...filter, cursor, limit }, signal).then((page) => ({ ...page, items: page.items.map((e) => ({ ...e, key: `${e.batchId}:${e.ord}` })) }));
  const list = useCursorList<AccessRow>(JSON.stringify(filter), fetchPage, { pageSize: 50, choosePageSize: true });
  const columns: ListColumn<AccessRow>[] = [
    { key: 'at', title: t('audit.at'), dataIndex: 'at', width: 160, required: true, sort: (r) => r.at, render: (r) => formatDateTime(r.at) },
    { key: 'actor', title: t('audit.actor'), dataIndex: 'actorName', width: 130, sort: (r) => r.actorName, render: (r) => r.actorName ?? '—' },
    { key: 'role', title: t('audit.role'), dataIndex: 'role', width: 110, render: (r) => (r.role ? tx(`role.${r.role}`, r.role) : '—'), exportValue: (r) => (r.role ? tx(`role.${r.role}`, r.role) : null) },
    { key: 'resource', title: t('audit.access.resource'), dataIndex: 'resource', width: 110, sort: (r) => r.resource, render: (r) => tx(`audit.resource.${r.resource}`, r.resource), exportValue: (r) => r.resource },
    {
      key: 'subjects',
      title: t('audit.access.subjects'),
      ellipsis: true,
      exportValue: (r) => r.subjectIds.join(' '),
      render: (r) =>
        r.subjectIds.length === 0 ? (
          '—'
        ) : (
          <Tooltip title={<span className="mono break-all">{r.subjectIds.join(' ')}</span>} placement="topLeft">
            <span className="mono">
              {r.subjectIds[0]}
              {r.subjectIds.length > 1 ? ` +${r.subjectIds.length - 1}` : ''}
            </span>
          </Tooltip>
        ),
    },
    { key: 'fields', title: t('audit.access.fields'), width: 140, render: (r) => r.fields.join('、') || '—', exportValue: (r) => r.fields.join(' ') },
    { key: 'permission', title: t('audit.access.permission'), dataIndex: 'permission', width: 150, className: 'mono' },
    { key: 'region', title: t('audit.regionCode'), dataIndex: 'regionCode', width: 100, className: 'mono', render: (r) => r.regionCode ?? '—' },
    { key: 'clientAddr', title: t('audit.clientAddr'), dataIndex: 'clientAddr', width: 130, className: 'mono', defaultHidden: true },
    { key: 'requestId', title: t('audit.requestId'), dataIndex: 'requestId', width: 200, className: 'mono', defaultHidden: true },
  ];
  return <ListPage<AccessRow> id={id} list={list} fetchPage={fetchPage} columns={columns} rowKey="key" scrollX={1150} />;
}

interface Draft {
  actorId: string;
  subject: string;
  resource: string;
  range: [Dayjs | null, Dayjs | null] | null;
  afterHours: boolean;
}
const EMPTY: Draft = { actorId: '', subject: '', resource: '', range: null, afterHours: false };

function toFilter(d: Draft): AccessFilter {
  const text = (value: string) => value.trim() || undefined;
  return {
    actorId: text(d.actorId),
    subject: text(d.subject),
    resource: text(d.resource),
    from: d.range?.[0]?.startOf('day').toISOString(),
    to: d.range?.[1]?.endOf('day').toISOString(),
    afterHours: d.afterHours || undefined,
  };
}

/** The "访问日志" tab: its filters (actor, subject, resource, dates, after hours) and the list. */
export function AccessLogTab() {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [filter, setFilter] = useState<AccessFilter>({});
  const text = (field: 'actorId' | 'subject' | 'resource', placeholder: string) => (
    <Input
      allowClear
      className="audit-filter-input"
      placeholder={placeholder}
      aria-label={placeholder}
      data-testid={`access-filter-${field}`}
      value={draft[field]}
      onChange={(e) => setDraft((d) => ({ ...d, [field]: e.target.value }))}
      onPressEnter={() => setFilter(toFilter(draft))}
    />
  );
  return (
    <>
      <Typography.Paragraph type="secondary">{t('audit.access.hint')}</Typography.Paragraph>
      <div className="filter-bar">
        <Space wrap>
          {text('actorId', t('audit.access.actorFilter'))}
          {text('subject', t('audit.access.subjectFilter'))}
          {text('resource', t('audit.access.resourceFilter'))}
          <DatePicker.RangePicker
            className="audit-filter-range"
            allowEmpty={[true, true]}
            placeholder={[t('audit.startDate'), t('audit.endDate')]}
            value={draft.range}
            onChange={(v) => setDraft((d) => ({ ...d, range: v }))}
          />
          <Checkbox checked={draft.afterHours} onChange={(e) => setDraft((d) => ({ ...d, afterHours: e.target.checked }))} data-testid="access-filter-after-hours">
            {t('audit.access.afterHours')}
          </Checkbox>
          <Button type="primary" onClick={() => setFilter(toFilter(draft))} data-testid="access-search">
            {t('common.search')}
          </Button>
          <Button
            onClick={() => {
              setDraft(EMPTY);
              setFilter({});
            }}
          >
            {t('common.reset')}
          </Button>
        </Space>
      </div>
      <AccessList id="audit-access" filter={filter} />
    </>
  );
}
