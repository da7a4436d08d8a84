// The header's badges: 我的待办 and unread 站内信 counts, refreshed every 30 s, on focus and when a page changes them.
import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Tooltip } from 'antd';
import { BellOutlined, CarryOutOutlined } from '@ant-design/icons';
import { useI18n } from '../../context.tsx';
import { navigate } from '../../router.tsx';
import { todoApi } from '../todo/api.ts';
import { BADGES_EVENT, inboxApi } from './api.ts';
import './badges.css';

const REFRESH_MS = 30_000;

export function HeaderBadges() {
  const { t } = useI18n();
  const [counts, setCounts] = useState<{ todo: number; unread: number }>({ todo: 0, unread: 0 });
  const load = useCallback(() => {
    Promise.all([todoApi.count(), inboxApi.unreadCount()])
      .then(([todo, inbox]) => setCounts({ todo: todo.count, unread: inbox.unread }))
      .catch(() => undefined); // a badge never interrupts the page; the next refresh tries again
  }, []);
  useEffect(() => {
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    window.addEventListener('focus', load);
    window.addEventListener(BADGES_EVENT, load);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', load);
      window.removeEventListener(BADGES_EVENT, load);
    };
  }, [load]);
  return (
    <>
      <Tooltip title={t('todo.title')}>
        <Badge count={counts.todo} size="small" overflowCount={99}>
          <Button type="text" className="app-header-icon" icon={<CarryOutOutlined />} aria-label={`${t('todo.badge')} ${counts.todo}`} data-testid="todo-badge" onClick={() => navigate('/todo')} />
        </Badge>
      </Tooltip>
      <Tooltip title={t('inbox.title')}>
        <Badge count={counts.unread} size="small" overflowCount={99}>
          <Button type="text" className="app-header-icon" icon={<BellOutlined />} aria-label={`${t('inbox.badge')} ${counts.unread}`} data-testid="inbox-badge" onClick={() => navigate('/inbox')} />
        </Badge>
      </Tooltip>
    </>
  );
}
