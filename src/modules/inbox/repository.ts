// SQL of the inbox module: every query is bounded to one recipient.
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { InboxMessageTable } from './tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type NewMessageRow = Insertable<InboxMessageTable>;

/** Inserts messages; one already sent with the same key to the same recipient is skipped. Returns how many were new. */
export async function insertMessages(trx: Db, rows: NewMessageRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await trx
    .insertInto('inbox_message')
    .values(rows)
    .onConflict((oc) => oc.columns(['recipient_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

export async function listMessages(db: Db, recipientId: string, options: { unreadOnly: boolean; after?: readonly [string, string]; limit: number }) {
  return db
    .selectFrom('inbox_message')
    .select(['id', 'module', 'kind', 'title', 'body', 'link', 'created_at', 'read_at'])
    .where('recipient_id', '=', recipientId)
    .$if(options.unreadOnly, (qb) => qb.where('read_at', 'is', null))
    .$if(options.after !== undefined, (qb) => qb.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(options.after![0] as unknown as Date, options.after![1]))))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit + 1)
    .execute();
}

export async function countMessages(db: Db, recipientId: string, unreadOnly: boolean): Promise<number> {
  const row = await db
    .selectFrom('inbox_message')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('recipient_id', '=', recipientId)
    .$if(unreadOnly, (qb) => qb.where('read_at', 'is', null))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one of the recipient's messages read (keeps the first read time); undefined when it is not theirs. */
export async function markRead(trx: Db, recipientId: string, id: string, at: Date) {
  return trx
    .updateTable('inbox_message')
    .set({ read_at: sql`coalesce(read_at, ${at})` })
    .where('id', '=', id)
    .where('recipient_id', '=', recipientId)
    .returning(['id', 'module', 'kind', 'title', 'body', 'link', 'created_at', 'read_at'])
    .executeTakeFirst();
}

export async function markAllRead(trx: Db, recipientId: string, at: Date): Promise<number> {
  const rows = await trx.updateTable('inbox_message').set({ read_at: at }).where('recipient_id', '=', recipientId).where('read_at', 'is', null).returning('id').execute();
  return rows.length;
}

/** Recipients that exist, of the ids given (a message to a deleted account is dropped, not an error). */
export async function existingUsers(trx: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return (await trx.selectFrom('app_user').select('id').where('id', 'in', ids).execute()).map((r) => r.id);
}
