// SQL of the tracker: a person's entries in the access log (resource 'data:%'), covert grants, the grants list.
import { sql, type Kysely, type Transaction } from 'kysely';
import { inScope } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { Scope } from '../../shared/access.ts';

export interface UseRow {
  at: Date;
  batch_id: string;
  ord: number;
  resource: string;
  fields: string[];
  detail: Record<string, unknown> | null;
  actor_name: string | null;
  request_id: string | null;
  department_name: string | null;
  covert: boolean;
}

export interface UseQuery {
  idNumber: string;
  /** false: hide reads made under covert grants (the citizen's view); true: show them flagged (auditors). */
  includeCovert: boolean;
  /** The auditor's jurisdiction over the provider's region; none for the citizen's own record. */
  scope?: Scope;
  after?: { at: string; batchId: string; ord: number };
  limit: number;
}

/**
 * Reads of the person's data, newest first. The covert flag is looked up at read time from the grant named in the
 * entry, so marking a grant covert later hides its earlier reads too. Served by audit_access_subjects (GIN).
 */
export async function listUses(db: Kysely<Database>, q: UseQuery): Promise<UseRow[]> {
  // the grant id as a uuid (served by the primary key); anything else in the detail names no grant
  const grantId = sql`CASE WHEN a.detail->>'grantId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (a.detail->>'grantId')::uuid END`;
  const grantCovert = sql<boolean>`coalesce((SELECT g.covert FROM data_grant g WHERE g.share_id = ${grantId}), false)`;
  return db
    .selectFrom('audit_access as a')
    .leftJoin('department as d', 'd.id', 'a.department_id')
    .select(['a.at', 'a.batch_id', 'a.ord', 'a.resource', 'a.fields', 'a.detail', 'a.actor_name', 'a.request_id', 'd.name as department_name', grantCovert.as('covert')])
    .where(sql<boolean>`a.subject_ids @> ${JSON.stringify([q.idNumber])}::jsonb`)
    .where('a.resource', 'like', 'data:%')
    .$if(!q.includeCovert, (qb) => qb.where(sql<boolean>`NOT ${grantCovert}`))
    .$if(q.scope !== undefined, (qb) => qb.where((eb) => inScope(eb, eb.ref('a.region_code'), q.scope!)))
    .$if(q.after !== undefined, (qb) => qb.where(sql<boolean>`(a.at, a.batch_id, a.ord) < (${q.after!.at}::timestamptz, ${q.after!.batchId}::uuid, ${q.after!.ord})`))
    .orderBy('a.at', 'desc')
    .orderBy('a.batch_id', 'desc')
    .orderBy('a.ord', 'desc')
    .limit(q.limit)
    .execute() as Promise<UseRow[]>;
}

/** Item names of the given resources by code: resource code → item code → name. */
export async function itemNames(db: Kysely<Database>, resourceCodes: readonly string[]): Promise<Map<string, Map<string, string>>> {
  const names = new Map<string, Map<string, string>>();
  if (resourceCodes.length === 0) return names;
  const rows = await db
    .selectFrom('data_item as i')
    .innerJoin('data_resource as r', 'r.id', 'i.resource_id')
    .select(['r.code as resource', 'i.code', 'i.name'])
    .where('r.code', 'in', resourceCodes)
    .execute();
  for (const row of rows) {
    let items = names.get(row.resource);
    if (!items) names.set(row.resource, (items = new Map()));
    items.set(row.code, row.name);
  }
  return names;
}

/** The signed-in citizen's ID number (the citizens module's own row). */
export async function citizenIdNumber(db: Kysely<Database>, userId: string): Promise<string | null> {
  const row = await db.selectFrom('citizen').select('id_number').where('user_id', '=', userId).executeTakeFirst();
  return row?.id_number ?? null;
}

/** A data grant with its provider's region, locked for the marking, if it lies in the scope. */
export async function lockGrantInScope(trx: Transaction<Database>, shareId: string, scope: Scope) {
  return trx
    .selectFrom('data_grant as g')
    .innerJoin('department as d', 'd.id', 'g.provider_department_id')
    .innerJoin('data_resource as r', 'r.id', 'g.resource_id')
    .select(['g.share_id', 'g.covert', 'd.region_code', 'r.code as resource_code'])
    .where('g.share_id', '=', shareId)
    .where((eb) => inScope(eb, eb.ref('d.region_code'), scope))
    .forUpdate('g')
    .executeTakeFirst();
}

export async function setCovert(trx: Transaction<Database>, shareId: string, covert: boolean, by: string | null, at: Date): Promise<void> {
  await trx
    .updateTable('data_grant')
    .set(covert ? { covert: true, covert_marked_by: by, covert_marked_at: at } : { covert: false, covert_marked_by: null, covert_marked_at: null })
    .where('share_id', '=', shareId)
    .execute();
}

export interface GrantQuery {
  scope: Scope;
  covert?: boolean;
  resourceCode?: string;
  shareId?: string;
  after?: { createdAt: string; shareId: string };
  limit: number;
}

/** Data grants whose provider lies in the scope, newest first. */
export async function listGrants(db: Kysely<Database>, q: GrantQuery) {
  return db
    .selectFrom('data_grant as g')
    .innerJoin('share_grant as s', 's.id', 'g.share_id')
    .innerJoin('data_resource as r', 'r.id', 'g.resource_id')
    .innerJoin('department as p', 'p.id', 'g.provider_department_id')
    .innerJoin('department as c', 'c.id', 'g.consumer_department_id')
    .leftJoin('client_app as app', 'app.id', 'g.client_app_id')
    .select([
      'g.share_id',
      sql<string>`g.created_at::text`.as('created_key'),
      'r.code as resource_code',
      'r.name as resource_name',
      'p.name as provider_name',
      'c.name as consumer_name',
      'app.name as system_name',
      's.purpose',
      's.fields',
      's.expires_at',
      's.revoked_at',
      'g.covert',
      'g.covert_marked_at',
    ])
    .where((eb) => inScope(eb, eb.ref('p.region_code'), q.scope))
    .$if(q.covert !== undefined, (qb) => qb.where('g.covert', '=', q.covert!))
    .$if(q.resourceCode !== undefined, (qb) => qb.where('r.code', '=', q.resourceCode!))
    .$if(q.shareId !== undefined, (qb) => qb.where('g.share_id', '=', q.shareId!))
    .$if(q.after !== undefined, (qb) => qb.where(sql<boolean>`(g.created_at, g.share_id) < (${q.after!.createdAt}::timestamptz, ${q.after!.shareId}::uuid)`))
    .orderBy('g.created_at', 'desc')
    .orderBy('g.share_id', 'desc')
    .limit(q.limit)
    .execute();
}
