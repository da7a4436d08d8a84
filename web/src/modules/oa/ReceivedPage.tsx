// /oa/received — 收文: documents addressed to me, unsigned first, with a sign button on each unsigned row.
import { useState } from 'react';
import { App as AntApp, Button, Segmented } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { navigate } from '../../router.tsx';
import { oaApi, type ReceivedItem } from './api.ts';
import { KindTag, UrgencyTag } from './parts.tsx';

type Filter = 'all' | 'unsigned' | 'signed';

export default function ReceivedPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [filter, setFilter] = useState<Filter>('all');
  const [busy, setBusy] = useState<string | null>(null);
  const query = { signed: filter === 'all' ? undefined : filter === 'signed' };
  const fetchPage: PageFetcher<ReceivedItem> = (cursor, signal, limit) => oaApi.received({ ...query, cursor: cursor ?? undefined, limit }, signal);
  const list = useCursorList<ReceivedItem>(JSON.stringify(query), fetchPage, { choosePageSize: true });

  const sign = async (row: ReceivedItem) => {
    setBusy(row.id);
    try {
      const result = await oaApi.sign(row.id);
      void message.success(t(result.alreadySigned ? 'oa.alreadySigned' : 'oa.signedOk'));
      list.reload();
      window.dispatchEvent(new Event('govcloud:badges'));
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setBusy(null);
    }
  };

  const columns: ListColumn<ReceivedItem>[] = [
    {
      key: 'title',
      title: t('oa.title'),
      width: 320,
      required: true,
      render: (r) => (
        <a onClick={() => navigate(`/oa/received/${r.id}`)} data-testid={`oa-open-${r.id}`} style={{ fontWeight: r.readAt ? undefined : 600 }}>
          {r.title}
        </a>
      ),
      exportValue: (r) => r.title,
    },
    { key: 'number', title: t('oa.number'), width: 190, render: (r) => r.number ?? '—', exportValue: (r) => r.number ?? '' },
    { key: 'kind', title: t('oa.kind'), width: 100, render: (r) => <KindTag kind={r.kind} />, exportValue: (r) => r.kind },
    { key: 'urgency', title: t('oa.urgency'), width: 90, render: (r) => <UrgencyTag urgency={r.urgency} />, exportValue: (r) => r.urgency },
    { key: 'sender', title: t('oa.sender'), width: 180, render: (r) => r.sender.name, exportValue: (r) => r.sender.name },
    { key: 'sentAt', title: t('oa.sentAt'), width: 160, render: (r) => formatDateTime(r.sentAt), exportValue: (r) => r.sentAt ?? '' },
    { key: 'deadline', title: t('oa.deadline'), width: 160, render: (r) => formatDateTime(r.signDeadline), exportValue: (r) => r.signDeadline ?? '' },
    { key: 'signedAt', title: t('oa.signedAt'), width: 160, render: (r) => formatDateTime(r.signedAt), exportValue: (r) => r.signedAt ?? '' },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 100,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (r) =>
        r.signedAt ? (
          t('oa.signed')
        ) : (
          <Button type="primary" size="small" icon={<CheckOutlined />} loading={busy === r.id} onClick={() => sign(r)} data-testid={`oa-sign-${r.id}`}>
            {t('oa.sign')}
          </Button>
        ),
    },
  ];

  return (
    <div className="page">
      <PageHeader title={t('oa.received.title')} />
      <ListPage<ReceivedItem>
        id="oa-received"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        scrollX={1400}
        phoneLead={{ key: 'title', width: 200, primary: (r) => r.title, secondary: (r) => `${r.sender.name} · ${r.signedAt ? t('oa.signed') : t('oa.unsigned')}`, folds: ['number', 'sender'] }}
        filters={
          <Segmented<Filter>
            value={filter}
            onChange={setFilter}
            options={[
              { value: 'all', label: t('oa.all') },
              { value: 'unsigned', label: t('oa.unsigned') },
              { value: 'signed', label: t('oa.signed') },
            ]}
            data-testid="oa-received-filter"
          />
        }
      />
    </div>
  );
}
