// The audit module's manifest: the hash-chained audit trail every other module records into.
import { corePermission, defineModule } from '../../platform/module.ts';
import type { Services } from '../../services.ts';
import { auditRoutes } from './routes.ts';
import { AuditService } from './service.ts';
import { CheckpointStore } from './checkpoints.ts';
import * as auditAccessLog from './migrations/20261127T0930_audit_access_log.ts';
import './tables.ts';

export const auditModule = defineModule({
  name: 'audit',
  permissions: [corePermission('audit.read'), corePermission('audit.read_platform'), corePermission('audit.verify')],
  migrations: { '20261127T0930_audit_access_log': auditAccessLog },
  createService: ({ db, config, clock }): AuditService => new AuditService(db, { clock, checkpoints: new CheckpointStore(config.auditCheckpoints) }),
  routes: (app, services) => auditRoutes(app, services as Services),
  // the chain head signed into the checkpoint file when it has grown (also at start and at shutdown: server.ts)
  schedules: ({ config, service }) => {
    const minutes = Math.ceil(config.auditCheckpoints.intervalSeconds / 60);
    if (minutes === 0) return [];
    return [{ name: 'audit.checkpoint', cron: minutes === 1 ? '* * * * *' : `*/${Math.min(minutes, 59)} * * * *`, run: async () => void (await service.checkpoint(true)) }];
  },
});
