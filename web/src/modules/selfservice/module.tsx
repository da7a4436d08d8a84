// The self-service console module (云资源自助): my requests with the request form, a request's page with its VM and
// ledger, and the approvers' queue.
import { lazy } from 'react';
import { AuditOutlined, CloudServerOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/selfservice/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const selfservice: ConsoleModule<typeof zh> = {
  name: 'selfservice',
  messages: { zh, en },
  routes: [
    {
      path: '/cloud/requests',
      permission: 'cloud.request',
      label: 'nav.selfservice.requests',
      group: 'nav.group.cloud',
      icon: <CloudServerOutlined />,
      component: lazy(() => import('./RequestsPage.tsx')),
      children: [
        { path: 'new', permission: 'cloud.request', component: lazy(() => import('./NewRequestPage.tsx')) },
        { path: ':id', permission: 'cloud.request', component: lazy(() => import('./RequestPage.tsx')) },
      ],
    },
    {
      path: '/cloud/approvals',
      permission: 'cloud.approve_department',
      label: 'nav.selfservice.approvals',
      group: 'nav.group.cloud',
      icon: <AuditOutlined />,
      component: lazy(() => import('./ApprovalsPage.tsx')),
    },
  ],
};

export default selfservice;
