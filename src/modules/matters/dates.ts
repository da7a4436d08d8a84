// Calendar-day arithmetic on ISO dates (YYYY-MM-DD) and the periods of village publications (YYYY-MM, YYYY-Qn).
import type { VillageFrequency } from './kinds.ts';

const DAY = 86_400_000;
const at = (date: string) => Date.parse(`${date}T00:00:00Z`);

export function addDays(date: string, n: number): string {
  return new Date(at(date) + n * DAY).toISOString().slice(0, 10);
}

/** Natural days from a to b (b − a): the start day not counted (《民法典》第二百零一条). */
export function daysBetween(a: string, b: string): number {
  return Math.round((at(b) - at(a)) / DAY);
}

/** The period a month (YYYY-MM) falls in. */
export function periodOfMonth(month: string, frequency: VillageFrequency): string {
  if (frequency === 'monthly') return month;
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The first month (YYYY-MM) of a period, and of the one after it. */
function firstMonth(period: string): { year: number; month: number; months: number } {
  const year = Number(period.slice(0, 4));
  if (period[5] === 'Q') return { year, month: (Number(period[6]) - 1) * 3 + 1, months: 3 };
  return { year, month: Number(period.slice(5, 7)), months: 1 };
}

const monthText = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;

export function nextPeriod(period: string): string {
  const { year, month, months } = firstMonth(period);
  const m = month - 1 + months;
  const next = monthText(year + Math.floor(m / 12), (m % 12) + 1);
  return period[5] === 'Q' ? periodOfMonth(next, 'quarterly') : next;
}

/** The last day a period's publication is on time: day `dueDay` of the first month after the period. */
export function dueDateOf(period: string, dueDay: number): string {
  const { year, month } = firstMonth(nextPeriod(period));
  return `${monthText(year, month)}-${String(dueDay).padStart(2, '0')}`;
}

/** Whether a period label suits a frequency ('2026-10' monthly, '2026-Q3' quarterly). */
export function periodFits(period: string, frequency: VillageFrequency): boolean {
  return frequency === 'quarterly' ? /^\d{4}-Q[1-4]$/.test(period) : /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
}

/** The periods from the one holding `since` (YYYY-MM) whose due date is before `today`, the newest `max` of them. */
export function periodsDue(since: string, frequency: VillageFrequency, dueDay: number, today: string, max = 24): string[] {
  const out: string[] = [];
  for (let p = periodOfMonth(since, frequency); dueDateOf(p, dueDay) < today; p = nextPeriod(p)) out.push(p);
  return out.slice(-max);
}
