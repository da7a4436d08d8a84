// sms_segment_count(text): segmentCount of segments.ts in SQL, so a bulk queue (sendFromQuery) can write the
// message rows set-wise. A text of at most 70 UTF-16 code units is one segment; a longer one is cut into pieces of
// 67 units, never between the halves of a surrogate pair (a character beyond U+FFFF counts two units).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION sms_segment_count_astral(body text) RETURNS integer LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE
      units integer;
      pieces integer := 1;
      used integer := 0;
      w integer;
      c text;
    BEGIN
      units := char_length(body) + char_length(regexp_replace(body, '[^\\U00010000-\\U0010FFFF]', '', 'g'));
      IF units <= 70 THEN RETURN 1; END IF;
      FOREACH c IN ARRAY regexp_split_to_array(body, '') LOOP
        w := CASE WHEN ascii(c) > 65535 THEN 2 ELSE 1 END;
        IF used + w > 67 THEN
          pieces := pieces + 1;
          used := 0;
        END IF;
        used := used + w;
      END LOOP;
      RETURN pieces;
    END $$
  `.execute(db);
  // the common case (no character beyond U+FFFF) in plain SQL, which the planner inlines: no function call per row
  await sql`
    CREATE FUNCTION sms_segment_count(body text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN body ~ '[\\U00010000-\\U0010FFFF]' THEN sms_segment_count_astral(body)
                  WHEN char_length(body) <= 70 THEN 1 ELSE (char_length(body) + 66) / 67 END
    $$
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS sms_segment_count(text)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS sms_segment_count_astral(text)`.execute(db);
}
