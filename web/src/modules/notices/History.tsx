// The notices of the caller's jurisdiction, newest first, with their counts per status; a row opens its detail.
import { Space, Tag } from 'antd';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { formatDateTime } from '../../format.ts';
import { usePhoneLayout } from '../../Layout.tsx';
import { Link } from '../../router.tsx';
import { noticesApi, type Counts, type NoticeStatus, type NoticeSummary } from './api.ts';
import { useNoticesT } from './useNoticesT.ts';

export const STATUS_COLORS: Record<NoticeStatus, string> = { draft: 'default', sending: 'processing', sent: 'success' };
const COUNT_COLORS: Partial<Record<keyof Counts, string>> = { delivered: 'success', failed: 'error', optedOut: 'warning', pending: 'processing' };

export function CountTags({ counts }: { counts: Counts }) {
  const t = useNoticesT();
  const shown = (['recipients', 'pending', 'queued', 'sent', 'delivered', 'failed', 'optedOut', 'noPhone', 'inApp'] as const).filter((k) => k === 'recipients' || counts[k] > 0);
  return (
    <Space size={4} wrap>
      {shown.map((k) => (
        <Tag key={k} color={COUNT_COLORS[k]} data-testid={`notice-count-${k}`}>
          {t(`count.${k}`)} {counts[k]}
        </Tag>
      ))}
    </Space>
  );
}

export function History() {
  const t = useNoticesT();
  const phone = usePhoneLayout();
  const fetchPage: PageFetcher<NoticeSummary> = (cursor, signal, limit) => noticesApi.list({ cursor: cursor ?? undefined, limit }, signal);
  const list = useCursorList<NoticeSummary>('notices', fetchPage, { choosePageSize: true });
  const status = (n: NoticeSummary) => <Tag color={STATUS_COLORS[n.status]}>{t(`status.${n.status}`)}</Tag>;
  const columns: ListColumn<NoticeSummary>[] = [
    { key: 'title', title: t('col.title'), dataIndex: 'title', required: true, sort: (n) => n.title, render: (n) => <Link to={`/notices/${n.id}`}>{n.title}</Link> },
    { key: 'status', title: t('col.status'), dataIndex: 'status', width: 100, render: status, exportValue: (n) => t(`status.${n.status}`) },
    { key: 'counts', title: t('count.recipients'), render: (n) => <CountTags counts={n.counts} />, exportValue: (n) => n.recipientCount },
    { key: 'region', title: t('col.region'), dataIndex: 'regionCode', width: 130, className: 'mono' },
    { key: 'channels', title: t('col.channels'), width: 130, render: (n) => n.channels.map((c) => t(`channel.${c}`)).join(' / '), exportValue: (n) => n.channels.join('/') },
    { key: 'sentAt', title: t('col.sentAt'), width: 170, sort: (n) => n.sentAt ?? '', render: (n) => (n.sentAt ? formatDateTime(n.sentAt) : '—') },
  ];
  return (
    <ListPage<NoticeSummary>
      id="notices-history"
      list={list}
      fetchPage={fetchPage}
      columns={columns}
      rowKey="id"
      scrollX={phone ? 640 : 1000}
      phoneLead={{ key: 'title', width: 200, primary: (n) => <Link to={`/notices/${n.id}`}>{n.title}</Link>, secondary: status, folds: ['status'] }}
    />
  );
}
