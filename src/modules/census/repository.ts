// SQL of community statistics: the cube (folded counts + pending deltas), the same numbers from the base tables, the
// fold and the rebuild. Every read is limited to one region subtree (a prefix range on region_path).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { likePrefix } from '../../db/jurisdiction.ts';
import { dropSecondaryIndexes, rebuildIndexes } from '../../db/bulk-indexes.ts';
import { minusYears } from '../community/index.ts';
import { AGE_BANDS, type Dimension } from './kinds.ts';

type Db = Kysely<Database>;

/** Residents of one community with one value of a dimension. */
export interface CommunityCount {
  community_code: string;
  value: string;
  n: number;
}

/** Residents of one community with one value of each of two dimensions. */
export interface CommunityPairCount extends CommunityCount {
  value2: string;
}

/** The region nodes of a subtree (current regions), parents before children. */
export async function regionsUnder(db: Db, path: string) {
  return db
    .selectFrom('region')
    .select(['code', 'name', 'level', 'path', 'parent_code'])
    .where('path', 'like', likePrefix(path))
    .where('valid_to', 'is', null)
    .orderBy('path')
    .execute();
}

export async function regionByCode(db: Db, code: string) {
  return db.selectFrom('region').select(['code', 'name', 'level', 'path', 'parent_code']).where('code', '=', code).where('valid_to', 'is', null).executeTakeFirst();
}

/** Last day of the month of 'YYYY-MM-DD'. */
function monthEnd(day: string): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** The age band of a birth date on `asOf` (exact: a band starts on the birthday, 29 Feb → 28 Feb). */
function ageBandSql(birth: RawBuilder<unknown>, asOf: string): RawBuilder<string> {
  const arms = AGE_BANDS.slice(1)
    .reverse()
    .map((band) => sql`WHEN ${birth} <= ${minusYears(asOf, band.min)}::date THEN ${band.code}`);
  return sql<string>`CASE ${sql.join(arms, sql` `)} ELSE ${AGE_BANDS[0].code} END`;
}

/**
 * Counts of the cube per community for a dimension (current residents). Age reads the 'birth_year' cells (a year
 * below a band's boundary year is in the band or above), then adds the boundary years' months up to the asked month
 * (one band up), then moves the residents born in the boundary month after the asked day back down (a few
 * index-range reads of the base table), which makes it exact.
 */
export async function cubeCounts(db: Db, dimension: Dimension, path: string, today: string): Promise<CommunityCount[]> {
  const prefix = likePrefix(path);
  const cellsOf = (dim: string, values?: string[]) => sql`
    SELECT community_code, value, n FROM census_cube WHERE dim = ${dim} AND region_path LIKE ${prefix} ${values ? sql`AND value = ANY(${values}::text[])` : sql``}
    UNION ALL
    SELECT community_code, value, n FROM census_delta WHERE dim = ${dim} AND region_path LIKE ${prefix} ${values ? sql`AND value = ANY(${values}::text[])` : sql``}
  `;
  if (dimension !== 'age') {
    const { rows } = await sql<CommunityCount>`
      SELECT community_code, value, sum(n)::int AS n FROM (${cellsOf(dimension)}) c GROUP BY 1, 2 HAVING sum(n) <> 0
    `.execute(db);
    return rows;
  }
  // born in the boundary year of a band (today's year − its lower age) or later: below it until the birthday
  const year = Number(today.slice(0, 4));
  const month = today.slice(5, 7);
  const bands = AGE_BANDS.slice(1).map((band, i) => ({ boundary: String(year - band.min).padStart(4, '0'), up: band.code, down: AGE_BANDS[i]!.code }));
  const byYear = [...bands].reverse().map((b) => sql`WHEN value < ${b.boundary} THEN ${b.up}`);
  const months = bands.flatMap((b) => Array.from({ length: Number(month) }, (_, m) => `${b.boundary}-${String(m + 1).padStart(2, '0')}`));
  const upOf = sql.join(bands.map((b) => sql`WHEN ${b.boundary} THEN ${b.up}`), sql` `);
  const downOf = sql.join(bands.map((b) => sql`WHEN ${b.boundary} THEN ${b.down}`), sql` `);
  const { rows } = await sql<CommunityCount>`
    WITH m AS (${cellsOf('birth_month', months)})
    SELECT community_code, value, sum(n)::int AS n FROM (
      SELECT community_code, CASE ${sql.join(byYear, sql` `)} ELSE ${AGE_BANDS[0].code} END AS value, n FROM (${cellsOf('birth_year')}) y
      UNION ALL SELECT community_code, CASE left(value, 4) ${upOf} END, n FROM m
      UNION ALL SELECT community_code, CASE left(value, 4) ${downOf} END, -n FROM m
    ) c GROUP BY 1, 2 HAVING sum(n) <> 0
  `.execute(db);
  // born in a boundary month, after the day: not yet that age
  const ranges = AGE_BANDS.slice(1).map((band, i) => ({ from: minusYears(today, band.min), to: monthEnd(minusYears(today, band.min)), up: band.code, down: AGE_BANDS[i]!.code }));
  const which = sql.join(
    ranges.map((r) => sql`WHEN birth_date > ${r.from}::date AND birth_date <= ${r.to}::date THEN ${r.up}`),
    sql` `,
  );
  const { rows: early } = await sql<{ community_code: string; up: string; n: number }>`
    SELECT community_code, CASE ${which} END AS up, count(*)::int AS n
    FROM community_resident
    WHERE status = 'active' AND region_path LIKE ${prefix}
      AND (${sql.join(
        ranges.map((r) => sql`(birth_date > ${r.from}::date AND birth_date <= ${r.to}::date)`),
        sql` OR `,
      )})
    GROUP BY 1, 2
  `.execute(db);
  const key = (c: string, v: string) => `${c}\u0000${v}`;
  const counts = new Map(rows.map((r) => [key(r.community_code, r.value), { ...r }]));
  const add = (community: string, value: string, n: number) => {
    const k = key(community, value);
    const row = counts.get(k);
    if (row) row.n += n;
    else counts.set(k, { community_code: community, value, n });
  };
  for (const e of early) {
    const range = ranges.find((r) => r.up === e.up)!;
    add(e.community_code, range.up, -e.n);
    add(e.community_code, range.down, e.n);
  }
  return [...counts.values()].filter((r) => r.n !== 0);
}

/** The population of a subtree on a day, described as the cube describes it: current residents, or residence intervals. */
function population(path: string, asOf: string, today: string): RawBuilder<unknown> {
  const prefix = likePrefix(path);
  if (asOf >= today) {
    return sql`
      SELECT community_code, birth_date, sex, ethnicity, residence_status, medical_insurance, social_security, party_member, household_size, labels
      FROM census_attrs WHERE status = 'active' AND region_path LIKE ${prefix}
    `;
  }
  return sql`
    SELECT s.community_code, a.birth_date, a.sex, a.ethnicity, s.residence_status::text AS residence_status, a.medical_insurance,
           a.social_security, a.party_member, a.household_size, a.labels
    FROM community_residence s JOIN census_attrs a ON a.resident_id = s.resident_id
    WHERE s.valid_from <= ${asOf}::date AND (s.valid_to IS NULL OR s.valid_to > ${asOf}::date) AND s.region_path LIKE ${prefix}
      AND a.birth_date <= ${asOf}::date
  `;
}

function valueSql(dimension: Dimension, asOf: string, labelAlias: string): RawBuilder<string> {
  switch (dimension) {
    case 'age':
      return ageBandSql(sql.ref('p.birth_date'), asOf);
    case 'label':
      return sql<string>`${sql.ref(`${labelAlias}.v`)}`;
    default:
      return sql<string>`${sql.ref(`p.${dimension}`)}`;
  }
}

const labelsOf = (alias: string) => sql`CROSS JOIN LATERAL unnest(CASE WHEN cardinality(p.labels) = 0 THEN ARRAY['none']::text[] ELSE p.labels END) AS ${sql.raw(alias)}(v)`;

/** The plain GROUP BY over the registry: counts per community for one dimension, any day (past days by residence intervals). */
export async function baseCounts(db: Db, dimension: Dimension, path: string, asOf: string, today: string): Promise<CommunityCount[]> {
  const { rows } = await sql<CommunityCount>`
    SELECT p.community_code, ${valueSql(dimension, asOf, 'l1')} AS value, count(*)::int AS n
    FROM (${population(path, asOf, today)}) p ${dimension === 'label' ? labelsOf('l1') : sql``}
    GROUP BY 1, 2
  `.execute(db);
  return rows;
}

/** Counts per community for two dimensions at once (a cross-tab), any day. */
export async function basePairCounts(db: Db, first: Dimension, second: Dimension, path: string, asOf: string, today: string): Promise<CommunityPairCount[]> {
  const { rows } = await sql<CommunityPairCount>`
    SELECT p.community_code, ${valueSql(first, asOf, 'l1')} AS value, ${valueSql(second, asOf, 'l1')} AS value2, count(*)::int AS n
    FROM (${population(path, asOf, today)}) p ${first === 'label' || second === 'label' ? labelsOf('l1') : sql``}
    GROUP BY 1, 2, 3
  `.execute(db);
  return rows;
}

/** The one-valued cells of a member as census_cells describes them (dimension, SQL of its value), labels apart. */
const SCALAR_CELLS: readonly (readonly [string, string])[] = [
  ['birth_month', `to_char(birth_date, 'YYYY-MM')`],
  ['birth_year', `to_char(birth_date, 'YYYY')`],
  ['sex', 'sex'],
  ['ethnicity', 'ethnicity'],
  ['residence_status', 'residence_status'],
  ['medical_insurance', 'medical_insurance'],
  ['social_security', 'social_security'],
  ['party_member', 'party_member'],
  ['household_size', 'household_size'],
];

/** Noted residents above this many are rebuilt set-wise instead of one by one (a bulk load). */
const REBUILD_ABOVE = 20_000;
/** Residents re-described per statement of a fold. */
const FOLD_BATCH = 20_000;
/** One folder at a time (across nodes): it is the only writer of census_member and census_cube. */
const FOLD_LOCK = sql`hashtext('census.fold')`;

/**
 * Re-describes the residents the triggers noted and adds the differences to the cube, in one transaction; with a
 * large backlog, rebuilds instead. Returns the residents processed (0 when another node is folding).
 */
export async function fold(db: Db): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${FOLD_LOCK}) AS locked`.execute(trx);
    if (!rows[0]?.locked) return 0;
    const backlog = await trx.selectFrom('census_dirty').select('id').offset(REBUILD_ABOVE).limit(1).executeTakeFirst();
    if (backlog) return (await rebuildIn(trx)).residents;
    let done = 0;
    for (;;) {
      const { rows: batch } = await sql<{ n: number }>`
        WITH d AS (DELETE FROM census_dirty WHERE id IN (SELECT id FROM census_dirty ORDER BY id LIMIT ${FOLD_BATCH}) RETURNING resident_id),
        ids AS (SELECT ARRAY(SELECT DISTINCT resident_id FROM d) AS ids)
        SELECT cardinality(ids)::int AS n, census_refresh(ids) AS ok FROM ids
      `.execute(trx);
      const n = batch[0]?.n ?? 0;
      done += n;
      if (n === 0) break;
    }
    if (done === 0) return 0;
    const { rows: emptied } = await sql<{ community_code: string; dim: string; value: string }>`
      WITH moved AS (DELETE FROM census_delta RETURNING community_code, region_path, dim, value, n),
      summed AS (SELECT community_code, min(region_path) AS region_path, dim, value, sum(n)::int AS n FROM moved GROUP BY community_code, dim, value),
      put AS (
        INSERT INTO census_cube (community_code, region_path, dim, value, n)
        SELECT community_code, region_path, dim, value, n FROM summed WHERE n <> 0
        ON CONFLICT (community_code, dim, value) DO UPDATE SET n = census_cube.n + excluded.n, region_path = excluded.region_path
        RETURNING community_code, dim, value, n
      )
      SELECT community_code, dim, value FROM put WHERE n = 0
    `.execute(trx);
    // only the cells this fold emptied (not a scan of the whole cube every second)
    if (emptied.length > 0) {
      await sql`
        DELETE FROM census_cube c
        USING unnest(${emptied.map((e) => e.community_code)}::text[], ${emptied.map((e) => e.dim)}::text[], ${emptied.map((e) => e.value)}::text[]) AS e(community_code, dim, value)
        WHERE c.community_code = e.community_code AND c.dim = e.dim AND c.value = e.value AND c.n = 0
      `.execute(trx);
    }
    return done;
  });
}

/** Recomputes the members and the cube from the base tables, set-wise; writers' notes wait on the lock meanwhile. */
export async function rebuild(db: Db): Promise<{ residents: number; cells: number }> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${FOLD_LOCK})`.execute(trx);
    return rebuildIn(trx);
  });
}

export async function rebuildIn(trx: Db): Promise<{ residents: number; cells: number }> {
  await sql`LOCK TABLE census_member, census_cube, census_delta, census_dirty IN EXCLUSIVE MODE`.execute(trx);
  // the joins and the cube's aggregate of ~10 cells per member spill to disk at the default 4 MB (PGlite's too): a
  // rebuild is rare system work, so it may hold more memory for its transaction (D126)
  await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
  // the first build (an empty cube: the demo's, after the registry's bulk load) fills the cube and the members with
  // their secondary indexes dropped and builds those once after (D155); a later rebuild keeps them, readers are served
  const firstBuild = (await sql`SELECT 1 FROM census_cube LIMIT 1`.execute(trx)).rows.length === 0;
  const savedIndexes = firstBuild ? await dropSecondaryIndexes(trx, ['census_cube', 'census_member']) : [];
  for (const table of ['census_dirty', 'census_delta', 'census_cube', 'census_member']) await sql`DELETE FROM ${sql.table(table)}`.execute(trx);
  // the same description as census_attrs, by joins to grouped tables rather than a lookup per resident
  const members = await sql`
    INSERT INTO census_member
    SELECT r.id, r.community_code, r.region_path, r.birth_date, r.sex::text, r.ethnicity::text, r.residence_status::text,
           coalesce(f.medical_insurance, 'unknown'), coalesce(f.social_security, 'unknown'), coalesce(f.party_member, 'unknown'),
           CASE WHEN r.household_id IS NULL OR coalesce(h.k, 0) = 0 THEN 'none' WHEN h.k >= 6 THEN '6+' ELSE h.k::text END,
           coalesce(l.labels, ARRAY[]::text[])
    FROM community_resident r
    LEFT JOIN (
      SELECT resident_id,
             max(CASE WHEN fact = 'medical_insurance' THEN CASE WHEN value THEN 'yes' ELSE 'no' END END) AS medical_insurance,
             max(CASE WHEN fact = 'social_security' THEN CASE WHEN value THEN 'yes' ELSE 'no' END END) AS social_security,
             max(CASE WHEN fact = 'party_member' THEN CASE WHEN value THEN 'yes' ELSE 'no' END END) AS party_member
      FROM community_resident_fact WHERE fact IN ('medical_insurance', 'social_security', 'party_member') GROUP BY resident_id
    ) f ON f.resident_id = r.id
    LEFT JOIN (
      SELECT household_id, count(*) AS k FROM community_resident WHERE status = 'active' AND household_id IS NOT NULL GROUP BY household_id
    ) h ON h.household_id = r.household_id
    LEFT JOIN (
      SELECT resident_id, array_agg(label_code::text ORDER BY label_code) AS labels FROM community_resident_label GROUP BY resident_id
    ) l ON l.resident_id = r.id
    WHERE r.status = 'active'
  `.execute(trx);
  // one grouped pass per dimension: cheaper than the ~10 rows per member the lateral census_cells makes for one
  // aggregate (0.5 s against 1.1–1.5 s of CPU at 50,000 residents on PGlite, D143); the census test compares the
  // rebuilt cube cell by cell with census_cells, the fold's description
  const perDimension = sql.join(
    SCALAR_CELLS.map(([dim, value]) => sql`SELECT community_code, min(region_path), ${sql.lit(dim)}, ${sql.raw(value)}, count(*)::int FROM census_member GROUP BY community_code, 4`),
    sql` UNION ALL `,
  );
  const cells = await sql`
    INSERT INTO census_cube (community_code, region_path, dim, value, n)
    ${perDimension}
    UNION ALL
    SELECT m.community_code, min(m.region_path), 'label', l, count(*)::int
    FROM census_member m CROSS JOIN LATERAL unnest(CASE WHEN cardinality(m.labels) = 0 THEN ARRAY['none']::text[] ELSE m.labels END) AS l
    GROUP BY m.community_code, 4
  `.execute(trx);
  await rebuildIndexes(trx, savedIndexes);
  // the planner must see the new cube's size, or a breakdown may scan it whole; and the registry's after a bulk load,
  // or the age correction ANDs a million-row path bitmap with its few birth dates (ANALYZE is allowed in a transaction)
  await sql`ANALYZE census_cube`.execute(trx);
  await sql`ANALYZE community_resident`.execute(trx);
  return { residents: Number(members.numAffectedRows ?? 0), cells: Number(cells.numAffectedRows ?? 0) };
}

/** Residents noted by the triggers and not yet folded (for the freshness figure and tests). */
export async function pendingResidents(db: Db): Promise<number> {
  const row = await db.selectFrom('census_dirty').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Labels in display order. */
export async function labelCodes(db: Db): Promise<{ code: string; name: string; name_en: string }[]> {
  return db.selectFrom('community_label').select(['code', 'name', 'name_en']).orderBy('sort_order').orderBy('code').execute();
}
