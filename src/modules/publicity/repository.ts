// SQL of the public channels. Cases are read through the approval contract's tables only (approval_case and its
// ledgers, approval_item), warnings from supervision_warning, the ranking from evaluation_score.
import { sql, type Kysely, type Transaction } from 'kysely';
import { fixedStatement, runFixed, type FixedStatement } from '../../db/prepared.ts';
import type { Database } from '../../db/schema.ts';
import { overdueSql, type CaseState, type Decision, type Step } from '../approval/index.ts';
import type { ApplicantSmsKind } from './tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface ProgressRow {
  /** Misses from the asking address in the window (the captcha check), read in the same round trip. */
  misses: number;
  case_no: string;
  item: string;
  department: string;
  state: CaseState;
  decision: Decision | null;
  applied_on: string;
  accepted_on: string | null;
  concluded_on: string | null;
  delivered_on: string | null;
  statutory_due: string | null;
  promised_due: string | null;
  due_provisional: boolean;
  paused_since: string | null;
  statutory_overdue: boolean;
  promised_overdue: boolean;
  steps: { step: Step; name: string; started_on: string | null; due_on: string | null; completed_on: string | null }[];
  events: { action: string; to_state: CaseState; on_date: string }[];
  correction: { reason: string; started_on: string } | null;
}

type ProgressInput = 'address' | 'windowStart' | 'today' | 'caseNo' | 'applicant';
const PROGRESS_INPUTS: readonly ProgressInput[] = ['address', 'windowStart', 'today', 'caseNo', 'applicant'];

/** The lookup's statement, by name or by ID number: fixed text, built once (D137). */
function progressStatement(input: (key: ProgressInput) => string, by: 'name' | 'idNumber') {
  const match = by === 'name' ? sql`c.applicant_name = ${input('applicant')}` : sql`c.applicant_id_number = ${input('applicant')}`;
  const today = input('today');
  const misses = sql<number>`coalesce((SELECT m.misses FROM publicity_lookup_miss m WHERE m.address = ${input('address')} AND m.window_start > ${input('windowStart')}::timestamptz), 0)`;
  // one row always: the address's misses, and the case's columns when it matched (a LEFT JOIN onto a one-row select),
  // as one JSON value: the client then parses one field, not twenty (its per-field work was a tenth of the lookup's CPU)
  return sql`
    SELECT row_to_json(answer) AS answer FROM (
    SELECT ${misses} AS misses, found.* FROM (SELECT 1) one LEFT JOIN LATERAL (
    SELECT c.case_no, i.name AS item, d.name AS department, c.state, c.decision,
           c.applied_on::text AS applied_on, c.accepted_on::text AS accepted_on, c.concluded_on::text AS concluded_on,
           c.delivered_on::text AS delivered_on, c.statutory_due::text AS statutory_due, c.promised_due::text AS promised_due,
           c.due_provisional, c.paused_since::text AS paused_since,
           ${overdueSql(today, 'statutory')} AS statutory_overdue, ${overdueSql(today, 'promised')} AS promised_overdue,
           coalesce((
             SELECT json_agg(json_build_object('step', st.step, 'name', st.name, 'started_on', cs.started_on, 'due_on', cs.due_on, 'completed_on', cs.completed_on) ORDER BY st.seq)
             FROM approval_item_step st LEFT JOIN approval_case_step cs ON cs.case_id = c.id AND cs.step = st.step
             WHERE st.item_id = c.item_id
           ), '[]'::json) AS steps,
           coalesce((
             SELECT json_agg(json_build_object('action', e.action, 'to_state', e.to_state, 'on_date', e.on_date) ORDER BY e.seq)
             FROM approval_case_event e WHERE e.case_id = c.id
           ), '[]'::json) AS events,
           (SELECT json_build_object('reason', p.reason, 'started_on', p.started_on) FROM approval_case_pause p
             WHERE p.case_id = c.id AND p.kind = 'correction' AND p.ended_on IS NULL) AS correction
    FROM approval_case c
    JOIN approval_item i ON i.id = c.item_id
    JOIN department d ON d.id = c.department_id
    WHERE c.case_no = ${input('caseNo')} AND ${match}
    ) found ON true
    ) answer
  `;
}

const progressStatements = new Map<'name' | 'idNumber', FixedStatement<ProgressInput>>();

/** The lookup's fixed statement by name or by ID number (built on first use; the bench's bare baseline runs it too). */
export function progressStatementOf(db: Kysely<Database>, by: 'name' | 'idNumber'): FixedStatement<ProgressInput> {
  let statement = progressStatements.get(by);
  if (!statement) {
    statement = fixedStatement(db, `publicity.progress.${by}`, PROGRESS_INPUTS, (input) => progressStatement(input, by));
    progressStatements.set(by, statement);
  }
  return statement;
}

/**
 * The case with this number whose applicant has this name or this ID number, in one round trip (steps, ledger and an
 * open 补正 gathered as JSON). Both must match in SQL, so a wrong name and a wrong number look the same. The text is
 * fixed per kind of match and runs prepared on PostgreSQL: planning it cost several times its execution (D137).
 */
export async function findProgress(
  db: Kysely<Database>,
  caseNo: string,
  applicant: { name?: string; idNumber?: string },
  today: string,
  asker: { address: string; windowStart: Date },
): Promise<{ misses: number; row: ProgressRow | undefined }> {
  const statement = progressStatementOf(db, applicant.name !== undefined ? 'name' : 'idNumber');
  const rows = await runFixed<{ answer: ProgressRow & { case_no: string | null } }, ProgressInput>(db, statement, {
    address: asker.address,
    windowStart: asker.windowStart,
    today,
    caseNo,
    applicant: applicant.name ?? applicant.idNumber ?? '',
  });
  const first = rows[0]!.answer;
  return { misses: first.misses, row: first.case_no === null ? undefined : first };
}

/** Counts one more miss for the address in one atomic statement (a window older than `windowStart` starts again). */
export async function addMiss(db: Db, address: string, now: Date, windowStart: Date): Promise<number> {
  const { rows } = await sql<{ misses: number }>`
    INSERT INTO publicity_lookup_miss AS m (address, misses, window_start) VALUES (${address}, 1, ${now}::timestamptz)
    ON CONFLICT (address) DO UPDATE SET
      misses = CASE WHEN m.window_start <= ${windowStart}::timestamptz THEN 1 ELSE m.misses + 1 END,
      window_start = CASE WHEN m.window_start <= ${windowStart}::timestamptz THEN ${now}::timestamptz ELSE m.window_start END
    RETURNING m.misses`.execute(db);
  return rows[0]!.misses;
}

export interface DisclosureRow {
  id: string;
  item: string;
  department: string;
  region_name: string;
  applicant_kind: 'citizen' | 'enterprise';
  applicant_name: string;
  decision: Decision | null;
  concluded_on: string;
}

/** Concluded cases, newest first, after the keyset cursor; `q` searches the item, the department or an enterprise's name. */
export async function listConcluded(db: Db, options: { q?: string; after?: { on: string; id: string }; limit: number }): Promise<DisclosureRow[]> {
  const like = options.q === undefined ? undefined : `%${options.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return db
    .selectFrom('approval_case as c')
    .innerJoin('approval_item as i', 'i.id', 'c.item_id')
    .innerJoin('department as d', 'd.id', 'c.department_id')
    .innerJoin('region as r', 'r.code', 'c.region_code')
    .select(['c.id', 'i.name as item', 'd.name as department', 'r.name as region_name', 'c.applicant_kind', 'c.applicant_name', 'c.decision'])
    .select(sql<string>`c.concluded_on::text`.as('concluded_on'))
    .where('c.state', 'in', ['concluded', 'delivered'])
    .where('c.concluded_on', 'is not', null)
    .$if(like !== undefined, (qb) =>
      qb.where((eb) => eb.or([eb('i.name', 'ilike', like!), eb('d.name', 'ilike', like!), eb.and([eb('c.applicant_kind', '=', 'enterprise'), eb('c.applicant_name', 'ilike', like!)])])),
    )
    .$if(options.after !== undefined, (qb) => qb.where(sql<boolean>`(c.concluded_on, c.id) < (${options.after!.on}::date, ${options.after!.id}::uuid)`))
    .orderBy('c.concluded_on', 'desc')
    .orderBy('c.id', 'desc')
    .limit(options.limit + 1)
    .execute();
}

export interface CountyCount {
  code: string;
  name: string;
  accepted: number;
  concluded: number;
}

/** Today's acceptances and conclusions per county of the prefecture (every county listed, zeros included). */
export async function todayByCounty(db: Db, prefecture: string, today: string): Promise<CountyCount[]> {
  const { rows } = await sql<CountyCount>`
    WITH t AS (
      SELECT split_part(region_path, '/', 3) AS county,
             count(*) FILTER (WHERE accepted_on = ${today}::date)::int AS accepted,
             count(*) FILTER (WHERE concluded_on = ${today}::date)::int AS concluded
      FROM approval_case
      WHERE (accepted_on = ${today}::date OR concluded_on = ${today}::date) AND region_path LIKE ${`/${prefecture}/%`}
      GROUP BY 1
    )
    SELECT r.code, r.name, coalesce(t.accepted, 0) AS accepted, coalesce(t.concluded, 0) AS concluded
    FROM region r LEFT JOIN t ON t.county = r.code
    WHERE r.parent_code = ${prefecture} AND r.valid_to IS NULL
    ORDER BY r.code
  `.execute(db);
  return rows;
}

export interface WarningLine {
  level: 'prompt' | 'yellow' | 'red' | 'irregular';
  summary: string;
  department: string;
  fired_at: Date;
}

export async function latestWarnings(db: Db, prefecture: string, limit: number): Promise<WarningLine[]> {
  return db
    .selectFrom('supervision_warning as w')
    .innerJoin('department as d', 'd.id', 'w.department_id')
    .select(['w.level', 'w.summary', 'd.name as department', 'w.fired_at'])
    .where('w.region_path', 'like', `/${prefecture}/%`)
    .orderBy('w.fired_at', 'desc')
    .limit(limit)
    .execute();
}

export interface RankingLine {
  month: string;
  rank: number;
  department: string;
  score: string;
  grade: 'excellent' | 'good' | 'pass' | 'fail';
}

/** The latest published month's ranking (top `limit`). */
export async function latestRanking(db: Db, prefecture: string, limit: number): Promise<RankingLine[]> {
  const { rows } = await sql<RankingLine>`
    SELECT s.month::text AS month, s.rank, d.name AS department, s.score::text AS score, s.grade
    FROM evaluation_score s JOIN department d ON d.id = s.department_id
    WHERE s.month = (SELECT max(month) FROM evaluation_score WHERE published_at IS NOT NULL AND region_path LIKE ${`/${prefecture}/%`})
      AND s.published_at IS NOT NULL AND s.region_path LIKE ${`/${prefecture}/%`}
    ORDER BY s.rank, d.name
    LIMIT ${limit}
  `.execute(db);
  return rows;
}

export interface CaseForSms {
  case_no: string;
  item: string;
  applicant_name: string;
  applicant_phone: string | null;
  promised_days: number;
  decision: Decision | null;
  state: CaseState;
  action: string;
  from_state: CaseState | null;
  to_state: CaseState;
  note: string;
  detail: Record<string, unknown>;
  correction_reason: string | null;
}

/** A ledger event with its case, for the applicant's SMS (undefined when the event is not there). */
export async function caseEvent(db: Db, caseId: string, seq: number): Promise<CaseForSms | undefined> {
  const { rows } = await sql<CaseForSms>`
    SELECT c.case_no, i.name AS item, c.applicant_name, c.applicant_phone, c.promised_days, c.decision, c.state,
           e.action, e.from_state, e.to_state, e.note, e.detail,
           (SELECT p.reason FROM approval_case_pause p WHERE p.case_id = c.id AND p.kind = 'correction' ORDER BY p.started_on DESC, p.created_at DESC LIMIT 1) AS correction_reason
    FROM approval_case_event e
    JOIN approval_case c ON c.id = e.case_id
    JOIN approval_item i ON i.id = c.item_id
    WHERE e.case_id = ${caseId} AND e.seq = ${seq}
  `.execute(db);
  return rows[0];
}

/** Claims (case, seq) for an SMS; false when a delivery before this one claimed it already. */
export async function claimSms(trx: Transaction<Database>, caseId: string, seq: number, kind: ApplicantSmsKind): Promise<boolean> {
  const row = await trx.insertInto('publicity_sms_sent').values({ case_id: caseId, seq, kind }).onConflict((oc) => oc.doNothing()).returning('seq').executeTakeFirst();
  return row !== undefined;
}

export async function recordSmsId(trx: Transaction<Database>, caseId: string, seq: number, messageId: string): Promise<void> {
  await trx.updateTable('publicity_sms_sent').set({ message_id: messageId }).where('case_id', '=', caseId).where('seq', '=', seq).execute();
}
