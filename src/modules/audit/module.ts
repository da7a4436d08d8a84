// The audit module's manifest: the hash-chained audit trail every other module records into.
import { corePermission, defineModule } from '../../platform/module.ts';
import type { Services } from '../../services.ts';
import { auditRoutes } from './routes.ts';
import { AuditService } from './service.ts';
import './tables.ts';

export const auditModule = defineModule({
  name: 'audit',
  permissions: [corePermission('audit.read')],
  createService: ({ db }): AuditService => new AuditService(db),
  routes: (app, services) => auditRoutes(app, services as Services),
});
