// The regions console module: its routes and strings.
import { lazy } from 'react';
import { EnvironmentOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const regions: ConsoleModule<typeof zh> = {
  name: 'regions',
  messages: { zh, en },
  routes: [{ path: '/regions', permission: 'regions.read', label: 'nav.regions', icon: <EnvironmentOutlined />, component: lazy(() => import('./RegionsPage.tsx')) }],
};

export default regions;
