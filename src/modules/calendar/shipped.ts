// The schedules shipped with the npm package chinese-days (2004 to its latest year), read once per process.
import { createRequire } from 'node:module';
import type { ScheduledDay, YearSchedule } from './working-calendar.ts';

interface PackageData {
  /** date → "English name,中文名,days" */
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

let shipped: YearSchedule[] | undefined;

/** Every year the package has, each with its holidays and make-up workdays, oldest first. */
export function shippedSchedules(): YearSchedule[] {
  if (shipped) return shipped;
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as PackageData;
  const byYear = new Map<number, ScheduledDay[]>();
  const add = (entries: Record<string, string>, kind: ScheduledDay['kind']) => {
    for (const [date, label] of Object.entries(entries)) {
      const year = Number(date.slice(0, 4));
      const name = label.split(',')[1] ?? label;
      const days = byYear.get(year) ?? [];
      days.push({ date, kind, name });
      byYear.set(year, days);
    }
  };
  add(data.holidays, 'holiday');
  add(data.workdays, 'workday');
  shipped = [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, days]) => ({ year, days: days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)) }));
  return shipped;
}
