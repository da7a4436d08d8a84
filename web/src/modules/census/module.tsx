// The community statistics console module: 统计分析 (breakdowns, drill-down, cross-tabs, map, export).
import { lazy } from 'react';
import { BarChartOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/census/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const census: ConsoleModule<typeof zh> = {
  name: 'census',
  messages: { zh, en },
  routes: [{ path: '/census', permission: 'census.read', label: 'nav.census', group: 'nav.group.community', icon: <BarChartOutlined />, component: lazy(() => import('./CensusPage.tsx')) }],
};

export default census;
