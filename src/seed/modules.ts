// Each module's demo data (the manifest's `demo`), after the core demo of departments and accounts.
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import type { DemoOptions } from '../platform/module.ts';
import { modules as registered, type ModuleList } from '../modules/registry.ts';

/** Runs every module's demo in registry order, with the services of a running process. */
export async function seedModuleDemos(
  deps: { db: Kysely<Database>; config: Config; services: Record<string, unknown>; clock?: Clock },
  options: DemoOptions,
  list: ModuleList = registered,
): Promise<void> {
  for (const m of list) {
    if (!m.demo) continue;
    options.onStep?.(`Demo data: ${m.name} …`);
    const started = performance.now();
    await m.demo({ db: deps.db, config: deps.config, clock: deps.clock ?? systemClock, services: deps.services, service: deps.services[m.name] as never }, options);
    options.onStep?.(`Demo data: ${m.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}
