// Manifest of the notices module (定向通知): permissions, tables, the service (services.notices), routes, the dispatch
// job (an outbox topic) and the demo's templates and notice.
import type { AuditService } from '../audit/index.ts';
import type { InboxService } from '../inbox/index.ts';
import type { SmsService } from '../sms/index.ts';
import { defineModule, serviceOf } from '../../platform/module.ts';
import * as tables from './migrations/20261127T1640_notices_tables.ts';
import * as lean from './migrations/20261128T0981_notices_recipient_lean.ts';
import * as cursor from './migrations/20261129T0961_notices_dispatch_cursor.ts';
import * as noFk from './migrations/20261130T0121_notices_recipient_no_fk.ts';
import * as bodyOptional from './migrations/20261201T0120_notices_recipient_body_optional.ts';
import * as referenceIndexes from './migrations/20261202T0310_notices_reference_indexes.ts';
import { noticeRoutes } from './routes.ts';
import { DISPATCH_TOPIC, NoticeService, type OutboxPort } from './service.ts';
import { seedNoticesDemo } from './demo.ts';
import './tables.ts';
import './permissions.ts';

export const noticesModule = defineModule({
  name: 'notices',
  permissions: [
    { name: 'notices.read', roles: ['platform_admin', 'department_admin', 'department_staff', 'community_worker', 'leader', 'supervisor'] },
    { name: 'notices.send', roles: ['platform_admin', 'department_admin', 'community_worker'] },
  ],
  migrations: {
    '20261127T1640_notices_tables': tables, '20261128T0981_notices_recipient_lean': lean, '20261129T0961_notices_dispatch_cursor': cursor, '20261130T0121_notices_recipient_no_fk': noFk,
    '20261201T0120_notices_recipient_body_optional': bodyOptional,
    '20261202T0310_notices_reference_indexes': referenceIndexes,
  },
  createService: (deps) =>
    new NoticeService(
      deps.db,
      serviceOf<AuditService>(deps, 'audit'),
      deps.clock,
      serviceOf<SmsService>(deps, 'sms'),
      serviceOf<InboxService>(deps, 'inbox'),
      deps.services.outbox as OutboxPort | undefined,
    ),
  routes: (app, services) => noticeRoutes(app, services.notices as NoticeService),
  outboxHandlers: ({ service }) => ({
    [DISPATCH_TOPIC]: async (message) => void (await service.dispatch((message.payload as { id: string }).id)),
  }),
  demo: ({ db, service }) => seedNoticesDemo(db, service),
});
