// The in-memory calendar: the 2026 State Council notice, deadlines against a day-by-day walk, provisional results.
import { describe, expect, it } from 'vitest';
import { shippedSchedules } from './shipped.ts';
import { WorkingCalendar, formatEpochDay, isoWeekday, parseIsoDate, type YearSchedule } from './working-calendar.ts';

const calendar = new WorkingCalendar(shippedSchedules());

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let n = parseIsoDate(from)!; n <= parseIsoDate(to)!; n++) out.push(formatEpochDay(n));
  return out;
}

describe('2026 as the State Council notice of 2025-11-04 sets it', () => {
  const holidays = [
    ...days('2026-01-01', '2026-01-03'), // 元旦
    ...days('2026-02-15', '2026-02-23'), // 春节
    ...days('2026-04-04', '2026-04-06'), // 清明
    ...days('2026-05-01', '2026-05-05'), // 劳动节
    ...days('2026-06-19', '2026-06-21'), // 端午
    ...days('2026-09-25', '2026-09-27'), // 中秋
    ...days('2026-10-01', '2026-10-07'), // 国庆
  ];
  const makeUp = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'];

  it('has exactly these days off and make-up workdays, and otherwise Monday–Friday', () => {
    for (const date of days('2026-01-01', '2026-12-31')) {
      const weekday = isoWeekday(parseIsoDate(date)!) <= 5;
      const expected = makeUp.includes(date) ? true : holidays.includes(date) ? false : weekday;
      expect({ date, working: calendar.isWorkingDay(date) }).toEqual({ date, working: expected });
    }
    const year = shippedSchedules().find((s) => s.year === 2026)!;
    expect(year.days.filter((d) => d.kind === 'holiday').map((d) => d.date)).toEqual(holidays.sort());
    expect(year.days.filter((d) => d.kind === 'workday').map((d) => d.date)).toEqual(makeUp);
    expect(calendar.describe('2026-02-14').scheduled).toMatchObject({ kind: 'workday', name: '春节' });
  });

  it('counts deadlines across the festivals', () => {
    // Thursday 2026-09-24: 25–27 中秋, 28–30 work, 1–7 国庆, 10-08 Thu, 09 Fri, 10 Sat make-up
    expect(calendar.addWorkingDays('2026-09-24', 1)).toEqual({ date: '2026-09-28', provisional: false });
    expect(calendar.addWorkingDays('2026-09-24', 4)).toEqual({ date: '2026-10-08', provisional: false });
    expect(calendar.addWorkingDays('2026-09-24', 6)).toEqual({ date: '2026-10-10', provisional: false });
    expect(calendar.addWorkingDays('2026-02-13', 1)).toEqual({ date: '2026-02-14', provisional: false });
    expect(calendar.addWorkingDays('2026-02-14', 1)).toEqual({ date: '2026-02-24', provisional: false });
    expect(calendar.addWorkingDays('2026-02-24', -1)).toEqual({ date: '2026-02-14', provisional: false });
    expect(calendar.addWorkingDays('2026-10-08', -1)).toEqual({ date: '2026-09-30', provisional: false });
    expect(calendar.addWorkingDays('2026-06-01', 0)).toEqual({ date: '2026-06-01', provisional: false });
    expect(calendar.workingDaysBetween('2026-09-24', '2026-10-10')).toEqual({ days: 6, provisional: false });
    expect(calendar.workingDaysBetween('2026-10-10', '2026-09-24')).toEqual({ days: -6, provisional: false });
  });
});

function naiveAdd(isWorking: (date: string) => boolean, date: string, n: number): string {
  let day = parseIsoDate(date)!;
  const step = n > 0 ? 1 : -1;
  for (let left = Math.abs(n); left > 0; ) {
    day += step;
    if (isWorking(formatEpochDay(day))) left--;
  }
  return formatEpochDay(day);
}

describe('deadlines', () => {
  it('agree with a day-by-day walk for random dates and counts, both ways', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const isWorking = (d: string) => calendar.isWorkingDay(d);
    for (let i = 0; i < 2000; i++) {
      const date = formatEpochDay(parseIsoDate('2005-01-01')! + Math.floor(random() * 365 * 21));
      const n = Math.floor(random() * 121) - 60;
      const result = calendar.addWorkingDays(date, n);
      expect(result.date).toBe(n === 0 ? date : naiveAdd(isWorking, date, n));
      // counting forward, the deadline is the first day with n working days in (date, deadline]
      if (n > 0) expect(calendar.workingDaysBetween(date, result.date).days).toBe(n);
      expect(calendar.workingDaysBetween(result.date, date).days).toBe(0 - calendar.workingDaysBetween(date, result.date).days);
    }
  });

  it('marks a computation that reaches past the loaded years provisional, and reports it', () => {
    const reports: [number, string][] = [];
    const only2026 = new WorkingCalendar(shippedSchedules().filter((s) => s.year === 2026), (year, furthest) => reports.push([year, furthest]));
    expect(only2026.addWorkingDays('2026-12-01', 10)).toEqual({ date: '2026-12-15', provisional: false });
    expect(reports).toEqual([]);
    // 2027 is not loaded: weekends only there, and the result says so
    expect(only2026.addWorkingDays('2026-12-25', 10)).toEqual({ date: '2027-01-08', provisional: true });
    expect(reports).toEqual([[2027, '2027-01-08']]);
    expect(only2026.addWorkingDays('2026-01-05', -2)).toEqual({ date: '2025-12-31', provisional: true });
    expect(reports[1]).toEqual([2025, '2025-12-31']);
    expect(only2026.workingDaysBetween('2026-12-30', '2027-01-04').provisional).toBe(true);
    expect(only2026.isWorkingDay('2027-01-01')).toBe(true); // provisional: 元旦 2027 is not known yet
    expect(reports).toHaveLength(4);
  });

  it('uses a loaded year at once', () => {
    const y2027: YearSchedule = { year: 2027, days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }] };
    const both = new WorkingCalendar([...shippedSchedules().filter((s) => s.year === 2026), y2027]);
    expect(both.addWorkingDays('2026-12-31', 1)).toEqual({ date: '2027-01-04', provisional: false });
  });

  it('parses dates as Date.UTC does, leap years included', () => {
    for (let n = parseIsoDate('1999-01-01')!; n < parseIsoDate('2101-03-01')!; n += 1) {
      const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
      if (parseIsoDate(iso) !== n || formatEpochDay(n) !== iso) throw new Error(`${iso} ≠ ${n}`);
    }
    expect(parseIsoDate('2024-02-29')).not.toBeNull();
    for (const bad of ['2026-02-29', '2100-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01', '２０２６-01-01', '2026/01/01', '']) expect(parseIsoDate(bad)).toBeNull();
  });

  it('refuses dates that are not real or outside 2000–2099', () => {
    expect(() => calendar.addWorkingDays('2026-02-30', 1)).toThrow(/not a date/);
    expect(() => calendar.addWorkingDays('1999-12-31', 1)).toThrow(/not a date/);
    expect(() => calendar.addWorkingDays('2099-12-30', 5)).toThrow(/not a date/);
    expect(() => calendar.addWorkingDays('2026-01-05', 1.5)).toThrow(/integer/);
  });
});
