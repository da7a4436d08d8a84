// The public channels (issue 9 §7): progress lookup without signing in, the disclosure list, the LED big screen and its
// text feed, and the applicant's SMS on acceptance, 补正 and conclusion. Nothing here needs a session: every read is
// of the prefecture's own public data, and the lookup answers only to the case number with its applicant.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, invalid, notFound } from '../../shared/errors.ts';
import { chinaDate, isCnMobile } from '../../shared/id-number.ts';
import { encodeKeyset, decodeKeyset } from '../../shared/keyset.ts';
import { maskName } from '../../shared/sensitive.ts';
import { consumeCaptcha } from '../accounts/index.ts';
import { CLOCK_STATES, type CaseChanged } from '../approval/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { RateLimiter } from '../exchange/index.ts';
import type { SmsService } from '../sms/index.ts';
import type { PublicitySettings } from './config.ts';
import * as repo from './repository.ts';
import { ScreenHub } from './screen-hub.ts';
import { applicantSms } from './sms-text.ts';
import type { Disclosure, DisclosurePage, Progress, ScreenSnapshot } from './schema.ts';

/** Misses are counted over this window before a captcha is asked for. */
const MISS_WINDOW_MS = 15 * 60_000;
const WARNINGS_SHOWN = 20;
const RANKING_SHOWN = 10;

export interface ProgressQuery {
  caseNo: string;
  name?: string;
  idNumber?: string;
  captchaId?: string;
  captchaAnswer?: string;
}

export class PublicityService {
  readonly screen: ScreenHub<ScreenSnapshot>;
  private readonly limiter = new RateLimiter();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
    private readonly sms: SmsService,
    private readonly settings: PublicitySettings,
    private readonly prefecture: string,
  ) {
    this.screen = new ScreenHub(() => this.snapshot(), {
      pollMs: settings.screenPollMs,
      maxStreams: settings.maxStreams,
      onError: (error) => void process.stderr.write(`Big screen: ${error instanceof Error ? error.message : String(error)}\n`),
    });
  }

  /**
   * A case's progress for its applicant: the case number with the applicant's name or ID number, matched together in
   * SQL, so a wrong number and a wrong name give the same 404. Per address: a token bucket (lookupsPerMinute on this
   * node) and, after captchaAfterMisses misses in 15 minutes (counted in the database, so across nodes), a captcha.
   */
  async progress(ctx: RequestContext, query: ProgressQuery): Promise<Progress> {
    if ((query.name === undefined) === (query.idNumber === undefined)) throw invalid('publicity.applicant_required', 'name', 'Give the applicant’s name or ID number, not both.');
    const now = this.clock.now();
    const address = ctx.clientAddr ?? 'unknown';
    const wait = this.limiter.take(address, this.settings.lookupsPerMinute, now.getTime());
    if (wait > 0) throw new DomainError('publicity.rate_limited', 'rate_limited', 'Too many lookups from this address.', undefined, { retryAfterSeconds: wait });
    let solved = false;
    if (query.captchaId !== undefined || query.captchaAnswer !== undefined) {
      solved = query.captchaId !== undefined && query.captchaAnswer !== undefined && (await consumeCaptcha(this.db, query.captchaId, query.captchaAnswer, now));
      if (!solved) throw invalid('publicity.captcha_wrong', 'captchaAnswer', 'The captcha answer is wrong or the captcha has expired or been used; request a new one.');
    }
    const windowStart = new Date(now.getTime() - MISS_WINDOW_MS);
    const today = chinaDate(now);
    const applicant = query.name !== undefined ? { name: query.name.trim() } : { idNumber: query.idNumber!.trim().toUpperCase() };
    // the address's misses come with the lookup (one round trip); past the limit nothing about any case is shown without a captcha
    const { misses, row } = await repo.findProgress(this.db, query.caseNo.trim(), applicant, today, { address, windowStart });
    if (!solved && misses >= this.settings.captchaAfterMisses) {
      throw invalid('publicity.captcha_required', 'captchaAnswer', 'After several lookups that found nothing a captcha is required: request one from /api/auth/captcha.', { captchaUrl: '/api/auth/captcha' });
    }
    if (!row) {
      await repo.addMiss(this.db, address, now, windowStart);
      throw notFound('publicity.case_not_found', 'No case has this number with this applicant.', 'caseNo');
    }
    return this.presentProgress(row, today);
  }

  private presentProgress(row: repo.ProgressRow, today: string): Progress {
    const running = (CLOCK_STATES as readonly string[]).includes(row.state);
    const clock = (due: string | null, overdue: boolean) => {
      if (!running || due === null) return null;
      // while paused the clock stands at the pause's first day
      const from = row.paused_since ?? today;
      return { due, remainingWorkingDays: this.calendar.workingDaysBetween(from, due).days, overdue };
    };
    return {
      caseNo: row.case_no,
      item: row.item,
      department: row.department,
      state: row.state,
      decision: row.decision,
      appliedOn: row.applied_on,
      acceptedOn: row.accepted_on,
      concludedOn: row.concluded_on,
      deliveredOn: row.delivered_on,
      paused: row.paused_since !== null,
      pausedSince: row.paused_since,
      dueProvisional: row.due_provisional,
      statutory: clock(row.statutory_due, row.statutory_overdue),
      promised: clock(row.promised_due, row.promised_overdue),
      correction: row.correction ? { asks: row.correction.reason, since: row.correction.started_on } : null,
      steps: row.steps.map((s) => ({ step: s.step, name: s.name, startedOn: s.started_on, dueOn: s.due_on, completedOn: s.completed_on })),
      timeline: row.events.map((e) => ({ action: e.action, state: e.to_state, on: e.on_date })),
    };
  }

  /** Concluded approvals for the public (公示): enterprises by name, natural persons by surname only, no ID numbers. */
  async approvals(query: { q?: string; cursor?: string; limit?: number }): Promise<DisclosurePage> {
    const limit = query.limit ?? 20;
    let after: { on: string; id: string } | undefined;
    if (query.cursor !== undefined) {
      const [on, id] = decodeKeyset(query.cursor, ['string', 'string'] as const);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(on) || !/^[0-9a-f-]{36}$/.test(id)) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not one this API issued.');
      after = { on, id };
    }
    const q = query.q?.trim();
    const rows = await repo.listConcluded(this.db, { ...(q ? { q } : {}), ...(after ? { after } : {}), limit });
    const page = rows.slice(0, limit);
    const items: Disclosure[] = page.map((r) => ({
      id: r.id,
      item: r.item,
      department: r.department,
      region: r.region_name,
      applicantKind: r.applicant_kind,
      applicant: r.applicant_kind === 'enterprise' ? r.applicant_name : maskName(r.applicant_name),
      decision: r.decision,
      concludedOn: r.concluded_on,
    }));
    const last = page.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeKeyset([last.concluded_on, last.id]) : null };
  }

  /** What the big screen shows: today's counts by county, the latest warnings, the latest published ranking. */
  async snapshot(): Promise<ScreenSnapshot> {
    const today = chinaDate(this.clock.now());
    const [counties, warnings, ranking] = await Promise.all([
      repo.todayByCounty(this.db, this.prefecture, today),
      repo.latestWarnings(this.db, this.prefecture, WARNINGS_SHOWN),
      repo.latestRanking(this.db, this.prefecture, RANKING_SHOWN),
    ]);
    return {
      today,
      accepted: counties.reduce((n, c) => n + c.accepted, 0),
      concluded: counties.reduce((n, c) => n + c.concluded, 0),
      counties,
      warnings: warnings.map((w) => ({ level: w.level, summary: w.summary, department: w.department, firedAt: new Date(w.fired_at).toISOString() })),
      rankingMonth: ranking[0]?.month.slice(0, 7) ?? null,
      ranking: ranking.map((r) => ({ rank: r.rank, department: r.department, score: Number(r.score), grade: r.grade })),
    };
  }

  /**
   * Sends the applicant's SMS for a ledger event (acceptance, 补正 with what to supply, conclusion), once per (case,
   * seq) however often the event is delivered, and only when the case has a mobile number. Also wakes this node's
   * big screens.
   */
  async onCaseChanged(change: CaseChanged): Promise<void> {
    this.screen.changed();
    // a malformed payload can never succeed: retrying it would only fill the job list
    if (!/^[0-9a-f-]{36}$/i.test(String(change.caseId)) || !Number.isSafeInteger(change.seq)) return;
    const event = await repo.caseEvent(this.db, change.caseId, change.seq);
    if (!event?.applicant_phone || !isCnMobile(event.applicant_phone.replace(/^\+86/, ''))) return;
    const message = applicantSms(event);
    if (!message) return;
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.claimSms(trx, change.caseId, change.seq, message.kind))) return;
      const queued = await this.sms.send(trx, { to: event.applicant_phone!, template: message.template, vars: message.vars, purpose: 'approval.notice' });
      await repo.recordSmsId(trx, change.caseId, change.seq, queued.id);
    });
  }
}
