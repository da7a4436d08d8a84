// Hour and month arithmetic of metering. Hours are UTC instants on the hour (China's offset is a whole number of hours,
// so a UTC hour is a Beijing hour); months are Beijing calendar months, 'YYYY-MM', stored as their first day.
import { invalid } from '../../shared/errors.ts';

export const HOUR_MS = 3_600_000;
const BEIJING_MS = 8 * HOUR_MS;

/** The start of the hour that contains `at`. */
export function hourOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

/** The Beijing month ('YYYY-MM') an instant falls in. */
export function monthOf(at: Date): string {
  return new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 7);
}

/** 'YYYY-MM' checked (else 400 naming `field`); returns it. */
export function parseMonth(value: string | undefined, field = 'month'): string {
  if (value === undefined || !/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw invalid('metering.invalid_month', field, 'A month is written YYYY-MM, e.g. 2026-11.');
  const year = Number(value.slice(0, 4));
  if (year < 2000 || year > 2999) throw invalid('metering.invalid_month', field, 'The month must lie between 2000-01 and 2999-12.');
  return value;
}

/** The first instant of a Beijing month. */
export function monthStart(month: string): Date {
  return new Date(Date.parse(`${month}-01T00:00:00Z`) - BEIJING_MS);
}

/** The month after `month`. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The month before `month`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** A yuan amount from numeric text ('12.34', '-0.5', '3') to whole fen, exactly. */
export function fenOf(text: string | number): number {
  const s = typeof text === 'number' ? text.toFixed(2) : text;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s.trim());
  if (!match) throw new Error(`not an amount: ${s}`);
  const frac = `${match[3] ?? ''}00`.slice(0, 2);
  const fen = Number(match[2]) * 100 + Number(frac);
  return match[1] ? -fen : fen;
}

export function yuanOf(fen: number): number {
  return fen / 100;
}
