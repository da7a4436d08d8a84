// The profiles console module: 居民画像 at /community/residents/:id (no menu entry; the resident list links there).
import { lazy } from 'react';
import type {} from '../../../../src/modules/profiles/permissions.ts';
import type {} from '../../../../src/modules/community/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const profiles: ConsoleModule<typeof zh> = {
  name: 'profiles',
  messages: { zh, en },
  routes: [{ path: '/community/residents/:id', permission: 'community.read', component: lazy(() => import('./ProfilePage.tsx')) }],
};

export default profiles;
