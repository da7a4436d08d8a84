// Three-role separation (D41): platform_admin keeps the system duty only (no audit trail, no role grants). So that an
// existing installation keeps every capability it had, each platform_admin grant is matched by a security_admin and
// an audit_admin grant over the same region; the operator then hands those roles to different people.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const role of ['security_admin', 'audit_admin']) {
    await sql`
      INSERT INTO role_grant (user_id, role, region_code, granted_by)
      SELECT g.user_id, ${role}, g.region_code, g.granted_by FROM role_grant g WHERE g.role = 'platform_admin'
      ON CONFLICT (user_id, role, region_code) DO NOTHING
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM role_grant WHERE role IN ('security_admin', 'audit_admin')`.execute(db);
}
