// Effective dating of regions, as pure functions: calendar dates, "today" in China, and which name held on a day.
import { invalid } from '../../shared/errors.ts';
import { isCalendarDate, todayInChina as chinaDate, type CalendarDate } from '../../shared/validators/calendar-date.ts';

export { isCalendarDate, type CalendarDate };

/** Throws `region.invalid_date` naming the field unless the value is a real calendar date. */
export function parseCalendarDate(value: string, field: string): CalendarDate {
  if (!isCalendarDate(value)) throw invalid('region.invalid_date', field, `${field} must be a calendar date YYYY-MM-DD between 1949 and 2999, got "${value}".`);
  return value;
}

/** Today's date in China (UTC+8), whatever the server's time zone: division changes take effect on Beijing dates. */
export function todayInChina(now: Date = new Date()): CalendarDate {
  return chinaDate(now);
}

export interface NamedPeriod {
  name: string;
  /** First day the name held. */
  validFrom: CalendarDate;
  /** First day it no longer held (exclusive end). */
  validTo: CalendarDate;
  change: 'rename' | 'merge' | 'retire' | 'reparent';
}

/**
 * The day the region's current name took effect: the end of its latest earlier name, or the region's own start.
 * A new change may not be dated before it, or the history would overlap.
 */
export function currentNameSince(region: { validFrom: CalendarDate }, history: readonly NamedPeriod[]): CalendarDate {
  let since = region.validFrom;
  for (const h of history) if (h.change === 'rename' && h.validTo > since) since = h.validTo;
  return since;
}

/**
 * The name a region bore on `date`, or null when it did not exist then (before valid_from, or on/after valid_to).
 * History periods are half-open [validFrom, validTo); only renames carry a different name.
 */
export function resolveNameAt(
  region: { name: string; validFrom: CalendarDate; validTo: CalendarDate | null },
  history: readonly NamedPeriod[],
  date: CalendarDate,
): string | null {
  if (date < region.validFrom) return null;
  if (region.validTo !== null && date >= region.validTo) return null;
  for (const h of history) if (h.change === 'rename' && h.validFrom <= date && date < h.validTo) return h.name;
  return region.name;
}
