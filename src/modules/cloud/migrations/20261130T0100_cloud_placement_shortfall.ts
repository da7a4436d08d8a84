// Placement policy (issue 10, D108): what a chooser does when the N+k reserve cannot be kept — `refuse` (cloud.no_capacity,
// reason `reserve`) or `place` the VM without the reserve and flag the placement (the VM's ledger, the request's timeline).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE cloud_placement_policy ADD COLUMN reserve_shortfall varchar(16) NOT NULL DEFAULT 'place' CHECK (reserve_shortfall IN ('refuse', 'place'))`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE cloud_placement_policy DROP COLUMN IF EXISTS reserve_shortfall`).execute(db);
}
