// Manifest of the working-day calendar (法定节假日与调休): services.calendar.
import type { AuditService } from '../audit/index.ts';
import type { InboxService } from '../inbox/index.ts';
import { defineModule } from '../../platform/module.ts';
import { ROLES } from '../../shared/access.ts';
import * as calendarTables from './migrations/20261127T0910_calendar_tables.ts';
import * as shippedYears from './migrations/20261127T0911_calendar_shipped_years.ts';
import * as referenceIndexes from './migrations/20261202T0301_calendar_reference_indexes.ts';
import { calendarRoutes } from './routes.ts';
import { CalendarService } from './service.ts';
import './tables.ts';
import './permissions.ts';

/** How often each node asks whether another loaded a year. */
const POLL_MS = 2000;

export const calendarModule = defineModule({
  name: 'calendar',
  permissions: [
    { name: 'calendar.read', roles: ROLES },
    { name: 'calendar.manage', roles: [] },
  ],
  migrations: { '20261127T0910_calendar_tables': calendarTables, '20261127T0911_calendar_shipped_years': shippedYears, '20261202T0301_calendar_reference_indexes': referenceIndexes },
  createService: ({ db, clock, services }) => new CalendarService(db, services.audit as AuditService, clock, undefined, services.inbox as InboxService),
  routes: (app, services) => calendarRoutes(app, services.calendar as CalendarService),
  start: async ({ service }) => {
    await service.refresh().catch(() => undefined);
    const timer = setInterval(() => void service.refresh().catch(() => undefined), POLL_MS);
    timer.unref();
    return {
      async stop() {
        clearInterval(timer);
        await service.flushAlerts().catch(() => undefined);
      },
    };
  },
});
