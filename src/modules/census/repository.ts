// SQL of community statistics: the cube (folded counts + pending deltas), the same numbers from the base tables, the
// fold and the rebuild. Every read is limited to one region subtree (a prefix range on region_path).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { likePrefix } from '../../db/jurisdiction.ts';
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
 * Counts of the cube per community for a dimension (current residents). Age is kept by birth month: the band is the
 * month-precise one, then the residents born in a boundary month after the asked day are moved one band down (a
 * few index-range reads of the base table), which makes it exact.
 */
export async function cubeCounts(db: Db, dimension: Dimension, path: string, today: string): Promise<CommunityCount[]> {
  const prefix = likePrefix(path);
  const dim = dimension === 'age' ? 'birth_month' : dimension;
  const cells = sql`
    SELECT community_code, value, n FROM census_cube WHERE dim = ${dim} AND region_path LIKE ${prefix}
    UNION ALL
    SELECT community_code, value, n FROM census_delta WHERE dim = ${dim} AND region_path LIKE ${prefix}
  `;
  if (dimension !== 'age') {
    const { rows } = await sql<CommunityCount>`
      SELECT community_code, value, sum(n)::int AS n FROM (${cells}) c GROUP BY 1, 2 HAVING sum(n) <> 0
    `.execute(db);
    return rows;
  }
  // month precision: age ≥ a ⇔ birth month ≤ the month of (today − a years)
  const arms = AGE_BANDS.slice(1)
    .reverse()
    .map((band) => sql`WHEN value <= ${minusYears(today, band.min).slice(0, 7)} THEN ${band.code}`);
  const { rows } = await sql<CommunityCount>`
    SELECT community_code, CASE ${sql.join(arms, sql` `)} ELSE ${AGE_BANDS[0].code} END AS value, sum(n)::int AS n
    FROM (${cells}) c GROUP BY 1, 2 HAVING sum(n) <> 0
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

/** Moves the committed deltas into the cube (one transaction; a delta is folded once even with two folders). */
export async function fold(db: Db): Promise<number> {
  const { rows } = await sql<{ folded: number }>`
    WITH moved AS (DELETE FROM census_delta RETURNING community_code, region_path, dim, value, n),
    summed AS (SELECT community_code, min(region_path) AS region_path, dim, value, sum(n)::int AS n, count(*)::int AS k FROM moved GROUP BY community_code, dim, value),
    put AS (
      INSERT INTO census_cube (community_code, region_path, dim, value, n)
      SELECT community_code, region_path, dim, value, n FROM summed WHERE n <> 0
      ON CONFLICT (community_code, dim, value) DO UPDATE SET n = census_cube.n + excluded.n, region_path = excluded.region_path
    )
    SELECT coalesce(sum(k), 0)::int AS folded FROM summed
  `.execute(db);
  await sql`DELETE FROM census_cube WHERE n = 0`.execute(db);
  return rows[0]?.folded ?? 0;
}

/** Recomputes the members and the cube from the base tables; writers wait on the lock meanwhile. */
export async function rebuild(db: Db): Promise<{ residents: number; cells: number }> {
  return db.transaction().execute(async (trx) => {
    await sql`LOCK TABLE census_member, census_cube, census_delta IN EXCLUSIVE MODE`.execute(trx);
    await sql`DELETE FROM census_delta`.execute(trx);
    await sql`DELETE FROM census_cube`.execute(trx);
    await sql`DELETE FROM census_member`.execute(trx);
    const members = await sql`
      INSERT INTO census_member
      SELECT resident_id, community_code, region_path, birth_date, sex, ethnicity, residence_status, medical_insurance, social_security,
             party_member, household_size, labels
      FROM census_attrs WHERE status = 'active'
    `.execute(trx);
    const cells = await sql`
      INSERT INTO census_cube (community_code, region_path, dim, value, n)
      SELECT m.community_code, min(m.region_path), c.dim, c.value, count(*)::int
      FROM census_member m CROSS JOIN LATERAL census_cells(m.birth_date, m.sex, m.ethnicity, m.residence_status, m.medical_insurance,
                                                             m.social_security, m.party_member, m.household_size, m.labels) c
      GROUP BY m.community_code, c.dim, c.value
    `.execute(trx);
    return { residents: Number(members.numAffectedRows ?? 0), cells: Number(cells.numAffectedRows ?? 0) };
  });
}

/** Deltas waiting for the fold (for the freshness figure and tests). */
export async function pendingDeltas(db: Db): Promise<number> {
  const row = await db.selectFrom('census_delta').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Labels in display order. */
export async function labelCodes(db: Db): Promise<{ code: string; name: string; name_en: string }[]> {
  return db.selectFrom('community_label').select(['code', 'name', 'name_en']).orderBy('sort_order').orderBy('code').execute();
}
