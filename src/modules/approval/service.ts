// The approval module's service: the item catalogue, case writes, case reads, materials, and the recompute job that
// follows the calendar when a holiday year is loaded.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { FileService } from '../files/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import { CaseReader } from './case-reads.ts';
import { CaseWriter } from './cases.ts';
import { recompute } from './ledger.ts';
import { ItemService } from './items.ts';
import { CaseMaterials } from './materials.ts';

export interface ApprovalDeps {
  db: Kysely<Database>;
  audit: AuditService;
  outbox: OutboxService;
  calendar: CalendarService;
  files: FileService;
  clock: Clock;
}

export class ApprovalService {
  readonly items: ItemService;
  readonly cases: CaseWriter;
  readonly reads: CaseReader;
  readonly materials: CaseMaterials;

  constructor(private readonly deps: ApprovalDeps) {
    this.items = new ItemService(deps.db, deps.audit, deps.clock);
    this.cases = new CaseWriter(deps);
    this.reads = new CaseReader(deps.db, deps.calendar, deps.clock);
    this.materials = new CaseMaterials(deps.db, deps.files, deps.audit, deps.clock);
  }

  /**
   * Recomputes the clocks of cases whose due dates were provisional (past the last loaded holiday year), once the
   * calendar has changed: run by a schedule; cheap when nothing is provisional. Returns how many were recomputed.
   */
  async recomputeProvisional(batch = 500): Promise<number> {
    const { db, calendar } = this.deps;
    await calendar.refresh();
    const last = calendar.loadedYears.at(-1);
    if (last === undefined) return 0;
    let done = 0;
    for (;;) {
      const ids = await db
        .selectFrom('approval_case')
        .select('id')
        .where('due_provisional', '=', true)
        .where('state', 'in', ['submitted', 'accepted', 'reviewing', 'decided'])
        .where((eb) => eb.or([eb('statutory_due', '<=', `${last}-12-31`), eb('statutory_due', 'is', null)]))
        .orderBy('id')
        .limit(batch)
        .execute();
      if (ids.length === 0) break;
      await db.transaction().execute(async (trx) => {
        for (const { id } of ids) await recompute(trx, calendar, id);
      });
      done += ids.length;
      // a case still provisional after the recompute reaches past the loaded years: stop rather than loop
      const still = await db.selectFrom('approval_case').select('id').where('id', 'in', ids.map((r) => r.id)).where('due_provisional', '=', true).execute();
      if (still.length === ids.length) break;
    }
    return done;
  }
}
