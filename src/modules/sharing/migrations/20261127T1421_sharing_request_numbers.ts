// Request numbers per day (GX-YYYYMMDD-NNNN, one atomic counter row per day), idempotent submission and the
// provisional-deadline flag of sharing requests.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `CREATE TABLE sharing_request_counter (day date PRIMARY KEY, n integer NOT NULL)`,
  `ALTER TABLE sharing_request ADD COLUMN idempotency_key varchar(100)`,
  `ALTER TABLE sharing_request ADD COLUMN deadline_provisional boolean NOT NULL DEFAULT false`,
  `ALTER TABLE sharing_request ADD COLUMN decided_role varchar(40)`,
  `CREATE UNIQUE INDEX sharing_request_idempotency ON sharing_request (consumer_department_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
  `CREATE INDEX sharing_request_open ON sharing_request (deadline) WHERE status IN ('pending', 'escalated')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`DROP INDEX IF EXISTS sharing_request_open`).execute(db);
  await sql.raw(`DROP INDEX IF EXISTS sharing_request_idempotency`).execute(db);
  for (const column of ['decided_role', 'deadline_provisional', 'idempotency_key']) await sql.raw(`ALTER TABLE sharing_request DROP COLUMN IF EXISTS ${column}`).execute(db);
  await sql.raw(`DROP TABLE IF EXISTS sharing_request_counter`).execute(db);
}
