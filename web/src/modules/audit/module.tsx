// The audit console module: its routes and strings.
import { lazy } from 'react';
import { AuditOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const audit: ConsoleModule<typeof zh> = {
  name: 'audit',
  messages: { zh, en },
  routes: [{ path: '/audit', permission: 'audit.read', label: 'nav.audit', icon: <AuditOutlined />, component: lazy(() => import('./AuditPage.tsx')) }],
};

export default audit;
