// A bulk SMS send writes its ids as outbox payloads of 1,000 uuids (~40 kB each, 100 for 100,000 messages): random
// hex that pglz cannot shrink, so each was stored as it was after a failed compression attempt (~2 ms each on this
// machine). EXTERNAL keeps large payloads out of line without trying to compress them (D147).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE job ALTER COLUMN payload SET STORAGE EXTERNAL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE job ALTER COLUMN payload SET STORAGE EXTENDED`.execute(db);
}
