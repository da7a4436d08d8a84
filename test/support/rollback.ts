// Tampering tests run inside a transaction that is always rolled back, so nothing leaks into the shared database.
import type { Kysely, Transaction } from 'kysely';
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
