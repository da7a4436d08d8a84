// The residents console module: 人员综合视图 (a person's facts across the granted person-keyed resources).
import { lazy } from 'react';
import { IdcardOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/residents/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const residents: ConsoleModule<typeof zh> = {
  name: 'residents',
  messages: { zh, en },
  routes: [{ path: '/residents', permission: 'residents.read', label: 'nav.residents', group: 'nav.group.sharing', icon: <IdcardOutlined />, component: lazy(() => import('./ResidentsPage.tsx')) }],
};

export default residents;
