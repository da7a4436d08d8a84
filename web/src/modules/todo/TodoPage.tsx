// /todo — 我的待办: what waits on the caller in every module, soonest deadline first, each with a link to act.
import { Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { CursorPager, useCursorList } from '../../components/cursor.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { Link } from '../../router.tsx';
import { todoApi, type TodoItem } from './api.ts';

/** A date deadline (working-day calendar) is due at the end of that day; an instant at that instant. */
function isOverdue(deadline: string): boolean {
  return deadline.length === 10 ? dayjs().format('YYYY-MM-DD') > deadline : dayjs(deadline).isBefore(dayjs());
}

export default function TodoPage() {
  const { t, tx } = useI18n();
  const list = useCursorList<TodoItem>('todo', (cursor, signal, limit) => todoApi.list(cursor, limit, signal));
  return (
    <>
      <PageHeader title={t('todo.title')} extra={list.total === undefined ? null : <Typography.Text type="secondary">{t('todo.total', { n: list.total })}</Typography.Text>} />
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Card size="small">
        <List
          loading={list.loading}
          dataSource={list.items}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('todo.empty')} /> }}
          renderItem={(item) => (
            <List.Item
              key={`${item.module}:${item.kind}:${item.id}`}
              data-testid="todo-item"
              actions={[
                <Link key="open" to={item.link}>
                  <Button type="link" size="small">
                    {t('todo.open')}
                  </Button>
                </Link>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Space size={6} wrap>
                    <Tag color="blue">{tx(`todo.kind.${item.kind}`, item.kind)}</Tag>
                    <span>{item.title}</span>
                  </Space>
                }
                description={
                  <Space size={6} wrap>
                    <span>
                      {t('todo.deadline')}: {item.deadline ? (item.deadline.length === 10 ? item.deadline : formatDateTime(item.deadline)) : t('todo.noDeadline')}
                    </span>
                    {item.deadline && isOverdue(item.deadline) ? <Tag color="red">{t('todo.overdue')}</Tag> : null}
                  </Space>
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
