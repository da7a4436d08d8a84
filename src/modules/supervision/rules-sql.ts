// The approval rules (issue 9 §4) as one set-based statement: every case of the candidate set is read once, each rule
// is a boolean column, the hits become (case, rule) rows, and one INSERT … ON CONFLICT (subject_id, rule) DO NOTHING
// writes the new ones and returns them. The full sweep and the one-case re-evaluation share the rules (`flags`) and
// the new warning's columns; the one case's statement is a fixed, prepared one that also writes its notices' event.
// Everything date-dependent on the working calendar is computed in TS once per date and passed as parameters
// (SweepDates), so the database never walks a calendar per row.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { fixedStatement, runFixed, type FixedStatement } from '../../db/prepared.ts';
import type { Database } from '../../db/schema.ts';
import { brokeLimitSql, CLOCK_STATES, OPEN_STATES, STEPS } from '../approval/index.ts';
import { CASE_RULES, type CaseRule, type WarningLevel } from './kinds.ts';

/** Dates of one business day, derived from the working calendar (see SupervisionService.datesFor). */
export interface SweepDates {
  today: string;
  /** The next working day after today: a last day on or before it is one working day away (提醒). */
  nextWorkingDay: string;
  /** A yellow card fired on or before this day has outlived its 督办 period (more than N working days ago). */
  yellowOutlivedBy: string;
  /**
   * Late entry by application day: `lateFrom[k]` is the instant (Beijing midnight after the last day that is not a
   * late entry, N working days after) from which registering a case applied for on `firstApplied` + k days is late.
   */
  lateEntry: { firstApplied: string; lateFrom: string[] };
  /** Cases concluded or refused since this day are still looked at by the sweep (irregularities at the end). */
  recentFrom: string;
}

/** The Chinese words each rule's summary ends with. */
export const RULE_TEXT: Record<CaseRule, string> = {
  'deadline.prompt': '临近办理时限（提醒）',
  'promised.passed': '超承诺时限（黄牌）',
  'statutory.passed': '超法定时限（红牌）',
  'yellow.outlived': '黄牌督办期满未整改（红牌）',
  'irregular.concluded_before_accepted': '先办结后受理',
  'irregular.step_skipped': '跳过必经环节',
  'irregular.fee_on_free_item': '无收费依据收费',
  'irregular.repeated_correction': '多次要求补正',
  'irregular.refusal_without_reason': '不予受理或不予许可未说明理由',
  'irregular.late_entry': '申请后逾期录入',
};

export interface FiredRow {
  id: string;
  subject_id: string;
  rule: string;
  level: WarningLevel;
  department_id: string;
  region_code: string;
  summary: string;
  handler_id: string | null;
}

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));
/** The steps that come before 办结: each required one must be completed by the conclusion day. */
const BEFORE_CONCLUDE = STEPS.slice(0, STEPS.indexOf('conclude'));

/**
 * Each rule as a boolean over the case row `c` and its item `i`; `yellowOutlived` says whether its yellow card outlived
 * its 督办 period. `rowRulesOnly`, when given,
 * gates the rules that depend on the row alone (the irregularities): they can only answer differently when the row
 * changed, so an incremental run evaluates them only for the changed rows (D133).
 */
function flags(d: SweepDates, yellowOutlived: RawBuilder<boolean>, rowRulesOnly?: RawBuilder<boolean>): Record<CaseRule, RawBuilder<boolean>> {
  const today = sql`${d.today}::date`;
  const next = sql`${d.nextWorkingDay}::date`;
  const rules: Record<CaseRule, RawBuilder<boolean>> = {
    'deadline.prompt': sql`(c.state IN (${list(CLOCK_STATES)}) AND c.paused_since IS NULL
      AND ((c.promised_due >= ${today} AND c.promised_due <= ${next}) OR (c.statutory_due >= ${today} AND c.statutory_due <= ${next})))`,
    'promised.passed': sql`coalesce(${brokeLimitSql(d.today, 'promised')}, false)`,
    'statutory.passed': sql`coalesce(${brokeLimitSql(d.today, 'statutory')}, false)`,
    'yellow.outlived': yellowOutlived,
    'irregular.concluded_before_accepted': sql`(c.concluded_on IS NOT NULL AND (c.accepted_on IS NULL OR c.concluded_on < c.accepted_on
      OR (SELECT count(*) FROM approval_case_event e WHERE e.case_id = c.id AND (e.action = 'accept' OR e.to_state = 'accepted')) = 0))`,
    'irregular.step_skipped': sql`(c.concluded_on IS NOT NULL AND EXISTS (
      SELECT 1 FROM approval_item_step s WHERE s.item_id = c.item_id AND s.required AND s.step IN (${list(BEFORE_CONCLUDE)})
        AND NOT EXISTS (SELECT 1 FROM approval_case_step cs WHERE cs.case_id = c.id AND cs.step = s.step
                          AND cs.completed_on IS NOT NULL AND cs.completed_on <= c.concluded_on)))`,
    'irregular.fee_on_free_item': sql`(c.fee_yuan > 0 AND NOT i.fee_lawful)`,
    'irregular.repeated_correction': sql`(c.corrections >= 2)`,
    'irregular.refusal_without_reason': sql`((c.state = 'rejected' OR c.decision = 'deny') AND coalesce(btrim(c.reason), '') = '')`,
    // a subscript outside the lookback window is NULL: no late entry (as the calendar table of old did not reach it)
    'irregular.late_entry': sql`coalesce(c.registered_at >= (${d.lateEntry.lateFrom}::timestamptz[])[c.applied_on - ${d.lateEntry.firstApplied}::date + 1], false)`,
  };
  if (!rowRulesOnly) return rules;
  for (const rule of Object.keys(rules) as CaseRule[]) if (rule.startsWith('irregular.')) rules[rule] = sql<boolean>`(${rowRulesOnly} AND ${rules[rule]})`;
  return rules;
}

/**
 * Which cases a sweep looks at. `all`: every open or recently ended case (the exhaustive sweep). `since`: only the
 * cases whose answer can have changed since the previous sweep — those changed since then (`changedSince`, kept with a margin), those whose promised or statutory day lies in `dueFrom …
 * dueTo` (the days the date-driven rules crossed since the previous sweep's day, empty within one day), and those whose
 * yellow card outlived its 督办 period since then (fired after `outlivedAfter`). Every rule is a function of the
 * case's row and the date, so no other case can change its answer (docs/decisions.md D106).
 */
export type Candidates =
  | { kind: 'all' }
  | { kind: 'since'; changedSince: Date; dueFrom: string | null; dueTo: string | null; outlivedAfter: string };

/** Yellow cards of the candidates (read before the insert, so the statement never rescans its own rows). */
function warningFilter(candidates: Candidates) {
  if (candidates.kind === 'since') return sql`AND w.fired_on > ${candidates.outlivedAfter}::date`;
  return sql``;
}

function candidateFilter(candidates: Candidates, d: SweepDates) {
  if (candidates.kind === 'since') {
    // one scan of the cases through the OR of the three sets' indexes (a bitmap OR): no list of ids joined back to the
    // whole table
    const clock = list(CLOCK_STATES);
    const due =
      candidates.dueFrom === null || candidates.dueTo === null
        ? sql``
        : sql`OR (c.state IN (${clock}) AND c.promised_due BETWEEN ${candidates.dueFrom}::date AND ${candidates.dueTo}::date)
              OR (c.state IN (${clock}) AND c.statutory_due BETWEEN ${candidates.dueFrom}::date AND ${candidates.dueTo}::date)`;
    return sql`(c.updated_at >= ${candidates.changedSince} ${due} OR c.id = ANY (ARRAY(SELECT y.subject_id FROM y)))`;
  }
  return sql`(c.state IN (${list(OPEN_STATES)}) OR c.concluded_on >= ${d.recentFrom}::date
    OR (c.state = 'rejected' AND c.applied_on >= ${d.recentFrom}::date))`;
}

/**
 * Fires the rules over the sweep's candidates on `d.today`: inserts each new (case, rule) warning and returns it (with
 * the case's handler, for the notices). A warning already there — from an earlier sweep, or from another node's sweep
 * committing first — is not returned.
 */
export async function fireCaseRules(trx: Transaction<Database>, d: SweepDates, candidates: Candidates): Promise<FiredRow[]> {
  return (await caseRulesSql(d, candidates).execute(trx)).rows;
}

/** The advisory lock of the rules: a full sweep holds it exclusively, one-case evaluations share it (D75). */
export const RULES_LOCK = 917_202_611;

/** The outbox topic of the notices of warnings a one-case evaluation fired: payload `{ ids }`, key the first id. */
export const NOTICES_TOPIC = 'supervision.notices';

/** How the one-case statement writes its notices' event: `eventsFrom` of the outbox (jobs module). */
export interface NoticeOutbox {
  eventsFrom(topic: string, events: RawBuilder<{ key: string; payload: unknown }>, options: { now: Date }): RawBuilder<unknown>;
}

type OneCaseInput = 'caseId' | 'now' | 'today' | 'nextWorkingDay' | 'yellowOutlivedBy' | 'firstApplied' | 'lateFrom' | 'recentFrom';
export type OneCaseStatement = FixedStatement<OneCaseInput>;

/**
 * The one-case re-evaluation as one fixed statement, prepared per connection on PostgreSQL (D149): it takes the shared
 * rules lock, inserts the case's new warnings (notices pending) and, when there are any, one outbox event for their
 * notices; it returns the new warnings. The day's dates are inputs, so its text never changes. Where it writes, its
 * transaction commits without waiting for the WAL flush: the outbox job that ran it is marked done by a later,
 * synchronous commit, which flushes this one's WAL too — lost in a crash before that, the job runs again (D150).
 */
export function oneCaseStatement(db: Kysely<Database>, outbox: NoticeOutbox): OneCaseStatement {
  return fixedStatement(db, 'supervision.one_case', ['caseId', 'now', 'today', 'nextWorkingDay', 'yellowOutlivedBy', 'firstApplied', 'lateFrom', 'recentFrom'], (input) => {
    const d: SweepDates = {
      today: input('today'),
      nextWorkingDay: input('nextWorkingDay'),
      yellowOutlivedBy: input('yellowOutlivedBy'),
      lateEntry: { firstApplied: input('firstApplied'), lateFrom: input<string[]>('lateFrom') },
      recentFrom: input('recentFrom'),
    };
    const events = sql<{ key: string; payload: unknown }>`SELECT min(f.id::text) AS key, jsonb_build_object('ids', jsonb_agg(f.id ORDER BY f.id)) AS payload
      FROM fired f HAVING count(*) > 0`;
    return sql`
      WITH rules_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared(${sql.lit(RULES_LOCK)}), set_config('synchronous_commit', 'off', true)),
      fired AS (${oneCaseSql(d, input('caseId'))}),
      notices AS (${outbox.eventsFrom(NOTICES_TOPIC, events, { now: input<Date>('now') })})
      SELECT f.id, f.rule FROM fired f
    `;
  });
}

/** Runs the one-case statement for `caseId` on `d.today` in `trx`; `now` dates the notices' event. */
export async function fireOneCase(trx: Transaction<Database>, statement: OneCaseStatement, d: SweepDates, caseId: string, now: Date): Promise<{ id: string; rule: string }[]> {
  const { today, nextWorkingDay, yellowOutlivedBy, lateEntry, recentFrom } = d;
  return runFixed(trx, statement, { caseId, now, today, nextWorkingDay, yellowOutlivedBy, firstApplied: lateEntry.firstApplied, lateFrom: lateEntry.lateFrom, recentFrom });
}

/** The case's rule hits as (rule, level, text) rows of a lateral VALUES list (`r`). */
function ruleValues(f: Record<CaseRule, RawBuilder<boolean>>, flag: (rule: CaseRule, k: number) => RawBuilder<boolean>) {
  const rules = Object.keys(CASE_RULES) as CaseRule[];
  return { rules, values: sql.join(rules.map((rule, k) => sql`(${sql.lit(rule)}, ${sql.lit(CASE_RULES[rule])}, ${sql.lit(RULE_TEXT[rule])}, ${flag(rule, k)})`)) };
}

const WARNING_COLUMNS = sql`subject_kind, subject_id, rule, level, department_id, region_code, region_path, fired_on, summary, detail`;
const INSERT_WARNING = sql`INSERT INTO supervision_warning (${WARNING_COLUMNS})`;
/**
 * The SELECT list of a new warning: the case's columns from `row`, the rule's (rule, level, text) from `rule`, with
 * the department `dep` and the item `i` joined by the caller for the summary.
 */
function warningSelect(row: 'c' | 'h', rule: 'r' | 'h', today: string) {
  const [c, r] = [sql.raw(row), sql.raw(rule)];
  return sql`SELECT 'case', ${c}.id, ${r}.rule, ${r}.level, ${c}.department_id, ${c}.region_code, ${c}.region_path, ${today}::date,
           dep.name || ' ' || i.name || ' ' || ${c}.case_no || ' ' || ${r}.text,
           jsonb_build_object('caseNo', ${c}.case_no, 'statutoryDue', ${c}.statutory_due, 'promisedDue', ${c}.promised_due, 'handlerId', ${c}.handler_id)`;
}

const RETURNING_FIRED = sql`ON CONFLICT (subject_id, rule) DO NOTHING
    RETURNING id, subject_id, rule, level, department_id, region_code, summary, detail->>'handlerId' AS handler_id`;

/**
 * One case's insert (the CTE `fired` of the one-case statement): the flags are evaluated for the one row, once each, in
 * the lateral VALUES list; the shared rules lock (the statement's MATERIALIZED CTE `rules_lock`, joined in) is taken
 * before any row is inserted.
 */
function oneCaseSql(d: SweepDates, caseId: string): RawBuilder<{ id: string; rule: string }> {
  const f = flags(d, sql<boolean>`EXISTS (SELECT 1 FROM supervision_warning y WHERE y.subject_id = c.id AND y.rule = 'promised.passed'
    AND y.state <> 'closed' AND y.fired_on <= ${d.yellowOutlivedBy}::date)`);
  const { values } = ruleValues(f, (rule) => f[rule]);
  return sql<{ id: string; rule: string }>`
    INSERT INTO supervision_warning (${WARNING_COLUMNS}, notice_pending)
    ${warningSelect('c', 'r', d.today)}, true
    FROM rules_lock
    CROSS JOIN approval_case c
    JOIN approval_item i ON i.id = c.item_id
    JOIN department dep ON dep.id = c.department_id
    CROSS JOIN LATERAL (VALUES ${values}) AS r(rule, level, text, hit)
    WHERE c.id = ${caseId}::uuid AND r.hit
      AND NOT EXISTS (SELECT 1 FROM supervision_warning w WHERE w.subject_id = c.id AND w.rule = r.rule)
    ON CONFLICT (subject_id, rule) DO NOTHING
    RETURNING id, rule
  `;
}

/** The statement itself (the bench prints its plan). */
export function caseRulesSql(d: SweepDates, candidates: Candidates): RawBuilder<FiredRow> {
  const f = flags(d, sql<boolean>`(y.subject_id IS NOT NULL)`, candidates.kind === 'since' ? sql<boolean>`c.updated_at >= ${candidates.changedSince}` : undefined);
  const { rules, values } = ruleValues(f, (_, k) => sql`c.${sql.ref(`f${k}`)}`);
  const columns = sql.join(rules.map((rule, k) => sql`${f[rule]} AS ${sql.ref(`f${k}`)}`));
  const any = sql.join(rules.map((_, k) => sql`c.${sql.ref(`f${k}`)}`), sql` OR `);
  // a hit already stored is dropped before the names are joined (item and department, for the new warnings only). The
  // stored warnings are read into a MATERIALIZED CTE first: the INSERT consumes \`hit\` while it writes, and a probe of
  // the live table per hit (a nested-loop anti-join, as the planner picks over a freshly analysed, empty table) would
  // walk the statement's own new rows again and again — quadratic on a first sweep
  return sql<FiredRow>`
    WITH y AS MATERIALIZED (
      SELECT DISTINCT w.subject_id FROM supervision_warning w
      WHERE w.rule = 'promised.passed' AND w.state <> 'closed' AND w.fired_on <= ${d.yellowOutlivedBy}::date ${warningFilter(candidates)}
    ), c AS ${candidates.kind === 'all' ? sql`` : sql`MATERIALIZED`} (
      SELECT c.id, c.item_id, c.case_no, c.department_id, c.region_code, c.region_path, c.handler_id, c.statutory_due, c.promised_due, ${columns}
      FROM approval_case c
      JOIN approval_item i ON i.id = c.item_id
      LEFT JOIN y ON y.subject_id = c.id
      WHERE ${candidateFilter(candidates, d)}
    ), stored AS MATERIALIZED (
      SELECT w.subject_id, w.rule FROM supervision_warning w
      WHERE w.subject_kind = 'case' ${candidates.kind === 'all' ? sql`` : sql`AND w.subject_id IN (SELECT c.id FROM c WHERE ${any})`}
    ), hit AS MATERIALIZED (
      SELECT c.id, c.item_id, c.case_no, c.department_id, c.region_code, c.region_path, c.handler_id, c.statutory_due, c.promised_due, r.rule, r.level, r.text
      FROM c CROSS JOIN LATERAL (VALUES ${values}) AS r(rule, level, text, hit)
      WHERE (${any}) AND r.hit
        AND NOT EXISTS (SELECT 1 FROM stored s WHERE s.subject_id = c.id AND s.rule = r.rule)
    )
    ${INSERT_WARNING}
    ${warningSelect('h', 'h', d.today)}
    FROM hit h
    JOIN approval_item i ON i.id = h.item_id
    JOIN department dep ON dep.id = h.department_id
    ${RETURNING_FIRED}
  `;
}
