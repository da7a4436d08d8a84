// Text rules the API enforces (TypeBox patterns in the route schemas) and the console checks before sending: one copy.
// Pure (no Node, no Fastify): imported by src/modules/*/schema.ts and by web/src/validation.ts.

/** Departments: printable text without markup brackets or control characters, not starting or ending with white space. */
export const DISPLAY_TEXT_PATTERN = '^[^<>\\s\\x00-\\x1f\\x7f](?:[^<>\\x00-\\x1f\\x7f]*[^<>\\s\\x00-\\x1f\\x7f])?$';
/** User display names, token names, region names: no < > or control characters. */
export const PLAIN_TEXT_PATTERN = '^[^<>\\x00-\\x1f]+$';
/** A department's stable short code, e.g. 6505-FGW. */
export const DEPARTMENT_CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9-]{0,31}$';
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._@-]*$';
export const USERNAME_MIN = 2;
export const USERNAME_MAX = 64;
export const PHONE_PATTERN = '^\\+?[0-9-]{5,20}$';
/** Close to ajv-formats' "email", which the server also applies: local@domain with a dot-separated domain. */
export const EMAIL_PATTERN = "^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$";
export const EMAIL_MAX = 254;

/** A NUL byte, or a UTF-16 surrogate without its partner (with the u flag a Cs code point is only an unpaired one). */
const UNSTORABLE = /\0|\p{Cs}/u;

/** Text a UTF-8 database column can hold as given: no NUL byte, no lone surrogate. The one check of it everywhere. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** The text with each NUL and lone surrogate replaced by U+FFFD (to show a refused value where it can be stored). */
export function storableCopy(text: string): string {
  return text.replaceAll(/\0|\p{Cs}/gu, '\uFFFD');
}

const DISPLAY_TEXT = new RegExp(DISPLAY_TEXT_PATTERN, 'u');
const PLAIN_TEXT = new RegExp(PLAIN_TEXT_PATTERN, 'u');
const DEPARTMENT_CODE = new RegExp(DEPARTMENT_CODE_PATTERN);
const USERNAME = new RegExp(USERNAME_PATTERN);
const PHONE = new RegExp(PHONE_PATTERN);
const EMAIL = new RegExp(EMAIL_PATTERN, 'i');

/** A broken rule and the facts its message needs; the console words it as `validation.<rule>`. Null: the value passes. */
export type RuleFailure<R extends string = string> = { rule: R; params?: Record<string, string | number> } | null;

type Length = 'required' | 'tooLong' | 'tooShort';

function length(value: string, max: number, min = 1): RuleFailure<Length> {
  if (value.length === 0) return { rule: 'required' };
  if (value.length < min) return { rule: 'tooShort', params: { min } };
  if (value.length > max) return { rule: 'tooLong', params: { max } };
  return null;
}

export function checkDisplayText(value: string, max: number): RuleFailure<Length | 'displayText'> {
  return length(value, max) ?? (DISPLAY_TEXT.test(value) ? null : { rule: 'displayText' });
}

export function checkPlainText(value: string, max: number): RuleFailure<Length | 'plainText'> {
  return length(value, max) ?? (PLAIN_TEXT.test(value) ? null : { rule: 'plainText' });
}

export function checkDepartmentCode(value: string): RuleFailure<Length | 'departmentCode'> {
  return length(value, 32) ?? (DEPARTMENT_CODE.test(value) ? null : { rule: 'departmentCode' });
}

export function checkUsername(value: string): RuleFailure<Length | 'username'> {
  return length(value, USERNAME_MAX, USERNAME_MIN) ?? (USERNAME.test(value) ? null : { rule: 'username' });
}

export function checkPhone(value: string): RuleFailure<'phone'> {
  return PHONE.test(value) ? null : { rule: 'phone' };
}

export function checkEmail(value: string): RuleFailure<'tooLong' | 'email'> {
  if (value.length > EMAIL_MAX) return { rule: 'tooLong', params: { max: EMAIL_MAX } };
  return EMAIL.test(value) ? null : { rule: 'email' };
}
