// The integrated resident view's consumer (whose sharing grants the digital community system reads through) and the
// resources each fact flag is derived from; an index to remove the flags of a source no longer granted.
import { sql, type Kysely } from 'kysely';

const UP = [
  `
    CREATE TABLE profile_consumer (
      id              boolean PRIMARY KEY DEFAULT true CHECK (id),
      department_id   uuid NOT NULL REFERENCES department(id),
      client_app_id   uuid REFERENCES client_app(id),
      purpose         varchar(200) NOT NULL,
      updated_at      timestamptz NOT NULL DEFAULT now()
    )
  `,
  `
    CREATE TABLE profile_fact_source (
      fact         varchar(32) NOT NULL,
      resource_id  uuid NOT NULL REFERENCES data_resource(id),
      -- the resource's highest row seq the last full derivation of the fact saw (a load at or below it changes nothing)
      derived_seq  bigint,
      PRIMARY KEY (fact, resource_id)
    )
  `,
  `
    CREATE TABLE profile_fact_state (
      fact         varchar(32) PRIMARY KEY,
      -- the usable sources (resources, region prefixes, status item) the flags were last derived from
      fingerprint  text NOT NULL,
      derived_at   timestamptz NOT NULL DEFAULT now()
    )
  `,
  `CREATE INDEX profile_fact_source_resource ON profile_fact_source (resource_id)`,
  `CREATE INDEX community_resident_fact_source ON community_resident_fact (source_resource_code)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS community_resident_fact_source`.execute(db);
  await sql`DROP TABLE IF EXISTS profile_fact_state`.execute(db);
  await sql`DROP TABLE IF EXISTS profile_fact_source`.execute(db);
  await sql`DROP TABLE IF EXISTS profile_consumer`.execute(db);
}
