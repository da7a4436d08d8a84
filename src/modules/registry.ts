// The one list of modules. Adding a module is a new folder under src/modules/ plus one line here; the composition
// root (services.ts), route mounting (http/routes.ts), the migration list (db/migrations/index.ts), the permission list
// and the Database type (each module's tables.ts) all follow from it.
import type { ModuleManifest } from '../platform/module.ts';
import { registerPermission } from '../shared/access.ts';
import { auditModule } from './audit/module.ts';
import { regionsModule } from './regions/module.ts';
import { departmentsModule } from './departments/module.ts';
import { authModule, usersModule } from './accounts/module.ts';
import { dashboardModule } from './dashboard/module.ts';
import { jobsModule, outboxModule } from './jobs/index.ts';
import { smsModule } from './sms/index.ts';
import { citizensModule } from './citizens/index.ts';
import { calendarModule } from './calendar/index.ts';
import { inboxModule } from './inbox/index.ts';
import { todoModule } from './todo/index.ts';
import { filesModule } from './files/index.ts';
import { accessModule } from './access/index.ts';
import { catalogueModule } from './catalogue/index.ts';
import { datasetsModule } from './datasets/index.ts';
import { sharingModule } from './sharing/index.ts';
import { exchangeModule } from './exchange/index.ts';
import { feedsModule } from './feeds/index.ts';
import { trackerModule } from './tracker/index.ts';
import { qualityModule } from './quality/index.ts';
import { residentsModule } from './residents/index.ts';
import { communityModule } from './community/index.ts';
import { profilesModule } from './profiles/index.ts';
import { noticesModule } from './notices/index.ts';
import { gridworkModule } from './gridwork/index.ts';
import { oaModule } from './oa/index.ts';
import { censusModule } from './census/index.ts';
import { approvalModule } from './approval/index.ts';
import { supervisionModule } from './supervision/index.ts';
import { mattersModule } from './matters/index.ts';
import { evaluationModule } from './evaluation/index.ts';
import { publicityModule } from './publicity/index.ts';
import { cloudModule } from './cloud/index.ts';
import { hypervisorModule } from './hypervisor/index.ts';
import { selfserviceModule } from './selfservice/index.ts';
import { meteringModule } from './metering/index.ts';
import { extranetModule } from './extranet/index.ts';

const registered = [
  auditModule,
  regionsModule,
  departmentsModule,
  authModule,
  usersModule,
  dashboardModule,
  accessModule,
  jobsModule,
  outboxModule,
  smsModule,
  inboxModule,
  calendarModule,
  todoModule,
  citizensModule,
  filesModule,
  catalogueModule,
  datasetsModule,
  sharingModule,
  exchangeModule,
  feedsModule,
  trackerModule,
  qualityModule,
  residentsModule,
  communityModule,
  profilesModule,
  censusModule,
  noticesModule,
  gridworkModule,
  oaModule,
  approvalModule,
  supervisionModule,
  mattersModule,
  evaluationModule,
  publicityModule,
  cloudModule,
  hypervisorModule,
  selfserviceModule,
  meteringModule,
  extranetModule,
] as const;

/** A list of modules in build order: a module's service factory sees the services of the modules before it. */
export type ModuleList = readonly ModuleManifest<string, unknown>[];

/** Every registered module, in order. */
export const modules: ModuleList = registered;

/** The service each registered module builds, keyed by module name. */
export type ModuleServices = {
  [M in (typeof registered)[number] as M extends ModuleManifest<infer N, unknown> ? N : never]: M extends ModuleManifest<string, infer S> ? S : never;
};

/** Makes the modules' permissions known (idempotent): platform administrators and the declared roles hold them. */
export function registerPermissions(list: ModuleList): void {
  for (const m of list) for (const p of m.permissions ?? []) registerPermission(p.name as never, p.roles, p.tenantRoles);
}

registerPermissions(modules);
