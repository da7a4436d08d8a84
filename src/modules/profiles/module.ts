// Manifest of the profiles module: the integrated resident view (居民画像), fact flags derived through sharing grants,
// 重点人群 labels (issue 8 §2).
import { defineModule, serviceOf } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import type { ResidentService } from '../residents/index.ts';
import * as consumer from './migrations/20261127T1620_profiles_consumer.ts';
import { profilesDemo } from './demo.ts';
import { profileRoutes } from './routes.ts';
import { ProfileService, type CommittedEvent } from './service.ts';
import './tables.ts';
import './permissions.ts';

export const profilesModule = defineModule({
  name: 'profiles',
  permissions: [{ name: 'profiles.manage', roles: ['platform_admin'] }],
  migrations: { '20261127T1620_profiles_consumer': consumer },
  createService: (deps) => new ProfileService(deps.db, serviceOf<AuditService>(deps, 'audit'), serviceOf<ResidentService>(deps, 'residents'), deps.clock),
  routes: (app, services) => profileRoutes(app, services.profiles as ProfileService),
  outboxHandlers: ({ service }) => ({
    'datasets.committed': async (message) => void (await service.onCommitted(message.payload as CommittedEvent)),
  }),
  schedules: ({ service }) => [
    { name: 'profiles.sweep_facts', cron: '* * * * *', run: async () => void (await service.sweep()) },
    { name: 'profiles.refresh_facts', cron: '17 3 * * *', run: async () => void (await service.refreshAll()) },
  ],
  demo: (deps, options) => profilesDemo(deps, options),
});
