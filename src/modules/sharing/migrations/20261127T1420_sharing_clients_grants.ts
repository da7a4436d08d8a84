// Consuming systems (client applications with hashed, expiring, rotatable credentials) and data grants: the sharing
// module's side of a share grant (access module's share_grant) made for a catalogue resource.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE client_app (
      id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id         uuid NOT NULL REFERENCES department(id),
      name                  varchar(100) NOT NULL,
      description           varchar(500) NOT NULL DEFAULT '',
      client_id             varchar(40) NOT NULL UNIQUE,
      secret_hash           varchar(128) NOT NULL,
      secret_expires_at     timestamptz NOT NULL,
      previous_secret_hash  varchar(128),
      previous_expires_at   timestamptz,
      rate_per_minute       integer NOT NULL DEFAULT 600 CHECK (rate_per_minute > 0),
      status                varchar(10) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
      created_by            uuid REFERENCES app_user(id),
      created_at            timestamptz NOT NULL DEFAULT now(),
      rotated_at            timestamptz,
      UNIQUE (department_id, name)
    )
  `,
  `
    CREATE TABLE data_grant (
      share_id                uuid PRIMARY KEY REFERENCES share_grant(id),
      resource_id             uuid NOT NULL REFERENCES data_resource(id),
      request_id              uuid,
      provider_department_id  uuid NOT NULL REFERENCES department(id),
      consumer_department_id  uuid NOT NULL REFERENCES department(id),
      client_app_id           uuid REFERENCES client_app(id),
      region_prefix           varchar(12) CHECK (region_prefix IS NULL OR region_prefix ~ '^[0-9]{2,12}$'),
      masks                   jsonb NOT NULL DEFAULT '{}',
      covert                  boolean NOT NULL DEFAULT false,
      covert_marked_by        uuid REFERENCES app_user(id),
      covert_marked_at        timestamptz,
      created_at              timestamptz NOT NULL DEFAULT now()
    )
  `,
  `
    CREATE TABLE sharing_request (
      id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      number                  varchar(32) NOT NULL UNIQUE,
      resource_id             uuid NOT NULL REFERENCES data_resource(id),
      provider_department_id  uuid NOT NULL REFERENCES department(id),
      consumer_department_id  uuid NOT NULL REFERENCES department(id),
      client_app_id           uuid REFERENCES client_app(id),
      purpose                 varchar(500) NOT NULL,
      legal_basis             varchar(500) NOT NULL,
      items                   text[] NOT NULL CHECK (cardinality(items) > 0),
      approved_items          text[] NOT NULL DEFAULT '{}',
      region_prefix           varchar(12),
      period_from             date NOT NULL,
      period_to               date NOT NULL,
      status                  varchar(20) NOT NULL CHECK (status IN ('granted', 'pending', 'escalated', 'approved', 'partially_approved', 'refused', 'withdrawn')),
      submitted_at            timestamptz NOT NULL,
      deadline                date,
      reminded_at             timestamptz,
      escalated_at            timestamptz,
      decided_at              timestamptz,
      decided_by              uuid REFERENCES app_user(id),
      decision_reason         varchar(1000),
      unconditional_share_id  uuid REFERENCES share_grant(id),
      conditional_share_id    uuid REFERENCES share_grant(id),
      created_by              uuid REFERENCES app_user(id),
      CHECK (period_to >= period_from)
    )
  `,
  `CREATE INDEX sharing_request_provider ON sharing_request (provider_department_id, status, deadline)`,
  `CREATE INDEX sharing_request_consumer ON sharing_request (consumer_department_id, submitted_at)`,
  `CREATE INDEX data_grant_consumer ON data_grant (consumer_department_id)`,
  `CREATE INDEX data_grant_provider ON data_grant (provider_department_id)`,
  `CREATE INDEX data_grant_resource ON data_grant (resource_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['sharing_request', 'data_grant', 'client_app']) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
}
