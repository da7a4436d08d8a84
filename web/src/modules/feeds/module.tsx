// The feeds console module: 数据订阅 — change-feed subscriptions with status and lag, created, paused, resumed and
// test-delivered by the consumer department (feeds.manage).
import { lazy } from 'react';
import { SyncOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/feeds/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const feeds: ConsoleModule<typeof zh> = {
  name: 'feeds',
  messages: { zh, en },
  routes: [{ path: '/feeds', permission: 'feeds.manage', label: 'nav.feeds', icon: <SyncOutlined />, group: 'nav.group.sharing', component: lazy(() => import('./FeedsPage.tsx')) }],
};

export default feeds;
