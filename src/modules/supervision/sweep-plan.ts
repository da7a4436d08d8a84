// Which cases a sweep must look at (D106), from what the previous sweep covered: a pure function, tested alone.
import type { Candidates, SweepDates } from './rules-sql.ts';

/** Beijing hour from which the first sweep of a business day is exhaustive (the nightly safety net). */
export const EXHAUSTIVE_HOUR = 1;
/** Changes are looked for from this long before the previous sweep started (transactions still open then). */
export const CHANGE_MARGIN_MS = 15 * 60_000;

const DAY_MS = 86_400_000;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

export interface SweepState {
  swept_day: string;
  started_at: Date;
  calendar_version: string | null;
  exhaustive_day: string;
}

export interface SweepPlanInput {
  state: SweepState | undefined;
  today: string;
  calendarVersion: string | null;
  /** Asked for explicitly (e.g. `govcloud` or a test). */
  exhaustive: boolean;
  beijingHour: number;
  datesFor: (day: string) => SweepDates;
}

/**
 * Exhaustive on the first sweep, after the calendar changed, when the previous sweep was for a later day (a sweep
 * "as of" an earlier date), on the first sweep of a business day from EXHAUSTIVE_HOUR, or when asked. Otherwise
 * incremental: every rule is a function of the case's row and the date, so only three kinds of case can answer
 * differently than at the previous sweep — rows changed since it started (less a margin for transactions open then),
 * cases whose 提醒 / 黄牌 / 红牌 days the date crossed since the previous sweep's day (none within one day), and yellow
 * cards whose 督办 period ended since then.
 */
export function planSweep(input: SweepPlanInput): Candidates {
  const { state, today } = input;
  if (input.exhaustive || !state || state.calendar_version !== input.calendarVersion || state.swept_day > today) return { kind: 'all' };
  if (state.exhaustive_day < today && input.beijingHour >= EXHAUSTIVE_HOUR) return { kind: 'all' };
  const crossed = state.swept_day < today;
  return {
    kind: 'since',
    changedSince: new Date(state.started_at.getTime() - CHANGE_MARGIN_MS),
    // from the day before the previous sweep's day (a 提醒 window and a passed day both start there) to today's horizon
    dueFrom: crossed ? addDays(state.swept_day, -1) : null,
    dueTo: crossed ? input.datesFor(today).nextWorkingDay : null,
    outlivedAfter: input.datesFor(state.swept_day).yellowOutlivedBy,
  };
}
