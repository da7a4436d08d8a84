// The resource catalogue (政务信息资源目录, GB/T 21063): resources, their info items (columns), metadata versions and
// the demand list. Search runs on trigram indexes (pg_trgm), so partial Chinese words match.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `
    CREATE TABLE data_resource (
      id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code                    varchar(64) NOT NULL UNIQUE,
      name                    varchar(200) NOT NULL,
      class                   varchar(12) NOT NULL CHECK (class IN ('base', 'theme', 'department')),
      class_code              varchar(32) NOT NULL,
      theme                   varchar(32),
      provider_department_id  uuid NOT NULL REFERENCES department(id),
      region_code             varchar(12) NOT NULL,
      summary                 text NOT NULL DEFAULT '',
      format                  varchar(20) NOT NULL,
      update_cycle            varchar(12) NOT NULL CHECK (update_cycle IN ('daily', 'weekly', 'monthly', 'quarterly', 'half_yearly', 'yearly', 'realtime')),
      published_at            date,
      related_codes           text[] NOT NULL DEFAULT '{}',
      open_attr               varchar(12) NOT NULL CHECK (open_attr IN ('closed', 'conditional', 'open')),
      share_modes             text[] NOT NULL CHECK (cardinality(share_modes) > 0 AND share_modes <@ ARRAY['api', 'file', 'subscription']::text[]),
      region_item             varchar(64),
      person_item             varchar(64),
      upstream_url            varchar(500),
      status                  varchar(12) NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published', 'withdrawn')),
      version                 integer NOT NULL DEFAULT 1,
      search_text             text NOT NULL DEFAULT '',
      created_by              uuid REFERENCES app_user(id),
      created_at              timestamptz NOT NULL DEFAULT now(),
      updated_at              timestamptz NOT NULL DEFAULT now()
    )
  `,
  `CREATE INDEX data_resource_provider ON data_resource (provider_department_id)`,
  `CREATE INDEX data_resource_search ON data_resource USING gin (search_text gin_trgm_ops)`,
  `
    CREATE TABLE data_item (
      resource_id   uuid NOT NULL REFERENCES data_resource(id) ON DELETE CASCADE,
      code          varchar(64) NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]*$'),
      ord           integer NOT NULL,
      name          varchar(100) NOT NULL,
      type          varchar(16) NOT NULL CHECK (type IN ('string', 'integer', 'decimal', 'date', 'datetime', 'boolean', 'id_number', 'mobile', 'region_code')),
      max_length    integer CHECK (max_length IS NULL OR max_length > 0),
      required      boolean NOT NULL DEFAULT false,
      is_key        boolean NOT NULL DEFAULT false,
      sensitivity   smallint NOT NULL DEFAULT 1 CHECK (sensitivity BETWEEN 1 AND 4),
      share_type    varchar(14) NOT NULL CHECK (share_type IN ('unconditional', 'conditional', 'none')),
      legal_basis   varchar(500),
      mask          varchar(12) CHECK (mask IS NULL OR mask IN ('id_number', 'phone', 'name', 'all', 'none')),
      description   varchar(500),
      PRIMARY KEY (resource_id, code),
      CHECK (share_type = 'unconditional' OR (legal_basis IS NOT NULL AND length(btrim(legal_basis)) > 0))
    )
  `,
  `
    CREATE TABLE data_resource_version (
      resource_id  uuid NOT NULL REFERENCES data_resource(id) ON DELETE CASCADE,
      version      integer NOT NULL,
      snapshot     jsonb NOT NULL,
      changes      jsonb NOT NULL DEFAULT '[]',
      changed_by   uuid REFERENCES app_user(id),
      changed_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (resource_id, version)
    )
  `,
  `
    CREATE TABLE data_demand (
      id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id           uuid NOT NULL REFERENCES department(id),
      title                   varchar(200) NOT NULL,
      description             text NOT NULL DEFAULT '',
      items                   text[] NOT NULL DEFAULT '{}',
      purpose                 varchar(500) NOT NULL,
      suggested_provider_id   uuid REFERENCES department(id),
      status                  varchar(12) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'matched', 'closed')),
      resource_id             uuid REFERENCES data_resource(id),
      decided_by              uuid REFERENCES app_user(id),
      decided_at              timestamptz,
      decision_note           varchar(500),
      created_by              uuid REFERENCES app_user(id),
      created_at              timestamptz NOT NULL DEFAULT now()
    )
  `,
  `CREATE INDEX data_demand_department ON data_demand (department_id, created_at)`,
  `CREATE INDEX data_demand_status ON data_demand (status, created_at)`,
  `CREATE INDEX data_resource_code_prefix ON data_resource (code text_pattern_ops)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['data_demand', 'data_resource_version', 'data_item', 'data_resource']) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
}
