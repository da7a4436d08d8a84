// Ages from a small part of the cube: a 'birth_year' cell per community and year (90-odd values, not 1,080 months),
// read whole; the 'birth_month' cells are read only for the boundary years of the bands (index (dim, value, path)),
// and the residents born in a boundary month after the asked day from the registry, as before.
import { sql, type Kysely } from 'kysely';

const cells = (withYear: boolean) => `
  CREATE OR REPLACE FUNCTION census_cells(birth_date date, sex text, ethnicity text, residence_status text, medical_insurance text,
                                          social_security text, party_member text, household_size text, labels text[])
  RETURNS TABLE (dim text, value text) LANGUAGE sql IMMUTABLE AS $$
    SELECT v.dim, v.value FROM (VALUES
      ('birth_month', to_char(birth_date, 'YYYY-MM')),
      ${withYear ? `('birth_year', to_char(birth_date, 'YYYY')),` : ''}
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
  $$
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(cells(true)).execute(db);
  await sql`CREATE INDEX census_cube_dim_value_path ON census_cube (dim, value, region_path text_pattern_ops)`.execute(db);
  // a cube built before: its years from its months (pending deltas are folded the same way, by dimension)
  await sql`
    INSERT INTO census_cube (community_code, region_path, dim, value, n)
    SELECT community_code, min(region_path), 'birth_year', left(value, 4), sum(n)::int FROM census_cube WHERE dim = 'birth_month' GROUP BY community_code, left(value, 4)
  `.execute(db);
  await sql`
    INSERT INTO census_delta (community_code, region_path, dim, value, n)
    SELECT community_code, region_path, 'birth_year', left(value, 4), n FROM census_delta WHERE dim = 'birth_month'
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM census_delta WHERE dim = 'birth_year'`.execute(db);
  await sql`DELETE FROM census_cube WHERE dim = 'birth_year'`.execute(db);
  await sql`DROP INDEX IF EXISTS census_cube_dim_value_path`.execute(db);
  await sql.raw(cells(false)).execute(db);
}
