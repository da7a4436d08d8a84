// The extranet console module (电子政务外网): the topology diagram with link states, single-link failure, coverage.
import { lazy } from 'react';
import { ApartmentOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/extranet/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const extranet: ConsoleModule<typeof zh> = {
  name: 'extranet',
  messages: { zh, en },
  routes: [
    {
      path: '/extranet',
      permission: 'extranet.read',
      label: 'nav.extranet.topology',
      group: 'nav.group.extranet',
      icon: <ApartmentOutlined />,
      component: lazy(() => import('./TopologyPage.tsx')),
    },
  ],
};

export default extranet;
