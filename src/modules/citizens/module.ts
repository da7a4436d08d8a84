// The citizens module: citizen accounts (registration by SMS code, sign-in by password or code, own record).
import { defineModule } from '../../platform/module.ts';
import type { AuthService, UserService } from '../accounts/index.ts';
import type { AuditService } from '../audit/index.ts';
import * as tables from './migrations/20261127T1010_citizens_tables.ts';
import * as referenceIndexes from './migrations/20261202T0304_citizens_reference_indexes.ts';
import { smsCodeMessenger } from './messenger.ts';
import { citizenRoutes } from './routes.ts';
import { CitizenService } from './service.ts';
import './schema.ts';

export const citizensModule = defineModule({
  name: 'citizens',
  migrations: { '20261127T1010_citizens_tables': tables, '20261202T0304_citizens_reference_indexes': referenceIndexes },
  createService: ({ db, config, clock, services, sms }) =>
    new CitizenService({
      db,
      clock,
      audit: services.audit as AuditService,
      auth: services.auth as AuthService,
      users: services.users as UserService,
      messenger: smsCodeMessenger(sms),
      prefectureRegion: config.prefecture,
    }),
  schedules: ({ service }) => [
    {
      name: 'citizens.purge_codes',
      cron: '23 3 * * *',
      run: async () => {
        await service.purgeExpired();
      },
    },
  ],
  routes: (app, services, deps) => citizenRoutes(app, services.citizens as CitizenService, services.auth as AuthService, deps),
});
