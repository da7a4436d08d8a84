// Composition root: builds each registered module's service once, in registry order, with only its collaborators.
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from './db/schema.ts';
import type { SmsSender } from './modules/sms/index.ts';
import { modules, registerPermissions, type ModuleList, type ModuleServices } from './modules/registry.ts';
import { systemClock, type Clock } from './platform/clock.ts';

/** Every registered module's service, by module name (audit, regions, departments, auth, users, dashboard, …). */
export type Services = ModuleServices;

/**
 * `sms` is the channel for sign-in codes; without one, no second factor is asked (tests that do not test it).
 * `list` defaults to the registry; a test passes its own modules to prove that a module plugs in.
 */
export function createServices(db: Kysely<Database>, config: Config, sms?: SmsSender, clock: Clock = systemClock, list: ModuleList = modules): Services {
  registerPermissions(list);
  const services: Record<string, unknown> = {};
  for (const m of list) if (m.createService) services[m.name] = m.createService({ db, config, clock, services, ...(sms ? { sms } : {}) });
  return services as unknown as Services;
}
