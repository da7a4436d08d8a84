// Who set an account's current password, when it was not its holder: the three-role separation (D61) keeps an
// administrator who knows an account's password from granting that account an audit role.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE app_user ADD COLUMN password_set_by uuid REFERENCES app_user (id) ON DELETE SET NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE app_user DROP COLUMN password_set_by`.execute(db);
}
