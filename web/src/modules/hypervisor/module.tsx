// The hypervisor console module: reconciliation of libvirt with the platform's records and a host's connection check.
import { lazy } from 'react';
import { CloudSyncOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/cloud/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const hypervisor: ConsoleModule<typeof zh> = {
  name: 'hypervisor',
  messages: { zh, en },
  routes: [
    {
      path: '/cloud/hypervisor',
      permission: 'cloud.manage',
      label: 'nav.hypervisor',
      group: 'nav.group.cloud',
      icon: <CloudSyncOutlined />,
      component: lazy(() => import('./HypervisorPage.tsx')),
    },
  ],
};

export default hypervisor;
