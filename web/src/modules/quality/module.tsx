// The quality console module: 质量评估与排名 (ranking, overdue resources, resource figures); ResourceQuality for detail pages.
import { lazy } from 'react';
import { TrophyOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/quality/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const quality: ConsoleModule<typeof zh> = {
  name: 'quality',
  messages: { zh, en },
  routes: [{ path: '/quality', permission: 'quality.read', label: 'nav.quality', group: 'nav.group.sharing', icon: <TrophyOutlined />, component: lazy(() => import('./QualityPage.tsx')) }],
};

export default quality;
