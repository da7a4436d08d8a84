// SQL for administrative regions: jurisdiction-filtered reads, effective-dated changes, and the importer's bulk writes.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { escapeLike, inScope, likePrefix } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { RegionTable } from './tables.ts';
import type { Scope } from '../../shared/access.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type RegionRow = Selectable<RegionTable>;

/** A region as the API and other modules see it. */
export interface Region {
  code: string;
  name: string;
  /** 1 prefecture (地级) · 2 county (县级) · 3 township/street (乡镇/街道) · 4 community/village (社区/村) */
  level: number;
  parentCode: string | null;
  /** Materialized chain of codes, '/6505/650502/650502001/'. */
  path: string;
  validFrom: string;
  /** The first day it no longer exists (merged or retired); null while current. */
  validTo: string | null;
  /** The region it was merged into. */
  successorCode: string | null;
}

const REGION_COLUMNS = ['code', 'name', 'level', 'parent_code', 'path', 'valid_from', 'valid_to', 'successor_code'] as const;

export function toRegion(row: Pick<RegionRow, (typeof REGION_COLUMNS)[number]>): Region {
  return {
    code: row.code,
    name: row.name,
    level: row.level,
    parentCode: row.parent_code,
    path: row.path,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    successorCode: row.successor_code,
  };
}

/** Any region by code, current or not, with no jurisdiction check (for other modules validating references). */
export async function findRegion(db: Db, code: string) {
  return db.selectFrom('region').selectAll().where('code', '=', code).executeTakeFirst();
}

// ---- reads within a jurisdiction

export async function findRegionInScope(db: Db, scope: Scope, code: string): Promise<Region | undefined> {
  const row = await db
    .selectFrom('region')
    .select(REGION_COLUMNS)
    .where('code', '=', code)
    .where((eb) => inScope(eb, eb.ref('code'), scope))
    .executeTakeFirst();
  return row && toRegion(row);
}

/** As findRegionInScope, locking the row until the transaction ends so two changes to one region serialise. */
export async function lockRegionInScope(trx: Transaction<Database>, scope: Scope, code: string): Promise<Region | undefined> {
  const row = await trx
    .selectFrom('region')
    .select(REGION_COLUMNS)
    .where('code', '=', code)
    .where((eb) => inScope(eb, eb.ref('code'), scope))
    .forUpdate()
    .executeTakeFirst();
  return row && toRegion(row);
}

export interface RegionFilter {
  parentCode?: string;
  q?: string;
  level?: number;
  includeRetired: boolean;
  roots?: boolean;
  afterCode?: string;
  limit: number;
}

/** One page (plus one row, to tell whether there is a next page) of regions in scope, ordered by code. */
export async function listRegions(db: Db, scope: Scope, filter: RegionFilter): Promise<Region[]> {
  return (await listRegionsQuery(db, scope, filter).execute()).map(toRegion);
}

export function listRegionsQuery(db: Db, scope: Scope, filter: RegionFilter) {
  return db
    .selectFrom('region')
    .select(REGION_COLUMNS)
    .where((eb) => inScope(eb, eb.ref('code'), scope))
    .$if(filter.parentCode !== undefined, (qb) => qb.where('parent_code', '=', filter.parentCode!))
    .$if(filter.level !== undefined, (qb) => qb.where('level', '=', filter.level!))
    .$if(filter.roots === true, (qb) => qb.where('path', 'in', scope.paths))
    .$if(!filter.includeRetired, (qb) => qb.where('valid_to', 'is', null))
    .$if(filter.q !== undefined, (qb) =>
      qb.where((eb) => {
        const q = filter.q!;
        const contains = eb('name', 'ilike', `%${escapeLike(q)}%`);
        return /^[0-9]+$/.test(q) ? eb.or([contains, eb('code', 'like', likePrefix(q))]) : contains;
      }),
    )
    .$if(filter.afterCode !== undefined, (qb) => qb.where('code', '>', filter.afterCode!))
    .orderBy('code')
    .limit(filter.limit + 1);
}

/** The current regions from `root` down to `maxLevel`, in path order: one index range scan on path (region_path_prefix). */
export function currentSubtreeQuery(db: Db, scope: Scope, rootPath: string, maxLevel: number) {
  return db
    .selectFrom('region')
    .select(['code', 'name', 'level', 'parent_code'])
    .where('path', 'like', likePrefix(rootPath))
    .where('level', '<=', maxLevel)
    .where('valid_to', 'is', null)
    .where((eb) => inScope(eb, eb.ref('code'), scope))
    .orderBy('path');
}

export async function currentSubtree(db: Db, scope: Scope, rootPath: string, maxLevel: number) {
  return currentSubtreeQuery(db, scope, rootPath, maxLevel).execute();
}

// ---- history

export interface HistoryEntry {
  name: string;
  parentCode: string | null;
  validFrom: string;
  validTo: string;
  change: 'rename' | 'merge' | 'retire' | 'reparent';
}

export async function historyOf(db: Db, code: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('region_history')
    .select(['name', 'parent_code', 'valid_from', 'valid_to', 'change'])
    .where('code', '=', code)
    .orderBy('valid_from')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ name: r.name, parentCode: r.parent_code, validFrom: r.valid_from, validTo: r.valid_to, change: r.change }));
}

/** History of many regions at once (for the importer's rename detection). */
export async function historiesOf(db: Db, codes: readonly string[]): Promise<Map<string, HistoryEntry[]>> {
  const byCode = new Map<string, HistoryEntry[]>();
  if (codes.length === 0) return byCode;
  const rows = await db
    .selectFrom('region_history')
    .select(['code', 'name', 'parent_code', 'valid_from', 'valid_to', 'change'])
    .where('code', 'in', codes)
    .orderBy('valid_from')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = byCode.get(r.code) ?? [];
    list.push({ name: r.name, parentCode: r.parent_code, validFrom: r.valid_from, validTo: r.valid_to, change: r.change });
    byCode.set(r.code, list);
  }
  return byCode;
}

export async function insertHistory(trx: Db, code: string, entry: HistoryEntry & { note?: string | null }): Promise<void> {
  await trx
    .insertInto('region_history')
    .values({
      code,
      name: entry.name,
      parent_code: entry.parentCode,
      valid_from: entry.validFrom,
      valid_to: entry.validTo,
      change: entry.change,
      note: entry.note ?? null,
    })
    .execute();
}

// ---- effective-dated changes

export async function setRegionName(trx: Db, code: string, name: string): Promise<void> {
  await trx.updateTable('region').set({ name, updated_at: new Date() }).where('code', '=', code).execute();
}

/** Ends a region's existence on `validTo` (exclusive), optionally naming the region it was merged into. */
export async function endRegion(trx: Db, code: string, validTo: string, successorCode: string | null): Promise<void> {
  await trx.updateTable('region').set({ valid_to: validTo, successor_code: successorCode, updated_at: new Date() }).where('code', '=', code).execute();
}

/**
 * Children that would be orphaned by ending their parent on `endDate`: still current, or ending after it.
 * Returns up to `limit` codes, for the error message.
 */
export async function childrenOutliving(trx: Db, code: string, endDate: string, limit = 5): Promise<string[]> {
  const rows = await trx
    .selectFrom('region')
    .select('code')
    .where('parent_code', '=', code)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', endDate)]))
    .orderBy('code')
    .limit(limit)
    .execute();
  return rows.map((r) => r.code);
}

// ---- importer

/** Every region already stored under a prefecture path (root included), for the importer's diff. */
export async function regionsUnder(trx: Db, rootPath: string) {
  return trx
    .selectFrom('region')
    .select(['code', 'name', 'parent_code', 'valid_from', 'valid_to'])
    .where('path', 'like', likePrefix(rootPath))
    .execute();
}

export interface NewRegionRow {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
  path: string;
  valid_from: string;
}

/** Multi-row INSERTs of at most `chunkSize` rows; codes already present are skipped. Returns how many were inserted. */
export async function insertRegions(trx: Db, rows: readonly NewRegionRow[], chunkSize = 1000, onChunk?: (written: number) => void): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += chunkSize) {
    const chunk = rows.slice(i, i + chunkSize);
    const result = await trx
      .insertInto('region')
      .values(chunk)
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
    onChunk?.(chunk.length);
  }
  return inserted;
}

/** Takes a transaction-scoped advisory lock so two imports of the same prefecture do not interleave. */
export async function lockImport(trx: Transaction<Database>, prefectureCode: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`region-import:${prefectureCode}`}))`.execute(trx);
}

/** The current (not retired) regions among `codes`, with their paths: one query for a batch. */
export async function currentRegions(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db.selectFrom('region').select(['code', 'path']).where('code', 'in', codes).where('valid_to', 'is', null).execute();
}
