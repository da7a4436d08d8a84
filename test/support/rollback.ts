// Tampering tests run inside a transaction that is always rolled back, so nothing leaks into the shared database.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

class Rollback extends Error {}

export async function inRolledBackTransaction(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
  await db
    .transaction()
    .execute(async (trx) => {
      await fn(trx);
      throw new Rollback();
    })
    .catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
}

/** Lets a rolled-back test edit audit_log as an attacker with the table owner's rights would (triggers disabled). */
export async function disableAuditLogGuard(trx: Transaction<Database>): Promise<void> {
  // pending deferred checks of this transaction's appends must run first: ALTER TABLE refuses while they wait
  await sql`SET CONSTRAINTS ALL IMMEDIATE`.execute(trx);
  await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(trx);
}
