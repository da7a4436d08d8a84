// SQL for departments (tenants). Every read that serves a user is jurisdiction-filtered here.
import { sql, type Kysely, type Transaction } from 'kysely';
import { escapeLike, inRoleScope, likePrefix } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { Scope } from '../../shared/access.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Unscoped lookup by id, for other modules that already decided the caller may know it (accounts). */
export async function findDepartment(db: Db, id: string) {
  return db
    .selectFrom('department as d')
    .innerJoin('region as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.code', 'd.name', 'd.region_code', 'r.path as region_path', 'r.name as region_name'])
    .where('d.id', '=', id)
    .executeTakeFirst();
}

const COLUMNS = [
  'd.id',
  'd.code',
  'd.name',
  'd.short_name',
  'd.kind',
  'd.region_code',
  'r.name as region_name',
  'r.path as region_path',
  'd.parent_id',
  'd.credit_code',
  'd.created_at',
] as const;

function scoped(db: Db, scope: Scope) {
  return db
    .selectFrom('department as d')
    .innerJoin('region as r', 'r.code', 'd.region_code')
    .select(COLUMNS)
    .where((eb) => inRoleScope(eb, { region: eb.ref('d.region_code'), department: eb.ref('d.id') }, scope));
}

export type DepartmentRow = NonNullable<Awaited<ReturnType<typeof findDepartmentInScope>>>;

export async function findDepartmentInScope(db: Db, scope: Scope, id: string) {
  return scoped(db, scope).where('d.id', '=', id).executeTakeFirst();
}

export interface DepartmentFilter {
  q?: string;
  /** Departments located in the region with this path or below it. */
  regionPath?: string;
  kind?: string;
  parentId?: string;
}

/** The directory order's key of the last row seen: [kind rank, sort number, code]. */
export type DepartmentKey = readonly [kindRank: number, sortOrder: number, code: string];

function filtered(db: Db, scope: Scope, filter: DepartmentFilter) {
  return scoped(db, scope)
    .$if(filter.q !== undefined, (qb) =>
      qb.where((eb) => {
        const pattern = `%${escapeLike(filter.q!)}%`;
        return eb.or([eb('d.name', 'ilike', pattern), eb('d.short_name', 'ilike', pattern), eb('d.code', 'ilike', pattern)]);
      }),
    )
    .$if(filter.regionPath !== undefined, (qb) => qb.where('r.path', 'like', likePrefix(filter.regionPath!)))
    .$if(filter.kind !== undefined, (qb) => qb.where('d.kind', '=', filter.kind!))
    .$if(filter.parentId !== undefined, (qb) => qb.where('d.parent_id', '=', filter.parentId!));
}

/**
 * One page in the customary order (kind rank, sort number, code — the index department_directory_order), plus one
 * extra row to tell whether another page follows.
 */
export async function listDepartments(db: Db, scope: Scope, filter: DepartmentFilter & { after?: DepartmentKey; limit: number }) {
  return filtered(db, scope, filter)
    .select(['d.kind_rank', 'd.sort_order'])
    .$if(filter.after !== undefined, (qb) =>
      qb.where((eb) => eb(eb.refTuple('d.kind_rank', 'd.sort_order', 'd.code'), '>', eb.tuple(...filter.after!))),
    )
    .orderBy('d.kind_rank')
    .orderBy('d.sort_order')
    .orderBy('d.code')
    .limit(filter.limit + 1)
    .execute();
}

/** How many departments match the filter inside the scope (the list's total). */
export async function countDepartments(db: Db, scope: Scope, filter: DepartmentFilter): Promise<number> {
  const row = await filtered(db, scope, filter)
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function codeExists(db: Db, code: string): Promise<boolean> {
  // codes are unique regardless of case (migration 0005)
  return (await db.selectFrom('department').select('id').where(sql<string>`lower(code)`, '=', sql<string>`lower(${code})`).executeTakeFirst()) !== undefined;
}

export async function creditCodeOwner(db: Db, creditCode: string): Promise<string | undefined> {
  return (await db.selectFrom('department').select('id').where('credit_code', '=', creditCode).executeTakeFirst())?.id;
}

/** The chain of ancestor ids of a department, itself first; stops at a repeat so a corrupt cycle cannot loop. */
export async function ancestorIds(db: Db, id: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    WITH RECURSIVE up(id, parent_id, depth, seen) AS (
      SELECT d.id, d.parent_id, 0, ARRAY[d.id] FROM department d WHERE d.id = ${id}
      UNION ALL
      SELECT p.id, p.parent_id, up.depth + 1, up.seen || p.id
      FROM department p JOIN up ON p.id = up.parent_id
      WHERE NOT p.id = ANY(up.seen) AND up.depth < 100
    )
    SELECT id FROM up ORDER BY depth
  `.execute(db);
  return result.rows.map((row) => row.id);
}

/** A department and everything below it. */
export async function descendantIds(db: Db, id: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    WITH RECURSIVE down(id, depth, seen) AS (
      SELECT d.id, 0, ARRAY[d.id] FROM department d WHERE d.id = ${id}
      UNION ALL
      SELECT c.id, down.depth + 1, down.seen || c.id
      FROM department c JOIN down ON c.parent_id = down.id
      WHERE NOT c.id = ANY(down.seen) AND down.depth < 100
    )
    SELECT id FROM down
  `.execute(db);
  return result.rows.map((row) => row.id);
}

export interface NewDepartmentRow {
  code: string;
  name: string;
  shortName: string | null;
  kind: string;
  regionCode: string;
  parentId: string | null;
  creditCode: string | null;
  /** 排序号 within the kind; the column default (1000) when absent. */
  sortOrder?: number;
}

function toColumns(row: NewDepartmentRow) {
  return {
    code: row.code,
    name: row.name,
    short_name: row.shortName,
    kind: row.kind,
    region_code: row.regionCode,
    parent_id: row.parentId,
    credit_code: row.creditCode,
    ...(row.sortOrder === undefined ? {} : { sort_order: row.sortOrder }),
  };
}

/** Inserts unless the code or credit code is taken; undefined then. */
export async function insertDepartment(trx: Db, row: NewDepartmentRow) {
  return trx
    .insertInto('department')
    .values(toColumns(row))
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** Bulk insert with client-chosen ids (parents before children in the same statement is fine: FKs are checked per statement). */
export async function insertDepartments(trx: Db, rows: (NewDepartmentRow & { id: string })[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await trx
    .insertInto('department')
    .values(
      rows.map((row) => ({ id: row.id, ...toColumns(row) })),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

export interface DepartmentChanges {
  name?: string;
  shortName?: string | null;
  kind?: string;
  parentId?: string | null;
  creditCode?: string | null;
}

/** Applies the changes (uniqueness of the credit code is checked by the caller under the row lock). */
export async function updateDepartment(trx: Db, id: string, changes: DepartmentChanges): Promise<void> {
  await trx
    .updateTable('department')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.shortName !== undefined ? { short_name: changes.shortName } : {}),
      ...(changes.kind !== undefined ? { kind: changes.kind } : {}),
      ...(changes.parentId !== undefined ? { parent_id: changes.parentId } : {}),
      ...(changes.creditCode !== undefined ? { credit_code: changes.creditCode } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Locks a department row for the rest of the transaction (serialises concurrent edits of one department). */
export async function lockDepartment(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.selectFrom('department').select('id').where('id', '=', id).forUpdate().execute();
}

/** A unique-constraint violation (SQLSTATE 23505), from PostgreSQL or PGlite. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

// ---- batches


/** The departments among `ids` inside the scope, with their regions' paths. */
export async function departmentPaths(db: Db, scope: Scope, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return scoped(db, scope).where('d.id', 'in', ids).execute();
}

/** Which of these codes (compared in lower case) and credit codes other departments hold already. */
export async function takenCodes(db: Db, codes: readonly string[], creditCodes: readonly string[]) {
  const [byCode, byCredit] = await Promise.all([
    codes.length === 0 ? [] : db.selectFrom('department').select(sql<string>`lower(code)`.as('code')).where(sql<string>`lower(code)`, 'in', codes.map((c) => c.toLowerCase())).execute(),
    creditCodes.length === 0 ? [] : db.selectFrom('department').select('credit_code').where('credit_code', 'in', creditCodes).execute(),
  ]);
  return { codes: new Set(byCode.map((r) => r.code)), creditCodes: new Set(byCredit.map((r) => r.credit_code)) };
}

/** Departments by id with their regions' paths (no jurisdiction: the caller checks the paths). */
export async function findDepartments(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('department as d')
    .innerJoin('region as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.code', 'd.name', 'd.region_code', 'r.path as region_path', 'r.name as region_name'])
    .where('d.id', 'in', ids)
    .execute();
}
