// The notices console module (定向通知, in 数字社区): history, composer with live preview, templates; a notice's detail.
import { lazy } from 'react';
import { NotificationOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/notices/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const notices: ConsoleModule<typeof zh> = {
  name: 'notices',
  messages: { zh, en },
  routes: [
    {
      path: '/notices',
      permission: 'notices.read',
      label: 'nav.notices',
      icon: <NotificationOutlined />,
      group: 'nav.group.community',
      component: lazy(() => import('./NoticesPage.tsx')),
      children: [{ path: ':id', permission: 'notices.read', component: lazy(() => import('./NoticeDetailPage.tsx')) }],
    },
  ],
};

export default notices;
