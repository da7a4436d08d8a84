// The cloud module's service (issue 10 §1): the resource inventory and the consolidation report.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { DemoOptions } from '../../platform/module.ts';
import type { RequestContext } from '../../shared/context.ts';
import type { AuditService } from '../audit/index.ts';
import { consolidationReport } from './consolidation.ts';
import { seedCloudDemo } from './demo.ts';
import { Inventory } from './inventory.ts';
import type { Consolidation } from './schema.ts';
import { Workloads } from './workloads.ts';

export interface CloudDeps {
  db: Kysely<Database>;
  audit: AuditService;
  clock: Clock;
}

export class CloudService {
  /** Rooms, hosts, pools, zones, flavours, images. */
  readonly inventory: Inventory;
  /** Business systems, VMs, quotas. */
  readonly workloads: Workloads;

  constructor(readonly deps: CloudDeps) {
    this.inventory = new Inventory(deps.db, deps.audit, deps.clock);
    this.workloads = new Workloads(deps.db, deps.audit, deps.clock);
  }

  consolidation(ctx: RequestContext): Promise<Consolidation> {
    return consolidationReport(this.deps.db, this.deps.clock, ctx);
  }

  /** The demo (manifest `demo` hook): written as the system actor, one audit record per step; idempotent. */
  seedDemo(options: DemoOptions): Promise<void> {
    return seedCloudDemo(this.deps.db, this.deps.audit, options);
  }
}
