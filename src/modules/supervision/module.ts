// Manifest of electronic supervision (电子监察): warnings fired by set-based rules (a sweep every 10 minutes and one
// case on each change), 督办 orders, 说明理由 explanations, the cockpit's reads.
import { defineModule, serviceOf } from '../../platform/module.ts';
import { CASE_CHANGED_TOPIC, type CaseChanged } from '../approval/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { InboxService } from '../inbox/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import type { SmsService } from '../sms/index.ts';
import { seedSupervisionDemo } from './demo.ts';
import { supervisionSettings } from './config.ts';
import { RulesEngine } from './engine.ts';
import { NOTICES_TOPIC } from './rules-sql.ts';
import * as warnings from './migrations/20261128T0920_supervision_warnings.ts';
import * as orders from './migrations/20261128T0921_supervision_orders.ts';
import * as sweepState from './migrations/20261129T0960_supervision_sweep_state.ts';
import * as dropSubjectIndex from './migrations/20261201T0200_supervision_drop_subject_index.ts';
import * as noticePending from './migrations/20261202T0100_supervision_notice_pending.ts';
import * as noticePendingIndex from './migrations/20261203T0100_supervision_notice_pending_index.ts';
import * as referenceIndexes from './migrations/20261202T0314_supervision_reference_indexes.ts';
import './order-tables.ts';
import './permissions.ts';
import { supervisionRoutes } from './routes.ts';
import { SupervisionService } from './service.ts';
import './tables.ts';

export const supervisionModule = defineModule({
  name: 'supervision',
  permissions: [
    { name: 'supervision.read', roles: ['supervisor', 'leader', 'auditor'], tenantRoles: ['department_admin', 'department_staff'] },
    { name: 'supervision.order', roles: ['supervisor'] },
    { name: 'supervision.respond', roles: [], tenantRoles: ['department_admin', 'department_staff'] },
  ],
  migrations: {
    '20261128T0920_supervision_warnings': warnings,
    '20261128T0921_supervision_orders': orders,
    '20261129T0960_supervision_sweep_state': sweepState,
    '20261201T0200_supervision_drop_subject_index': dropSubjectIndex,
    '20261202T0100_supervision_notice_pending': noticePending,
    '20261202T0314_supervision_reference_indexes': referenceIndexes,
    '20261203T0100_supervision_notice_pending_index': noticePendingIndex,
  },
  createService: ({ db, clock, services }) => {
    const calendar = serviceOf<CalendarService>({ services }, 'calendar');
    const audit = serviceOf<AuditService>({ services }, 'audit');
    const inbox = services.inbox as InboxService | undefined;
    const outbox = serviceOf<OutboxService>({ services }, 'outbox');
    const engine = new RulesEngine({ db, clock, calendar, audit, inbox, sms: services.sms as SmsService | undefined, outbox, settings: supervisionSettings() });
    return new SupervisionService({ db, clock, calendar, audit, inbox, engine });
  },
  routes: (app, services) => supervisionRoutes(app, services.supervision as SupervisionService),
  outboxHandlers: ({ service, db }) => ({
    [CASE_CHANGED_TOPIC]: async (message) => {
      const { caseId } = message.payload as CaseChanged;
      await db.transaction().execute((trx) => service.engine.evaluateCase(trx, caseId));
    },
    // the notices of warnings a one-case evaluation fired (D149); idempotent, as the outbox delivers at least once
    [NOTICES_TOPIC]: async (message) => {
      const { ids } = message.payload as { ids: string[] };
      await service.engine.deliverNotices(ids);
    },
  }),
  // every 10 minutes; the unique (subject, rule) row makes each warning once whichever node runs the slot. The notices
  // whose outbox event gave up are sent by a job of their own, so that one that cannot be sent never fails the sweep (D160).
  schedules: ({ service }) => [
    { name: 'supervision.sweep', cron: '*/10 * * * *', run: async () => void (await service.engine.sweep()) },
    { name: 'supervision.notices.resend', cron: '5-55/10 * * * *', run: async () => void (await service.engine.resendStaleNotices()) },
  ],
  demo: async ({ service, db }, options) => seedSupervisionDemo(db, service, options),
  todo: ({ service }) => ({ list: (ctx, { limit }) => service.todoList(ctx, limit), count: (ctx) => service.todoCount(ctx) }),
});
