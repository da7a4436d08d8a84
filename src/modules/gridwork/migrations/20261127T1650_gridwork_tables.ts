// Mobile grid work (issue 8 §6): visits to residents (走访) and incidents (事件上报) with their state history.
// Both carry the community's path (jurisdiction: a prefix range, no join); an incident also carries its street's
// path (the dispatchers' desk). Submissions are idempotent per (author, client key).
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE gridwork_visit (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      resident_id     uuid NOT NULL REFERENCES community_resident(id),
      community_code  varchar(12) NOT NULL REFERENCES region(code),
      region_path     text NOT NULL,
      grid_id         uuid REFERENCES community_grid(id),
      visitor_id      uuid REFERENCES app_user(id),
      kind            varchar(8) NOT NULL CHECK (kind IN ('home', 'phone', 'other')),
      visited_at      timestamptz NOT NULL,
      notes           varchar(2000) NOT NULL DEFAULT '',
      latitude        double precision CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
      longitude       double precision CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
      client_key      varchar(64) NOT NULL,
      created_at      timestamptz NOT NULL DEFAULT now(),
      CHECK ((latitude IS NULL) = (longitude IS NULL))
    )
  `,
  `CREATE UNIQUE INDEX gridwork_visit_key ON gridwork_visit (COALESCE(visitor_id, '00000000-0000-0000-0000-000000000000'::uuid), client_key)`,
  `CREATE INDEX gridwork_visit_resident ON gridwork_visit (resident_id, visited_at DESC)`,
  `CREATE INDEX gridwork_visit_path ON gridwork_visit (region_path text_pattern_ops, visited_at DESC)`,
  `CREATE SEQUENCE gridwork_incident_seq`,
  `
    CREATE TABLE gridwork_incident (
      id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      number                varchar(24) NOT NULL UNIQUE,
      category              varchar(16) NOT NULL CHECK (category IN ('dispute', 'safety_hazard', 'sanitation', 'municipal', 'public_order', 'livelihood', 'other')),
      description           varchar(2000) NOT NULL,
      address               varchar(200) NOT NULL,
      latitude              double precision CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
      longitude             double precision CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
      community_code        varchar(12) NOT NULL REFERENCES region(code),
      region_path           text NOT NULL,
      street_code           varchar(12) NOT NULL REFERENCES region(code),
      street_path           text NOT NULL,
      grid_id               uuid REFERENCES community_grid(id),
      reporter_id           uuid REFERENCES app_user(id),
      client_key            varchar(64) NOT NULL,
      status                varchar(12) NOT NULL DEFAULT 'reported' CHECK (status IN ('reported', 'dispatched', 'returned', 'concluded')),
      department_id         uuid REFERENCES department(id),
      deadline              date,
      deadline_provisional  boolean NOT NULL DEFAULT false,
      dispatched_at         timestamptz,
      dispatched_by         uuid REFERENCES app_user(id),
      concluded_at          timestamptz,
      conclusion            varchar(2000),
      return_reason         varchar(2000),
      version               integer NOT NULL DEFAULT 1,
      reported_at           timestamptz NOT NULL DEFAULT now(),
      updated_at            timestamptz NOT NULL DEFAULT now(),
      CHECK ((latitude IS NULL) = (longitude IS NULL)),
      CHECK (status NOT IN ('dispatched', 'concluded') OR (department_id IS NOT NULL AND deadline IS NOT NULL))
    )
  `,
  `CREATE UNIQUE INDEX gridwork_incident_key ON gridwork_incident (COALESCE(reporter_id, '00000000-0000-0000-0000-000000000000'::uuid), client_key)`,
  `CREATE INDEX gridwork_incident_street ON gridwork_incident (street_path text_pattern_ops, status)`,
  `CREATE INDEX gridwork_incident_path ON gridwork_incident (region_path text_pattern_ops, reported_at DESC)`,
  `CREATE INDEX gridwork_incident_department ON gridwork_incident (department_id, status, deadline)`,
  `CREATE INDEX gridwork_incident_reporter ON gridwork_incident (reporter_id, status)`,
  `
    CREATE TABLE gridwork_incident_event (
      id             bigserial PRIMARY KEY,
      incident_id    uuid NOT NULL REFERENCES gridwork_incident(id),
      action         varchar(12) NOT NULL,
      from_status    varchar(12),
      to_status      varchar(12) NOT NULL,
      actor_id       uuid REFERENCES app_user(id),
      department_id  uuid REFERENCES department(id),
      note           varchar(2000) NOT NULL DEFAULT '',
      at             timestamptz NOT NULL DEFAULT now()
    )
  `,
  `CREATE INDEX gridwork_incident_event_incident ON gridwork_incident_event (incident_id, id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['gridwork_incident_event', 'gridwork_incident', 'gridwork_visit']) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
  await sql.raw('DROP SEQUENCE IF EXISTS gridwork_incident_seq').execute(db);
}
