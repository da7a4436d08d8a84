// Manifest of the public channels (citizen portal, progress lookup, disclosure, LED big screen, SMS to applicants):
// tables, the service (services.publicity), the public routes and the outbox handler of case changes.
import { defineModule, serviceOf } from '../../platform/module.ts';
import { CASE_CHANGED_TOPIC, type CaseChanged } from '../approval/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { SmsService } from '../sms/index.ts';
import { publicitySettings } from './config.ts';
import * as tables from './migrations/20261128T0960_publicity_tables.ts';
import { publicityRoutes } from './routes.ts';
import { PublicityService } from './service.ts';
import './tables.ts';

export const publicityModule = defineModule({
  name: 'publicity',
  migrations: { '20261128T0960_publicity_tables': tables },
  createService: (deps) =>
    new PublicityService(deps.db, deps.clock, serviceOf<CalendarService>(deps, 'calendar'), serviceOf<SmsService>(deps, 'sms'), publicitySettings(), deps.config.prefecture),
  routes: (app, services) => publicityRoutes(app, services.publicity as PublicityService),
  outboxHandlers: ({ service }) => ({
    [CASE_CHANGED_TOPIC]: async (message) => service.onCaseChanged(message.payload as CaseChanged),
  }),
});
