// Change-feed subscriptions: a client application follows a resource through one of its data grants, by pulling
// with a cursor or by signed webhooks whose delivered cursor only moves on a 2xx answer.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE feed_subscription (
      id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      client_app_id           uuid NOT NULL REFERENCES client_app(id),
      share_id                uuid NOT NULL REFERENCES data_grant(share_id),
      resource_id             uuid NOT NULL REFERENCES data_resource(id),
      provider_department_id  uuid NOT NULL REFERENCES department(id),
      consumer_department_id  uuid NOT NULL REFERENCES department(id),
      webhook_url             varchar(2000),
      algorithm               varchar(12) CHECK (algorithm IS NULL OR algorithm IN ('hmac-sha256', 'sm3-hmac')),
      signing_secret          varchar(100),
      cursor                  bigint NOT NULL DEFAULT 0 CHECK (cursor >= 0),
      status                  varchar(10) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'failing', 'suspended')),
      failure_count           integer NOT NULL DEFAULT 0,
      last_error              varchar(1000),
      last_error_at           timestamptz,
      last_delivered_at       timestamptz,
      last_pulled_at          timestamptz,
      created_by              uuid REFERENCES app_user(id),
      created_at              timestamptz NOT NULL DEFAULT now(),
      updated_at              timestamptz NOT NULL DEFAULT now(),
      UNIQUE (client_app_id, share_id),
      CHECK ((webhook_url IS NULL) = (algorithm IS NULL) AND (webhook_url IS NULL) = (signing_secret IS NULL))
    )
  `,
  `CREATE INDEX feed_subscription_resource ON feed_subscription (resource_id) WHERE webhook_url IS NOT NULL`,
  `CREATE INDEX feed_subscription_consumer ON feed_subscription (consumer_department_id, created_at)`,
  `CREATE INDEX feed_subscription_provider ON feed_subscription (provider_department_id, created_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS feed_subscription`.execute(db);
}
