// The users console module: its routes and strings.
import { lazy } from 'react';
import { TeamOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const users: ConsoleModule<typeof zh> = {
  name: 'users',
  messages: { zh, en },
  routes: [{ path: '/users', permission: 'users.read', label: 'nav.users', icon: <TeamOutlined />, component: lazy(() => import('./UsersPage.tsx')) }],
};

export default users;
