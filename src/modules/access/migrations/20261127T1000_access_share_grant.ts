// Share grants: a grantee department or client application (API token) may read named fields of a resource's rows
// in the owner department's tree, for a purpose, until an expiry. Revocation keeps the row (it is evidence).
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE share_grant (
      id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      resource               varchar(40) NOT NULL,
      fields                 text[] NOT NULL CHECK (cardinality(fields) > 0),
      purpose                varchar(200) NOT NULL,
      owner_department_id    uuid NOT NULL REFERENCES department(id),
      grantee_department_id  uuid REFERENCES department(id),
      grantee_token_id       uuid REFERENCES api_token(id) ON DELETE CASCADE,
      expires_at             timestamptz NOT NULL,
      created_by             uuid REFERENCES app_user(id),
      created_at             timestamptz NOT NULL DEFAULT now(),
      revoked_at             timestamptz,
      revoked_by             uuid REFERENCES app_user(id),
      CHECK ((grantee_department_id IS NULL) <> (grantee_token_id IS NULL))
    )
  `,
  `CREATE INDEX share_grant_grantee_department ON share_grant (grantee_department_id) WHERE revoked_at IS NULL`,
  `CREATE INDEX share_grant_grantee_token ON share_grant (grantee_token_id) WHERE revoked_at IS NULL`,
  `CREATE INDEX share_grant_owner ON share_grant (owner_department_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS share_grant`.execute(db);
}
