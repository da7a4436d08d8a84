// SQL of the notices module (Kysely): templates, the targeting query (the community filter with the text rendered per
// resident in SQL), frozen recipients, the dispatch batches and the status counts read back from the SMS records.
import { sql, type Kysely, type RawBuilder, type Selectable, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { likePrefix } from '../../db/jurisdiction.ts';
import type { Scope } from '../../shared/access.ts';
import { residentWhere, type ResidentFilter } from '../community/index.ts';
import type { BulkSourceRow } from '../sms/index.ts';
import type { Channel, NoticeTable, NoticeTemplateTable } from './tables.ts';

type Db = Kysely<Database>;
export type TemplateRow = Selectable<NoticeTemplateTable>;
export type NoticeRow = Selectable<NoticeTable>;

// ---- regions, grids, labels -------------------------------------------------------------------------------------

export async function regionByCode(db: Db, code: string) {
  return db.selectFrom('region').select(['code', 'path', 'name']).where('code', '=', code).executeTakeFirst();
}

/** The top of the region tree (the prefecture): the region an unrestricted filter covers. */
export async function rootRegion(db: Db) {
  return db.selectFrom('region').select(['code', 'path', 'name']).where('parent_code', 'is', null).orderBy('code').executeTakeFirstOrThrow();
}

export async function gridInRegion(db: Db, gridId: string, regionPath: string): Promise<boolean> {
  const row = await db.selectFrom('community_grid').select('id').where('id', '=', gridId).where('region_path', 'like', likePrefix(regionPath)).executeTakeFirst();
  return row !== undefined;
}

export async function missingLabels(db: Db, codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const found = new Set((await db.selectFrom('community_label').select('code').where('code', 'in', [...codes]).execute()).map((r) => r.code));
  return codes.filter((c) => !found.has(c));
}

// ---- templates --------------------------------------------------------------------------------------------------

/** Templates usable in the scope: those of a region in it, and those of the regions above it (a prefecture's). */
export async function listTemplates(db: Db, scope: Pick<Scope, 'paths'>): Promise<TemplateRow[]> {
  if (scope.paths.length === 0) return [];
  return db
    .selectFrom('notice_template as t')
    .selectAll('t')
    .where((eb) =>
      eb.or(
        scope.paths.flatMap((p) => [
          eb('t.region_path', 'like', likePrefix(p)),
          // a region above the scope's root: its path is a prefix of the root's
          sql<SqlBool>`starts_with(${p}, t.region_path)`,
        ]),
      ),
    )
    .orderBy('t.name')
    .orderBy('t.id')
    .execute();
}

export async function findTemplate(db: Db, id: string): Promise<TemplateRow | undefined> {
  return db.selectFrom('notice_template').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertTemplate(db: Db, row: { name: string; body: string; regionCode: string; regionPath: string; createdBy: string | null; now: Date }): Promise<TemplateRow> {
  return db
    .insertInto('notice_template')
    .values({ name: row.name, body: row.body, region_code: row.regionCode, region_path: row.regionPath, created_by: row.createdBy, created_at: row.now, updated_at: row.now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateTemplate(db: Db, id: string, row: { name: string; body: string; now: Date }): Promise<TemplateRow> {
  return db.updateTable('notice_template').set({ name: row.name, body: row.body, updated_at: row.now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteTemplate(db: Db, id: string): Promise<void> {
  await db.deleteFrom('notice_template').where('id', '=', id).execute();
}

export async function lockTemplate(trx: Transaction<Database>, id: string): Promise<TemplateRow | undefined> {
  return trx.selectFrom('notice_template').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

// ---- targeting --------------------------------------------------------------------------------------------------

/**
 * Each resident variable's value, in SQL over `community_resident as r` left-joined to its community `rc` and grid
 * `rg` (targeted): joins on their primary keys, so none widens the filter, and a hash join instead of an index probe
 * per resident (the planner drops a join whose names the text does not use).
 */
function variableSql(name: string, today: string): RawBuilder<string> {
  switch (name) {
    case 'name':
      return sql<string>`r.name`;
    case 'salutation':
      return sql<string>`CASE r.sex WHEN 'M' THEN '先生' ELSE '女士' END`;
    case 'community':
      return sql<string>`coalesce(rc.name, '')`;
    case 'grid':
      return sql<string>`coalesce(rg.name, '')`;
    case 'age':
      return sql<string>`date_part('year', age(${today}::date, r.birth_date))::int::text`;
    default:
      throw new Error(`Unknown resident variable ${name}`);
  }
}

/** The text rendered for the resident `r`: nested replace() over the variables the body uses. */
export function renderSql(body: string, variables: readonly string[], today: string): RawBuilder<string> {
  let expr: RawBuilder<string> = sql<string>`${body}::text`;
  for (const name of variables) expr = sql<string>`replace(${expr}, ${`{${name}}`}, ${variableSql(name, today)})`;
  return expr;
}

export interface Targeting {
  scope: Pick<Scope, 'paths'>;
  filter: ResidentFilter;
  today: string;
  body: string;
  variables: readonly string[];
}

// the SMS module's check (sms_is_mobile: ^1[3-9][0-9]{9}$ without a regex, D148)
const hasMobile = sql<SqlBool>`coalesce(sms_is_mobile(r.phone), false)`;
const optedOut = sql<SqlBool>`EXISTS (SELECT 1 FROM sms_opt_out o WHERE o.number = r.phone)`;
const hasAccount = sql<SqlBool>`EXISTS (SELECT 1 FROM citizen c WHERE c.id_number = r.id_number)`;

function targeted(db: Db, t: Targeting) {
  return db
    .selectFrom('community_resident as r')
    .where((eb) => residentWhere(eb, t.scope, t.filter, t.today))
    .leftJoin('region as rc', 'rc.code', 'r.community_code')
    .leftJoin('community_grid as rg', 'rg.id', 'r.grid_id');
}

/** The preview's counts: recipients, with a mobile number, opted out (退订), with a citizen account, longest text. */
export async function previewCounts(db: Db, t: Targeting) {
  const row = await targeted(db, t)
    .select([
      sql<string>`count(*)`.as('total'),
      sql<string>`count(*) FILTER (WHERE ${hasMobile})`.as('with_phone'),
      sql<string>`count(*) FILTER (WHERE ${hasMobile} AND ${optedOut})`.as('opted_out'),
      sql<string>`count(*) FILTER (WHERE ${hasAccount})`.as('with_account'),
      sql<number | null>`max(char_length(${renderSql(t.body, t.variables, t.today)}))`.as('max_chars'),
    ])
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), withPhone: Number(row.with_phone), optedOut: Number(row.opted_out), withAccount: Number(row.with_account), maxChars: row.max_chars === null ? 0 : Number(row.max_chars) };
}

/** The first `limit` recipients (by community and name) with their rendered text. */
export async function previewSample(db: Db, t: Targeting, limit: number) {
  return targeted(db, t)
    .select(['r.id', 'r.name', 'r.phone', 'r.id_number', 'r.community_code', renderSql(t.body, t.variables, t.today).as('text')])
    .orderBy('r.region_path')
    .orderBy('r.name')
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

/** The send's rendered recipients (renderRecipients), one temporary table per transaction. */
const FROZEN = 'notice_frozen';

/**
 * Renders a send's recipients once, into a temporary table of the send's transaction (dropped at its commit or
 * rollback; no WAL): one row per resident selected, with their text and, when they get an SMS, the message id
 * assigned now (time-ordered, as the SMS module's own). The recipient rows and the SMS queue are both written from it
 * (insertRecipients, frozenSmsSource), so the resident scan and the rendering run once and no text is written twice.
 * Returns how many residents it holds and the longest text.
 */
export async function renderRecipients(trx: Transaction<Database>, t: Targeting, channels: readonly Channel[]): Promise<{ count: number; longest: number }> {
  const withSms = channels.includes('sms');
  const withInbox = channels.includes('inapp');
  // the statement's cost estimate (a scalar lookup per resident) crosses the JIT threshold, and compiling it took
  // ~0.7 s of a 100,000-recipient freeze: the rows are simple, interpreted is faster (D112)
  await sql`SET LOCAL jit = off`.execute(trx);
  const select = targeted(trx, t).select([
    'r.id as resident_id',
    'r.name',
    (withSms ? sql<string | null>`CASE WHEN ${hasMobile} THEN r.phone END` : sql<null>`NULL::varchar`).as('phone'),
    (withInbox ? sql<string | null>`(SELECT c.user_id FROM citizen c WHERE c.id_number = r.id_number)` : sql<null>`NULL::uuid`).as('user_id'),
    renderSql(t.body, t.variables, t.today).as('body'),
  ]);
  // the number is checked once (OFFSET 0 keeps the planner from copying the regex into the id's expression)
  await sql`
    CREATE TEMPORARY TABLE ${sql.id(FROZEN)} ON COMMIT DROP AS
    SELECT s.*, CASE WHEN s.phone IS NOT NULL THEN uuid_v7() END AS sms_message_id FROM (${select} OFFSET 0) s
  `.execute(trx);
  const { rows } = await sql<{ n: string; longest: number | null }>`SELECT count(*) AS n, max(char_length(body)) AS longest FROM ${sql.id(FROZEN)}`.execute(trx);
  return { count: Number(rows[0]?.n ?? 0), longest: Number(rows[0]?.longest ?? 0) };
}

/**
 * Freezes the rendered recipients as the notice's (INSERT … SELECT). A text is kept here only for a 站内信 (a recipient
 * with a citizen account): an SMS's text lives in its SMS record. No ON CONFLICT: only a draft is frozen, under its
 * row lock, so no recipient row exists yet (speculative insertion cost a WAL record and an index probe per row).
 */
export async function insertRecipients(trx: Transaction<Database>, noticeId: string): Promise<number> {
  const result = await sql`
    INSERT INTO notice_recipient (notice_id, resident_id, name, phone, user_id, body, sms_message_id)
    SELECT ${noticeId}::uuid, f.resident_id, f.name, f.phone, f.user_id, CASE WHEN f.user_id IS NOT NULL THEN f.body END, f.sms_message_id
      FROM ${sql.id(FROZEN)} f
  `.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** The SMS of the rendered recipients as the SMS module's bulk queue reads them: (pre-assigned id, number, text). */
export function frozenSmsSource(): RawBuilder<BulkSourceRow> {
  return sql<BulkSourceRow>`SELECT f.sms_message_id AS id, f.phone AS to_number, f.body FROM ${sql.id(FROZEN)} f WHERE f.sms_message_id IS NOT NULL`;
}

// ---- notices ----------------------------------------------------------------------------------------------------

export interface NewNotice {
  title: string;
  templateId: string | null;
  body: string;
  fields: Record<string, string>;
  filter: unknown;
  regionCode: string;
  regionPath: string;
  channels: Channel[];
  requestKey: string | null;
  createdBy: string | null;
  now: Date;
}

/** Inserts a draft; with a request key already used by the same author, returns that notice instead (null: not new). */
export async function insertNotice(trx: Transaction<Database>, n: NewNotice): Promise<{ id: string; created: boolean }> {
  const row = await trx
    .insertInto('notice')
    .values({
      title: n.title,
      template_id: n.templateId,
      body: n.body,
      fields: JSON.stringify(n.fields),
      filter: JSON.stringify(n.filter),
      region_code: n.regionCode,
      region_path: n.regionPath,
      channels: n.channels,
      request_key: n.requestKey,
      created_by: n.createdBy,
      created_at: n.now,
    })
    .onConflict((oc) => oc.columns(['created_by', 'request_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (row) return { id: row.id, created: true };
  const existing = await trx
    .selectFrom('notice')
    .select('id')
    .where('request_key', '=', n.requestKey)
    .where((eb) => (n.createdBy === null ? eb('created_by', 'is', null) : eb('created_by', '=', n.createdBy)))
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

export async function findNotice(db: Db, id: string, scope: Pick<Scope, 'paths'>, lock = false): Promise<NoticeRow | undefined> {
  if (scope.paths.length === 0) return undefined;
  let q = db
    .selectFrom('notice as n')
    .selectAll('n')
    .where('n.id', '=', id)
    .where((eb) => eb.or(scope.paths.map((p) => eb('n.region_path', 'like', likePrefix(p)))));
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function markSending(trx: Transaction<Database>, id: string, count: number, sentBy: string | null, now: Date): Promise<void> {
  await trx.updateTable('notice').set({ status: 'sending', recipient_count: count, sent_by: sentBy, sent_at: now }).where('id', '=', id).execute();
}

export async function markSent(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('notice')
    .set({ status: 'sent', dispatched_at: now })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where(sql<SqlBool>`NOT EXISTS (SELECT 1 FROM notice_recipient nr WHERE nr.notice_id = ${id} AND (notice.dispatch_cursor IS NULL OR nr.resident_id > notice.dispatch_cursor))`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function listNotices(db: Db, scope: Pick<Scope, 'paths'>, q: { status?: string; after?: { createdAt: string; id: string }; limit: number }): Promise<NoticeRow[]> {
  if (scope.paths.length === 0) return [];
  return db
    .selectFrom('notice as n')
    .selectAll('n')
    .where((eb) => eb.or(scope.paths.map((p) => eb('n.region_path', 'like', likePrefix(p)))))
    .$if(q.status !== undefined, (qb) => qb.where('n.status', '=', q.status as NoticeRow['status']))
    .$if(q.after !== undefined, (qb) =>
      qb.where((eb) =>
        eb.or([eb('n.created_at', '<', new Date(q.after!.createdAt)), eb.and([eb('n.created_at', '=', new Date(q.after!.createdAt)), eb('n.id', '<', q.after!.id)])]),
      ),
    )
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(q.limit)
    .execute();
}

export interface StatusCounts {
  recipients: number;
  pending: number;
  noPhone: number;
  inApp: number;
  queued: number;
  sent: number;
  delivered: number;
  failed: number;
  optedOut: number;
}

/** Counts per status of each notice: its recipients' state and their SMS records' status (receipts settle them). */
export async function statusCounts(db: Db, ids: readonly string[]): Promise<Map<string, StatusCounts>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('notice_recipient as nr')
    .innerJoin('notice as n', 'n.id', 'nr.notice_id')
    .leftJoin('sms_message as m', 'm.id', 'nr.sms_message_id')
    .select([
      'nr.notice_id',
      sql<string>`count(*)`.as('recipients'),
      sql<string>`count(*) FILTER (WHERE NOT ${dispatchedSql})`.as('pending'),
      // the SMS were queued (or found impossible) at send: their outcome does not wait for the dispatch cursor
      sql<string>`count(*) FILTER (WHERE nr.phone IS NULL)`.as('no_phone'),
      sql<string>`count(*) FILTER (WHERE nr.inbox_sent)`.as('in_app'),
      sql<string>`count(*) FILTER (WHERE m.status = 'queued')`.as('queued'),
      sql<string>`count(*) FILTER (WHERE m.status = 'sent')`.as('sent'),
      sql<string>`count(*) FILTER (WHERE m.status = 'delivered')`.as('delivered'),
      sql<string>`count(*) FILTER (WHERE m.status = 'failed')`.as('failed'),
      sql<string>`count(*) FILTER (WHERE m.status = 'opted_out')`.as('opted_out'),
    ])
    .where('nr.notice_id', 'in', [...ids])
    .groupBy('nr.notice_id')
    .execute();
  return new Map(
    rows.map((r) => [
      r.notice_id,
      {
        recipients: Number(r.recipients),
        pending: Number(r.pending),
        noPhone: Number(r.no_phone),
        inApp: Number(r.in_app),
        queued: Number(r.queued),
        sent: Number(r.sent),
        delivered: Number(r.delivered),
        failed: Number(r.failed),
        optedOut: Number(r.opted_out),
      },
    ]),
  );
}

/** Recipients the notice did not reach by SMS, with the reason: failed (the centre's error), opted out, no phone (known from the send on). */
export async function failures(db: Db, noticeId: string, limit: number, bySms: boolean) {
  return db
    .selectFrom('notice_recipient as nr')
    .innerJoin('notice as n', 'n.id', 'nr.notice_id')
    .leftJoin('sms_message as m', 'm.id', 'nr.sms_message_id')
    .select(['nr.resident_id', 'nr.name', 'nr.phone', 'm.status', 'm.error', 'm.done_at'])
    .where('nr.notice_id', '=', noticeId)
    .where((eb) => (bySms ? eb.or([eb('m.status', 'in', ['failed', 'opted_out']), eb('nr.phone', 'is', null)]) : sql<SqlBool>`false`))
    .orderBy('nr.name')
    .orderBy('nr.resident_id')
    .limit(limit)
    .execute();
}

// ---- dispatch ---------------------------------------------------------------------------------------------------

/** A recipient row `nr` of notice `n` has been dispatched: it lies at or before the notice's cursor (D107). */
const dispatchedSql = sql<SqlBool>`(n.dispatch_cursor IS NOT NULL AND nr.resident_id <= n.dispatch_cursor)`;

/**
 * Claims the next recipients after the notice's dispatch cursor (at most `limit`; null: all that are left) and moves
 * the cursor past them, in the batch's transaction: the notice row's lock makes a second dispatcher wait and then
 * continue after this batch (never deliver them twice), and a rolled-back batch leaves the cursor where it was.
 * Returns the range claimed (`from` exclusive, `through` inclusive) and its size; the rows stay in the database
 * (inboxRows reads the range).
 */
export async function claimBatch(trx: Transaction<Database>, noticeId: string, limit: number | null) {
  const notice = await trx.selectFrom('notice').select('dispatch_cursor').where('id', '=', noticeId).forUpdate().executeTakeFirst();
  if (!notice) return null;
  const from = notice.dispatch_cursor;
  const after = from === null ? sql`` : sql`AND resident_id > ${from}::uuid`;
  // the range's last key and size, found by the primary key: no recipient row travels to the client
  const { rows } =
    limit === null
      ? await sql<{ through: string | null; n: string }>`
          SELECT (SELECT resident_id FROM notice_recipient WHERE notice_id = ${noticeId} ${after} ORDER BY resident_id DESC LIMIT 1) AS through,
                 (SELECT count(*) FROM notice_recipient WHERE notice_id = ${noticeId} ${after}) AS n
        `.execute(trx)
      : await sql<{ through: string | null; n: string }>`
          SELECT resident_id AS through, count(*) OVER () AS n
            FROM (SELECT resident_id FROM notice_recipient WHERE notice_id = ${noticeId} ${after} ORDER BY resident_id LIMIT ${limit}) s
           ORDER BY resident_id DESC LIMIT 1
        `.execute(trx);
  const last = rows[0];
  if (!last?.through) return null;
  await trx.updateTable('notice').set({ dispatch_cursor: last.through }).where('id', '=', noticeId).execute();
  return { from, through: last.through, count: Number(last.n) };
}

/** The texts of the claimed range's recipients with a citizen account (their 站内信). */
export async function inboxRows(trx: Transaction<Database>, noticeId: string, from: string | null, through: string) {
  return trx
    .selectFrom('notice_recipient')
    .select(['resident_id', 'user_id', 'body'])
    .where('notice_id', '=', noticeId)
    .$if(from !== null, (q) => q.where('resident_id', '>', from!))
    .where('resident_id', '<=', through)
    .where('user_id', 'is not', null)
    .orderBy('resident_id')
    .execute();
}

export async function markInboxed(trx: Transaction<Database>, noticeId: string, residentIds: readonly string[]): Promise<void> {
  if (residentIds.length === 0) return;
  await sql`UPDATE notice_recipient SET inbox_sent = true WHERE notice_id = ${noticeId} AND resident_id = ANY(${[...residentIds]}::uuid[])`.execute(trx);
}

/** Notices left in 'sending' (their dispatch event is the outbox's to retry; listed for the demo and tests). */
export async function sendingNotices(db: Db): Promise<string[]> {
  return (await db.selectFrom('notice').select('id').where('status', '=', 'sending').execute()).map((r) => r.id);
}
