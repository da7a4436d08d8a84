// The list of documents the 发文 and 归档 pages share: columns, search and the link to a document's page.
import { useState, type ReactNode } from 'react';
import { Space } from 'antd';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, ListSearch, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { usePhoneLayout } from '../../Layout.tsx';
import { navigate } from '../../router.tsx';
import type { ListedDocument } from './api.ts';
import { KindTag, StatusTag, UrgencyTag } from './parts.tsx';

export function DocumentsTable(props: {
  id: string;
  base: string;
  filterKey: string;
  fetch: (q: string | undefined, cursor: string | undefined, limit: number, signal: AbortSignal) => Promise<{ items: ListedDocument[]; nextCursor: string | null; total: number }>;
  filters?: ReactNode;
}) {
  const { t } = useI18n();
  const phone = usePhoneLayout();
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const fetchPage: PageFetcher<ListedDocument> = (cursor, signal, limit) => props.fetch(q || undefined, cursor ?? undefined, limit, signal);
  const list = useCursorList<ListedDocument>(`${props.filterKey}|${q}`, fetchPage, { choosePageSize: true });
  const columns: ListColumn<ListedDocument>[] = [
    {
      key: 'title',
      title: t('oa.title'),
      width: 320,
      required: true,
      render: (r) => (
        <a onClick={() => navigate(`${props.base}/${r.id}`)} data-testid={`oa-open-${r.id}`}>
          {r.title}
        </a>
      ),
      exportValue: (r) => r.title,
    },
    { key: 'number', title: t('oa.number'), width: 190, render: (r) => r.number ?? '—', exportValue: (r) => r.number ?? '' },
    { key: 'kind', title: t('oa.kind'), width: 100, render: (r) => <KindTag kind={r.kind} />, exportValue: (r) => r.kind },
    { key: 'urgency', title: t('oa.urgency'), width: 90, render: (r) => <UrgencyTag urgency={r.urgency} />, exportValue: (r) => r.urgency },
    { key: 'status', title: t('oa.status'), width: 100, render: (r) => <StatusTag status={r.status} />, exportValue: (r) => r.status },
    { key: 'sender', title: t('oa.sender'), width: 180, render: (r) => r.sender.name, exportValue: (r) => r.sender.name },
    { key: 'signed', title: t('oa.signed'), width: 120, render: (r) => (r.status === 'draft' ? '—' : `${r.signedCount}/${r.recipientCount}`), exportValue: (r) => r.signedCount },
    { key: 'sentAt', title: t('oa.sentAt'), width: 160, render: (r) => formatDateTime(r.sentAt), exportValue: (r) => r.sentAt ?? '' },
    { key: 'deadline', title: t('oa.deadline'), width: 160, render: (r) => formatDateTime(r.signDeadline), exportValue: (r) => r.signDeadline ?? '', defaultHidden: true },
  ];
  return (
    <ListPage<ListedDocument>
      id={props.id}
      list={list}
      fetchPage={fetchPage}
      columns={columns}
      rowKey="id"
      scrollX={1400}
      phoneLead={{ key: 'title', width: 200, primary: (r) => r.title, secondary: (r) => `${r.number ?? ''} ${r.sender.name}`, folds: ['number', 'sender'] }}
      filters={
        <Space wrap>
          <ListSearch value={input} onChange={setInput} onSearch={setQ} placeholder={t('oa.search')} width={phone ? 200 : 260} testId={`${props.id}-search`} />
          {props.filters}
        </Space>
      }
    />
  );
}
