// /inbox — 站内信: the caller's messages, newest first; opening one marks it read and follows its link.
import { useState } from 'react';
import { App as AntApp, Badge, Button, Card, Empty, List, Segmented, Space, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { CursorPager, useCursorList } from '../../components/cursor.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { navigate } from '../../router.tsx';
import { inboxApi, refreshBadges, type InboxMessage } from './api.ts';

export default function InboxPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const list = useCursorList<InboxMessage>(`inbox|${unreadOnly}`, (cursor, signal, limit) => inboxApi.list(unreadOnly, cursor, limit, signal));

  const open = async (m: InboxMessage) => {
    setError(null);
    try {
      if (!m.readAt) {
        await inboxApi.markRead(m.id);
        refreshBadges();
      }
      if (m.link) navigate(m.link);
      else list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const readAll = async () => {
    setError(null);
    try {
      const { marked } = await inboxApi.markAllRead();
      void message.success(t('inbox.markedAll', { n: marked }));
      refreshBadges();
      list.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <PageHeader
        title={t('inbox.title')}
        extra={
          <Space wrap>
            <Segmented<'all' | 'unread'>
              value={unreadOnly ? 'unread' : 'all'}
              onChange={(v) => setUnreadOnly(v === 'unread')}
              options={[
                { label: t('inbox.all'), value: 'all' },
                { label: t('inbox.unread'), value: 'unread' },
              ]}
            />
            <Button icon={<CheckOutlined />} onClick={() => void readAll()} data-testid="inbox-read-all">
              {t('inbox.readAll')}
            </Button>
          </Space>
        }
      />
      <ErrorAlert error={error ?? list.error} onRetry={list.reload} />
      <Card size="small">
        <List
          loading={list.loading}
          dataSource={list.items}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.empty')} /> }}
          renderItem={(m) => (
            <List.Item
              key={m.id}
              data-testid="inbox-item"
              actions={
                m.link || !m.readAt
                  ? [
                      <Button key="open" type="link" size="small" onClick={() => void open(m)}>
                        {m.link ? t('inbox.open') : t('inbox.markRead')}
                      </Button>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <Space size={6} wrap>
                    {m.readAt ? null : <Badge status="processing" text={t('inbox.new')} />}
                    <Typography.Text strong={!m.readAt}>{m.title}</Typography.Text>
                  </Space>
                }
                description={
                  <>
                    {m.body ? <div className="inbox-body">{m.body}</div> : null}
                    <Typography.Text type="secondary">{formatDateTime(m.createdAt)}</Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
        <CursorPager list={list} />
      </Card>
    </>
  );
}
