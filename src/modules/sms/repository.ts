// SQL of the SMS module (Kysely): messages and segments, receipts, templates, the opt-out register.
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Receipt } from './gateway.ts';
import type { MessageStatus, SmsMessageTable, SmsTemplateTable, SmsOptOutTable } from './tables.ts';

type Db = Kysely<Database>;
export type MessageRow = Selectable<SmsMessageTable>;
export type TemplateRow = Selectable<SmsTemplateTable>;
export type OptOutRow = Selectable<SmsOptOutTable>;

export interface NewMessageRow {
  toNumber: string;
  body: string;
  templateCode: string | null;
  purpose: string;
  urgent: boolean;
  status: MessageStatus;
  segments: number;
  holdUntil: Date | null;
  createdBy: string | null;
  now: Date;
}

export async function insertMessage(db: Db, row: NewMessageRow): Promise<string> {
  const { id } = await db
    .insertInto('sms_message')
    .values({
      to_number: row.toNumber,
      body: row.body,
      template_code: row.templateCode,
      purpose: row.purpose,
      urgent: row.urgent,
      status: row.status,
      segments: row.segments,
      hold_until: row.holdUntil,
      created_by: row.createdBy,
      created_at: row.now,
      ...(row.status === 'opted_out' ? { done_at: row.now } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Several messages at once, with ids chosen by the caller (sendMany): one statement over arrays, not 12 parameters a row. */
export async function insertMessages(db: Db, rows: readonly (NewMessageRow & { id: string })[]): Promise<void> {
  if (rows.length === 0) return;
  const first = rows[0]!;
  if (rows.some((r) => r.purpose !== first.purpose || r.urgent !== first.urgent || r.createdBy !== first.createdBy || r.now !== first.now || r.templateCode !== first.templateCode)) {
    throw new Error('insertMessages takes rows of one purpose, author and instant');
  }
  await sql`
    INSERT INTO sms_message (id, to_number, body, template_code, purpose, urgent, status, segments, hold_until, created_by, created_at, done_at)
    SELECT v.id, v.to_number, v.body, ${first.templateCode}, ${first.purpose}, ${first.urgent}, v.status, v.segments, v.hold_until, ${first.createdBy}::uuid, ${first.now}::timestamptz,
           CASE WHEN v.status = 'opted_out' THEN ${first.now}::timestamptz END
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.toNumber)}::text[], ${rows.map((r) => r.body)}::text[], ${rows.map((r) => r.status)}::text[],
                  ${rows.map((r) => r.segments)}::int[], ${rows.map((r) => r.holdUntil?.toISOString() ?? null)}::timestamptz[])
        AS v(id, to_number, body, status, segments, hold_until)
  `.execute(db);
}

/** What a bulk source selects: one row per message, the id chosen by the caller, the number as 11 digits. */
export interface BulkSourceRow {
  id: string;
  to_number: string;
  body: string;
}

/**
 * The messages a query selects, written in one statement (sendFromQuery): when a row is one the module refuses (a
 * number not 11 mainland digits, an empty or too long text) nothing is written and that row is returned as `invalid`;
 * else opted-out numbers are recorded as opted_out (joined to the register), the others queued and held until
 * `holdUntil`, segments counted in SQL (sms_segment_count). An id already written is skipped (an anti-join, not ON
 * CONFLICT: speculative insertion costs a WAL record per row; a concurrent writer of the same id fails on the key and
 * its transaction is retried, which callers holding a lock on their source never meet). The ids already written are
 * found first, in their own CTE: an anti-join straight against sms_message, planned for an empty, freshly vacuumed
 * table, rescanned the table it was filling once per row (100,000 rows ran for minutes, D123).
 * The source is read where each part needs it (the check stops at the first bad row; a source is a table or an
 * indexed query, cheap to read again): materialized once, 100,000 rendered texts outgrew work_mem and were written to
 * and read back from a temporary file (D145). The outbox events of the queued ids are written by the same statement
 * (`events`: the outbox's SQL for them), so no id travels to the client (D146).
 */
export async function insertMessagesFrom(
  db: Db,
  source: RawBuilder<BulkSourceRow>,
  row: { purpose: string; createdBy: string | null; holdUntil: Date | null; now: Date; maxChars: number },
  events: (queuedIds: RawBuilder<{ id: string }>) => RawBuilder<unknown>,
): Promise<{ queued: number; optedOut: number; invalid?: BulkSourceRow }> {
  const { rows } = await sql<{ queued: string; opted_out: string; bad_id: string | null; bad_to_number: string | null; bad_body: string | null }>`
    WITH bad AS (
      SELECT s.id, s.to_number, s.body FROM (${source}) s
      WHERE s.to_number IS NULL OR NOT sms_is_mobile(s.to_number) OR s.body IS NULL OR btrim(s.body) = '' OR char_length(s.body) > ${row.maxChars}
      LIMIT 1
    ),
    written AS MATERIALIZED (SELECT m.id FROM (${source}) s JOIN sms_message m ON m.id = s.id),
    ins AS (
      INSERT INTO sms_message (id, to_number, body, template_code, purpose, urgent, status, segments, hold_until, created_by, created_at, done_at)
      SELECT s.id, s.to_number, s.body, NULL, ${row.purpose}, false, CASE WHEN o.number IS NULL THEN 'queued' ELSE 'opted_out' END,
             sms_segment_count(s.body), CASE WHEN o.number IS NULL THEN ${row.holdUntil}::timestamptz END, ${row.createdBy}::uuid,
             ${row.now}::timestamptz, CASE WHEN o.number IS NOT NULL THEN ${row.now}::timestamptz END
        FROM (${source}) s LEFT JOIN sms_opt_out o ON o.number = s.to_number
       WHERE NOT EXISTS (SELECT 1 FROM bad) AND NOT EXISTS (SELECT 1 FROM written w WHERE w.id = s.id)
      RETURNING id, status
    ),
    ev AS (${events(sql`SELECT id FROM ins WHERE status = 'queued'`)}),
    done AS (SELECT count(*) FILTER (WHERE status = 'queued') AS queued, count(*) FILTER (WHERE status <> 'queued') AS opted_out FROM ins)
    SELECT done.queued, done.opted_out, bad.id AS bad_id, bad.to_number AS bad_to_number, bad.body AS bad_body FROM done LEFT JOIN bad ON true
  `.execute(db);
  const r = rows[0]!;
  if (r.bad_id !== null) return { queued: 0, optedOut: 0, invalid: { id: r.bad_id, to_number: r.bad_to_number as string, body: r.bad_body as string } };
  return { queued: Number(r.queued), optedOut: Number(r.opted_out) };
}

/** The numbers among `numbers` on the opt-out register. */
export async function optedOutAmong(db: Db, numbers: readonly string[]): Promise<Set<string>> {
  if (numbers.length === 0) return new Set();
  const rows = await db.selectFrom('sms_opt_out').select('number').where(sql<boolean>`number = ANY(${[...numbers]}::text[])`).execute();
  return new Set(rows.map((r) => r.number));
}

export async function isOptedOut(db: Db, number: string): Promise<boolean> {
  return (await db.selectFrom('sms_opt_out').select('number').where('number', '=', number).executeTakeFirst()) !== undefined;
}

export interface DeliveryRow {
  message: MessageRow;
  /** Segments already with the centre (or refused by it). */
  sentSeqs: number[];
  /** Whether the number has opted out (since it was queued, perhaps). */
  optedOut: boolean;
}

/** Messages to deliver, by id, in one query. */
export async function findForDelivery(db: Db, ids: readonly string[]): Promise<Map<string, DeliveryRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('sms_message as m')
    .selectAll('m')
    .select((eb) => [
      eb.fn.coalesce(sql<number[]>`(SELECT array_agg(s.seq) FROM sms_segment s WHERE s.message_id = m.id)`, sql<number[]>`'{}'::smallint[]`).as('sent_seqs'),
      eb.exists(eb.selectFrom('sms_opt_out as o').select('o.number').whereRef('o.number', '=', 'm.to_number')).as('opted_out'),
    ])
    .where('m.id', 'in', ids)
    .execute();
  return new Map(rows.map(({ sent_seqs, opted_out, ...message }) => [message.id, { message, sentSeqs: sent_seqs.map(Number), optedOut: Boolean(opted_out) }]));
}

export interface SegmentWrite {
  messageId: string;
  seq: number;
  smscId: string | null;
  status: 'sent' | 'failed';
  error: string | null;
}

export async function insertSegments(db: Db, segments: readonly SegmentWrite[], now: Date): Promise<void> {
  if (segments.length === 0) return;
  await db
    .insertInto('sms_segment')
    .values(segments.map((s) => ({ message_id: s.messageId, seq: s.seq, smsc_id: s.smscId, status: s.status, error: s.error, sent_at: now, done_at: s.status === 'failed' ? now : null })))
    .onConflict((oc) => oc.columns(['message_id', 'seq']).doNothing())
    .execute();
}

export async function setMessageState(
  db: Db,
  id: string | readonly string[],
  change: { status?: MessageStatus; error?: string | null; sentAt?: Date; doneAt?: Date; holdUntil?: Date | null },
  onlyFrom: MessageStatus = 'queued',
): Promise<void> {
  if (typeof id !== 'string' && id.length === 0) return;
  await db
    .updateTable('sms_message')
    .set({
      ...(change.status ? { status: change.status } : {}),
      ...(change.error !== undefined ? { error: change.error } : {}),
      ...(change.sentAt ? { sent_at: change.sentAt } : {}),
      ...(change.doneAt ? { done_at: change.doneAt } : {}),
      ...(change.holdUntil !== undefined ? { hold_until: change.holdUntil } : {}),
    })
    .where('id', 'in', typeof id === 'string' ? [id] : id)
    .where('status', '=', onlyFrom)
    .execute();
}

export async function storeReceipts(db: Db, receipts: readonly Receipt[], now: Date): Promise<void> {
  if (receipts.length === 0) return;
  await db
    .insertInto('sms_receipt')
    .values(receipts.map((r) => ({ smsc_id: r.smscId, delivered: r.delivered, error: r.error, received_at: now })))
    .onConflict((oc) => oc.column('smsc_id').doNothing())
    .execute();
}

/**
 * Applies every stored receipt whose segment is written, forgets it, and settles the messages concerned: delivered
 * once all their segments are, failed once one is. Run after each write of either side, so whichever commits last
 * finds the other.
 */
export async function applyReceipts(db: Db, now: Date): Promise<void> {
  const { rows } = await sql<{ message_id: string }>`
    WITH applied AS (
      UPDATE sms_segment s
         SET status = CASE WHEN r.delivered THEN 'delivered' ELSE 'failed' END, error = r.error, done_at = r.received_at
        FROM sms_receipt r
       WHERE s.smsc_id = r.smsc_id AND s.status = 'sent'
      RETURNING s.message_id, s.smsc_id
    ), forgotten AS (
      DELETE FROM sms_receipt WHERE smsc_id IN (SELECT smsc_id FROM applied)
    )
    SELECT DISTINCT message_id FROM applied
  `.execute(db);
  await settleMessages(
    db,
    rows.map((r) => r.message_id),
    now,
  );
}

/** Forgets receipts that matched no segment within `days` (another system's messages on the same account). */
export async function purgeReceipts(db: Db, olderThan: Date): Promise<number> {
  const result = await db.deleteFrom('sms_receipt').where('received_at', '<', olderThan).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Moves sent messages to delivered (every segment delivered) or failed (a segment failed). */
export async function settleMessages(db: Db, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    UPDATE sms_message m
       SET status = CASE WHEN x.failed > 0 THEN 'failed' ELSE 'delivered' END, done_at = ${now}, error = x.error
      FROM (SELECT message_id,
                   count(*) FILTER (WHERE status = 'failed') AS failed,
                   count(*) FILTER (WHERE status = 'delivered') AS delivered,
                   min(error) AS error
              FROM sms_segment WHERE message_id IN (${sql.join(ids)}) GROUP BY message_id) x
     WHERE m.id = x.message_id AND m.status = 'sent' AND (x.failed > 0 OR x.delivered = m.segments)
  `.execute(db);
}

export interface HistoryFilter {
  status?: MessageStatus;
  number?: string;
  purpose?: string;
}

function filtered(db: Db, filter: HistoryFilter) {
  return db
    .selectFrom('sms_message')
    .$if(filter.number !== undefined, (q) => q.where('to_number', '=', filter.number!))
    .$if(filter.purpose !== undefined, (q) => q.where('purpose', '=', filter.purpose!));
}

export async function listMessages(db: Db, filter: HistoryFilter, page: { after?: readonly [string, string]; limit: number }): Promise<MessageRow[]> {
  return filtered(db, filter)
    .selectAll()
    .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
    .$if(page.after !== undefined, (q) => q.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(new Date(page.after![0]), page.after![1]))))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

/** Messages per status under the same number / purpose filter (the status filter itself is not applied). */
export async function countByStatus(db: Db, filter: HistoryFilter): Promise<Record<string, number>> {
  const rows = await filtered(db, filter).select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function findMessage(db: Db, id: string) {
  const message = await db.selectFrom('sms_message').selectAll().where('id', '=', id).executeTakeFirst();
  if (!message) return undefined;
  const segments = await db.selectFrom('sms_segment').selectAll().where('message_id', '=', id).orderBy('seq').execute();
  return { message, segments };
}

export const listTemplates = (db: Db) => db.selectFrom('sms_template').selectAll().orderBy('code').execute();
export const findTemplate = (db: Db, code: string) => db.selectFrom('sms_template').selectAll().where('code', '=', code).executeTakeFirst();

export async function upsertTemplate(db: Db, row: { code: string; name: string; body: string; variables: string[] }, now: Date): Promise<TemplateRow> {
  return db
    .insertInto('sms_template')
    .values({ ...row, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('code').doUpdateSet({ name: row.name, body: row.body, variables: row.variables, updated_at: now }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteTemplate(db: Db, code: string): Promise<boolean> {
  const result = await db.deleteFrom('sms_template').where('code', '=', code).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export const listOptOuts = (db: Db, limit: number) => db.selectFrom('sms_opt_out').selectAll().orderBy('created_at', 'desc').limit(limit).execute();

export async function insertOptOut(db: Db, row: { number: string; source: 'reply' | 'admin'; note: string | null }, now: Date): Promise<boolean> {
  const result = await db.insertInto('sms_opt_out').values({ ...row, created_at: now }).onConflict((oc) => oc.column('number').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteOptOut(db: Db, number: string): Promise<boolean> {
  const result = await db.deleteFrom('sms_opt_out').where('number', '=', number).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
