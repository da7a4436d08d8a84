// Placement policy (issue 10 §3): one row, changed at run time by the platform — the weigher (spread: least-loaded host
// first; stack: most-loaded host that fits) and the N+k reserve (0–2 host failures the pool must be able to absorb).
import { sql, type Kysely } from 'kysely';

const UP = [
  `
    CREATE TABLE cloud_placement_policy (
      id              boolean PRIMARY KEY DEFAULT true CHECK (id),
      weigher         varchar(16) NOT NULL DEFAULT 'spread' CHECK (weigher IN ('spread', 'stack')),
      reserve_hosts   smallint NOT NULL DEFAULT 1 CHECK (reserve_hosts BETWEEN 0 AND 2),
      version         integer NOT NULL DEFAULT 1,
      updated_by      uuid REFERENCES app_user(id),
      updated_at      timestamptz NOT NULL DEFAULT now()
    )
  `,
  `INSERT INTO cloud_placement_policy (id) VALUES (true)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`DROP TABLE IF EXISTS cloud_placement_policy`).execute(db);
}
