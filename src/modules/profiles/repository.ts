// SQL of the resident profile: the registry record in the caller's jurisdiction, household, labels, fact flags, and
// the derivation of the flags from the consumer's usable grants.
import { sql, type Kysely, type Transaction } from 'kysely';
import { withoutTriggersIfAllowed } from '../../db/bulk-indexes.ts';
import type { Database } from '../../db/schema.ts';
import type { Scope } from '../../shared/access.ts';
import { residentInScope, type Fact } from '../community/index.ts';

/** Advisory lock class of the fact derivation (one lock per fact: two refreshes of a fact never interleave). */
const LOCK_CLASS = 7301;

/** The resident with community and grid names, if inside the scope's region subtrees. */
export async function residentInJurisdiction(db: Kysely<Database>, scope: Pick<Scope, 'paths'>, residentId: string) {
  return db
    .selectFrom('community_resident as r')
    .leftJoin('region as c', 'c.code', 'r.community_code')
    .leftJoin('community_grid as g', 'g.id', 'r.grid_id')
    .leftJoin('community_household as h', 'h.id', 'r.household_id')
    .selectAll('r')
    .select(['c.name as community_name', 'g.name as grid_name', 'h.household_no', 'h.address as household_address', 'h.member_count'])
    .where('r.id', '=', residentId)
    .where((eb) => residentInScope(eb, scope))
    .executeTakeFirst();
}

export async function householdMembers(db: Kysely<Database>, householdId: string) {
  return db
    .selectFrom('community_resident')
    .select(['id', 'name', 'id_number', 'sex', 'birth_date', 'relation', 'status'])
    .where('household_id', '=', householdId)
    .orderBy(sql`relation = 'head'`, 'desc')
    .orderBy('birth_date')
    .execute();
}

export async function labelsOf(db: Kysely<Database>, residentId: string) {
  return db
    .selectFrom('community_resident_label as rl')
    .innerJoin('community_label as l', 'l.code', 'rl.label_code')
    .select(['l.code', 'l.name', 'l.name_en', 'l.color', 'rl.note', 'rl.added_at'])
    .where('rl.resident_id', '=', residentId)
    .orderBy('l.sort_order')
    .execute();
}

export async function factsOf(db: Kysely<Database>, residentId: string) {
  return db.selectFrom('community_resident_fact').selectAll().where('resident_id', '=', residentId).orderBy('fact').execute();
}

/** Every label with the number of active residents in the scope carrying it. */
export async function labelCounts(db: Kysely<Database>, scope: Pick<Scope, 'paths'>) {
  const counts = await db
    .selectFrom('community_resident_label as rl')
    .innerJoin('community_resident as r', 'r.id', 'rl.resident_id')
    .select(['rl.label_code', (eb) => eb.fn.countAll<string>().as('n')])
    .where((eb) => eb.and([residentInScope(eb, scope), eb('r.status', '=', 'active')]))
    .groupBy('rl.label_code')
    .execute();
  const labels = await db.selectFrom('community_label').selectAll().orderBy('sort_order').execute();
  const of = new Map(counts.map((c) => [c.label_code, Number(c.n)]));
  return labels.map((l) => ({ ...l, count: of.get(l.code) ?? 0 }));
}

export async function consumerOf(db: Kysely<Database>) {
  return db
    .selectFrom('profile_consumer as p')
    .innerJoin('department as d', 'd.id', 'p.department_id')
    .leftJoin('client_app as a', 'a.id', 'p.client_app_id')
    .select(['p.department_id', 'p.client_app_id', 'p.purpose', 'd.name as department_name', 'a.name as client_name'])
    .executeTakeFirst();
}

/** One source of a fact as the consumer may use it now: the resource and the region prefixes of its usable grants. */
export interface UsableSource {
  fact: Fact;
  resourceId: string;
  code: string;
  /** null: the whole resource. */
  prefixes: (string | null)[];
  /** Granted items (a status item decides the fact's value only when it is granted). */
  fields: string[];
}

/** The fact sources the consumer may read now (published resource, grant neither revoked nor expired). */
export async function usableSources(db: Kysely<Database>, now: Date, facts?: readonly Fact[]): Promise<UsableSource[]> {
  if (facts?.length === 0) return [];
  const rows = await db
    .selectFrom('profile_fact_source as fs')
    .innerJoin('data_resource as res', 'res.id', 'fs.resource_id')
    .innerJoin('profile_consumer as p', (join) => join.onTrue())
    .innerJoin('data_grant as g', (join) => join.onRef('g.resource_id', '=', 'fs.resource_id').onRef('g.consumer_department_id', '=', 'p.department_id'))
    .innerJoin('share_grant as s', 's.id', 'g.share_id')
    .select(['fs.fact', 'fs.resource_id', 'res.code', 'g.region_prefix', 's.fields'])
    .where('res.status', '=', 'published')
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .where((eb) => eb.or([eb('g.client_app_id', 'is', null), eb('g.client_app_id', '=', eb.ref('p.client_app_id'))]))
    .$if(facts !== undefined, (q) => q.where('fs.fact', 'in', [...facts!]))
    .execute();
  const byKey = new Map<string, UsableSource>();
  for (const r of rows) {
    const key = `${r.fact}\u001f${r.resource_id}`;
    const held = byKey.get(key) ?? { fact: r.fact, resourceId: r.resource_id, code: r.code, prefixes: [], fields: [] };
    held.prefixes.push(r.region_prefix);
    held.fields = [...new Set([...held.fields, ...r.fields])];
    byKey.set(key, held);
  }
  return [...byKey.values()];
}

/** A fact's usable sources as one comparable string. */
export function fingerprintOf(fact: Fact, sources: readonly UsableSource[]): string {
  const negative = NEGATIVE_VALUES[fact];
  return JSON.stringify(
    sources
      .filter((s) => s.fact === fact)
      .map((s) => [s.code, [...s.prefixes].map((p) => p ?? '*').sort(), negative ? s.fields.includes(negative.item) : false])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
}

export async function factStates(db: Kysely<Database>) {
  return new Map((await db.selectFrom('profile_fact_state').select(['fact', 'fingerprint']).execute()).map((r) => [r.fact, r.fingerprint]));
}

/** The facts of a resource a load up to `maxSeq` may change: those whose last full derivation saw less of it. */
export async function factsToRederive(db: Kysely<Database>, resourceId: string, maxSeq: string | null): Promise<Fact[]> {
  const rows = await db.selectFrom('profile_fact_source').select(['fact', 'derived_seq']).where('resource_id', '=', resourceId).execute();
  return rows.filter((r) => maxSeq === null || r.derived_seq === null || BigInt(r.derived_seq) < BigInt(maxSeq)).map((r) => r.fact);
}

/** A status item whose listed values mean the fact does not hold (参保状态 终止参保). */
export const NEGATIVE_VALUES: Partial<Record<Fact, { item: string; values: string[] }>> = {
  social_security: { item: 'insured_status', values: ['终止参保'] },
  medical_insurance: { item: 'insured_status', values: ['终止参保'] },
  party_member: { item: 'member_status', values: ['已停止党籍', '出党'] },
};

/**
 * Re-derives one fact for the residents named (all, or those whose rows a load wrote) from the sources given, under
 * the fact's advisory lock: after the lock every statement sees every load committed before it, so the last refresh
 * to run reflects them all (two loads at once lose nothing). Flags of those residents not re-derived are removed.
 * `unnoted` (a full refresh whose caller rebuilds the census cube after it): a superuser session writes without the
 * census triggers, as the community demo loads the registry (D141).
 */
export async function refreshFact(
  trx: Transaction<Database>,
  fact: Fact,
  sources: readonly UsableSource[],
  persons: { loadId: string } | 'all',
  options: { unnoted?: boolean } = {},
): Promise<{ upserted: number; removed: number }> {
  await sql`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${fact}))`.execute(trx);
  const personFilter = persons === 'all' ? sql`true` : sql`d.person_id IN (SELECT person_id FROM data_row WHERE load_id = ${persons.loadId} AND person_id IS NOT NULL)`;
  // only this function writes flags, under the fact's lock: a fact without a flag now gets plain inserts, not a
  // speculative insertion per row (D141)
  let first = false;
  if (persons === 'all') {
    if (options.unnoted) await withoutTriggersIfAllowed(trx);
    first = (await trx.selectFrom('community_resident_fact').select('resident_id').where('fact', '=', fact).limit(1).executeTakeFirst()) === undefined;
    // the whole registry's flags: the DISTINCT ON sort of ~50,000 rows spills to disk at the default 4 MB (D126)
    await sql`SET LOCAL work_mem = '32MB'`.execute(trx);
    // before the derivation reads (an older snapshot): what it records it has surely seen
    await sql`UPDATE profile_fact_source fs SET derived_seq = (SELECT max(seq) FROM data_row d WHERE d.resource_id = fs.resource_id) WHERE fs.fact = ${fact}`.execute(trx);
    await sql`
      INSERT INTO profile_fact_state (fact, fingerprint, derived_at) VALUES (${fact}, ${fingerprintOf(fact, sources)}, now())
      ON CONFLICT (fact) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, derived_at = EXCLUDED.derived_at
    `.execute(trx);
  }
  let upserted = 0;
  if (sources.length > 0) {
    const sourceConds = sql.join(
      sources.map((s) => {
        const regions = s.prefixes.includes(null) ? sql`true` : sql.join(s.prefixes.map((p) => sql`d.region_code LIKE ${`${p}%`}`), sql` OR `);
        return sql`(d.resource_id = ${s.resourceId} AND (${regions}))`;
      }),
      sql` OR `,
    );
    const negative = NEGATIVE_VALUES[fact];
    const negated = negative ? sources.filter((s) => s.fields.includes(negative.item)).map((s) => s.resourceId) : [];
    const ruled = negative !== undefined && negated.length > 0;
    const value = ruled ? sql<boolean>`NOT (d.resource_id IN (${sql.join(negated)}) AND coalesce(d.data->>${negative.item}, '') IN (${sql.join(negative.values)}))` : sql<boolean>`true`;
    // a row saying the fact holds wins over one saying it does not, then the newest
    const order = ruled ? sql`r.id, ${value} DESC, d.updated_at DESC` : sql`r.id, d.updated_at DESC`;
    const result = await sql`
      INSERT INTO community_resident_fact (resident_id, fact, value, source_resource_code, source_updated_at, refreshed_at)
      SELECT DISTINCT ON (r.id) r.id, ${fact}, ${value}, res.code, d.updated_at, now()
      FROM data_row d
      JOIN community_resident r ON r.id_number = d.person_id
      JOIN data_resource res ON res.id = d.resource_id
      WHERE NOT d.deleted AND d.person_id IS NOT NULL AND (${sourceConds}) AND ${personFilter}
      ORDER BY ${order}
      ${first ? sql`` : sql`ON CONFLICT (resident_id, fact) DO UPDATE SET value = EXCLUDED.value, source_resource_code = EXCLUDED.source_resource_code,
        source_updated_at = EXCLUDED.source_updated_at, refreshed_at = EXCLUDED.refreshed_at`}
    `.execute(trx);
    upserted = Number(result.numAffectedRows ?? 0);
  }
  const residents = persons === 'all' ? sql`true` : sql`f.resident_id IN (SELECT r.id FROM community_resident r JOIN data_row d ON d.person_id = r.id_number WHERE d.load_id = ${persons.loadId})`;
  const removed = first ? { numAffectedRows: 0n } : await sql`DELETE FROM community_resident_fact f WHERE f.fact = ${fact} AND f.refreshed_at <> now() AND ${residents}`.execute(trx);
  return { upserted, removed: Number(removed.numAffectedRows ?? 0) };
}

