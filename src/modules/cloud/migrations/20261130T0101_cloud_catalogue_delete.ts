// Flavours and images can be deleted from the catalogue (issue 10, D109): a deleted one keeps its row (retired VMs and
// closed requests still name it) with `deleted_at` set, and drops out of every list.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE cloud_flavour ADD COLUMN deleted_at timestamptz`).execute(db);
  await sql.raw(`ALTER TABLE cloud_image ADD COLUMN deleted_at timestamptz`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE cloud_flavour DROP COLUMN IF EXISTS deleted_at`).execute(db);
  await sql.raw(`ALTER TABLE cloud_image DROP COLUMN IF EXISTS deleted_at`).execute(db);
}
