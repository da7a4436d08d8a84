// Client-side checks that mirror the server's rules (src/modules/*/schema.ts and services), so most mistakes are
// caught on the form before a request is sent. The server stays the authority: its problem+json `field` errors are
// shown on the same form fields (see components/FormModal.tsx).
import type { MessageKey, MessageParams } from './i18n.ts';

/** A failed check: a message key and its parameters; null when the value passes. */
export type Failure = { key: MessageKey; params?: MessageParams } | null;

// ---------------------------------------------------------------------------------------------
// Text and identifiers

// The server's patterns exclude control characters on purpose.
/* eslint-disable no-control-regex */
/** Departments: printable text without < > or control characters, not starting or ending with white space. */
const DISPLAY_TEXT = /^[^<>\s\x00-\x1f\x7f](?:[^<>\x00-\x1f\x7f]*[^<>\s\x00-\x1f\x7f])?$/u;
/** Users, tokens and region names: no < > or control characters. */
const PLAIN_TEXT = /^[^<>\x00-\x1f]+$/u;
/* eslint-enable no-control-regex */

export const DEPARTMENT_CODE = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;
export const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
export const PHONE = /^\+?[0-9-]{5,20}$/;
// Close to ajv-formats' "email" (the server's check): local@domain with a dot-separated domain.
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** Department name / short name (trimmed by the form before sending). */
export function checkDisplayText(value: string, max: number): Failure {
  if (value.length === 0) return { key: 'validation.required' };
  if (value.length > max) return { key: 'validation.tooLong', params: { max } };
  if (!DISPLAY_TEXT.test(value)) return { key: 'validation.displayText' };
  return null;
}

/** User display names, token names, region names. */
export function checkPlainText(value: string, max: number): Failure {
  if (value.length === 0) return { key: 'validation.required' };
  if (value.length > max) return { key: 'validation.tooLong', params: { max } };
  if (!PLAIN_TEXT.test(value)) return { key: 'validation.plainText' };
  return null;
}

export function checkDepartmentCode(value: string): Failure {
  if (value.length === 0) return { key: 'validation.required' };
  if (value.length > 32) return { key: 'validation.tooLong', params: { max: 32 } };
  if (!DEPARTMENT_CODE.test(value)) return { key: 'validation.departmentCode' };
  return null;
}

export function checkUsername(value: string): Failure {
  if (value.length === 0) return { key: 'validation.required' };
  if (value.length < 2) return { key: 'validation.tooShort', params: { min: 2 } };
  if (value.length > 64) return { key: 'validation.tooLong', params: { max: 64 } };
  if (!USERNAME.test(value)) return { key: 'validation.username' };
  return null;
}

export function checkPhone(value: string): Failure {
  return PHONE.test(value) ? null : { key: 'validation.phone' };
}

export function checkEmail(value: string): Failure {
  if (value.length > 254) return { key: 'validation.tooLong', params: { max: 254 } };
  return EMAIL.test(value) ? null : { key: 'validation.email' };
}

// ---------------------------------------------------------------------------------------------
// Passwords (src/modules/accounts/password.ts)

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** The least zxcvbn score (0–4) the server accepts (PASSWORD_MIN_SCORE in src/modules/accounts/password.ts). */
export const PASSWORD_MIN_SCORE = 3;

/** ≥ 8 characters from at least 3 of 4 classes, ≤ 128, not containing the user name. */
export function checkPasswordShape(password: string, username?: string): Failure {
  if (password.length < PASSWORD_MIN_LENGTH) return { key: 'validation.passwordLength', params: { min: PASSWORD_MIN_LENGTH } };
  if (password.length > PASSWORD_MAX_LENGTH) return { key: 'validation.tooLong', params: { max: PASSWORD_MAX_LENGTH } };
  if (characterClasses(password) < 3) return { key: 'validation.passwordClasses' };
  if (username && password.toLowerCase().includes(username.toLowerCase())) return { key: 'validation.passwordUsername' };
  return null;
}

type Estimator = { check: (password: string, userInputs: string[]) => { score: number } };
let estimator: Promise<Estimator> | undefined;

/** zxcvbn with the common dictionaries, loaded (as a separate chunk of about 1.8 MB) the first time a password is checked. */
function loadEstimator(): Promise<Estimator> {
  estimator ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([core, common]) => new core.ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }),
  );
  return estimator;
}

/** The whole server policy: the shape, then guessability with the user's own names counted as words. */
export async function checkPassword(password: string, username?: string, displayName?: string): Promise<Failure> {
  const shape = checkPasswordShape(password, username);
  if (shape) return shape;
  const words = [username ?? '', displayName ?? ''].flatMap((name) => [name, ...name.split(/[\s._@-]+/u)]).filter((word) => word.length >= 3);
  const { score } = (await loadEstimator()).check(password, [...new Set(words)]);
  return score < PASSWORD_MIN_SCORE ? { key: 'validation.passwordGuessable' } : null;
}

// ---------------------------------------------------------------------------------------------
// 统一社会信用代码 (GB 32100-2015), as src/modules/departments/credit-code.ts checks it

export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The check character for the first 17 characters: 31 − (Σ valueᵢ·weightᵢ mod 31), 31 → '0'. Null on a bad character. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_CHARSET.indexOf(first17[i]!);
    if (value < 0) return null;
    sum += value * CREDIT_WEIGHTS[i]!;
  }
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31]!;
}

export function checkCreditCode(code: string): Failure {
  if (code.length !== 18) return { key: 'validation.creditCodeLength', params: { n: code.length } };
  if (/[a-z]/.test(code)) return { key: 'validation.creditCodeCase' };
  for (let i = 0; i < 18; i++) {
    const c = code[i]!;
    if (!CREDIT_CODE_CHARSET.includes(c)) {
      return { key: /[IOZSV]/.test(c) ? 'validation.creditCodeIOZSV' : 'validation.creditCodeChar', params: { pos: i + 1, c } };
    }
  }
  if (!/^[0-9]{6}$/.test(code.slice(2, 8))) return { key: 'validation.creditCodeDivision' };
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (code[17] !== expected) return { key: 'validation.creditCodeCheck', params: { expected: expected ?? '?', got: code[17]! } };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Calendar dates (src/modules/regions/effective.ts): region changes take effect on Beijing dates, never in the future.

const CHINA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in China (UTC+8) as YYYY-MM-DD, whatever the browser's time zone. */
export function todayInChina(now: Date = new Date()): string {
  return CHINA_DATE.format(now);
}

/** An effective date for a region change: from `earliest` (the region's current name or existence) to today. */
export function checkEffectiveDate(value: string, earliest: string | null): Failure {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value < '1949-01-01') return { key: 'validation.date' };
  const today = todayInChina();
  if (value > today) return { key: 'validation.dateInFuture', params: { today } };
  if (earliest && value < earliest) return { key: 'validation.dateTooEarly', params: { earliest } };
  return null;
}
