// The format in which an administrator loads a year's schedule (docs/calendar-format.md), and its validation.
// JSON: { "year": 2027, "holidays": [{ "date" | "from"+"to", "name" }], "workdays": [{ "date", "name" }] }
// CSV:  a header `date,kind,name`, then one row per day; kind is holiday (休) or workday (班).
import { parse } from 'csv-parse/sync';
import { invalid } from '../../shared/errors.ts';
import { MAX_NAME_LENGTH } from './schema.ts';
import { FIRST_YEAR, LAST_YEAR, formatEpochDay, isoWeekday, parseIsoDate, type ScheduledDay, type YearSchedule } from './working-calendar.ts';

export interface ScheduleEntry {
  /** One day … */
  date?: string;
  /** … or an inclusive range of days. */
  from?: string;
  to?: string;
  /** The festival, e.g. 春节. */
  name: string;
}

/** What the API takes and a JSON file holds. */
export interface ScheduleInput {
  year: number;
  holidays: ScheduleEntry[];
  workdays: ScheduleEntry[];
}

/** Printable text without markup brackets or control characters, not starting or ending with white space. */
export const NAME_PATTERN = '^[^<>\\s\\x00-\\x1f\\x7f](?:[^<>\\x00-\\x1f\\x7f]*[^<>\\s\\x00-\\x1f\\x7f])?$';
const NAME = new RegExp(NAME_PATTERN, 'u');

function day(value: unknown, year: number, field: string): number {
  const n = typeof value === 'string' ? parseIsoDate(value) : null;
  if (n === null) throw invalid('calendar.invalid_date', field, `${field} must be a real date written YYYY-MM-DD.`);
  if (Number(String(value).slice(0, 4)) !== year) throw invalid('calendar.date_outside_year', field, `${field} (${String(value)}) is not in ${year}.`);
  return n;
}

/** Checks a schedule and returns it as days: every date real and inside the year, none listed twice or both ways. */
export function validateSchedule(input: ScheduleInput): YearSchedule {
  const { year } = input;
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) throw invalid('calendar.invalid_year', 'year', `year must be an integer from ${FIRST_YEAR} to ${LAST_YEAR}.`);
  if (!Array.isArray(input.holidays) || input.holidays.length === 0) throw invalid('calendar.no_holidays', 'holidays', 'A year’s schedule lists at least one holiday.');
  if (!Array.isArray(input.workdays)) throw invalid('calendar.invalid_schedule', 'workdays', 'workdays must be a list (it may be empty).');
  const seen = new Map<number, { kind: ScheduledDay['kind']; field: string }>();
  const days: ScheduledDay[] = [];
  for (const kind of ['holidays', 'workdays'] as const) {
    input[kind].forEach((entry, i) => {
      const at = `${kind}/${i}`;
      if (typeof entry.name !== 'string' || entry.name.length > MAX_NAME_LENGTH || !NAME.test(entry.name)) {
        throw invalid('calendar.invalid_name', `${at}/name`, `${at}/name must be 1–${MAX_NAME_LENGTH} characters without < > or control characters.`);
      }
      let first: number;
      let last: number;
      if (entry.date !== undefined) {
        if (entry.from !== undefined || entry.to !== undefined) throw invalid('calendar.invalid_schedule', at, `${at} gives either date or from/to, not both.`);
        first = last = day(entry.date, year, `${at}/date`);
      } else {
        if (kind === 'workdays') throw invalid('calendar.invalid_schedule', `${at}/date`, `${at}/date is required: make-up workdays are listed one by one.`);
        first = day(entry.from, year, `${at}/from`);
        last = day(entry.to, year, `${at}/to`);
        if (last < first) throw invalid('calendar.invalid_range', `${at}/to`, `${at}/to is before ${at}/from.`);
      }
      for (let n = first; n <= last; n++) {
        const date = formatEpochDay(n);
        const field = entry.date !== undefined ? `${at}/date` : `${at}/from`;
        const before = seen.get(n);
        if (before) {
          const code = before.kind === (kind === 'holidays' ? 'holiday' : 'workday') ? 'calendar.duplicate_date' : 'calendar.holiday_and_workday';
          throw invalid(code, field, `${date} is listed at ${before.field} already${code === 'calendar.holiday_and_workday' ? ': a day is either a holiday or a workday' : ''}.`);
        }
        if (kind === 'workdays' && isoWeekday(n) <= 5) throw invalid('calendar.workday_not_weekend', field, `${date} is a weekday: a make-up workday (调休) is a Saturday or Sunday.`);
        seen.set(n, { kind: kind === 'holidays' ? 'holiday' : 'workday', field });
        days.push({ date, kind: kind === 'holidays' ? 'holiday' : 'workday', name: entry.name });
      }
    });
  }
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { year, days };
}

const KINDS: Record<string, 'holidays' | 'workdays'> = { holiday: 'holidays', 休: 'holidays', workday: 'workdays', 班: 'workdays' };

/** Reads a schedule file's text: JSON (starts with `{`) or CSV with the header date,kind,name. */
export function parseScheduleText(text: string): ScheduleInput {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      throw invalid('calendar.invalid_file', 'file', `The file is not valid JSON: ${(error as Error).message}`);
    }
    const obj = parsed as Partial<ScheduleInput>;
    if (typeof obj !== 'object' || obj === null || typeof obj.year !== 'number') throw invalid('calendar.invalid_year', 'year', 'The JSON object needs a numeric "year".');
    return { year: obj.year, holidays: obj.holidays ?? [], workdays: obj.workdays ?? [] };
  }
  let rows: string[][];
  try {
    rows = parse(body, { skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (error) {
    throw invalid('calendar.invalid_file', 'file', `The file is neither JSON nor valid CSV: ${(error as Error).message}`);
  }
  const [header, ...data] = rows;
  if (!header || header.join(',').toLowerCase() !== 'date,kind,name') throw invalid('calendar.invalid_file', 'file', 'A CSV schedule starts with the header line date,kind,name.');
  if (data.length === 0) throw invalid('calendar.no_holidays', 'holidays', 'The file lists no days.');
  const year = Number(data[0]![0]!.slice(0, 4));
  const input: ScheduleInput = { year, holidays: [], workdays: [] };
  data.forEach(([date, kind, name], i) => {
    const list = KINDS[(kind ?? '').toLowerCase()];
    if (!list) throw invalid('calendar.invalid_kind', `line ${i + 2}`, `Line ${i + 2}: kind must be holiday (休) or workday (班), not "${kind}".`);
    input[list].push({ date: date!, name: name! });
  });
  return input;
}
