// The durable job queue (jobs, scheduled runs and outbox events share it; see D44).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE job (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      unique_key text CHECK (length(unique_key) BETWEEN 1 AND 400),
      payload jsonb NOT NULL DEFAULT '{}'::jsonb,
      state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'failed', 'done')),
      run_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL CHECK (max_attempts BETWEEN 1 AND 100),
      locked_by text,
      locked_until timestamptz,
      last_error text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      finished_at timestamptz,
      CHECK ((state = 'running') = (locked_until IS NOT NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX job_unique_key ON job (name, unique_key) WHERE unique_key IS NOT NULL`.execute(db);
  // what a worker claims: queued and due, or running with an expired lease
  await sql`CREATE INDEX job_due ON job (run_at, id) WHERE state = 'queued'`.execute(db);
  await sql`CREATE INDEX job_leased ON job (locked_until) WHERE state = 'running'`.execute(db);
  // the console's list: newest first, by state and by name
  await sql`CREATE INDEX job_state_id ON job (state, id DESC)`.execute(db);
  await sql`CREATE INDEX job_name_id ON job (name, id DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE job`.execute(db);
}
