// The engine of one resident import, whatever its source: rows checked alone (import-rows.ts), then in batches against
// the registry (community inside the importer's jurisdiction, household of that community, one head, duplicates in the
// import and in the registry), progress written on the import row between batches, and one commit transaction for
// every accepted row with the rejections, the counts and the audit record — or nothing but the report when the import
// is all-or-nothing and a row failed.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { RequestContext } from '../../shared/context.ts';
import type { AuditService } from '../audit/index.ts';
import { checkRow, problem, type CheckedRow, type ColumnPlan, type ImportCell, type ImportProblem } from './import-rows.ts';
import * as repo from './repository.ts';

const BATCH = 1000;

export interface RunOptions {
  importId: string;
  /** The importer's community.manage subtrees. */
  scopePaths: readonly string[];
  /** insert: a registered ID number is a duplicate; upsert: it updates the resident (when in the jurisdiction). */
  mode: 'insert' | 'upsert';
  allOrNothing: boolean;
  today: string;
  /** Audit of the commit: action and the context it is recorded under. */
  audit: { ctx: RequestContext; action: string; detail: Record<string, unknown> };
}

interface Accepted extends CheckedRow {
  rowNo: number;
  path: string;
  householdId: string | null;
  /** The registered resident an upsert updates. */
  existingId: string | null;
}

export interface Rejected extends ImportProblem {
  rowNo: number;
}

/** Thrown inside the commit transaction to roll it back (a concurrent import took rows, all-or-nothing). */
class RolledBack extends Error {}

/** What every import engine keeps: the report so far, the rows and bytes read, and the import row's final counts. */
export abstract class ImportTally {
  protected readonly rejected: Rejected[] = [];
  protected readonly rejectedRows = new Set<number>();
  totalRows = 0;
  bytesRead = 0;

  constructor(protected readonly clock: Clock) {}

  protected reject(rowNo: number, p: ImportProblem): void {
    this.rejected.push({ rowNo, ...p });
    this.rejectedRows.add(rowNo);
  }

  protected counts(status: 'committed' | 'rejected', inserted: number, updated: number) {
    return {
      status,
      bytes_read: String(this.bytesRead),
      total_rows: this.totalRows,
      accepted_rows: status === 'committed' ? inserted + updated : 0,
      rejected_rows: this.rejectedRows.size,
      inserted_rows: inserted,
      updated_rows: updated,
      finished_at: this.clock.now(),
    };
  }
}

export class ImportRun extends ImportTally {
  private readonly accepted: Accepted[] = [];
  private pending: { rowNo: number; row: CheckedRow }[] = [];
  private readonly seen = new Map<string, number>();
  private readonly communities = new Map<string, { path: string; ok: boolean } | null>();
  /** Households (by number) with a head, in the registry or earlier in this import. */
  private readonly heads = new Set<string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly auditService: AuditService,
    clock: Clock,
    private readonly options: RunOptions,
  ) {
    super(clock);
  }

  /** A header problem (row 0): the import cannot go on. */
  headerProblem(p: ImportProblem): void {
    this.reject(0, p);
  }

  async row(plan: ColumnPlan, rowNo: number, cells: readonly ImportCell[]): Promise<void> {
    this.totalRows++;
    if (cells.every((c) => c === null || c === undefined || String(c).trim() === '')) {
      this.totalRows--;
      return;
    }
    const checked = checkRow(plan, cells, this.options.today);
    if ('problems' in checked) for (const p of checked.problems) this.reject(rowNo, p);
    else this.pending.push({ rowNo, row: checked.row });
    if (this.pending.length >= BATCH) await this.flush();
  }

  private inScope(path: string): boolean {
    return this.options.scopePaths.some((root) => path.startsWith(root));
  }

  /** Checks the pending rows against the registry, then writes the progress. */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const codes = [...new Set(batch.map((p) => p.row.communityCode))].filter((c) => !this.communities.has(c));
    if (codes.length > 0) {
      const found = await this.db.selectFrom('region').select(['code', 'path', 'level', 'valid_to']).where('code', 'in', codes).execute();
      for (const c of codes) {
        const r = found.find((f) => f.code === c);
        this.communities.set(c, r && r.level === 4 && r.valid_to === null ? { path: r.path, ok: this.inScope(r.path) } : null);
      }
    }
    const numbers = [...new Set(batch.map((p) => p.row.householdNo).filter((n): n is string => n !== null))];
    const households =
      numbers.length === 0
        ? []
        : await this.db
            .selectFrom('community_household as h')
            .select(['h.id', 'h.household_no', 'h.community_code'])
            .select((eb) => eb.exists(eb.selectFrom('community_resident as r').select('r.id').whereRef('r.household_id', '=', 'h.id').where('r.relation', '=', 'head').where('r.status', '=', 'active')).as('has_head'))
            .where('h.household_no', 'in', numbers)
            .execute();
    for (const h of households) if (h.has_head) this.heads.add(h.household_no);
    const registered = new Map((await repo.residentsByIdNumber(this.db, batch.map((p) => p.row.idNumber))).map((r) => [r.id_number, r]));
    const registeredPaths = await this.pathsOf([...registered.values()].map((r) => r.community_code));
    for (const { rowNo, row } of batch) {
      const fail = (item: string, value: string | null, code: Parameters<typeof problem>[2], detail = ''): false => {
        this.reject(rowNo, problem(item, value, code, detail));
        return false;
      };
      const community = this.communities.get(row.communityCode);
      let ok = true;
      if (!community) ok = fail('社区代码', row.communityCode, 'community.not_a_community');
      else if (!community.ok) ok = fail('社区代码', row.communityCode, 'community.out_of_jurisdiction');
      let householdId: string | null = null;
      if (row.householdNo) {
        const h = households.find((x) => x.household_no === row.householdNo);
        if (!h || h.community_code !== row.communityCode) ok = fail('户号', row.householdNo, 'community.household_not_found');
        else householdId = h.id;
        if (ok && row.relation === 'head') {
          if (this.heads.has(row.householdNo)) ok = fail('与户主关系', '户主', 'community.head_exists');
          else this.heads.add(row.householdNo);
        }
      }
      const first = this.seen.get(row.idNumber);
      if (first !== undefined) ok = fail('公民身份号码', row.idNumber, 'community.duplicate_resident', `与第 ${first} 行重复`);
      else this.seen.set(row.idNumber, rowNo);
      const existing = registered.get(row.idNumber);
      let existingId: string | null = null;
      if (existing && first === undefined) {
        if (this.options.mode === 'insert') ok = fail('公民身份号码', row.idNumber, 'community.duplicate_resident');
        else if (!this.inScope(registeredPaths.get(existing.community_code) ?? '')) ok = fail('公民身份号码', row.idNumber, 'community.out_of_jurisdiction', '已在辖区外登记');
        else existingId = existing.id;
      }
      if (ok) this.accepted.push({ ...row, rowNo, path: community!.path, householdId, existingId });
    }
    await this.progress('validating');
  }

  private async pathsOf(codes: string[]): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows = await this.db.selectFrom('region').select(['code', 'path']).where('code', 'in', [...new Set(codes)]).execute();
    return new Map(rows.map((r) => [r.code, r.path]));
  }

  async progress(status: 'receiving' | 'validating'): Promise<void> {
    await this.db
      .updateTable('community_import')
      .set({ status, bytes_read: String(this.bytesRead), total_rows: this.totalRows, rejected_rows: this.rejectedRows.size })
      .where('id', '=', this.options.importId)
      .execute();
  }

  /** The last batch, then the commit (or the rejection of the whole import); returns the final status. */
  async finish(): Promise<'committed' | 'rejected'> {
    await this.flush();
    const { importId, allOrNothing } = this.options;
    if (this.rejected.some((r) => r.rowNo === 0) || (allOrNothing && this.rejected.length > 0)) {
      await this.db.transaction().execute(async (trx) => {
        await this.writeRejections(trx);
        await trx.updateTable('community_import').set(this.counts('rejected', 0, 0)).where('id', '=', importId).execute();
      });
      return 'rejected';
    }
    await this.db.updateTable('community_import').set({ status: 'committing', total_rows: this.totalRows }).where('id', '=', importId).execute();
    try {
      await this.db.transaction().execute((trx) => this.commit(trx));
      return 'committed';
    } catch (error) {
      if (!(error instanceof RolledBack)) throw error;
      await this.db.transaction().execute(async (trx) => {
        await this.writeRejections(trx);
        await trx.updateTable('community_import').set(this.counts('rejected', 0, 0)).where('id', '=', importId).execute();
      });
      return 'rejected';
    }
  }

  private async commit(trx: Transaction<Database>): Promise<void> {
    const at = this.clock.now();
    const fresh = this.accepted.filter((a) => a.existingId === null);
    let inserted = 0;
    for (let i = 0; i < fresh.length; i += BATCH) {
      const chunk = fresh.slice(i, i + BATCH);
      // a concurrent import of the same numbers: whichever commits first keeps them, this one reports them
      const rows = await trx
        .insertInto('community_resident')
        .values(
          chunk.map((a) => ({
            id_number: a.idNumber,
            name: a.name,
            sex: a.sex,
            birth_date: a.birthDate,
            ethnicity: a.ethnicity,
            phone: a.phone,
            household_id: a.householdId,
            relation: a.householdId ? a.relation : null,
            community_code: a.communityCode,
            region_path: a.path,
            address: a.address,
            residence_status: a.residenceStatus,
            moved_in_on: a.movedInOn ?? this.options.today,
            updated_at: at,
          })),
        )
        .onConflict((oc) => oc.column('id_number').doNothing())
        .returning(['id', 'id_number'])
        .execute();
      const ids = new Map(rows.map((r) => [r.id_number, r.id]));
      for (const a of chunk) if (!ids.has(a.idNumber)) this.reject(a.rowNo, problem('公民身份号码', a.idNumber, 'community.duplicate_resident', '同时进行的另一次导入已登记'));
      if (this.options.allOrNothing && ids.size < chunk.length) throw new RolledBack();
      const opened = chunk.filter((a) => ids.has(a.idNumber));
      if (opened.length > 0) {
        await trx
          .insertInto('community_residence')
          .values(opened.map((a) => ({ resident_id: ids.get(a.idNumber)!, community_code: a.communityCode, region_path: a.path, grid_id: null, residence_status: a.residenceStatus, valid_from: a.movedInOn ?? this.options.today, reason: 'import' })))
          .execute();
      }
      inserted += opened.length;
    }
    // registered residents (upsert): one UPDATE over arrays per batch; a phone or address left empty keeps the stored one
    let updated = 0;
    const changes = this.accepted.filter((x) => x.existingId !== null);
    for (let i = 0; i < changes.length; i += BATCH) {
      const chunk = changes.slice(i, i + BATCH);
      const result = await sql`
        UPDATE community_resident r
           SET name = v.name, ethnicity = v.ethnicity, phone = coalesce(v.phone, r.phone), address = CASE WHEN v.address = '' THEN r.address ELSE v.address END,
               version = r.version + 1, updated_at = ${at}
          FROM unnest(${chunk.map((a) => a.existingId)}::uuid[], ${chunk.map((a) => a.name)}::text[], ${chunk.map((a) => a.ethnicity)}::text[],
                      ${chunk.map((a) => a.phone)}::text[], ${chunk.map((a) => a.address)}::text[]) AS v(id, name, ethnicity, phone, address)
         WHERE r.id = v.id AND r.status = 'active'
           AND (r.name <> v.name OR r.ethnicity <> v.ethnicity OR (v.phone IS NOT NULL AND r.phone IS DISTINCT FROM v.phone) OR (v.address <> '' AND r.address <> v.address))
      `.execute(trx);
      updated += Number(result.numAffectedRows ?? 0);
    }
    const households = [...new Set(this.accepted.map((a) => a.householdId).filter((x): x is string => x !== null))];
    if (households.length > 0) {
      await sql`
        UPDATE community_household h SET updated_at = ${at}, member_count = (SELECT count(*) FROM community_resident r WHERE r.household_id = h.id AND r.status = 'active')
         WHERE h.id = ANY(${households}::uuid[])
      `.execute(trx);
    }
    await this.writeRejections(trx);
    await trx.updateTable('community_import').set(this.counts('committed', inserted, updated)).where('id', '=', this.options.importId).execute();
    const { ctx, action, detail } = this.options.audit;
    await this.auditService.record(trx, ctx, {
      action,
      objectType: 'community_import',
      objectId: this.options.importId,
      detail: { ...detail, rows: this.totalRows, inserted, updated, rejected: this.rejectedRows.size },
    });
  }

  private writeRejections(trx: Transaction<Database>): Promise<void> {
    return insertRejections(trx, this.options.importId, this.rejected);
  }
}

/** An import's report rows, a multi-row insert per 1,000; one per (row, column): a column named twice keeps its first problem. */
export async function insertRejections(trx: Transaction<Database>, importId: string, rejected: readonly Rejected[]): Promise<void> {
  const unique = new Map<string, Rejected>();
  for (const r of rejected) {
    // a header as written may be long: the column is named by its first 64 characters
    const item = r.item.slice(0, 64);
    unique.set(`${r.rowNo}\u001f${item}`, unique.get(`${r.rowNo}\u001f${item}`) ?? { ...r, item });
  }
  const all = [...unique.values()];
  for (let i = 0; i < all.length; i += BATCH) {
    await trx
      .insertInto('community_import_rejection')
      .values(all.slice(i, i + BATCH).map((r) => ({ import_id: importId, row_no: r.rowNo, item: r.item, value: r.value === null ? null : r.value.slice(0, 1000), code: r.code, message: r.message })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
