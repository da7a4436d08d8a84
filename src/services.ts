// Composition root: builds each module's service once, with only the collaborators it needs.
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from './db/schema.ts';
import { AuthService, SessionRowCache, UserService, type AuthSettings } from './modules/accounts/index.ts';
import { AuditService, CheckpointStore } from './modules/audit/index.ts';
import { DepartmentService } from './modules/departments/index.ts';
import { RegionService } from './modules/regions/index.ts';
import { DashboardService } from './modules/dashboard/index.ts';
import { SecondFactor } from './modules/accounts/second-factor.ts';
import type { SmsSender } from './modules/sms/index.ts';
import { modules, type ModuleServices } from './modules/registry.ts';
import { registerPermission } from './shared/access.ts';
import { systemClock, type Clock } from './platform/clock.ts';

for (const m of modules) for (const p of m.permissions ?? []) registerPermission(p.name as never, p.roles);

export interface CoreServices {
  audit: AuditService;
  auth: AuthService;
  users: UserService;
  departments: DepartmentService;
  regions: RegionService;
  dashboard: DashboardService;
}

/** The core's services and every registered module's, by module name. */
export type Services = CoreServices & ModuleServices;

/** The sign-in and session settings taken from the configuration. */
export function authSettings(config: Config): AuthSettings {
  return {
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionMaxHours: config.sessionMaxHours,
    loginFailuresPerAddress: config.loginFailuresPerAddress,
    captchaAfterFailures: config.loginCaptchaAfter,
    captchaAfterAddressFailures: config.loginCaptchaAfterAddress,
    loginConcurrency: config.loginConcurrency,
    loginQueue: config.loginQueue,
    prefectureRegion: config.prefecture,
  };
}

/** `sms` is the channel for sign-in codes; without one, no second factor is asked (tests that do not test it). */
export function createServices(db: Kysely<Database>, config: Config, sms?: SmsSender, clock: Clock = systemClock): Services {
  const audit = new AuditService(db, { clock, checkpoints: new CheckpointStore(config.auditCheckpoints) });
  // one per node, shared: UserService forgets a user's sessions here the moment it ends them
  const sessionRows = new SessionRowCache();
  const secondFactor = sms ? new SecondFactor(db, audit, sms, { requireForAdmins: config.adminSecondFactor }) : undefined;
  const core: CoreServices = {
    audit,
    auth: new AuthService(db, audit, authSettings(config), secondFactor, sessionRows),
    users: new UserService(db, audit, sessionRows, clock),
    departments: new DepartmentService(db, audit),
    regions: new RegionService(db, audit),
    dashboard: new DashboardService(db),
  };
  const services: Record<string, unknown> = { ...core };
  for (const m of modules) if (m.createService) services[m.name] = m.createService({ db, config, clock, services, ...(sms ? { sms } : {}) });
  return services as unknown as Services;
}
