// Manifest of grid work (网格化管理, issue 8 §6): the worker's area, due visits, visits with photos, incidents from
// report through the street's dispatch to the department's conclusion.
import { defineModule, serviceOf } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { FILE_TYPES, type FileService, type FileUse } from '../files/index.ts';
import type { InboxService } from '../inbox/index.ts';
import type { SmsService } from '../sms/index.ts';
import { seedGridworkDemo } from './demo.ts';
import * as gridwork from './migrations/20261127T1650_gridwork_tables.ts';
import * as referenceIndexes from './migrations/20261202T0311_gridwork_reference_indexes.ts';
import './permissions.ts';
import { gridworkRoutes } from './routes.ts';
import { GridworkService } from './service.ts';
import './tables.ts';

/** Photos of visits and incidents, taken with the phone's camera: JPEG, PNG or WebP, 8 MB. */
export const PHOTO_USE: FileUse = { maxBytes: 8 * 1024 * 1024, types: [FILE_TYPES.jpeg, FILE_TYPES.png, FILE_TYPES.webp] };

export const gridworkModule = defineModule({
  name: 'gridwork',
  permissions: [
    { name: 'gridwork.work', roles: ['community_worker'] },
    // the street's staff over their street (a county's or the prefecture's may step in from the page)
    { name: 'gridwork.dispatch', roles: ['department_admin', 'department_staff'] },
    // the responsible department: its own tree only (tenancy)
    { name: 'gridwork.handle', roles: [], tenantRoles: ['department_admin', 'department_staff'] },
    { name: 'gridwork.read', roles: ['leader', 'supervisor'] },
  ],
  migrations: { '20261127T1650_gridwork_tables': gridwork, '20261202T0311_gridwork_reference_indexes': referenceIndexes },
  createService: ({ db, clock, services }) => {
    const service = new GridworkService({
      db,
      clock,
      audit: serviceOf<AuditService>({ services }, 'audit'),
      calendar: serviceOf<CalendarService>({ services }, 'calendar'),
      inbox: serviceOf<InboxService>({ services }, 'inbox'),
      sms: services.sms as SmsService | undefined,
    });
    const files = serviceOf<FileService>({ services }, 'files');
    files.registerOwner('gridwork.visit', { uses: { photo: PHOTO_USE }, ...service.visitFileOwner() });
    files.registerOwner('gridwork.incident', { uses: { photo: PHOTO_USE }, ...service.incidentFileOwner() });
    return service;
  },
  routes: (app, services) => gridworkRoutes(app, services.gridwork as GridworkService),
  todo: ({ service }) => ({ list: (ctx, { limit }) => service.todoList(ctx, limit), count: (ctx) => service.todoCount(ctx) }),
  demo: async ({ service, db, clock }, options) => seedGridworkDemo(db, clock, service, options),
});
