// Manifest of the sharing module: requests on the legal clock, data grants, client applications.
import { defineModule, serviceOf } from '../../platform/module.ts';
import type { AccessService } from '../access/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { InboxService } from '../inbox/index.ts';
import type { SmsService } from '../sms/index.ts';
import { ClientAppService } from './client-apps.ts';
import { seedSharingDemo } from './demo.ts';
import * as clientsGrants from './migrations/20261127T1420_sharing_clients_grants.ts';
import * as requestNumbers from './migrations/20261127T1421_sharing_request_numbers.ts';
import * as referenceIndexes from './migrations/20261202T0307_sharing_reference_indexes.ts';
import './permissions.ts';
import { sharingRoutes } from './routes.ts';
import { SharingService } from './service.ts';
import './tables.ts';

export interface Sharing {
  requests: SharingService;
  clients: ClientAppService;
}

export const sharingModule = defineModule({
  name: 'sharing',
  permissions: [
    { name: 'sharing.request', roles: [], tenantRoles: ['department_admin', 'department_staff'] },
    { name: 'sharing.decide', roles: [], tenantRoles: ['department_admin'] },
    { name: 'sharing.authority', roles: [] },
    { name: 'clients.manage', roles: [], tenantRoles: ['department_admin'] },
  ],
  migrations: {
    '20261127T1420_sharing_clients_grants': clientsGrants,
    '20261127T1421_sharing_request_numbers': requestNumbers,
    '20261202T0307_sharing_reference_indexes': referenceIndexes,
  },
  createService: ({ db, clock, services }): Sharing => {
    const audit = serviceOf<AuditService>({ services }, 'audit');
    return {
      requests: new SharingService({
        db,
        clock,
        audit,
        access: serviceOf<AccessService>({ services }, 'access'),
        calendar: serviceOf<CalendarService>({ services }, 'calendar'),
        inbox: serviceOf<InboxService>({ services }, 'inbox'),
        sms: services.sms as SmsService | undefined,
      }),
      clients: new ClientAppService(db, audit, clock),
    };
  },
  routes: (app, services) => {
    const sharing = services.sharing as Sharing;
    sharingRoutes(app, sharing.requests, sharing.clients);
  },
  // hourly: a restart or a second node runs the same slot at most once (the scheduler), each request once (conditional UPDATEs)
  schedules: ({ service }) => [{ name: 'sharing.deadlines', cron: '7 * * * *', run: async () => void (await service.requests.runDeadlines()) }],
  todo: ({ service }) => ({ list: (ctx, { limit }) => service.requests.todoList(ctx, limit), count: (ctx) => service.requests.todoCount(ctx) }),
  demo: async ({ service, db, clock }, options) => seedSharingDemo(db, clock, service, options),
});
