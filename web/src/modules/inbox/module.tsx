// The 站内信 console module: the signed-in user's own messages, open to everyone signed in.
import { lazy } from 'react';
import { BellOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const inbox: ConsoleModule<typeof zh> = {
  name: 'inbox',
  messages: { zh, en },
  routes: [{ path: '/inbox', permission: 'signed-in', label: 'nav.inbox', icon: <BellOutlined />, component: lazy(() => import('./InboxPage.tsx')) }],
};

export default inbox;
