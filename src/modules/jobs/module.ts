// Manifests of the job queue (jobs, schedules) and of the transactional outbox that shares it.
import { sql } from 'kysely';
import { defineModule, type Schedule } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import type { AuthService } from '../accounts/index.ts';
import * as queue from './migrations/20261127T0900_jobs_queue.ts';
import * as payloadUncompressed from './migrations/20261201T0230_jobs_payload_uncompressed.ts';
import { OutboxService } from './outbox.ts';
import { jobRoutes } from './routes.ts';
import { JobsService } from './service.ts';
import { collectWork, startWork } from './work.ts';
import './schema.ts';
import './permissions.ts';

/** Done jobs are kept this long for the console, then purged (their unique keys may then be used again). */
export const DONE_JOB_RETENTION_DAYS = 30;

export const jobsModule = defineModule({
  name: 'jobs',
  permissions: [{ name: 'jobs.manage', roles: [] }],
  migrations: { '20261127T0900_jobs_queue': queue, '20261201T0230_jobs_payload_uncompressed': payloadUncompressed },
  createService: ({ db, clock, services }) => new JobsService(db, services.audit as AuditService, clock),
  routes: (app, services) => jobRoutes(app, services.jobs as JobsService),
  async start(deps) {
    // the registry lists this module, so it is read when the server starts, not when this file loads
    const { modules } = await import('../registry.ts');
    return startWork(deps.service, collectWork(modules, deps));
  },
  schedules({ service, services, config, db }): Schedule[] {
    const auth = services.auth as AuthService;
    const schedules: Schedule[] = [
      { name: 'auth.purge', cron: '*/10 * * * *', run: async () => void (await Promise.all([auth.purgeSessions(), auth.purgeSignInState()])) },
      { name: 'jobs.purge', cron: '17 3 * * *', run: async () => void (await service.purgeDone(DONE_JOB_RETENTION_DAYS)) },
    ];
    // PGlite has no autovacuum, so nothing else gathers planner statistics (see server.ts)
    if (!config.databaseUrl) schedules.push({ name: 'db.analyze', cron: '0 */6 * * *', run: async () => void (await sql`ANALYZE`.execute(db)) });
    return schedules;
  },
});

export const outboxModule = defineModule({
  name: 'outbox',
  createService: ({ clock }) => new OutboxService(clock),
});
