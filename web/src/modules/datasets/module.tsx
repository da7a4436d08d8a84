// 数据归集: providers load files into their department's catalogue resources (issue 7 §2).
import { lazy } from 'react';
import { CloudUploadOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../routes.tsx';
import type {} from '../../../../src/modules/datasets/permissions.ts';
import { en, zh } from './messages.ts';

const datasets: ConsoleModule<typeof zh> = {
  name: 'datasets',
  messages: { zh, en },
  routes: [{ path: '/datasets', permission: 'datasets.load', label: 'nav.datasets', icon: <CloudUploadOutlined />, group: 'nav.group.sharing', component: lazy(() => import('./DatasetsPage.tsx')) }],
};

export default datasets;
