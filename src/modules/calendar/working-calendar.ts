// The working-day calendar in memory: one flag per day and prefix sums over a fixed range of years, so a deadline is
// a binary search (O(log days)), not a walk. Pure: no database, no clock.

/** 法定节假日 (holiday: a day off, weekday or not) or 调休上班日 (workday: a weekend day worked in lieu). */
export type DayKind = 'holiday' | 'workday';

export interface ScheduledDay {
  /** ISO date, YYYY-MM-DD. */
  date: string;
  kind: DayKind;
  name: string;
}

/** One year's official schedule: only the exceptions to "Monday–Friday work, weekends off". */
export interface YearSchedule {
  year: number;
  days: readonly ScheduledDay[];
}

export interface WorkingDayResult {
  date: string;
  /** The computation reached a year whose schedule is not loaded: weekends only were counted there. */
  provisional: boolean;
}

export interface WorkingDayCount {
  days: number;
  provisional: boolean;
}

/** Called when a computation reached past the loaded years: the first such year and the furthest date reached. */
export type CoverageListener = (uncoveredYear: number, furthest: string) => void;

/** Dates the calendar can compute with; outside, computations are refused (a typo such as 20226-01-01). */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2099;

const DAY_MS = 86_400_000;
const BASE = Date.UTC(FIRST_YEAR, 0, 1) / DAY_MS;
const SPAN = Date.UTC(LAST_YEAR + 1, 0, 1) / DAY_MS - BASE;

export class CalendarRangeError extends Error {
  constructor(readonly value: string) {
    super(`"${value}" is not a date between ${FIRST_YEAR}-01-01 and ${LAST_YEAR}-12-31 (YYYY-MM-DD).`);
    this.name = 'CalendarRangeError';
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(text: string, at: number): number {
  const c = text.charCodeAt(at) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
}

/** Days since 1970-01-01 of an ISO date, or null when it is not a real calendar date. Hot path: no regex, no Date. */
export function parseIsoDate(value: string): number | null {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return null;
  const y = digit(value, 0) * 1000 + digit(value, 1) * 100 + digit(value, 2) * 10 + digit(value, 3);
  const m = digit(value, 5) * 10 + digit(value, 6);
  const d = digit(value, 8) * 10 + digit(value, 9);
  if (!(y >= 0 && m >= 1 && m <= 12 && d >= 1)) return null; // NaN fails too
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > DAYS_IN_MONTH[m - 1]! + (m === 2 && leap ? 1 : 0)) return null;
  // days from civil (H. Hinnant)
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** ISO strings of the calendar's range, made once per process: formatting is a lookup. */
let formatted: string[] | undefined;

export function formatEpochDay(day: number): string {
  if (day >= BASE && day < BASE + SPAN) {
    formatted ??= Array.from({ length: SPAN }, (_, i) => new Date((BASE + i) * DAY_MS).toISOString().slice(0, 10));
    return formatted[day - BASE]!;
  }
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday 1 (Monday) … 7 (Sunday) of a day number. */
export function isoWeekday(day: number): number {
  // 1970-01-01 was a Thursday (4)
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function yearOfEpochDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

export class WorkingCalendar {
  /** 1 where the day is worked. */
  private readonly working = new Uint8Array(SPAN);
  /** worked[i] = working days among the first i days of the range. */
  private readonly worked = new Int32Array(SPAN + 1);
  /** uncovered[i] = days of not-loaded years among the first i days. */
  private readonly uncovered = new Int32Array(SPAN + 1);
  private readonly names = new Map<number, ScheduledDay>();
  readonly years: readonly number[];

  constructor(
    schedules: readonly YearSchedule[],
    private readonly onUncovered?: CoverageListener,
  ) {
    const loaded = new Set<number>();
    for (let i = 0; i < SPAN; i++) this.working[i] = isoWeekday(BASE + i) <= 5 ? 1 : 0;
    for (const schedule of schedules) {
      loaded.add(schedule.year);
      for (const day of schedule.days) {
        const n = parseIsoDate(day.date);
        if (n === null || n < BASE || n >= BASE + SPAN) continue;
        this.working[n - BASE] = day.kind === 'workday' ? 1 : 0;
        this.names.set(n, day);
      }
    }
    this.years = [...loaded].sort((a, b) => a - b);
    let year = FIRST_YEAR;
    let nextYearStart = Date.UTC(year + 1, 0, 1) / DAY_MS - BASE;
    for (let i = 0; i < SPAN; i++) {
      if (i === nextYearStart) nextYearStart = Date.UTC(++year + 1, 0, 1) / DAY_MS - BASE;
      this.worked[i + 1] = this.worked[i]! + this.working[i]!;
      this.uncovered[i + 1] = this.uncovered[i]! + (loaded.has(year) ? 0 : 1);
    }
  }

  /** The last year whose schedule is loaded, or null. */
  get lastYear(): number | null {
    return this.years.length ? this.years[this.years.length - 1]! : null;
  }

  private index(date: string): number {
    const n = parseIsoDate(date);
    if (n === null || n < BASE || n >= BASE + SPAN) throw new CalendarRangeError(date);
    return n - BASE;
  }

  /** Reports the uncovered days among indexes [from, to] (inclusive); true when there were any. */
  private reached(from: number, to: number): boolean {
    const lo = Math.max(0, Math.min(from, to));
    const hi = Math.min(SPAN - 1, Math.max(from, to));
    if (this.uncovered[hi + 1]! - this.uncovered[lo]! === 0) return false;
    if (this.onUncovered) {
      let first = lo;
      while (this.uncovered[first + 1]! === this.uncovered[first]!) first++;
      this.onUncovered(yearOfEpochDay(BASE + first), formatEpochDay(BASE + (from <= to ? hi : lo)));
    }
    return true;
  }

  isWorkingDay(date: string): boolean {
    const i = this.index(date);
    this.reached(i, i);
    return this.working[i] === 1;
  }

  /** The day's kind in the loaded schedule (holiday, make-up workday) with its name, or null for an ordinary day. */
  describe(date: string): { working: boolean; provisional: boolean; scheduled: ScheduledDay | null } {
    const i = this.index(date);
    return { working: this.working[i] === 1, provisional: this.reached(i, i), scheduled: this.names.get(BASE + i) ?? null };
  }

  /**
   * The date `n` working days after `date` (the count starts the day after: 次日起算); negative `n` counts back to
   * the |n|-th working day before it; 0 returns the date itself.
   */
  addWorkingDays(date: string, n: number): WorkingDayResult {
    if (!Number.isInteger(n)) throw new RangeError(`n must be an integer, not ${n}`);
    const start = this.index(date);
    if (n === 0) return { date, provisional: false };
    let target: number;
    if (n > 0) {
      // smallest i > start with worked[i + 1] - worked[start + 1] = n
      const want = this.worked[start + 1]! + n;
      if (want > this.worked[SPAN]!) throw new CalendarRangeError(`${date} + ${n} working days`);
      target = this.search(want) - 1;
    } else {
      // largest i < start with worked[start] - worked[i] = -n
      const want = this.worked[start]! + n;
      if (want < 0) throw new CalendarRangeError(`${date} − ${-n} working days`);
      target = this.search(want + 1) - 1;
    }
    const provisional = this.reached(n > 0 ? start + 1 : start - 1, target);
    return { date: formatEpochDay(BASE + target), provisional };
  }

  /** Working days d with a < d ≤ b (negative when b is before a). */
  workingDaysBetween(a: string, b: string): WorkingDayCount {
    const i = this.index(a);
    const j = this.index(b);
    if (i === j) return { days: 0, provisional: false };
    const days = this.worked[j + 1]! - this.worked[i + 1]!;
    return { days, provisional: this.reached(j > i ? i + 1 : j + 1, j > i ? j : i) };
  }

  /** Smallest k with worked[k] ≥ want. */
  private search(want: number): number {
    let lo = 0;
    let hi = SPAN;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.worked[mid]! < want) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
