// A bench fixture for the digital community: `n` residents spread over the prefecture's communities, in households
// of three, with residence rows, some 重点人群 labels and fact flags, written by INSERT … SELECT (fast on PostgreSQL
// and PGlite). ID numbers are valid (GB 11643 check digit, county prefix, birth date, sex parity) and unique up to
// 32 million rows. Distributions are plain (uniform ages over 90 years); the demo seed is the realistic one.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema.ts';

const CHUNK = 100_000;

/** Adds `n` residents (numbered from the current count, so it can be called again to grow the set). */
export async function fillResidents(db: Kysely<Database>, n: number, prefecture = '6505', onProgress?: (done: number, total: number) => void): Promise<void> {
  const start = Number((await db.selectFrom('community_resident').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  for (let from = start; from < start + n; from += CHUNK) {
    const to = Math.min(start + n, from + CHUNK);
    await db.transaction().execute(async (trx) => {
      await sql`
        WITH c AS (
          SELECT code, path, (row_number() OVER (ORDER BY code) - 1)::int AS k, count(*) OVER ()::int AS n
          FROM region WHERE level = 4 AND valid_to IS NULL AND path LIKE ${`/${prefecture}/%`}
        )
        INSERT INTO community_household (household_no, community_code, region_path, address, member_count, updated_at)
        SELECT 'BH' || h, c.code, c.path, '幸福路' || (h % 500) || '号', 3, now()
        FROM generate_series(${Math.floor(from / 3)}::int, ${Math.floor((to - 1) / 3)}::int) h
        JOIN c ON c.k = h % c.n
        ON CONFLICT (household_no) DO NOTHING
      `.execute(trx);
      await sql`
        WITH g AS (
          SELECT i, (i::bigint * 7919 % 32850)::int AS day, (i / 32850) % 1000 AS seq FROM generate_series(${from}::int, ${to - 1}::int) i
        ), b AS (
          SELECT g.i, h.id AS household_id, h.community_code, h.region_path,
                 substr(h.community_code, 1, 6) || to_char(date '1935-01-01' + g.day::int, 'YYYYMMDD') || lpad(g.seq::text, 3, '0') AS body,
                 date '1935-01-01' + g.day::int AS birth, g.seq, random() AS r, random() AS r2
          FROM g JOIN community_household h ON h.household_no = 'BH' || (g.i / 3)
        )
        INSERT INTO community_resident (id_number, name, sex, birth_date, ethnicity, phone, household_id, relation, community_code, region_path,
                                        address, residence_status, moved_in_on, updated_at)
        SELECT b.body || substr('10X98765432', (
                 (SELECT sum(substr(b.body, k, 1)::int * (ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2])[k]) FROM generate_series(1, 17) k) % 11
               )::int + 1, 1),
               (ARRAY['王','李','张','刘','陈','杨','赵','马','阿不都','买买提','努尔','古丽'])[1 + b.i % 12] || (ARRAY['伟','芳','娜','军','敏','静','丽','强','江','热依拉','别克','阿依'])[1 + (b.i / 12) % 12],
               CASE WHEN b.seq % 2 = 1 THEN 'M' ELSE 'F' END,
               b.birth,
               CASE WHEN b.r < 0.68 THEN '01' WHEN b.r < 0.86 THEN '05' WHEN b.r < 0.95 THEN '17' WHEN b.r < 0.98 THEN '03' ELSE '29' END,
               '139' || lpad(b.i::text, 8, '0'),
               b.household_id,
               (ARRAY['head','spouse','child'])[1 + b.i % 3],
               b.community_code, b.region_path, '幸福路' || (b.i % 500) || '号',
               CASE WHEN b.r2 < 0.75 THEN 'registered' WHEN b.r2 < 0.92 THEN 'resident' ELSE 'floating' END,
               date '2015-01-01', now()
        FROM b
      `.execute(trx);
      await sql`
        INSERT INTO community_residence (resident_id, community_code, region_path, residence_status, valid_from)
        SELECT r.id, r.community_code, r.region_path, r.residence_status, r.moved_in_on
        FROM community_resident r JOIN community_household h ON h.id = r.household_id
        WHERE h.household_no >= ${`BH${Math.floor(from / 3)}`} AND NOT EXISTS (SELECT 1 FROM community_residence x WHERE x.resident_id = r.id)
      `.execute(trx);
    });
    onProgress?.(to - start, n);
  }
  // labels and facts for everyone without them yet
  await sql`
    INSERT INTO community_resident_label (resident_id, label_code)
    SELECT r.id, CASE WHEN r.birth_date < '1956-01-01' THEN 'elderly_alone' WHEN hashtext(r.id_number) % 3 = 0 THEN 'disabled' ELSE 'low_income' END
    FROM community_resident r
    WHERE abs(hashtext(r.id_number)) % 100 < 6 AND NOT EXISTS (SELECT 1 FROM community_resident_label l WHERE l.resident_id = r.id)
  `.execute(db);
  await sql`
    INSERT INTO community_resident_fact (resident_id, fact, value, source_resource_code, source_updated_at)
    SELECT r.id, f.fact, abs(hashtext(r.id_number || f.fact)) % 100 < f.pct, f.src, now()
    FROM community_resident r
    CROSS JOIN (VALUES ('medical_insurance', 92, 'MEDICAL_INSURANCE'), ('social_security', 85, 'SOCIAL_SECURITY'), ('party_member', 8, 'PARTY_MEMBERS')) AS f(fact, pct, src)
    WHERE NOT EXISTS (SELECT 1 FROM community_resident_fact x WHERE x.resident_id = r.id AND x.fact = f.fact)
  `.execute(db);
}
