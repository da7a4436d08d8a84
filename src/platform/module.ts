// The contract every module manifest fulfils (src/modules/<m>/module.ts) and the registry (src/modules/registry.ts)
// lists. The composition root, route mounting, migration list and permission list are derived from the registry.
import type { Kysely, Migration } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { App } from '../http/types.ts';
import { ROLES, regionPermissionsOf, type Permission, type Role } from '../shared/access.ts';
import type { SmsChannel, SmsSender } from '../modules/sms/index.ts';
import type { RequestContext } from '../shared/context.ts';
import type { Clock } from './clock.ts';

/** What a module's service factory may use: the database, the configuration and the services built before it. */
export interface ModuleDeps {
  db: Kysely<Database>;
  config: Config;
  /** The time source; tests pass a ManualClock. */
  clock: Clock;
  /** Services of modules earlier in the registry, by module name (and the core services). */
  services: Record<string, unknown>;
  /** The SMS channel, when the process has one. */
  sms?: SmsSender;
  /** The SMS centre the server talks to (a carrier's, or one in-process), for the SMS module's gateway. */
  smsChannel?: SmsChannel;
}

/** What route factories receive besides the app and the services. */
export interface RouteDeps {
  db: Kysely<Database>;
  isReady: () => boolean;
  cookieSecure: boolean;
  sessionMaxHours: number;
}

/** A permission a module adds, with the built-in roles that hold it. */
export interface PermissionDecl {
  name: string;
  roles: readonly Role[];
  /** Roles that hold it over the holder's own department and its sub-departments only (tenancy). */
  tenantRoles?: readonly Role[];
}

/**
 * A permission of the platform's own role table (shared/access.ts), declared by the core module that owns it with the
 * roles that table gives it, so that the registry's permission list names every permission.
 */
export function corePermission(name: Permission): PermissionDecl {
  // region-wide holders only: a tenant permission (over the holder's own department tree) must not widen to the region
  return { name, roles: ROLES.filter((role) => regionPermissionsOf(role).includes(name)) };
}

/** Background work a module runs while the server is up (workers, schedules). */
export interface RunningWork {
  stop(): Promise<void>;
}

/** An event taken from the transactional outbox (delivered at least once; `key` is its idempotency key). */
export interface OutboxMessage {
  id: string;
  topic: string;
  key: string;
  payload: unknown;
  /** 1 on the first delivery. */
  attempt: number;
}
export type OutboxHandler = (message: OutboxMessage) => Promise<void>;

/** Work run on a cron-like schedule by the job system, on one node at a time. */
export interface Schedule {
  name: string;
  /** Five-field cron expression in the server's time zone (Asia/Shanghai), e.g. '0 2 * * *'. */
  cron: string;
  run(): Promise<void>;
}

/** One item waiting on a user in 我的待办. */
export interface TodoItem {
  module: string;
  /** Kind of item within the module, e.g. 'account.activation'. */
  kind: string;
  /** The object's id within the module. */
  id: string;
  title: string;
  /** Due date (ISO date or instant) computed with the working-day calendar, when there is one. */
  deadline: string | null;
  /** Console path where the user acts on it, e.g. '/users/…'. */
  link: string;
  createdAt: string;
}

/** What a module contributes to the unified to-do list for the caller. */
export interface TodoProvider {
  list(ctx: RequestContext, options: { limit: number }): Promise<TodoItem[]>;
  count(ctx: RequestContext): Promise<number>;
}

export interface ModuleManifest<Name extends string = string, Service = unknown> {
  name: Name;
  /** Permissions this module adds; the permission type is extended by augmenting `PermissionRegistry` in shared/access.ts. */
  permissions?: readonly PermissionDecl[];
  /**
   * Migrations, keyed `YYYYMMDDTHHMM_<module>_<change>` so that keys sort by time; the registry merges them after
   * the core's 0001…0007. Table types are added by augmenting `Database` (db/schema.ts) from the module's tables.ts.
   */
  migrations?: Readonly<Record<string, Migration>>;
  /** Builds the module's service once per process. */
  createService?(deps: ModuleDeps): Service;
  /** Mounts the module's HTTP routes. */
  routes?(app: App, services: Record<string, unknown>, deps: RouteDeps): void;
  /** Starts background work when the server starts (not in tests unless asked). */
  start?(deps: ModuleDeps & { service: Service }): RunningWork | Promise<RunningWork>;
  /** Handlers of outbox topics this module consumes, e.g. { 'sms.send': … }. */
  outboxHandlers?(deps: ModuleDeps & { service: Service }): Record<string, OutboxHandler>;
  /** Recurring work (replaces setInterval). */
  schedules?(deps: ModuleDeps & { service: Service }): Schedule[];
  /** This module's contribution to 我的待办. */
  todo?(deps: ModuleDeps & { service: Service }): TodoProvider;
  /**
   * Demo data of this module, written through services as the system actor after the core demo (departments,
   * accounts). Must be idempotent and cheap when its data is there already: it runs at every start with
   * GOVCLOUD_SEED_DEMO (see seedModuleDemos) and from `govcloud seed demo`.
   */
  demo?(deps: ModuleDeps & { service: Service }, options: DemoOptions): Promise<void>;
}

export interface DemoOptions {
  /** The prefecture code the demo was seeded for, e.g. '6505'. */
  prefecture: string;
  /** Demo residents of the digital community (default 50,000; `govcloud seed demo --residents N`). */
  residents?: number;
  /** Progress of the module's demo: the step under way. */
  onStep?: (text: string) => void;
}

/**
 * A service that a module earlier in the registry built, by module name. Throws when it is missing, which means the
 * registry lists this module before one it depends on.
 */
export function serviceOf<T>(deps: Pick<ModuleDeps, 'services'>, name: string): T {
  const service = deps.services[name];
  if (service === undefined) throw new Error(`Module service "${name}" is not built yet: list its module earlier in src/modules/registry.ts.`);
  return service as T;
}

/** Keeps the literal name and the service type of a manifest. */
export function defineModule<Name extends string, Service>(manifest: ModuleManifest<Name, Service>): ModuleManifest<Name, Service> {
  return manifest;
}
