// The working-day calendar: loaded years, their exceptional days, a version every node polls, coverage alerts.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE calendar_year (
      year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2099),
      source text NOT NULL CHECK (source IN ('package', 'admin')),
      holidays integer NOT NULL,
      workdays integer NOT NULL,
      loaded_at timestamptz NOT NULL DEFAULT now(),
      loaded_by uuid REFERENCES app_user(id) ON DELETE SET NULL
    )`.execute(db);
  await sql`
    CREATE TABLE calendar_day (
      day date PRIMARY KEY,
      year integer NOT NULL REFERENCES calendar_year(year) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
      name text NOT NULL,
      CHECK (extract(year FROM day) = year),
      -- a make-up workday (调休) is a Saturday or Sunday
      CHECK (kind = 'holiday' OR extract(isodow FROM day) >= 6)
    )`.execute(db);
  await sql`CREATE INDEX calendar_day_year ON calendar_day (year)`.execute(db);
  await sql`CREATE TABLE calendar_state (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)`.execute(db);
  await sql`INSERT INTO calendar_state (id, version) VALUES (1, 0)`.execute(db);
  await sql`
    CREATE TABLE calendar_coverage_alert (
      year integer PRIMARY KEY,
      first_at timestamptz NOT NULL,
      last_at timestamptz NOT NULL,
      computations bigint NOT NULL,
      furthest date NOT NULL,
      resolved_at timestamptz
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE calendar_coverage_alert, calendar_state, calendar_day, calendar_year`.execute(db);
}
