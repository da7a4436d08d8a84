// The working-day calendar service: fast in-memory computations (WorkingCalendar), the years loaded in the database,
// a version check so every node sees a year loaded on another, and the coverage guard's alerts.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { ROLES, hasPermission, permissionsOf, requireScope } from '../../shared/access.ts';
import { systemContext, type RequestContext } from '../../shared/context.ts';
import { conflict, invalid, notFound } from '../../shared/errors.ts';
import type { Clock } from '../../platform/clock.ts';
import type { AuditService } from '../audit/index.ts';
import type { InboxService } from '../inbox/index.ts';
import * as repo from './repository.ts';
import { parseScheduleText, validateSchedule, type ScheduleInput } from './schedule-file.ts';
import type { CalendarStatus, CalendarYear, CoverageAlert } from './schema.ts';
import { shippedSchedules } from './shipped.ts';
import { CalendarRangeError, WorkingCalendar, formatEpochDay, type ScheduledDay, type WorkingDayCount, type WorkingDayResult } from './working-calendar.ts';

export type { CalendarStatus, CalendarYear, CoverageAlert };

/** How long a node trusts its copy before asking the database for the version again. */
const FRESH_MS = 1000;
/** A coverage warning is logged at most this often per year and node. */
const WARN_EVERY_MS = 60_000;
/** The console warns administrators this many days before the loaded years run out. */
export const COVERAGE_WARNING_DAYS = 60;

const DAY_MS = 86_400_000;

export class CalendarService {
  private calendar: WorkingCalendar;
  private version: string | null = null;
  private checkedAt = 0;
  private synced: Promise<void> | undefined;
  private pending = new Map<number, { computations: number; furthest: string }>();
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private warnedAt = new Map<number, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly warn: (message: string) => void = (message) => process.emitWarning(message, { code: 'GOVCLOUD_CALENDAR_COVERAGE' }),
    /** Where a new coverage alert is also sent to those who may load the year (站内信). */
    private readonly inbox?: Pick<InboxService, 'send'>,
  ) {
    // usable at once with the shipped years; the database's years replace them on the first refresh
    this.calendar = this.build(shippedSchedules());
  }

  // ---- computations (synchronous, in memory)

  /** The date n working days after `date` (YYYY-MM-DD); n < 0 counts back; provisional past the loaded years. */
  addWorkingDays(date: string, n: number): WorkingDayResult {
    return this.guard(() => this.calendar.addWorkingDays(date, n), 'date');
  }

  /** Working days d with a < d ≤ b. */
  workingDaysBetween(a: string, b: string): WorkingDayCount {
    return this.guard(() => this.calendar.workingDaysBetween(a, b), 'from');
  }

  isWorkingDay(date: string): boolean {
    return this.guard(() => this.calendar.isWorkingDay(date), 'date');
  }

  describe(date: string): { working: boolean; provisional: boolean; scheduled: ScheduledDay | null } {
    return this.guard(() => this.calendar.describe(date), 'date');
  }

  get loadedYears(): readonly number[] {
    return this.calendar.years;
  }

  private guard<T>(fn: () => T, field: string): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof CalendarRangeError) throw invalid('calendar.out_of_range', field, error.message);
      throw error;
    }
  }

  private build(schedules: Parameters<typeof repo.writeYear>[1][]): WorkingCalendar {
    return new WorkingCalendar(schedules, (year, furthest) => this.uncovered(year, furthest));
  }

  // ---- coverage guard

  private uncovered(year: number, furthest: string): void {
    const entry = this.pending.get(year) ?? { computations: 0, furthest };
    entry.computations++;
    if (furthest > entry.furthest) entry.furthest = furthest;
    this.pending.set(year, entry);
    const now = this.clock.now().getTime();
    if (now - (this.warnedAt.get(year) ?? -Infinity) >= WARN_EVERY_MS) {
      this.warnedAt.set(year, now);
      this.warn(`Working-day computation reached ${year} (up to ${furthest}), whose holiday schedule is not loaded: the result is provisional (weekends only). Load it with "govcloud calendar load FILE" or on the calendar page.`);
    }
    this.flushTimer ??= setTimeout(() => void this.flushAlerts().catch(() => undefined), 1000).unref();
  }

  /** Writes the pending coverage alerts (normally within a second of the computation). */
  async flushAlerts(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = [...this.pending.entries()];
    this.pending.clear();
    const at = this.clock.now();
    this.flushing = this.flushing.then(async () => {
      for (const [year, { computations, furthest }] of batch) {
        if (await repo.recordCoverageMiss(this.db, year, computations, furthest, at)) await this.tellManagers(year, furthest);
      }
    });
    await this.flushing;
  }

  /** One message per year to everyone who may load it (the key keeps it to one however many nodes notice). */
  private async tellManagers(year: number, furthest: string): Promise<void> {
    const inbox = this.inbox;
    if (!inbox) return;
    const managers = await repo.holdersOfRoles(this.db, ROLES.filter((role) => permissionsOf(role).includes('calendar.manage')));
    await this.db.transaction().execute((trx) =>
      inbox.send(trx, {
        to: managers,
        module: 'calendar',
        kind: 'calendar.coverage',
        title: `${year} 年节假日安排尚未载入`,
        body: `有工作日计算已用到 ${year} 年（至 ${furthest}），该年节假日安排尚未载入，相关期限只按周末计算，为暂定结果。请在“工作日历”页面或用 govcloud calendar load 载入。`,
        link: '/calendar',
        key: `calendar.coverage.${year}`,
      }),
    );
  }

  // ---- freshness across nodes

  /** Makes sure this node computes with the database's current years (asks at most once a second). */
  async ensureFresh(): Promise<void> {
    if (Date.now() - this.checkedAt < FRESH_MS && this.version !== null) return;
    await this.refresh();
  }

  /** Rereads the loaded years when another node (or this one) changed them; true when it did. */
  async refresh(): Promise<boolean> {
    this.synced ??= this.syncShipped().catch((error: unknown) => {
      this.synced = undefined;
      throw error;
    });
    await this.synced;
    const version = await repo.readVersion(this.db);
    this.checkedAt = Date.now();
    if (version === this.version) return false;
    const schedules = await repo.readSchedules(this.db);
    this.calendar = this.build(schedules);
    this.version = version;
    return true;
  }

  /** Inserts the package's years the database lacks (never overwriting a year an administrator loaded). */
  private async syncShipped(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await repo.lockVersion(trx);
      const have = new Set((await repo.listYears(trx)).map((y) => y.year));
      const missing = shippedSchedules().filter((s) => !have.has(s.year));
      if (missing.length === 0) return;
      const at = this.clock.now();
      for (const schedule of missing) await repo.writeYear(trx, schedule, 'package', null, at);
      await repo.bumpVersion(trx);
      await this.audit.record(trx, systemContext(), { action: 'calendar.ship', objectType: 'calendar_year', detail: { years: missing.map((s) => s.year) } });
    });
  }

  // ---- reads and loads (HTTP, CLI)

  /** The version of the calendar this node computes with (changes when a year is loaded or replaced anywhere). */
  get loadedVersion(): string | null {
    return this.version;
  }

  today(): string {
    return formatEpochDay(Math.floor((this.clock.now().getTime() + 8 * 3600_000) / DAY_MS));
  }

  async status(ctx: RequestContext): Promise<CalendarStatus> {
    requireScope(ctx.actor, 'calendar.read');
    await this.ensureFresh();
    const canManage = hasPermission(ctx.actor!, 'calendar.manage');
    const [years, alerts] = await Promise.all([repo.listYears(this.db), canManage ? repo.openCoverageAlerts(this.db) : []]);
    const today = this.today();
    const last = years[years.length - 1];
    const coverageEnds = last ? `${last.year}-12-31` : null;
    const daysLeft = coverageEnds ? Math.round((Date.parse(coverageEnds) - Date.parse(today)) / DAY_MS) : null;
    return {
      today,
      years: years.map((y) => ({ year: y.year, source: y.source, holidays: y.holidays, workdays: y.workdays, loadedAt: y.loaded_at.toISOString() })),
      coverageEnds,
      daysLeft,
      endingSoon: daysLeft === null || daysLeft <= COVERAGE_WARNING_DAYS,
      alerts: alerts.map((a) => ({ year: a.year, firstAt: a.first_at.toISOString(), lastAt: a.last_at.toISOString(), computations: Number(a.computations), furthest: a.furthest })),
      canManage,
    };
  }

  async year(ctx: RequestContext, year: number) {
    requireScope(ctx.actor, 'calendar.read');
    const row = await repo.readYear(this.db, year);
    if (!row) throw notFound('calendar.year_not_loaded', `No schedule is loaded for ${year}.`, 'year');
    return { year: row.year, source: row.source, loadedAt: row.loaded_at.toISOString(), days: row.days.map((d) => ({ date: d.day, kind: d.kind, name: d.name })) };
  }

  async compute(ctx: RequestContext, date: string, n: number): Promise<WorkingDayResult> {
    requireScope(ctx.actor, 'calendar.read');
    await this.ensureFresh();
    return this.addWorkingDays(date, n);
  }

  /** An administrator loads (or, with replace, corrects) a year's schedule. */
  async load(ctx: RequestContext, input: ScheduleInput, options: { replace?: boolean } = {}): Promise<CalendarYear> {
    requireScope(ctx.actor, 'calendar.manage');
    return this.write(ctx, input, options.replace === true, ctx.actor!.userId);
  }

  /** The same from a file's text (JSON or CSV, see schedule-file.ts). */
  async loadText(ctx: RequestContext, text: string, options: { replace?: boolean } = {}): Promise<CalendarYear> {
    requireScope(ctx.actor, 'calendar.manage');
    return this.load(ctx, parseScheduleText(text), options);
  }

  /** `govcloud calendar load FILE`: the operator at the server's console, audited as the system. */
  async loadAsOperator(input: ScheduleInput, options: { replace?: boolean } = {}): Promise<CalendarYear> {
    return this.write({ ...systemContext(), clientAddr: 'cli' }, input, options.replace === true, null);
  }

  private async write(ctx: RequestContext, input: ScheduleInput, replace: boolean, loadedBy: string | null): Promise<CalendarYear> {
    const schedule = validateSchedule(input);
    await this.refresh(); // the shipped years first, so a load is never overwritten by them
    const at = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await repo.lockVersion(trx);
      const existing = (await repo.listYears(trx)).find((y) => y.year === schedule.year);
      if (existing && !replace) throw conflict('calendar.year_loaded', `${schedule.year} is loaded already (${existing.source}); load it again with replace to correct it.`, 'year');
      await repo.writeYear(trx, schedule, 'admin', loadedBy, at);
      await repo.bumpVersion(trx);
      const holidays = schedule.days.filter((d) => d.kind === 'holiday').length;
      await this.audit.record(trx, ctx, {
        action: 'calendar.load',
        objectType: 'calendar_year',
        objectId: String(schedule.year),
        detail: { year: schedule.year, holidays, workdays: schedule.days.length - holidays, replaced: existing?.source ?? null },
      });
    });
    await this.refresh();
    const row = (await repo.listYears(this.db)).find((y) => y.year === schedule.year)!;
    return { year: row.year, source: row.source, holidays: row.holidays, workdays: row.workdays, loadedAt: row.loaded_at.toISOString() };
  }
}
