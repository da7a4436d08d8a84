// The metering console module (计量计费): usage by department, the monthly chargeback with its XLSX, the tariffs.
import { lazy } from 'react';
import { AccountBookOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/metering/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const metering: ConsoleModule<typeof zh> = {
  name: 'metering',
  messages: { zh, en },
  routes: [{ path: '/metering', permission: 'metering.read', label: 'nav.metering', group: 'nav.group.cloud', icon: <AccountBookOutlined />, component: lazy(() => import('./MeteringPage.tsx')) }],
};

export default metering;
