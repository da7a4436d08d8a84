// Manifest of self-service (issue 10 §2): department VM requests, two-level approval with auto-approval, atomic quota
// reservation, lifecycle actions, approvers' to-do and the requester's notifications.
import { defineModule, serviceOf } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import type { InboxService } from '../inbox/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import type { SmsService } from '../sms/index.ts';
import * as requests from './migrations/20261129T0920_selfservice_requests.ts';
import * as referenceIndexes from './migrations/20261202T0318_selfservice_reference_indexes.ts';
import { seedSelfserviceDemo } from './demo.ts';
import { VM_ACTION_SETTLED_TOPIC, type SettledMessage } from './notify.ts';
import { selfserviceRoutes } from './routes.ts';
import { SelfserviceService } from './service.ts';
import './tables.ts';
import './permissions.ts';

export const selfserviceModule = defineModule({
  name: 'selfservice',
  permissions: [
    { name: 'cloud.request', roles: [], tenantRoles: ['department_staff', 'department_admin'] },
    { name: 'cloud.approve_department', roles: [], tenantRoles: ['department_admin'] },
    { name: 'cloud.approve_platform', roles: ['platform_admin'] },
    { name: 'cloud.operate', roles: ['platform_admin'], tenantRoles: ['department_staff', 'department_admin'] },
  ],
  migrations: { '20261129T0920_selfservice_requests': requests, '20261202T0318_selfservice_reference_indexes': referenceIndexes },
  createService: ({ db, clock, services }) =>
    new SelfserviceService({
      db,
      clock,
      audit: serviceOf<AuditService>({ services }, 'audit'),
      outbox: serviceOf<OutboxService>({ services }, 'outbox'),
      inbox: serviceOf<InboxService>({ services }, 'inbox'),
      sms: services.sms as SmsService | undefined,
    }),
  routes: (app, services) => selfserviceRoutes(app, services.selfservice as SelfserviceService),
  outboxHandlers: ({ service }) => ({ [VM_ACTION_SETTLED_TOPIC]: (message) => service.onSettled(message.payload as SettledMessage, message.key) }),
  demo: ({ db, clock, services }, options) => seedSelfserviceDemo(db, serviceOf<AuditService>({ services }, 'audit'), clock, options),
  todo: ({ service }) => ({ list: (ctx, { limit }) => service.reads.todo(ctx, limit), count: (ctx) => service.reads.todoCount(ctx) }),
});
