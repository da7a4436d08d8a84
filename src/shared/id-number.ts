// 公民身份号码 (GB 11643-1999): 6-digit region prefix, 8-digit birth date, 3-digit sequence, ISO 7064 MOD 11-2 check
// character. Pure, with no Node or database imports, so the server and the console check numbers the same way.

/** Why a number is refused; the caller maps it to its own message. */
export type IdNumberProblem = 'format' | 'check_digit' | 'birth_date' | 'region';

export type IdNumberCheck =
  | { ok: true; /** Upper-case X. */ idNumber: string; /** YYYY-MM-DD */ birthDate: string; sex: 'male' | 'female'; regionPrefix: string }
  | { ok: false; problem: IdNumberProblem };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
/** The earliest birth year accepted (no one born before it holds an 18-digit number). */
export const EARLIEST_BIRTH_YEAR = 1900;

/** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function idNumberCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idNumberCheckCharacter needs 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/** Whether YYYYMMDD is a day that exists in the Gregorian calendar. */
function realDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Checks an 18-character number: format, check character, a real birth date between 1900 and `today` (YYYY-MM-DD,
 * in China's time zone; the caller's clock decides), and, when `regionExists` is given, a region prefix it knows.
 * A lower-case x is accepted and returned upper-case, so the stored form is the one compared.
 */
export function checkIdNumber(value: string, options: { today: string; regionExists?: (prefix: string) => boolean }): IdNumberCheck {
  const id = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, problem: 'format' };
  if (idNumberCheckCharacter(id.slice(0, 17)) !== id[17]) return { ok: false, problem: 'check_digit' };
  const birth = id.slice(6, 14);
  const birthDate = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`;
  if (Number(birth.slice(0, 4)) < EARLIEST_BIRTH_YEAR || !realDate(birth) || birthDate > options.today) return { ok: false, problem: 'birth_date' };
  const regionPrefix = id.slice(0, 6);
  if (options.regionExists && !options.regionExists(regionPrefix)) return { ok: false, problem: 'region' };
  return { ok: true, idNumber: id, birthDate, sex: Number(id[16]) % 2 === 1 ? 'male' : 'female', regionPrefix };
}

/** 650502********1234: the first 6 and the last 4 characters (the sensitive-field rule for ID numbers). */
export function maskIdNumber(id: string): string {
  return id.length === 18 ? `${id.slice(0, 6)}${'*'.repeat(8)}${id.slice(-4)}` : '*'.repeat(id.length);
}

/** An 11-digit mainland mobile number (1 then 3–9 then nine digits). */
export const CN_MOBILE_PATTERN = '^1[3-9]\\d{9}$';
export const CN_MOBILE = new RegExp(CN_MOBILE_PATTERN);

export function isCnMobile(value: string): boolean {
  return CN_MOBILE.test(value);
}

/** The calendar date (YYYY-MM-DD) of an instant in China (UTC+8, no daylight saving). */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
