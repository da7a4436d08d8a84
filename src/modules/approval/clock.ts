// The legal clock (法定时限 / 承诺时限), computed from a case's ledgers on the working calendar: pure, no database.
// Counting starts the working day after acceptance (次日起算): the last day within a limit of n working days is
// addWorkingDays(accepted_on, n + extension + Σ working days of closed pauses). While a pause is open the due dates stay
// as at its start and paused_since holds its start. See docs/architecture.md "Legal clock".

/** The part of CalendarService the clock needs. */
export interface WorkingDays {
  addWorkingDays(date: string, n: number): { date: string; provisional: boolean };
  workingDaysBetween(a: string, b: string): { days: number; provisional: boolean };
}

export interface PauseSpan {
  startedOn: string;
  endedOn: string | null;
}

export interface ClockInput {
  acceptedOn: string | null;
  statutoryDays: number;
  promisedDays: number;
  extensionDays: number;
  pauses: readonly PauseSpan[];
}

export interface ClockState {
  statutoryDue: string | null;
  promisedDue: string | null;
  dueProvisional: boolean;
  pausedSince: string | null;
}

/** Working days taken by closed pauses (a pause from S to E takes workingDaysBetween(S, E)); open ones are ignored. */
export function pausedWorkingDays(calendar: WorkingDays, pauses: readonly PauseSpan[], from?: string): { days: number; provisional: boolean } {
  let days = 0;
  let provisional = false;
  for (const p of pauses) {
    if (p.endedOn === null || (from !== undefined && p.startedOn < from)) continue;
    const span = calendar.workingDaysBetween(p.startedOn, p.endedOn);
    days += span.days;
    provisional ||= span.provisional;
  }
  return { days, provisional };
}

/** statutory_due, promised_due, due_provisional and paused_since of a case from its acceptance, limits and pauses. */
export function computeClock(calendar: WorkingDays, input: ClockInput): ClockState {
  const open = input.pauses.find((p) => p.endedOn === null) ?? null;
  if (input.acceptedOn === null) return { statutoryDue: null, promisedDue: null, dueProvisional: false, pausedSince: open?.startedOn ?? null };
  const paused = pausedWorkingDays(calendar, input.pauses);
  const statutory = calendar.addWorkingDays(input.acceptedOn, input.statutoryDays + input.extensionDays + paused.days);
  // an extension lengthens the statutory limit only; the promise made to the applicant stays
  const promised = calendar.addWorkingDays(input.acceptedOn, input.promisedDays + paused.days);
  return {
    statutoryDue: statutory.date,
    promisedDue: promised.date,
    dueProvisional: statutory.provisional || promised.provisional || paused.provisional,
    pausedSince: open?.startedOn ?? null,
  };
}

/** A step's last day: its start plus its own limit plus the closed pauses begun since it started; null without a limit. */
export function stepDue(calendar: WorkingDays, startedOn: string, limitDays: number | null | undefined, pauses: readonly PauseSpan[]): { date: string; provisional: boolean } | null {
  if (limitDays === null || limitDays === undefined) return null;
  const paused = pausedWorkingDays(calendar, pauses, startedOn);
  const due = calendar.addWorkingDays(startedOn, limitDays + paused.days);
  return { date: due.date, provisional: due.provisional || paused.provisional };
}

/** Working days left until `due` as seen on `today` (0 on the last day, negative when overdue). */
export function remainingWorkingDays(calendar: WorkingDays, today: string, due: string): number {
  if (due >= today) return calendar.workingDaysBetween(today, due).days;
  return -calendar.workingDaysBetween(due, today).days;
}
