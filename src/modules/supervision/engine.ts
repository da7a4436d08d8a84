// The rules engine: the full sweep (schedule) and the one-case re-evaluation (outbox, on every case change) run the
// same rules (rules-sql.ts); new warnings notify the responsible staff — 站内信 and SMS to the case's handler, else the
// department's administrators — and are audited. The sweep does so in its transaction; the one-case statement writes
// its warnings and one outbox event for their notices, which `deliverNotices` sends (D149): a warning and its notices'
// event commit together or not at all, and the unique (subject, rule) row makes each fire once on every node.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { systemActorContext } from '../../shared/context.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { InboxService } from '../inbox/index.ts';
import { MOBILE, type SmsService } from '../sms/index.ts';
import { fireCaseRules, fireOneCase, oneCaseStatement, RULES_LOCK, type FiredRow, type NoticeOutbox, type OneCaseStatement, type SweepDates } from './rules-sql.ts';
import { planSweep } from './sweep-plan.ts';

const DAY_MS = 86_400_000;
/** How far back the late-entry table and the "recently ended" candidates reach (calendar days). */
const LOOKBACK_DAYS = 180;
const SMS_BATCH = 1000;
/** A one-case warning's notices still pending this long after it fired are sent by resendStaleNotices (D160). */
export const STALE_NOTICE_MS = 30 * 60_000;
const RESEND_LIMIT = 5000;
/** What a claim of pending notices (deliverNotices, resendStaleNotices) returns of each warning it took. */
const CLAIMED = sql`RETURNING id, subject_id, rule, level, department_id, region_code, summary, detail->>'handlerId' AS handler_id`;
/** Claimed warnings in id order, as an event lists them: the 站内信's key is the first id whichever run sends it. */
const inIdOrder = (rows: FiredRow[]) => rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export interface RuleSettings {
  /** 督办 period of a yellow card in working days: open longer, it turns red (default 5). */
  yellowPeriodDays: number;
  /** Registration more than this many working days after the application is a late entry (default 2). */
  lateEntryDays: number;
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = { yellowPeriodDays: 5, lateEntryDays: 2 };

export interface EngineDeps {
  db: Kysely<Database>;
  clock: Clock;
  calendar: CalendarService;
  audit: AuditService;
  inbox: InboxService | undefined;
  sms: SmsService | undefined;
  outbox: NoticeOutbox;
  settings: RuleSettings;
}

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

export interface SweepResult {
  fired: number;
  byRule: Record<string, number>;
  notified: number;
  /** Whether the sweep looked at every open case (else only those that can have changed: D106). */
  exhaustive?: boolean;
}

/** What one case's re-evaluation fired (its notices follow from the outbox: D149). */
export interface CaseResult {
  fired: number;
  byRule: Record<string, number>;
}

export class RulesEngine {
  private readonly dates = new Map<string, SweepDates>();
  private oneCase: OneCaseStatement | undefined;

  constructor(private readonly deps: EngineDeps) {}

  /** Today's business date (Beijing). */
  today(): string {
    return this.deps.calendar.today();
  }

  /** The calendar-derived dates of one day, computed once and kept (a few hundred binary searches). */
  datesFor(today: string): SweepDates {
    const known = this.dates.get(today);
    if (known) return known;
    const cal = this.deps.calendar;
    const { yellowPeriodDays, lateEntryDays } = this.deps.settings;
    // the latest fired_on whose 督办 period ended before today: walk back from today (monotone in the day)
    let outlived = addDays(today, -1);
    while (cal.addWorkingDays(outlived, yellowPeriodDays).date >= today) outlived = addDays(outlived, -1);
    // Beijing keeps +08:00 all year: the late entries of an application day start at midnight after its last day
    const lateFrom: string[] = [];
    for (let k = LOOKBACK_DAYS; k >= 0; k--) lateFrom.push(`${addDays(cal.addWorkingDays(addDays(today, -k), lateEntryDays).date, 1)}T00:00:00+08:00`);
    const dates: SweepDates = {
      today,
      nextWorkingDay: cal.addWorkingDays(today, 1).date,
      yellowOutlivedBy: outlived,
      lateEntry: { firstApplied: addDays(today, -LOOKBACK_DAYS), lateFrom },
      recentFrom: addDays(today, -LOOKBACK_DAYS),
    };
    if (this.dates.size > 8) this.dates.clear();
    this.dates.set(today, dates);
    return dates;
  }

  /**
   * The rules over every case whose answer can have changed since the previous sweep, in one transaction; returns what
   * fired. Exhaustive (every open or recently ended case) on the first sweep, when the calendar changed, on the first
   * sweep of a business day after EXHAUSTIVE_HOUR (the nightly safety net), or when asked; otherwise incremental
   * (D106): the cases changed since the previous sweep started (less a margin for transactions still open then), those
   * whose due days the date crossed since the previous sweep's day, and those whose yellow card outlived its period
   * since then.
   */
  async sweep(today = this.today(), options: { exhaustive?: boolean } = {}): Promise<SweepResult> {
    await this.deps.calendar.ensureFresh();
    this.dates.clear();
    const dates = this.datesFor(today);
    // the rule settings are part of what a sweep covered: a changed 督办 period or late-entry limit moves the dates too
    const { yellowPeriodDays, lateEntryDays } = this.deps.settings;
    const calendarVersion = `${this.deps.calendar.loadedVersion ?? ''}|yellow=${yellowPeriodDays}|late=${lateEntryDays}`;
    return this.deps.db.transaction().execute(async (trx) => {
      // two sweeps at once (two nodes, a slow one overlapping the next slot) run one after the other
      await sql`SELECT pg_advisory_xact_lock(${RULES_LOCK})`.execute(trx);
      // the planner's estimate of the rules' subqueries passes the JIT thresholds, and compiling the statement took
      // longer than running it (D133)
      await sql`SET LOCAL jit = off`.execute(trx);
      const startedAt = (await sql<{ now: Date }>`SELECT now() AS now`.execute(trx)).rows[0]!.now;
      const state = await trx.selectFrom('supervision_sweep_state').selectAll().where('id', '=', 1).executeTakeFirst();
      const beijingHour = (this.deps.clock.now().getUTCHours() + 8) % 24;
      const candidates = planSweep({ state, today, calendarVersion, exhaustive: options.exhaustive === true, beijingHour, datesFor: (day) => this.datesFor(day) });
      const fired = await fireCaseRules(trx, dates, candidates);
      const exhaustiveDay = candidates.kind === 'all' ? today : state!.exhaustive_day;
      const row = { swept_day: today, started_at: startedAt, calendar_version: calendarVersion, exhaustive_day: exhaustiveDay };
      await trx
        .insertInto('supervision_sweep_state')
        .values({ id: 1, ...row })
        .onConflict((oc) => oc.column('id').doUpdateSet(row))
        .execute();
      return { ...(await this.fire(trx, fired, today, 'sweep')), exhaustive: candidates.kind === 'all' };
    });
  }

  /**
   * The same rules for one case in the caller's transaction (the outbox handler of a case change): one statement
   * inserts the new warnings and, when there are any, the event whose handler sends their notices (deliverNotices).
   * When it fires, the caller's transaction commits asynchronously (`synchronous_commit = off`, D150): its durability
   * is that of the outbox job's completion, committed after it — a caller that is not an outbox handler gets a
   * transaction whose commit a crash may undo.
   */
  async evaluateCase(trx: Transaction<Database>, caseId: string, today = this.today()): Promise<CaseResult> {
    this.oneCase ??= oneCaseStatement(this.deps.db, this.deps.outbox);
    const fired = await fireOneCase(trx, this.oneCase, this.datesFor(today), caseId, this.deps.clock.now());
    const byRule: Record<string, number> = {};
    for (const w of fired) byRule[w.rule] = (byRule[w.rule] ?? 0) + 1;
    return { fired: fired.length, byRule };
  }

  /**
   * Sends the notices of warnings a one-case evaluation fired and audits them, in one transaction (the handler of
   * NOTICES_TOPIC). Claiming the warnings (clearing `notice_pending`) is its first write: a second run — the outbox
   * delivers at least once — or one on another node at the same time (it waits on the rows) finds nothing to send.
   */
  async deliverNotices(warningIds: readonly string[]): Promise<SweepResult> {
    return this.deps.db.transaction().execute(async (trx) => {
      const { rows } = await sql<FiredRow>`
        UPDATE supervision_warning SET notice_pending = false
        WHERE id = ANY (${warningIds}::uuid[]) AND notice_pending
        ${CLAIMED}
      `.execute(trx);
      return this.fire(trx, inIdOrder(rows), this.today(), 'case');
    });
  }

  /**
   * The notices of one-case warnings still pending `olderThanMs` after they fired — their outbox event failed every
   * attempt (about 9 minutes of retries) or was lost with its job — sent now in one transaction of their own, at most
   * `limit` warnings a run, oldest first (D160). The claim is deliverNotices': whichever of the two takes a warning
   * sends it, once; rows another run holds are skipped, not waited for. A failure rolls everything back, so the
   * warnings stay pending for the next run, and fails the run (a failed job an operator sees), not the sweep.
   */
  async resendStaleNotices(options: { olderThanMs?: number; limit?: number } = {}): Promise<SweepResult> {
    const cutoff = new Date(this.deps.clock.now().getTime() - (options.olderThanMs ?? STALE_NOTICE_MS));
    return this.deps.db.transaction().execute(async (trx) => {
      const { rows } = await sql<FiredRow>`
        UPDATE supervision_warning SET notice_pending = false
        WHERE id IN (
          SELECT id FROM supervision_warning WHERE notice_pending AND fired_at < ${cutoff}
          ORDER BY fired_at LIMIT ${options.limit ?? RESEND_LIMIT} FOR UPDATE SKIP LOCKED
        )
        ${CLAIMED}
      `.execute(trx);
      return this.fire(trx, inIdOrder(rows), this.today(), 'resend');
    });
  }

  /** Notices and the audit record of newly fired warnings, in their transaction. */
  private async fire(trx: Transaction<Database>, fired: FiredRow[], today: string, via: 'sweep' | 'case' | 'resend'): Promise<SweepResult> {
    const byRule: Record<string, number> = {};
    for (const w of fired) byRule[w.rule] = (byRule[w.rule] ?? 0) + 1;
    if (fired.length === 0) return { fired: 0, byRule, notified: 0 };
    const recipients = await this.recipients(trx, fired);
    let notified = 0;
    const texts: { to: string; text: string }[] = [];
    for (const [userId, r] of recipients) {
      const n = r.warnings.length;
      const levels = countLevels(r.warnings);
      const title = n === 1 ? `电子监察预警：${r.warnings[0]!.summary}` : `电子监察：新增 ${n} 条预警（${levels}）`;
      await this.deps.inbox?.send(trx, {
        to: userId,
        module: 'supervision',
        kind: 'warning',
        title: title.slice(0, 200),
        body: r.warnings.slice(0, 50).map((w) => w.summary).join('\n') + (n > 50 ? `\n……共 ${n} 条` : ''),
        link: '/supervision',
        key: `supervision.warning:${r.warnings[0]!.id}`,
      });
      notified++;
      if (r.phone && MOBILE.test(r.phone)) texts.push({ to: r.phone, text: `【政务云】${n === 1 ? r.warnings[0]!.summary.slice(0, 120) : `您有 ${n} 条新的电子监察预警（${levels}）`}，请登录政务云及时处理。` });
    }
    if (this.deps.sms) for (let i = 0; i < texts.length; i += SMS_BATCH) await this.deps.sms.sendMany(trx, texts.slice(i, i + SMS_BATCH), 'supervision.warning');
    await this.deps.audit.record(trx, systemActorContext(), {
      action: 'supervision.warning.fire',
      objectType: via === 'case' ? 'approval_case' : 'supervision_sweep',
      objectId: via === 'case' ? fired[0]!.subject_id : today,
      regionCode: via === 'case' ? fired[0]!.region_code : null,
      detail: { fired: fired.length, byRule, notified, sms: texts.length, ...(via === 'resend' ? { resent: true, warnings: fired.slice(0, 100).map((w) => w.id) } : {}) },
    });
    return { fired: fired.length, byRule, notified };
  }

  /** The responsible staff of each fired warning: the handler, else the active department administrators. */
  private async recipients(trx: Transaction<Database>, fired: FiredRow[]) {
    const departments = [...new Set(fired.filter((w) => !w.handler_id).map((w) => w.department_id))];
    const handlers = [...new Set(fired.map((w) => w.handler_id).filter((h): h is string => h !== null))];
    const admins =
      departments.length === 0
        ? []
        : await trx
            .selectFrom('app_user as u')
            .innerJoin('role_grant as g', 'g.user_id', 'u.id')
            .select(['u.id', 'u.department_id', 'u.phone'])
            .distinct()
            .where('g.role', '=', 'department_admin')
            .where('u.status', '=', 'active')
            .where('u.department_id', 'in', departments)
            .execute();
    const phones = new Map<string, string | null>(admins.map((a) => [a.id, a.phone]));
    if (handlers.length > 0) {
      for (const h of await trx.selectFrom('app_user').select(['id', 'phone']).where('id', 'in', handlers).where('status', '=', 'active').execute()) phones.set(h.id, h.phone);
    }
    const adminsOf = new Map<string, string[]>();
    for (const a of admins) adminsOf.set(a.department_id!, [...(adminsOf.get(a.department_id!) ?? []), a.id]);
    const out = new Map<string, { phone: string | null; warnings: FiredRow[] }>();
    for (const w of fired) {
      const to = w.handler_id && phones.has(w.handler_id) ? [w.handler_id] : (adminsOf.get(w.department_id) ?? []);
      for (const user of to) {
        const entry = out.get(user) ?? { phone: phones.get(user) ?? null, warnings: [] };
        entry.warnings.push(w);
        out.set(user, entry);
      }
    }
    return out;
  }
}

const LEVEL_NAMES: Record<string, string> = { red: '红牌', yellow: '黄牌', prompt: '提醒', irregular: '违规' };

function countLevels(warnings: readonly FiredRow[]): string {
  const n = new Map<string, number>();
  for (const w of warnings) n.set(w.level, (n.get(w.level) ?? 0) + 1);
  return ['red', 'yellow', 'irregular', 'prompt']
    .filter((l) => n.has(l))
    .map((l) => `${LEVEL_NAMES[l]} ${n.get(l)}`)
    .join('、');
}
