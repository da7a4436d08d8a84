// Manifest of administrative approval (事项目录, 办件, 法定时限): items, cases, the legal clock, materials, to-do.
import { defineModule, serviceOf } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { FileService } from '../files/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import { seedApprovalDemo } from './demo.ts';
import { CASE_FILE_OWNER } from './materials.ts';
import * as cases from './migrations/20261128T0900_approval_cases.ts';
import * as build from './migrations/20261128T0901_approval_build.ts';
import * as referenceIndexes from './migrations/20261202T0313_approval_reference_indexes.ts';
import { approvalRoutes } from './routes.ts';
import { ApprovalService } from './service.ts';
import './tables.ts';
import './build-tables.ts';
import './permissions.ts';

export const approvalModule = defineModule({
  name: 'approval',
  permissions: [
    { name: 'approval.read', roles: ['platform_admin', 'department_admin', 'department_staff', 'leader', 'supervisor', 'auditor'] },
    { name: 'approval.items.manage', roles: ['platform_admin'], tenantRoles: ['department_admin'] },
    { name: 'approval.handle', roles: [], tenantRoles: ['department_staff', 'department_admin'] },
    { name: 'approval.extend', roles: [], tenantRoles: ['department_admin'] },
  ],
  migrations: { '20261128T0900_approval_cases': cases, '20261128T0901_approval_build': build, '20261202T0313_approval_reference_indexes': referenceIndexes },
  createService: ({ db, clock, services }) => {
    const files = serviceOf<FileService>({ services }, 'files');
    const approval = new ApprovalService({
      db,
      clock,
      files,
      audit: serviceOf<AuditService>({ services }, 'audit'),
      outbox: serviceOf<OutboxService>({ services }, 'outbox'),
      calendar: serviceOf<CalendarService>({ services }, 'calendar'),
    });
    files.registerOwner(CASE_FILE_OWNER, approval.materials.fileOwner());
    return approval;
  },
  routes: (app, services) => approvalRoutes(app, services.approval as ApprovalService),
  // a holiday year loaded (here or on another node) turns provisional due dates into final ones
  schedules: ({ service }) => [{ name: 'approval.recompute_provisional', cron: '*/15 * * * *', run: async () => void (await service.recomputeProvisional()) }],
  todo: ({ service }) => ({ list: (ctx, { limit }) => service.reads.todo(ctx, limit), count: (ctx) => service.reads.todoCount(ctx) }),
  demo: async ({ db, service, services }, options) => seedApprovalDemo(db, service, serviceOf<CalendarService>({ services }, 'calendar'), options),
});
