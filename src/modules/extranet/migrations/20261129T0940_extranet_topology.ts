// Government extranet (电子政务外网, issue 10 §6): nodes (upstream, core, aggregation, access) with an optional TCP
// reachability probe, links between them (vertical, ring, access) with their bandwidth and an administrative state,
// and department connections (department → access node). Link state is not stored: it is derived when read from the
// administrative state and the last probe of both endpoints. Nodes and connections carry their region path, so
// jurisdiction is a prefix range scan; a link is seen through its endpoints.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE extranet_node (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code            varchar(40) NOT NULL UNIQUE,
      name            varchar(200) NOT NULL,
      kind            varchar(16) NOT NULL CHECK (kind IN ('upstream', 'core', 'aggregation', 'access')),
      region_code     varchar(12) NOT NULL REFERENCES region(code),
      region_path     text NOT NULL,
      probe_host      varchar(253),
      probe_port      integer CHECK (probe_port IS NULL OR probe_port BETWEEN 1 AND 65535),
      probe_enabled   boolean NOT NULL DEFAULT false,
      last_state      varchar(8) CHECK (last_state IN ('up', 'down')),
      last_latency_ms integer CHECK (last_latency_ms IS NULL OR last_latency_ms >= 0),
      last_error      varchar(200),
      last_checked_at timestamptz,
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now(),
      CHECK (NOT probe_enabled OR (probe_host IS NOT NULL AND probe_port IS NOT NULL))
    )
  `,
  `CREATE INDEX extranet_node_path ON extranet_node (region_path text_pattern_ops)`,
  `CREATE INDEX extranet_node_probed ON extranet_node (id) WHERE probe_enabled`,
  `
    CREATE TABLE extranet_link (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      a_id            uuid NOT NULL REFERENCES extranet_node(id),
      b_id            uuid NOT NULL REFERENCES extranet_node(id),
      kind            varchar(16) NOT NULL CHECK (kind IN ('vertical', 'ring', 'access')),
      ring            varchar(100),
      bandwidth_mbps  integer NOT NULL CHECK (bandwidth_mbps > 0),
      admin_state     varchar(8) NOT NULL DEFAULT 'auto' CHECK (admin_state IN ('auto', 'up', 'down')),
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now(),
      CHECK (a_id <> b_id)
    )
  `,
  // one link per pair of nodes, whichever way round it was entered
  `CREATE UNIQUE INDEX extranet_link_pair ON extranet_link (LEAST(a_id, b_id), GREATEST(a_id, b_id))`,
  `CREATE INDEX extranet_link_b ON extranet_link (b_id)`,
  `
    CREATE TABLE extranet_connection (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id   uuid NOT NULL REFERENCES department(id),
      node_id         uuid NOT NULL REFERENCES extranet_node(id),
      bandwidth_mbps  integer NOT NULL CHECK (bandwidth_mbps > 0),
      connected_on    date NOT NULL,
      region_code     varchar(12) NOT NULL REFERENCES region(code),
      region_path     text NOT NULL,
      created_at      timestamptz NOT NULL DEFAULT now(),
      UNIQUE (department_id, node_id)
    )
  `,
  `CREATE INDEX extranet_connection_path ON extranet_connection (region_path text_pattern_ops)`,
  `CREATE INDEX extranet_connection_node ON extranet_connection (node_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['extranet_connection', 'extranet_link', 'extranet_node']) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
}
