// /todo — 我的待办: what waits on the caller in every module, soonest deadline first, each with a link to act.
import { Tag } from 'antd';
import dayjs from 'dayjs';
import { useCursorList, type PageFetcher } from '../../components/cursor.tsx';
import { ListPage, type ListColumn } from '../../components/list/ListPage.tsx';
import { useI18n } from '../../context.tsx';
import { formatDateTime } from '../../format.ts';
import { PageHeader } from '../../Layout.tsx';
import { Link } from '../../router.tsx';
import { todoApi, type TodoItem } from './api.ts';

/** A date deadline (working-day calendar) is due at the end of that day; an instant at that instant. */
function isOverdue(deadline: string): boolean {
  return deadline.length === 10 ? dayjs().format('YYYY-MM-DD') > deadline : dayjs(deadline).isBefore(dayjs());
}

const showDeadline = (deadline: string) => (deadline.length === 10 ? deadline : formatDateTime(deadline));

export default function TodoPage() {
  const { t, tx } = useI18n();
  const fetchPage: PageFetcher<TodoItem> = (cursor, signal, limit) => todoApi.list(cursor, limit, signal);
  const list = useCursorList<TodoItem>('todo', fetchPage, { choosePageSize: true });
  const kind = (item: TodoItem) => tx(`todo.kind.${item.kind}`, item.kind);

  const columns: ListColumn<TodoItem>[] = [
    { key: 'kind', title: t('todo.kind'), width: 140, sort: kind, render: (item) => <Tag color="blue">{kind(item)}</Tag>, exportValue: kind },
    { key: 'title', title: t('todo.item'), dataIndex: 'title', required: true, ellipsis: true, sort: (item) => item.title },
    {
      key: 'deadline',
      title: t('todo.deadline'),
      dataIndex: 'deadline',
      width: 190,
      sort: (item) => item.deadline,
      render: (item) =>
        item.deadline ? (
          <>
            {showDeadline(item.deadline)} {isOverdue(item.deadline) ? <Tag color="red">{t('todo.overdue')}</Tag> : null}
          </>
        ) : (
          t('todo.noDeadline')
        ),
      exportValue: (item) => (item.deadline ? showDeadline(item.deadline) : null),
    },
    {
      key: 'open',
      title: t('common.actions'),
      width: 90,
      fixed: 'right',
      required: true,
      exportValue: false,
      render: (item) => <Link to={item.link}>{t('todo.open')}</Link>,
    },
  ];

  return (
    <div className="page">
      <PageHeader title={t('todo.title')} />
      <ListPage<TodoItem>
        id="todo"
        list={list}
        fetchPage={fetchPage}
        columns={columns}
        rowKey="key"
        rowTestId="todo-item"
        scrollX={700}
        emptyText={t('todo.empty')}
        phoneLead={{ key: 'title', width: 200, primary: (item) => item.title, secondary: kind, folds: ['kind'] }}
      />
    </div>
  );
}
