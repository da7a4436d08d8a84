// The 我的待办 console module: what waits on the signed-in user, open to everyone signed in.
import { lazy } from 'react';
import { CarryOutOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const todo: ConsoleModule<typeof zh> = {
  name: 'todo',
  messages: { zh, en },
  routes: [{ path: '/todo', permission: 'signed-in', label: 'nav.todo', icon: <CarryOutOutlined />, component: lazy(() => import('./TodoPage.tsx')) }],
};

export default todo;
