// /inbox — 站内信: the caller's messages, newest first; opening one marks it read and follows its link.
import { useState } from 'react';
import { App as AntApp, Badge, Button, Segmented, Space, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { navigate } from '../../router.tsx';
import { inboxApi, refreshBadges, type InboxMessage } from './api.ts';

export default function InboxPage() {
  const { t, problem } = useI18n();
  const { message } = AntApp.useApp();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const fetchPage: PageFetcher<InboxMessage> = (cursor, signal, limit) => inboxApi.list(unreadOnly, cursor, limit, signal);
  const list = useCursorList<InboxMessage>(`inbox|${unreadOnly}`, fetchPage, { choosePageSize: true });

  const open = async (m: InboxMessage) => {
    try {
      if (!m.readAt) {
        await inboxApi.markRead(m.id);
        refreshBadges();
      }
      if (m.link) navigate(m.link);
      else list.reload();
    } catch (err) {
      void message.error(problem(err));
    }
  };
  const readAll = async () => {
    try {
      const { marked } = await inboxApi.markAllRead();
      void message.success(t('inbox.markedAll', { n: marked }));
      refreshBadges();
      list.reload();
    } catch (err) {
      void message.error(problem(err));
    }
  };

  const title = (m: InboxMessage) => (
    <Space size={6} wrap>
      {m.readAt ? null : <Badge status="processing" text={t('inbox.new')} />}
      <Typography.Text strong={!m.readAt}>{m.title}</Typography.Text>
    </Space>
  );
  const columns: ListColumn<InboxMessage>[] = [
    { key: 'title', title: t('inbox.subject'), dataIndex: 'title', required: true, width: 260, sort: (m) => m.title, render: title },
    { key: 'body', title: t('inbox.body'), dataIndex: 'body', render: (m) => <div className="inbox-body">{m.body || '—'}</div> },
    { key: 'createdAt', title: t('inbox.receivedAt'), dataIndex: 'createdAt', width: 170, sort: (m) => m.createdAt, render: (m) => formatDateTime(m.createdAt) },
    { key: 'readAt', title: t('inbox.readAt'), dataIndex: 'readAt', width: 170, defaultHidden: true, render: (m) => (m.readAt ? formatDateTime(m.readAt) : '—') },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 100,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (m) =>
        m.link || !m.readAt ? (
          <Button type="link" size="small" onClick={() => void open(m)}>
            {m.link ? t('inbox.open') : t('inbox.markRead')}
          </Button>
        ) : null,
    },
  ];

  return (
    <div className="page">
      <PageHeader title={t('inbox.title')} />
      <ListPage<InboxMessage>
        id="inbox"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="id"
        rowTestId="inbox-item"
        scrollX={800}
        emptyText={t('inbox.empty')}
        phoneLead={{ key: 'title', width: 200, primary: title, secondary: (m) => formatDateTime(m.createdAt), folds: ['createdAt'] }}
        filters={
          <Segmented<'all' | 'unread'>
            value={unreadOnly ? 'unread' : 'all'}
            onChange={(v) => setUnreadOnly(v === 'unread')}
            options={[
              { label: t('inbox.all'), value: 'all' },
              { label: t('inbox.unread'), value: 'unread' },
            ]}
          />
        }
        toolbar={
          <Button icon={<CheckOutlined />} onClick={() => void readAll()} data-testid="inbox-read-all">
            {t('inbox.readAll')}
          </Button>
        }
      />
    </div>
  );
}
