// The gateway's access tokens (stored as SHA-256 digests, expiring) and its statistics per day × client × resource.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE exchange_token (
      token_hash     char(64) PRIMARY KEY,
      client_app_id  uuid NOT NULL REFERENCES client_app(id) ON DELETE CASCADE,
      issued_at      timestamptz NOT NULL,
      expires_at     timestamptz NOT NULL
    )
  `,
  `CREATE INDEX exchange_token_expiry ON exchange_token (expires_at)`,
  `CREATE INDEX exchange_token_client ON exchange_token (client_app_id)`,
  `
    CREATE TABLE exchange_stat (
      day                     date NOT NULL,
      client_app_id           uuid NOT NULL REFERENCES client_app(id) ON DELETE CASCADE,
      resource_id             uuid NOT NULL REFERENCES data_resource(id),
      provider_department_id  uuid NOT NULL REFERENCES department(id),
      consumer_department_id  uuid NOT NULL REFERENCES department(id),
      calls                   bigint NOT NULL DEFAULT 0,
      rows                    bigint NOT NULL DEFAULT 0,
      refusals                bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (day, client_app_id, resource_id)
    )
  `,
  `CREATE INDEX exchange_stat_provider ON exchange_stat (provider_department_id, day)`,
  `CREATE INDEX exchange_stat_consumer ON exchange_stat (consumer_department_id, day)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['exchange_stat', 'exchange_token']) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
}
