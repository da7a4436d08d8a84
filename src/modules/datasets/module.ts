// Manifest of the datasets module: validated atomic loads (files or pushed rows) and the rows they write.
import { defineModule } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import { seedDatasetsDemo } from './demo.ts';
import * as loadsRows from './migrations/20261127T1410_datasets_loads_rows.ts';
import * as staging from './migrations/20261127T1411_datasets_staging.ts';
import * as rowIndexes from './migrations/20261127T1412_datasets_row_indexes.ts';
import * as referenceIndexes from './migrations/20261202T0306_datasets_reference_indexes.ts';
import { datasetRoutes } from './routes.ts';
import { DatasetsService } from './service.ts';
import './tables.ts';
import './permissions.ts';

export const datasetsModule = defineModule({
  name: 'datasets',
  permissions: [{ name: 'datasets.load', roles: ['department_admin', 'department_staff'] }],
  migrations: { '20261127T1410_datasets_loads_rows': loadsRows, '20261127T1411_datasets_staging': staging, '20261127T1412_datasets_row_indexes': rowIndexes, '20261202T0306_datasets_reference_indexes': referenceIndexes },
  createService: ({ db, clock, services }) => new DatasetsService(db, services.audit as AuditService, services.outbox as OutboxService, clock),
  routes: (app, services) => datasetRoutes(app, services.datasets as DatasetsService),
  // loads a dead process left unfinished are failed at start and every few minutes (their rows never reached data_row)
  start: async ({ service }) => {
    await service.failStaleLoads().catch(() => undefined);
    return { stop: async () => undefined };
  },
  schedules: ({ service }) => [{ name: 'datasets.fail-stale-loads', cron: '*/5 * * * *', run: async () => void (await service.failStaleLoads()) }],
  demo: (deps, options) => seedDatasetsDemo(deps.db, deps.service, options),
});
