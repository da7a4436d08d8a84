// Statistics of the community registry (issue 8 §4): a per-community cube of current counts, one row per
// (community, dimension, value). Statement-level triggers with transition tables on the registry only note which
// residents changed (census_dirty: one cheap insert per statement, so writers never wait on a counter row and a bulk
// load does not crawl). The fold (every second) re-describes the noted residents from the base tables (census_attrs),
// compares with what the cube counted last time (census_member) and adds the difference to the cube; a large
// backlog (a bulk load) is rebuilt set-wise instead. Age is kept as the birth month ('birth_month'), never as a
// band, so the band can be computed for the asked date.
import { sql, type Kysely } from 'kysely';

const CELLS = `
  SELECT v.dim, v.value FROM (VALUES
    ('birth_month', to_char(birth_date, 'YYYY-MM')),
    ('sex', sex),
    ('ethnicity', ethnicity),
    ('residence_status', residence_status),
    ('medical_insurance', medical_insurance),
    ('social_security', social_security),
    ('party_member', party_member),
    ('household_size', household_size)
  ) AS v(dim, value)
  UNION ALL
  SELECT 'label', l FROM unnest(CASE WHEN cardinality(labels) = 0 THEN ARRAY['none']::text[] ELSE labels END) AS l
`;

const UP: string[] = [
  // A resident's attributes as statistics see them (any status): facts as yes / no / unknown, the household's
  // active members (1…5, 6+; none without a household), the 重点人群 labels sorted.
  `
    CREATE VIEW census_attrs AS
    SELECT r.id AS resident_id, r.status, r.community_code, r.region_path, r.birth_date, r.sex::text AS sex, r.ethnicity::text AS ethnicity,
           r.residence_status::text AS residence_status,
           COALESCE((SELECT CASE WHEN f.value THEN 'yes' ELSE 'no' END FROM community_resident_fact f WHERE f.resident_id = r.id AND f.fact = 'medical_insurance'), 'unknown') AS medical_insurance,
           COALESCE((SELECT CASE WHEN f.value THEN 'yes' ELSE 'no' END FROM community_resident_fact f WHERE f.resident_id = r.id AND f.fact = 'social_security'), 'unknown') AS social_security,
           COALESCE((SELECT CASE WHEN f.value THEN 'yes' ELSE 'no' END FROM community_resident_fact f WHERE f.resident_id = r.id AND f.fact = 'party_member'), 'unknown') AS party_member,
           CASE WHEN r.household_id IS NULL THEN 'none' ELSE (
             SELECT CASE WHEN k = 0 THEN 'none' WHEN k >= 6 THEN '6+' ELSE k::text END
             FROM (SELECT count(*) FILTER (WHERE m.status = 'active') AS k FROM community_resident m WHERE m.household_id = r.household_id) hh
           ) END AS household_size,
           ARRAY(SELECT l.label_code::text FROM community_resident_label l WHERE l.resident_id = r.id ORDER BY l.label_code) AS labels
    FROM community_resident r
  `,
  `
    CREATE TABLE census_member (
      resident_id       uuid PRIMARY KEY,
      community_code    varchar(12) NOT NULL,
      region_path       text NOT NULL,
      birth_date        date NOT NULL,
      sex               text NOT NULL,
      ethnicity         text NOT NULL,
      residence_status  text NOT NULL,
      medical_insurance text NOT NULL,
      social_security   text NOT NULL,
      party_member      text NOT NULL,
      household_size    text NOT NULL,
      labels            text[] NOT NULL
    )
  `,
  `
    CREATE TABLE census_cube (
      community_code varchar(12) NOT NULL,
      region_path    text NOT NULL,
      dim            varchar(24) NOT NULL,
      value          varchar(32) NOT NULL,
      n              integer NOT NULL,
      PRIMARY KEY (community_code, dim, value)
    )
  `,
  `CREATE INDEX census_cube_dim_path ON census_cube (dim, region_path text_pattern_ops)`,
  `
    CREATE TABLE census_delta (
      id             bigserial PRIMARY KEY,
      community_code varchar(12) NOT NULL,
      region_path    text NOT NULL,
      dim            varchar(24) NOT NULL,
      value          varchar(32) NOT NULL,
      n              integer NOT NULL
    )
  `,
  `CREATE INDEX census_delta_dim_path ON census_delta (dim, region_path text_pattern_ops)`,
  `CREATE TABLE census_dirty (id bigserial PRIMARY KEY, resident_id uuid NOT NULL)`,
  // the exact-age correction reads the residents born in a few boundary months
  // (not partial on status: a partial index would tempt the planner into scanning all active residents per lookup)
  `CREATE INDEX census_resident_birth ON community_resident (birth_date)`,
  // past dates: the residence intervals open on the day
  `CREATE INDEX census_residence_from ON community_residence (valid_from, valid_to)`,
  `
    CREATE FUNCTION census_cells(birth_date date, sex text, ethnicity text, residence_status text, medical_insurance text,
                                 social_security text, party_member text, household_size text, labels text[])
    RETURNS TABLE (dim text, value text) LANGUAGE sql IMMUTABLE AS $$ ${CELLS} $$
  `,
  // Re-describes the residents `ids` and writes the difference to census_delta (the fold calls it, one at a time).
  `
    CREATE FUNCTION census_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
      WITH a AS (SELECT DISTINCT unnest(ids) AS id),
      fresh AS MATERIALIZED (
        SELECT f.resident_id, f.community_code, f.region_path, f.birth_date, f.sex, f.ethnicity, f.residence_status,
               f.medical_insurance, f.social_security, f.party_member, f.household_size, f.labels
        FROM census_attrs f JOIN a ON a.id = f.resident_id WHERE f.status = 'active'
      ),
      old AS MATERIALIZED (SELECT m.* FROM census_member m JOIN a ON a.id = m.resident_id),
      gone AS (
        DELETE FROM census_member m USING a WHERE m.resident_id = a.id
          AND NOT EXISTS (SELECT 1 FROM community_resident r WHERE r.id = a.id AND r.status = 'active')
      ),
      put AS (
        INSERT INTO census_member SELECT * FROM fresh
        ON CONFLICT (resident_id) DO UPDATE SET community_code = excluded.community_code, region_path = excluded.region_path,
          birth_date = excluded.birth_date, sex = excluded.sex, ethnicity = excluded.ethnicity, residence_status = excluded.residence_status,
          medical_insurance = excluded.medical_insurance, social_security = excluded.social_security, party_member = excluded.party_member,
          household_size = excluded.household_size, labels = excluded.labels
      ),
      moves AS (SELECT -1 AS d, old.* FROM old UNION ALL SELECT 1 AS d, fresh.* FROM fresh)
      INSERT INTO census_delta (community_code, region_path, dim, value, n)
      SELECT mv.community_code, mv.region_path, c.dim, c.value, sum(mv.d)
      FROM moves mv CROSS JOIN LATERAL census_cells(mv.birth_date, mv.sex, mv.ethnicity, mv.residence_status, mv.medical_insurance,
                                                     mv.social_security, mv.party_member, mv.household_size, mv.labels) c
      GROUP BY 1, 2, 3, 4 HAVING sum(mv.d) <> 0;
    END $$
  `,
  // a resident's change also changes the household size of everyone in the old and the new household
  `
    CREATE FUNCTION census_on_resident() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO census_dirty (resident_id)
        SELECT id FROM new_rows
        UNION SELECT m.id FROM community_resident m WHERE m.household_id IN (SELECT household_id FROM new_rows WHERE household_id IS NOT NULL);
      ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO census_dirty (resident_id)
        SELECT id FROM new_rows
        UNION SELECT m.id FROM community_resident m WHERE m.household_id IN (
          SELECT household_id FROM new_rows WHERE household_id IS NOT NULL UNION SELECT household_id FROM old_rows WHERE household_id IS NOT NULL);
      ELSE
        INSERT INTO census_dirty (resident_id)
        SELECT id FROM old_rows
        UNION SELECT m.id FROM community_resident m WHERE m.household_id IN (SELECT household_id FROM old_rows WHERE household_id IS NOT NULL);
      END IF;
      RETURN NULL;
    END $$
  `,
  `
    CREATE FUNCTION census_on_resident_part() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO census_dirty (resident_id) SELECT DISTINCT resident_id FROM new_rows;
      ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO census_dirty (resident_id) SELECT resident_id FROM new_rows UNION SELECT resident_id FROM old_rows;
      ELSE
        INSERT INTO census_dirty (resident_id) SELECT DISTINCT resident_id FROM old_rows;
      END IF;
      RETURN NULL;
    END $$
  `,
  ...(['community_resident', 'community_resident_label', 'community_resident_fact'] as const).flatMap((table) => {
    const fn = table === 'community_resident' ? 'census_on_resident' : 'census_on_resident_part';
    return [
      `CREATE TRIGGER census_${table}_ins AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      `CREATE TRIGGER census_${table}_upd AFTER UPDATE ON ${table} REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      `CREATE TRIGGER census_${table}_del AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    ];
  }),
];

const DOWN: string[] = [
  ...['community_resident', 'community_resident_label', 'community_resident_fact'].flatMap((t) => ['ins', 'upd', 'del'].map((op) => `DROP TRIGGER IF EXISTS census_${t}_${op} ON ${t}`)),
  `DROP FUNCTION IF EXISTS census_on_resident_part()`,
  `DROP FUNCTION IF EXISTS census_on_resident()`,
  `DROP FUNCTION IF EXISTS census_refresh(uuid[])`,
  `DROP FUNCTION IF EXISTS census_cells(date, text, text, text, text, text, text, text, text[])`,
  `DROP INDEX IF EXISTS census_residence_from`,
  `DROP INDEX IF EXISTS census_resident_birth`,
  `DROP TABLE IF EXISTS census_dirty`,
  `DROP TABLE IF EXISTS census_delta`,
  `DROP TABLE IF EXISTS census_cube`,
  `DROP TABLE IF EXISTS census_member`,
  `DROP VIEW IF EXISTS census_attrs`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
