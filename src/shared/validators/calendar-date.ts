// Calendar dates as the region service takes them: 'YYYY-MM-DD', real dates from 1949, Beijing's "today".
import type { RuleFailure } from './text.ts';

/** A calendar date 'YYYY-MM-DD'; compares correctly as a string. */
export type CalendarDate = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date in 'YYYY-MM-DD' form between 1949 and 2999 (rejects 2024-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1949 || year > 2999) return false; // the PRC's divisions start in 1949; guards against typos like 0202
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const CHINA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The date in China (UTC+8) at an instant, whatever the local time zone: division changes take effect on Beijing dates. */
export function todayInChina(now: Date): CalendarDate {
  return CHINA_DATE.format(now);
}

/** A region change's effective date: a real date, not after `today`, not before `earliest` (the current name's start). */
export function checkEffectiveDate(value: string, earliest: CalendarDate | null, today: CalendarDate): RuleFailure<'date' | 'dateInFuture' | 'dateTooEarly'> {
  if (!isCalendarDate(value)) return { rule: 'date' };
  if (value > today) return { rule: 'dateInFuture', params: { today } };
  if (earliest && value < earliest) return { rule: 'dateTooEarly', params: { earliest } };
  return null;
}
