// Dispatch by a cursor on the notice (D107): the dispatch job walks the recipients in key order and records how far it
// got on the notice row, in each batch's transaction, instead of flagging every recipient row — 100,000 flags were
// 100,000 tuple rewrites (a full page leaves no room for a HOT update). "Dispatched" is now `resident_id <= cursor`.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE notice ADD COLUMN dispatch_cursor uuid`.execute(db);
  // notices already being dispatched: the cursor stands after the last recipient flagged (flags were set in key order)
  await sql`
    UPDATE notice n SET dispatch_cursor = (SELECT max(nr.resident_id::text)::uuid FROM notice_recipient nr WHERE nr.notice_id = n.id AND nr.dispatched)
    WHERE n.status <> 'draft'
  `.execute(db);
  await sql`ALTER TABLE notice_recipient DROP COLUMN dispatched`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE notice_recipient ADD COLUMN dispatched boolean NOT NULL DEFAULT false`.execute(db);
  await sql`
    UPDATE notice_recipient nr SET dispatched = true FROM notice n
    WHERE n.id = nr.notice_id AND n.dispatch_cursor IS NOT NULL AND nr.resident_id <= n.dispatch_cursor
  `.execute(db);
  await sql`ALTER TABLE notice DROP COLUMN dispatch_cursor`.execute(db);
}
