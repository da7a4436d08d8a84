// The jobs console module: background jobs (the queue and the outbox) for those who manage them.
import { lazy } from 'react';
import { ScheduleOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/jobs/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const jobs: ConsoleModule<typeof zh> = {
  name: 'jobs',
  messages: { zh, en },
  routes: [{ path: '/jobs', permission: 'jobs.manage', label: 'nav.jobs', icon: <ScheduleOutlined />, component: lazy(() => import('./JobsPage.tsx')) }],
};

export default jobs;
