// The legal clock on the shipped working calendar: 次日起算, National Day 2026 with its 调休 Saturday, pauses across
// holidays, the extension (statutory only), open pauses, step limits, and provisional results past the loaded years.
import { describe, expect, it } from 'vitest';
import { shippedSchedules, WorkingCalendar } from '../calendar/index.ts';
import { computeClock, remainingWorkingDays, stepDue } from './clock.ts';

const calendar = new WorkingCalendar(shippedSchedules());
const only2026 = new WorkingCalendar(shippedSchedules().filter((y) => y.year <= 2026));
const base = { statutoryDays: 5, promisedDays: 3, extensionDays: 0, pauses: [] };

describe('legal clock', () => {
  it('counts from the working day after acceptance, over National Day 2026 and its make-up Saturday', () => {
    // 09-29, 09-30, (10-01…10-07 off), 10-08, 10-09, and Saturday 10-10 is a working day (调休)
    expect(computeClock(calendar, { ...base, acceptedOn: '2026-09-28' })).toEqual({ statutoryDue: '2026-10-10', promisedDue: '2026-10-08', dueProvisional: false, pausedSince: null });
  });

  it('is empty before acceptance', () => {
    expect(computeClock(calendar, { ...base, acceptedOn: null })).toEqual({ statutoryDue: null, promisedDue: null, dueProvisional: false, pausedSince: null });
  });

  it('adds the working days of a closed pause that spans the holiday, not its calendar days', () => {
    // paused 09-30 → 10-09: the working days after 09-30 up to 10-09 are 10-08 and 10-09
    const clock = computeClock(calendar, { ...base, acceptedOn: '2026-09-28', pauses: [{ startedOn: '2026-09-30', endedOn: '2026-10-09' }] });
    expect(clock).toEqual({ statutoryDue: '2026-10-13', promisedDue: '2026-10-10', dueProvisional: false, pausedSince: null });
  });

  it('keeps the due dates as at the start of an open pause, and says since when it is paused', () => {
    const clock = computeClock(calendar, { ...base, acceptedOn: '2026-09-28', pauses: [{ startedOn: '2026-09-10', endedOn: '2026-09-11' }, { startedOn: '2026-10-09', endedOn: null }] });
    // the first pause took one working day (09-11); the open one adds nothing yet
    expect(clock).toMatchObject({ statutoryDue: '2026-10-12', pausedSince: '2026-10-09' });
  });

  it('lengthens only the statutory limit by an approved extension', () => {
    const clock = computeClock(calendar, { ...base, acceptedOn: '2026-11-02', statutoryDays: 20, promisedDays: 10, extensionDays: 10 });
    expect(clock.statutoryDue).toBe('2026-12-14');
    expect(clock.promisedDue).toBe('2026-11-16');
  });

  it('is provisional when the due date lies past the last loaded holiday year', () => {
    const late = computeClock(only2026, { ...base, acceptedOn: '2026-12-20', statutoryDays: 20, promisedDays: 10 });
    expect(late.dueProvisional).toBe(true);
    // with 2027 loaded the same case is final, and 元旦 2027 moves its last day
    const loaded = computeClock(calendar, { ...base, acceptedOn: '2026-12-20', statutoryDays: 20, promisedDays: 10 });
    expect(loaded.dueProvisional).toBe(calendar.years.includes(2027) ? false : true);
    expect(computeClock(only2026, { ...base, acceptedOn: '2026-11-02' }).dueProvisional).toBe(false);
  });

  it('gives a step its own limit from its start, moved by pauses begun since', () => {
    expect(stepDue(calendar, '2026-09-28', 5, [])).toEqual({ date: '2026-10-10', provisional: false });
    expect(stepDue(calendar, '2026-09-28', 5, [{ startedOn: '2026-09-01', endedOn: '2026-09-30' }])).toEqual({ date: '2026-10-10', provisional: false });
    expect(stepDue(calendar, '2026-09-28', null, [])).toBeNull();
  });

  it('counts the working days left, negative once overdue', () => {
    expect(remainingWorkingDays(calendar, '2026-09-30', '2026-10-10')).toBe(3);
    expect(remainingWorkingDays(calendar, '2026-10-10', '2026-10-10')).toBe(0);
    // 10-10 (调休 Saturday), 10-12, 10-13
    expect(remainingWorkingDays(calendar, '2026-10-13', '2026-10-09')).toBe(-3);
  });
});
