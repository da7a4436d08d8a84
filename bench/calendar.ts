// Deadline computations per second in-process: the prefix-sum calendar beside a naive day-by-day walk over the same
// days. Run alone with `npx tsx bench/calendar.ts`; `npm run bench` adds the rows to its table.
import { CalendarService } from '../src/modules/calendar/index.ts';
import type { AuditService } from '../src/modules/audit/index.ts';
import type { Database } from '../src/db/schema.ts';
import type { Kysely } from 'kysely';
import { systemClock } from '../src/platform/clock.ts';

export interface CalendarRow {
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
}

const CASES = 4096;

/** Random starts in 2005–2026 and spans of 1–60 working days (the approval deadlines' range), fixed seed. */
function cases(): { dates: string[]; spans: number[] } {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const base = Date.UTC(2005, 0, 1);
  const dates = Array.from({ length: CASES }, () => new Date(base + Math.floor(random() * 365 * 21) * 86_400_000).toISOString().slice(0, 10));
  const spans = Array.from({ length: CASES }, () => 1 + Math.floor(random() * 60));
  return { dates, spans };
}

function perSecond(run: (i: number) => unknown, ms: number): number {
  for (let i = 0; i < 2000; i++) run(i % CASES); // warm-up
  let done = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let k = 0; k < 1000; k++, done++) run(done % CASES);
    elapsed = performance.now() - started;
  }
  return (done / elapsed) * 1000;
}

export function calendarFigures(ms = 2000): CalendarRow[] {
  // The in-memory calendar needs no database: it starts from the shipped years, as every node does.
  const service = new CalendarService(null as unknown as Kysely<Database>, null as unknown as AuditService, systemClock);
  const { dates, spans } = cases();
  const fast = perSecond((i) => service.addWorkingDays(dates[i]!, spans[i]!), ms);
  // the naive way: step one day at a time, asking whether each is worked
  const naiveAdd = (date: string, n: number) => {
    let t = Date.parse(date);
    for (let left = n; left > 0; ) {
      t += 86_400_000;
      if (service.isWorkingDay(new Date(t).toISOString().slice(0, 10))) left--;
    }
    return t;
  };
  const naive = perSecond((i) => naiveAdd(dates[i]!, spans[i]!), ms);
  return [
    { figure: 'calendar: naive day-by-day deadlines', value: naive, unit: 'ops/s' },
    { figure: 'calendar: deadlines (addWorkingDays, 1–60 days)', value: fast, unit: 'ops/s', baseline: naive, target: '≥ 1,000,000 ops/s' },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of calendarFigures()) console.log(`${row.figure.padEnd(50)} ${Math.round(row.value).toLocaleString('en')} ${row.unit}${row.baseline ? ` (${(row.value / row.baseline).toFixed(1)}× naive)` : ''}`);
}
