// The dashboard console module: its routes and strings.
import { lazy } from 'react';
import { DashboardOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const dashboard: ConsoleModule<typeof zh> = {
  name: 'dashboard',
  messages: { zh, en },
  routes: [{ path: '/', permission: 'dashboard.read', label: 'nav.dashboard', icon: <DashboardOutlined />, component: lazy(() => import('./DashboardPage.tsx')) }],
};

export default dashboard;
