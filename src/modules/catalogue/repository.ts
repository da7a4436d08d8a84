// SQL of the catalogue. Who may manage a resource is put into SQL here (`manageable`), so no caller can forget it.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { inScope, inTenant } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { Scope } from '../../shared/access.ts';
import { searchVariants, subsequencePattern, substringPattern, type ItemInput } from './rules.ts';
import type { OpenAttr, ResourceClass, ShareType, UpdateCycle } from './tables.ts';

type Db = Kysely<Database>;

/**
 * Where the caller may manage resources: the providers in its own department tree (`tenantRoot`), and any provider
 * whose region lies in `widePaths` (platform-wide roles: catalogue.manage together with departments.manage).
 */
export interface ManageRights {
  tenantRoot: string | null;
  widePaths: string[];
}

export const NO_RIGHTS: ManageRights = { tenantRoot: null, widePaths: [] };

/** The department column (and its region column) lies where the rights reach. */
export function manageable<DB extends Database, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  columns: { department: Expression<string | null>; region: Expression<string | null> },
  rights: ManageRights,
): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (rights.tenantRoot) parts.push(inTenant(columns.department, { departments: [rights.tenantRoot] }));
  if (rights.widePaths.length > 0) parts.push(inScope(eb, columns.region, { paths: rights.widePaths } as Scope));
  return parts.length === 0 ? sql<SqlBool>`false` : eb.or(parts);
}

export async function canManageDepartment(db: Db, departmentId: string, rights: ManageRights): Promise<boolean> {
  const row = await db
    .selectFrom('department as d')
    .select('d.id')
    .where('d.id', '=', departmentId)
    .where((eb) => manageable(eb, { department: eb.ref('d.id'), region: eb.ref('d.region_code') }, rights))
    .executeTakeFirst();
  return row !== undefined;
}

export async function findProvider(db: Db, id: string) {
  return db.selectFrom('department').select(['id', 'name', 'region_code']).where('id', '=', id).executeTakeFirst();
}

export type ResourceRow = NonNullable<Awaited<ReturnType<typeof findResourceRow>>>;

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** A resource with its provider's name, by id or code; `lock` takes the row lock (the caller's transaction). */
export async function findResourceRow(db: Db, idOrCode: string, options: { lock?: boolean } = {}) {
  let query = db
    .selectFrom('data_resource as r')
    .innerJoin('department as d', 'd.id', 'r.provider_department_id')
    .selectAll('r')
    .select('d.name as provider_name')
    .where(isUuid(idOrCode) ? 'r.id' : 'r.code', '=', idOrCode);
  if (options.lock) query = query.forUpdate('r');
  return query.executeTakeFirst();
}

export async function isManageable(db: Db, resourceId: string, rights: ManageRights): Promise<boolean> {
  const row = await db
    .selectFrom('data_resource as r')
    .select('r.id')
    .where('r.id', '=', resourceId)
    .where((eb) => manageable(eb, { department: eb.ref('r.provider_department_id'), region: eb.ref('r.region_code') }, rights))
    .executeTakeFirst();
  return row !== undefined;
}

export async function itemsOf(db: Db, resourceIds: string[]) {
  if (resourceIds.length === 0) return [];
  return db.selectFrom('data_item').selectAll().where('resource_id', 'in', resourceIds).orderBy('resource_id').orderBy('ord').execute();
}

export async function existingCodes(db: Db, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db.selectFrom('data_resource').select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((r) => r.code));
}

/** The next free 后段码 under a 前段码; the caller holds the prefix's advisory lock. */
export async function nextSequence(db: Db, prefix: string): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`catalogue:${prefix}`}))`.execute(db);
  const row = await db
    .selectFrom('data_resource')
    .select(sql<string | null>`max(split_part(code, '/', 2))`.as('last'))
    .where('code', 'like', `${prefix}/%`)
    .executeTakeFirst();
  return (row?.last ? Number.parseInt(row.last, 10) : 0) + 1;
}

export async function replaceItems(db: Db, resourceId: string, items: Required<ItemInput>[]): Promise<void> {
  await db.deleteFrom('data_item').where('resource_id', '=', resourceId).execute();
  await db
    .insertInto('data_item')
    .values(
      items.map((i, ord) => ({
        resource_id: resourceId,
        code: i.code,
        ord,
        name: i.name,
        type: i.type,
        max_length: i.maxLength,
        required: i.required,
        is_key: i.isKey,
        sensitivity: i.sensitivity,
        share_type: i.shareType,
        legal_basis: i.legalBasis,
        mask: i.mask,
        description: i.description,
      })),
    )
    .execute();
}

export interface SearchFilters {
  q?: string;
  providerId?: string;
  class?: ResourceClass;
  shareType?: ShareType;
  updateCycle?: UpdateCycle;
  theme?: string;
  openAttr?: OpenAttr;
  status?: 'draft' | 'published' | 'withdrawn';
}

export type FacetName = 'provider' | 'class' | 'shareType' | 'updateCycle' | 'theme' | 'openAttr';

/** The search's SQL pieces: the rank (3 exact name or code, 2 substring, 1 characters in order) and the match. */
function searchParts(q: string) {
  const variants = searchVariants(q);
  const lower = q.toLowerCase().trim();
  const subsequence = sql.join(variants.map((v) => sql`r.search_text LIKE ${subsequencePattern(v)}`), sql` OR `);
  const substring = sql.join(variants.map((v) => sql`r.search_text LIKE ${substringPattern(v)}`), sql` OR `);
  const rank = sql<number>`(CASE WHEN lower(r.name) IN (${sql.join(variants)}) OR lower(r.code) = ${lower} THEN 3 WHEN ${substring} THEN 2 ELSE 1 END)`;
  const similarity = sql<number>`floor(similarity(r.search_text, ${lower}) * 1000000)::int`;
  return { match: sql<SqlBool>`(${subsequence})`, rank, similarity };
}

/** Rows the caller may see (published ones; drafts and withdrawn ones only where it manages them) matching the filters. */
function filtered(db: Db, filters: SearchFilters, rights: ManageRights, except?: FacetName) {
  return db
    .selectFrom('data_resource as r')
    .where((eb) => eb.or([eb('r.status', '=', 'published'), manageable(eb, { department: eb.ref('r.provider_department_id'), region: eb.ref('r.region_code') }, rights)]))
    .$if(filters.status !== undefined, (qb) => qb.where('r.status', '=', filters.status!))
    .$if(filters.q !== undefined && filters.q.trim().length > 0, (qb) => qb.where(searchParts(filters.q!).match))
    .$if(filters.providerId !== undefined && except !== 'provider', (qb) => qb.where('r.provider_department_id', '=', filters.providerId!))
    .$if(filters.class !== undefined && except !== 'class', (qb) => qb.where('r.class', '=', filters.class!))
    .$if(filters.updateCycle !== undefined && except !== 'updateCycle', (qb) => qb.where('r.update_cycle', '=', filters.updateCycle!))
    .$if(filters.theme !== undefined && except !== 'theme', (qb) => qb.where('r.theme', '=', filters.theme!))
    .$if(filters.openAttr !== undefined && except !== 'openAttr', (qb) => qb.where('r.open_attr', '=', filters.openAttr!))
    .$if(filters.shareType !== undefined && except !== 'shareType', (qb) =>
      qb.where((eb) => eb.exists(eb.selectFrom('data_item as i').select('i.code').whereRef('i.resource_id', '=', 'r.id').where('i.share_type', '=', filters.shareType!))),
    );
}

export interface SearchKey {
  rank: number;
  similarity: number;
  code: string;
}

/** One page of matches, best first (rank, then trigram similarity, then code); `after` is the last row's key. */
export async function searchResources(db: Db, filters: SearchFilters, rights: ManageRights, page: { after?: SearchKey; limit: number }) {
  const q = filters.q?.trim() ?? '';
  const parts = q.length > 0 ? searchParts(q) : null;
  const inner = filtered(db, filters, rights)
    .innerJoin('department as d', 'd.id', 'r.provider_department_id')
    .selectAll('r')
    .select('d.name as provider_name')
    .select(parts ? parts.rank.as('rank') : sql<number>`0`.as('rank'))
    .select(parts ? parts.similarity.as('sim') : sql<number>`0`.as('sim'));
  const after = page.after;
  return db
    .selectFrom(inner.as('t'))
    .selectAll('t')
    .$if(after !== undefined, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb('t.rank', '<', after!.rank),
          eb.and([eb('t.rank', '=', after!.rank), eb('t.sim', '<', after!.similarity)]),
          eb.and([eb('t.rank', '=', after!.rank), eb('t.sim', '=', after!.similarity), eb('t.code', '>', after!.code)]),
        ]),
      ),
    )
    .orderBy('t.rank', 'desc')
    .orderBy('t.sim', 'desc')
    .orderBy('t.code', 'asc')
    .limit(page.limit)
    .execute();
}

export async function countResources(db: Db, filters: SearchFilters, rights: ManageRights): Promise<number> {
  const row = await filtered(db, filters, rights).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface FacetCount {
  value: string;
  label: string | null;
  count: number;
}

/** Counts per value of each facet, over the matches of every other filter (so a chosen value keeps its siblings). */
export async function facetCounts(db: Db, filters: SearchFilters, rights: ManageRights): Promise<Record<FacetName, FacetCount[]>> {
  const column = { class: 'r.class', updateCycle: 'r.update_cycle', theme: 'r.theme', openAttr: 'r.open_attr' } as const;
  const simple = async (name: keyof typeof column) => {
    const rows = await filtered(db, filters, rights, name)
      .select([sql<string>`${sql.ref(column[name])}`.as('value'), sql<string>`count(*)`.as('n')])
      .where(sql.ref(column[name]), 'is not', null)
      .groupBy(sql.ref(column[name]))
      .execute();
    return rows.map((r) => ({ value: r.value, label: null, count: Number(r.n) })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  };
  const providers = filtered(db, filters, rights, 'provider')
    .innerJoin('department as d', 'd.id', 'r.provider_department_id')
    .select(['d.id as value', 'd.name as label', sql<string>`count(*)`.as('n')])
    .groupBy(['d.id', 'd.name'])
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('d.name')
    .limit(50)
    .execute();
  const shareTypes = filtered(db, filters, rights, 'shareType')
    .innerJoin('data_item as i', 'i.resource_id', 'r.id')
    .select(['i.share_type as value', sql<string>`count(DISTINCT r.id)`.as('n')])
    .groupBy('i.share_type')
    .execute();
  const [provider, shareType, cls, updateCycle, theme, openAttr] = await Promise.all([providers, shareTypes, simple('class'), simple('updateCycle'), simple('theme'), simple('openAttr')]);
  return {
    provider: provider.map((r) => ({ value: r.value, label: r.label, count: Number(r.n) })),
    shareType: shareType.map((r) => ({ value: r.value, label: null, count: Number(r.n) })).sort((a, b) => b.count - a.count),
    class: cls,
    updateCycle,
    theme,
    openAttr,
  };
}

export async function versionsOf(db: Db, resourceId: string) {
  return db
    .selectFrom('data_resource_version as v')
    .leftJoin('app_user as u', 'u.id', 'v.changed_by')
    .select(['v.version', 'v.changes', 'v.changed_at', 'u.display_name as changed_by_name'])
    .where('v.resource_id', '=', resourceId)
    .orderBy('v.version', 'desc')
    .execute();
}

export async function versionSnapshot(db: Db, resourceId: string, version: number) {
  return db.selectFrom('data_resource_version').select(['version', 'snapshot', 'changed_at']).where('resource_id', '=', resourceId).where('version', '=', version).executeTakeFirst();
}

export interface DemandFilters {
  status?: 'open' | 'matched' | 'closed';
  departmentId?: string;
  q?: string;
}

export async function listDemands(db: Db, filters: DemandFilters, page: { after?: readonly [string, string]; limit: number }) {
  const base = db
    .selectFrom('data_demand as m')
    .$if(filters.status !== undefined, (qb) => qb.where('m.status', '=', filters.status!))
    .$if(filters.departmentId !== undefined, (qb) => qb.where('m.department_id', '=', filters.departmentId!))
    .$if(filters.q !== undefined, (qb) => qb.where((eb) => eb.or([eb('m.title', 'like', substringPattern(filters.q!)), eb('m.description', 'like', substringPattern(filters.q!))])));
  const total = Number((await base.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const after = page.after;
  const items = await base
    .innerJoin('department as d', 'd.id', 'm.department_id')
    .leftJoin('department as s', 's.id', 'm.suggested_provider_id')
    .leftJoin('data_resource as r', 'r.id', 'm.resource_id')
    .selectAll('m')
    .select(['d.name as department_name', 's.name as suggested_provider_name', 'r.code as resource_code', 'r.name as resource_name', 'd.region_code as department_region'])
    .$if(after !== undefined, (qb) =>
      qb.where((eb) => eb.or([eb('m.created_at', '<', new Date(after![0])), eb.and([eb('m.created_at', '=', new Date(after![0])), eb('m.id', '<', after![1])])])),
    )
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(page.limit)
    .execute();
  return { total, items };
}

export async function findDemand(db: Db, id: string, options: { lock?: boolean } = {}) {
  let query = db
    .selectFrom('data_demand as m')
    .innerJoin('department as d', 'd.id', 'm.department_id')
    .leftJoin('department as s', 's.id', 'm.suggested_provider_id')
    .leftJoin('data_resource as r', 'r.id', 'm.resource_id')
    .selectAll('m')
    .select(['d.name as department_name', 's.name as suggested_provider_name', 'r.code as resource_code', 'r.name as resource_name', 'd.region_code as department_region'])
    .where('m.id', '=', id);
  if (options.lock) query = query.forUpdate('m');
  return query.executeTakeFirst();
}
