// Manifest of the government-wide OA (万人政务大OA): documents, receipts (签收), reminders, archive.
import { defineModule, serviceOf } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import type { FileService } from '../files/index.ts';
import type { SmsService } from '../sms/index.ts';
import { seedOaDemo } from './demo.ts';
import * as documents from './migrations/20261127T1660_oa_documents.ts';
import * as referenceIndexes from './migrations/20261202T0312_oa_reference_indexes.ts';
import './permissions.ts';
import { oaRoutes } from './routes.ts';
import { OaService } from './service.ts';
import './tables.ts';

const STAFF = ['platform_admin', 'department_admin', 'department_staff', 'community_worker', 'leader', 'supervisor', 'auditor'] as const;

export const oaModule = defineModule({
  name: 'oa',
  permissions: [
    { name: 'oa.send', roles: ['department_admin', 'department_staff'] },
    { name: 'oa.read', roles: STAFF },
    { name: 'oa.archive', roles: ['leader', 'supervisor'] },
  ],
  migrations: { '20261127T1660_oa_documents': documents, '20261202T0312_oa_reference_indexes': referenceIndexes },
  createService: ({ db, clock, services }) => {
    const files = serviceOf<FileService>({ services }, 'files');
    const oa = new OaService({ db, clock, audit: serviceOf<AuditService>({ services }, 'audit'), files, sms: services.sms as SmsService | undefined });
    files.registerOwner('oa.document', oa.fileOwner());
    return oa;
  },
  routes: (app, services) => oaRoutes(app, services.oa as OaService),
  // every 10 minutes: the scheduler runs a slot on one node; the (receipt, rung) key makes each reminder once anyway
  schedules: ({ service }) => [{ name: 'oa.reminders', cron: '*/10 * * * *', run: async () => void (await service.runReminders()) }],
  todo: ({ service }) => ({ list: (ctx, { limit }) => service.todoList(ctx, limit), count: (ctx) => service.todoCount(ctx) }),
  demo: async ({ service, db }, options) => seedOaDemo(db, service, options),
});
