// The supervision console module (电子监察, for 纪委): the cockpit, 督办 orders, 说明理由 explanations. Every page needs
// supervision.read (supervisors, leaders and auditors over their region; departments their own); what a row allows
// comes from the abilities the server returns with it.
import { lazy } from 'react';
import { AlertOutlined, FileDoneOutlined, FundProjectionScreenOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/supervision/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const OrdersPage = lazy(() => import('./OrdersPage.tsx'));

const supervision: ConsoleModule<typeof zh> = {
  name: 'supervision',
  messages: { zh, en },
  routes: [
    { path: '/supervision', permission: 'supervision.read', label: 'nav.supervision.cockpit', group: 'nav.group.supervision', icon: <FundProjectionScreenOutlined />, component: lazy(() => import('./CockpitPage.tsx')) },
    {
      path: '/supervision/orders',
      permission: 'supervision.read',
      label: 'nav.supervision.orders',
      group: 'nav.group.supervision',
      icon: <AlertOutlined />,
      component: OrdersPage,
      children: [{ path: ':id', permission: 'supervision.read', component: OrdersPage }],
    },
    { path: '/supervision/explanations', permission: 'supervision.read', label: 'nav.supervision.explanations', group: 'nav.group.supervision', icon: <FileDoneOutlined />, component: lazy(() => import('./ExplanationsPage.tsx')) },
  ],
};

export default supervision;
