// SQL of the OA module: documents, the one-statement resolution of recipients into deliveries and receipts, signing,
// the lists (received, sent, archive) with jurisdiction in the query, and the reminder ladder.
import { sql, type Kysely, type Selectable, type SqlBool, type Transaction } from 'kysely';
import { likePrefix } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { OaStatus, RecipientSpec } from './kinds.ts';
import type { OaDocumentTable } from './tables.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type DocumentRow = Selectable<OaDocumentTable> & { sender_department_name: string };

/** `<column> LIKE '/p1/%' OR …`: a region path within one of the paths (false for none). */
function pathWithin(column: string, paths: readonly string[]) {
  if (paths.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(
    paths.map((p) => sql`${sql.ref(column)} LIKE ${likePrefix(p)}`),
    sql` OR `,
  )})`;
}

const documentColumns = (db: Db) =>
  db
    .selectFrom('oa_document as d')
    .innerJoin('department as sd', 'sd.id', 'd.sender_department_id')
    .selectAll('d')
    .select('sd.name as sender_department_name');

export async function findDocument(db: Db, id: string, lock?: 'update' | 'share'): Promise<DocumentRow | undefined> {
  if (lock) {
    // lock the document row alone (the join would lock the department too)
    const q = db.selectFrom('oa_document').select('id').where('id', '=', id);
    const locked = await (lock === 'update' ? q.forUpdate() : q.forShare()).executeTakeFirst();
    if (!locked) return undefined;
  }
  return documentColumns(db).where('d.id', '=', id).executeTakeFirst();
}

export async function departmentWithRegion(db: Db, id: string): Promise<{ id: string; name: string; region_code: string; path: string } | undefined> {
  return db
    .selectFrom('department as d')
    .innerJoin('region as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.name', 'd.region_code', 'r.path'])
    .where('d.id', '=', id)
    .executeTakeFirst();
}

export async function departmentsWithPaths(db: Db, ids: readonly string[]): Promise<Map<string, { name: string; path: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('department as d').innerJoin('region as r', 'r.code', 'd.region_code').select(['d.id', 'd.name', 'r.path']).where('d.id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, path: r.path }]));
}

export async function regionsWithPaths(db: Db, codes: readonly string[]): Promise<Map<string, { name: string; path: string }>> {
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom('region').select(['code', 'name', 'path']).where('code', 'in', [...codes]).execute();
  return new Map(rows.map((r) => [r.code, { name: r.name, path: r.path }]));
}

/** Whether another document of the department that went out holds this 文号 in this year. */
export async function numberTaken(db: Db, departmentId: string, year: number, number: string, exceptId: string | null): Promise<boolean> {
  const row = await db
    .selectFrom('oa_document')
    .select('id')
    .where('sender_department_id', '=', departmentId)
    .where('number_year', '=', year)
    .where('number', '=', number)
    .where('status', 'in', ['sent', 'archived'])
    .$if(exceptId !== null, (q) => q.where('id', '<>', exceptId!))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Resolves the recipients at send, in three statements whatever their number: the addressed departments (with their
 * sub-department trees, and every department in the addressed regions) inside the sender's scope become delivery
 * rows; every active staff user of those departments, and every one holding an addressed role over a region inside
 * the scope, gets a receipt; the departments of role holders get delivery rows too. Returns the receipt count.
 */
export async function resolveRecipients(trx: Transaction<Database>, documentId: string, spec: RecipientSpec, scopePaths: readonly string[]): Promise<number> {
  const seeds = spec.departments.map((d) => sql`(${d.id}::uuid, ${d.withSubDepartments}::boolean)`);
  const parts = [];
  if (seeds.length > 0) parts.push(sql`SELECT id FROM tree`);
  if (spec.regions.length > 0) {
    parts.push(sql`SELECT d.id FROM department d JOIN region r ON r.code = d.region_code
      WHERE r.path LIKE ANY (SELECT rr.path || '%' FROM region rr WHERE rr.code IN (${sql.join(spec.regions)}))`);
  }
  if (parts.length > 0) {
    const tree =
      seeds.length > 0
        ? sql`WITH RECURSIVE seed(id, descend) AS (VALUES ${sql.join(seeds)}),
            tree(id, descend, depth) AS (
              SELECT id, descend, 0 FROM seed
              UNION
              SELECT c.id, true, t.depth + 1 FROM department c JOIN tree t ON c.parent_id = t.id WHERE t.descend AND t.depth < 100
            )`
        : sql``;
    await sql`${tree}
      INSERT INTO oa_delivery (document_id, department_id)
      SELECT DISTINCT ${documentId}::uuid, d.id FROM department d JOIN region r ON r.code = d.region_code
      WHERE d.id IN (${sql.join(parts, sql` UNION `)}) AND ${pathWithin('r.path', scopePaths)}
      ON CONFLICT DO NOTHING`.execute(trx);
  }
  const byRole =
    spec.roles.length > 0
      ? sql`OR EXISTS (SELECT 1 FROM role_grant g JOIN region r ON r.code = g.region_code
          WHERE g.user_id = u.id AND g.role IN (${sql.join(spec.roles)}) AND ${pathWithin('r.path', scopePaths)})`
      : sql``;
  const inserted = await sql`
    INSERT INTO oa_receipt (document_id, user_id, department_id)
    SELECT ${documentId}::uuid, u.id, u.department_id FROM app_user u
    WHERE u.kind = 'staff' AND u.status = 'active' AND u.department_id IS NOT NULL
      AND (u.department_id IN (SELECT v.department_id FROM oa_delivery v WHERE v.document_id = ${documentId}::uuid) ${byRole})
    ON CONFLICT DO NOTHING`.execute(trx);
  if (spec.roles.length > 0) {
    await sql`INSERT INTO oa_delivery (document_id, department_id)
      SELECT DISTINCT document_id, department_id FROM oa_receipt WHERE document_id = ${documentId}::uuid
      ON CONFLICT DO NOTHING`.execute(trx);
  }
  return Number(inserted.numAffectedRows ?? 0);
}

export async function hasSignatures(db: Db, documentId: string): Promise<boolean> {
  const row = await db.selectFrom('oa_receipt').select('user_id').where('document_id', '=', documentId).where('signed_at', 'is not', null).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function receiptOf(db: Db, documentId: string, userId: string) {
  return db.selectFrom('oa_receipt').select(['read_at', 'signed_at', 'department_id']).where('document_id', '=', documentId).where('user_id', '=', userId).executeTakeFirst();
}

/** Signs once: only the first of any number of concurrent calls changes the row. */
export async function sign(trx: Db, documentId: string, userId: string, at: Date): Promise<Date | null> {
  const row = await trx
    .updateTable('oa_receipt')
    .set({ signed_at: at, read_at: sql<Date>`coalesce(read_at, ${at})` })
    .where('document_id', '=', documentId)
    .where('user_id', '=', userId)
    .where('signed_at', 'is', null)
    .returning('signed_at')
    .executeTakeFirst();
  return row?.signed_at ?? null;
}

export async function markRead(db: Db, documentId: string, userId: string, at: Date): Promise<void> {
  await db.updateTable('oa_receipt').set({ read_at: at }).where('document_id', '=', documentId).where('user_id', '=', userId).where('read_at', 'is', null).execute();
}

export async function deliveryCounts(db: Db, documentId: string) {
  // count the receipts once per department, then name the departments (a join per department would rescan them)
  const counts = db
    .selectFrom('oa_receipt')
    .select((eb) => ['department_id', eb.fn.countAll<string>().as('total'), eb.fn.count<string>('signed_at').as('signed'), eb.fn.count<string>('read_at').as('read')])
    .where('document_id', '=', documentId)
    .groupBy('department_id')
    .as('c');
  const rows = await db
    .selectFrom('oa_delivery as v')
    .innerJoin('department as d', 'd.id', 'v.department_id')
    .leftJoin(counts, 'c.department_id', 'v.department_id')
    .select(['v.department_id', 'd.name', 'c.total', 'c.signed', 'c.read'])
    .where('v.document_id', '=', documentId)
    .orderBy('d.kind_rank')
    .orderBy('d.sort_order')
    .orderBy('d.code')
    .execute();
  return rows.map((r) => ({ departmentId: r.department_id, name: r.name, total: Number(r.total ?? 0), signed: Number(r.signed ?? 0), read: Number(r.read ?? 0) }));
}

export async function receiptUsers(db: Db, documentId: string, filter: { departmentId?: string; signed?: boolean; after?: string }, limit: number) {
  return db
    .selectFrom('oa_receipt as r')
    .innerJoin('app_user as u', 'u.id', 'r.user_id')
    .innerJoin('department as d', 'd.id', 'r.department_id')
    .select(['r.user_id', 'u.username', 'u.display_name', 'r.department_id', 'd.name as department_name', 'r.read_at', 'r.signed_at'])
    .where('r.document_id', '=', documentId)
    .$if(filter.departmentId !== undefined, (q) => q.where('r.department_id', '=', filter.departmentId!))
    .$if(filter.signed !== undefined, (q) => q.where('r.signed_at', filter.signed ? 'is not' : 'is', null))
    .$if(filter.after !== undefined, (q) => q.where('u.username', '>', filter.after!))
    .orderBy('u.username')
    .limit(limit + 1)
    .execute();
}

export async function signedCounts(db: Db, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('oa_receipt')
    .select((eb) => ['document_id', eb.fn.count<string>('signed_at').as('signed')])
    .where('document_id', 'in', [...ids])
    .groupBy('document_id')
    .execute();
  return new Map(rows.map((r) => [r.document_id, Number(r.signed)]));
}

/** The caller's received documents: unsigned first, then newest first. Keyset: (signed 0/1, sent_at, id). */
export async function received(db: Db, userId: string, filter: { signed?: boolean; after?: [number, string, string] }, limit: number) {
  const signedFlag = sql<number>`(CASE WHEN r.signed_at IS NULL THEN 0 ELSE 1 END)`;
  let q = documentColumns(db)
    .innerJoin('oa_receipt as r', 'r.document_id', 'd.id')
    .select(['r.read_at', 'r.signed_at'])
    .select(signedFlag.as('signed_flag'))
    .where('r.user_id', '=', userId)
    .where('d.status', 'in', ['sent', 'archived']);
  if (filter.signed !== undefined) q = q.where('r.signed_at', filter.signed ? 'is not' : 'is', null);
  if (filter.after) {
    const [flag, sentAt, id] = filter.after;
    q = q.where(sql<SqlBool>`(${signedFlag}, -extract(epoch from d.sent_at), d.id) > (${flag}::int, ${-Date.parse(sentAt) / 1000}::float8, ${id}::uuid)`);
  }
  return q.orderBy(signedFlag).orderBy('d.sent_at', 'desc').orderBy('d.id').limit(limit + 1).execute();
}

export async function countReceived(db: Db, userId: string, signed?: boolean): Promise<number> {
  const row = await db
    .selectFrom('oa_receipt as r')
    .innerJoin('oa_document as d', 'd.id', 'r.document_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('r.user_id', '=', userId)
    .where('d.status', 'in', ['sent', 'archived'])
    .$if(signed !== undefined, (q) => q.where('r.signed_at', signed ? 'is not' : 'is', null))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface ArchiveFilter {
  q?: string;
  senderDepartmentId?: string;
  from?: string;
  to?: string;
  status?: OaStatus;
}

/** Who may see a document in lists: its sending department (senders), its recipients, and the archive scope. */
export interface Visibility {
  userId: string;
  /** The caller's department when it holds oa.send (sees its department's documents, drafts included). */
  senderDepartmentId: string | null;
  /** Region paths where the caller holds oa.archive. */
  archivePaths: string[];
  /** The platform itself: everything. */
  all: boolean;
}

function visible(v: Visibility) {
  if (v.all) return sql<SqlBool>`true`;
  const parts = [sql<SqlBool>`(d.status <> 'draft' AND EXISTS (SELECT 1 FROM oa_receipt mr WHERE mr.document_id = d.id AND mr.user_id = ${v.userId}::uuid))`];
  if (v.senderDepartmentId) parts.push(sql<SqlBool>`d.sender_department_id = ${v.senderDepartmentId}::uuid`);
  if (v.archivePaths.length > 0) parts.push(sql<SqlBool>`(d.status <> 'draft' AND ${pathWithin('d.sender_region_path', v.archivePaths)})`);
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

export async function isVisible(db: Db, id: string, v: Visibility): Promise<boolean> {
  const row = await db.selectFrom('oa_document as d').select('d.id').where('d.id', '=', id).where(visible(v)).executeTakeFirst();
  return row !== undefined;
}

function archiveQuery(db: Db, v: Visibility, f: ArchiveFilter, sentOnly: boolean) {
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return documentColumns(db)
    .where(visible(v))
    .$if(sentOnly, (q) => q.where('d.status', '<>', 'draft'))
    .$if(f.status !== undefined, (q) => q.where('d.status', '=', f.status!))
    .$if(like !== null, (q) => q.where((eb) => eb.or([eb('d.title', 'ilike', like!), eb('d.number', 'ilike', like!), eb('sd.name', 'ilike', like!)])))
    .$if(f.senderDepartmentId !== undefined, (q) => q.where('d.sender_department_id', '=', f.senderDepartmentId!))
    .$if(f.from !== undefined, (q) => q.where('d.sent_at', '>=', new Date(`${f.from}T00:00:00+08:00`)))
    .$if(f.to !== undefined, (q) => q.where('d.sent_at', '<', new Date(Date.parse(`${f.to}T00:00:00+08:00`) + 86_400_000)));
}

/** The archive (sent documents visible to the caller) or, with `sentOnly` false and a department, its outbox with drafts. */
export async function search(db: Db, v: Visibility, f: ArchiveFilter, sentOnly: boolean, after: [string, string] | undefined, limit: number) {
  const key = sql<Date>`coalesce(d.sent_at, d.created_at)`;
  return archiveQuery(db, v, f, sentOnly)
    .$if(after !== undefined, (q) => q.where(sql<SqlBool>`(${key}, d.id) < (${new Date(after![0])}::timestamptz, ${after![1]}::uuid)`))
    .orderBy(key, 'desc')
    .orderBy('d.id', 'desc')
    .limit(limit + 1)
    .execute();
}

export async function countSearch(db: Db, v: Visibility, f: ArchiveFilter, sentOnly: boolean): Promise<number> {
  const row = await archiveQuery(db, v, f, sentOnly)
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Departments inside the region paths, for the recipient picker (directory order). */
export async function departmentsIn(db: Db, paths: readonly string[]) {
  return db
    .selectFrom('department as d')
    .innerJoin('region as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.name', 'd.parent_id', 'd.region_code', 'r.name as region_name'])
    .where(pathWithin('r.path', paths))
    .orderBy('d.kind_rank')
    .orderBy('d.sort_order')
    .orderBy('d.code')
    .limit(5000)
    .execute();
}

// ---- reminders

/** Hours after the sign-for deadline at which each rung of the ladder falls due (rung n at RUNG_HOURS[n-1]). */
export const RUNG_HOURS = [0, 24, 72] as const;

/**
 * Claims the next batch of reminders: for each unsigned receipt of a sent document past its deadline, the highest
 * rung now due, unless that rung (or a higher one) was claimed already. The primary key (document, user, rung) makes
 * a second node's claim of the same row a no-op, so nobody is reminded twice on a rung.
 */
export async function claimReminders(trx: Transaction<Database>, now: Date, limit: number) {
  const due = sql<number>`(CASE ${sql.join(
    [...RUNG_HOURS.keys()].reverse().map((i) => sql`WHEN d.sign_deadline + ${`${RUNG_HOURS[i]} hours`}::interval <= ${now}::timestamptz THEN ${i + 1}::int`),
    sql` `,
  )} END)`;
  const result = await sql<{ document_id: string; user_id: string; rung: number }>`
    INSERT INTO oa_reminder (document_id, user_id, rung, sent_at)
    SELECT r.document_id, r.user_id, x.rung, ${now}::timestamptz
    FROM oa_receipt r
    JOIN oa_document d ON d.id = r.document_id
    CROSS JOIN LATERAL (SELECT ${due}::smallint AS rung) x
    WHERE d.status = 'sent' AND d.sign_deadline <= ${now}::timestamptz AND r.signed_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM oa_reminder m WHERE m.document_id = r.document_id AND m.user_id = r.user_id AND m.rung >= x.rung)
    LIMIT ${limit}::int
    ON CONFLICT DO NOTHING
    RETURNING document_id, user_id, rung`.execute(trx);
  return result.rows;
}

export async function reminderTargets(trx: Db, pairs: readonly { document_id: string; user_id: string }[]) {
  const docs = [...new Set(pairs.map((p) => p.document_id))];
  const users = [...new Set(pairs.map((p) => p.user_id))];
  const [docRows, userRows] = await Promise.all([
    trx.selectFrom('oa_document').select(['id', 'title', 'number', 'sign_deadline', 'sender_region_code']).where('id', 'in', docs).execute(),
    trx.selectFrom('app_user').select(['id', 'phone']).where('id', 'in', users).execute(),
  ]);
  return { docs: new Map(docRows.map((d) => [d.id, d])), phones: new Map(userRows.map((u) => [u.id, u.phone])) };
}

export async function setReminderSms(trx: Db, documentId: string, userId: string, rung: number, smsId: string): Promise<void> {
  await trx.updateTable('oa_reminder').set({ sms_id: smsId }).where('document_id', '=', documentId).where('user_id', '=', userId).where('rung', '=', rung).execute();
}

// ---- 我的待办

export async function unsignedFor(db: Db, userId: string, limit: number) {
  return db
    .selectFrom('oa_receipt as r')
    .innerJoin('oa_document as d', 'd.id', 'r.document_id')
    .innerJoin('department as sd', 'sd.id', 'd.sender_department_id')
    .select(['d.id', 'd.title', 'd.number', 'd.urgency', 'd.sign_deadline', 'd.sent_at', 'sd.name as sender_name'])
    .select((eb) => eb.selectFrom('oa_reminder as m').select((m) => m.fn.max('m.rung').as('rung')).whereRef('m.document_id', '=', 'r.document_id').whereRef('m.user_id', '=', 'r.user_id').as('rung'))
    .where('r.user_id', '=', userId)
    .where('r.signed_at', 'is', null)
    .where('d.status', '=', 'sent')
    .orderBy('d.sign_deadline', (ob) => ob.asc().nullsLast())
    .orderBy('d.sent_at', 'desc')
    .limit(limit)
    .execute();
}

export async function countUnsignedFor(db: Db, userId: string): Promise<number> {
  return countReceivedStatus(db, userId, 'sent');
}

async function countReceivedStatus(db: Db, userId: string, status: OaStatus): Promise<number> {
  const row = await db
    .selectFrom('oa_receipt as r')
    .innerJoin('oa_document as d', 'd.id', 'r.document_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('r.user_id', '=', userId)
    .where('r.signed_at', 'is', null)
    .where('d.status', '=', status)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
