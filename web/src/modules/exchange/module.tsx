// The exchange console module: 交换统计 (calls per day per consumer and resource) in the 数据共享交换 submenu.
import { lazy } from 'react';
import { LineChartOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/exchange/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const exchange: ConsoleModule<typeof zh> = {
  name: 'exchange',
  messages: { zh, en },
  routes: [
    {
      path: '/exchange/stats',
      permission: 'exchange.stats',
      label: 'nav.exchangeStats',
      group: 'nav.group.sharing',
      icon: <LineChartOutlined />,
      component: lazy(() => import('./StatsPage.tsx')),
    },
  ],
};

export default exchange;
