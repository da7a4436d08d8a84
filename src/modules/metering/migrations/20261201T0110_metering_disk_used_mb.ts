// Used storage recorded in MiB with decimals (D121): a sparse qcow2 volume holds a few hundred KiB to a few GB of a
// disk of tens of GB, which a whole-GB column rounded to 0. The hourly row keeps the volume's allocation in MiB
// (numeric, KiB resolution); the roll-up's GB-hours were numeric already.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE metering_usage_hour ADD COLUMN disk_used_mb numeric(14, 3) CHECK (disk_used_mb IS NULL OR disk_used_mb >= 0)`).execute(db);
  await sql.raw(`UPDATE metering_usage_hour SET disk_used_mb = disk_used_gb * 1024 WHERE disk_used_gb IS NOT NULL`).execute(db);
  await sql.raw(`ALTER TABLE metering_usage_hour DROP COLUMN disk_used_gb`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE metering_usage_hour ADD COLUMN disk_used_gb integer CHECK (disk_used_gb IS NULL OR disk_used_gb >= 0)`).execute(db);
  await sql.raw(`UPDATE metering_usage_hour SET disk_used_gb = round(disk_used_mb / 1024) WHERE disk_used_mb IS NOT NULL`).execute(db);
  await sql.raw(`ALTER TABLE metering_usage_hour DROP COLUMN disk_used_mb`).execute(db);
}
