// Form checks: the server's own pure validators (src/shared/validators/), whose broken rule is worded here from
// `validation.<rule>`. No rule is restated in the console; the server stays the authority and its problem+json `field`
// errors land on the same form fields (components/FormModal.tsx).
import { validateCreditCode } from '../../src/shared/validators/credit-code.ts';
import { checkEffectiveDate as effectiveDateRule, todayInChina as chinaDate } from '../../src/shared/validators/calendar-date.ts';
import { checkPasswordWith, type PasswordEstimator } from '../../src/shared/validators/password.ts';
import * as text from '../../src/shared/validators/text.ts';
import type { MessageKey, MessageParams } from './i18n.ts';

/** A failed check: a message key and its parameters; null when the value passes. */
export type Failure = { key: MessageKey; params?: MessageParams } | null;

type RuleOf<K> = K extends `validation.${infer R}` ? R : never;
type Rule = RuleOf<MessageKey>;

/** A shared validator's failure as a message key (a rule without a `validation.<rule>` message fails to type-check). */
function worded(failure: { rule: Rule; params?: MessageParams } | null): Failure {
  return failure ? { key: `validation.${failure.rule}`, params: failure.params } : null;
}

export const checkDisplayText = (value: string, max: number): Failure => worded(text.checkDisplayText(value, max));
export const checkPlainText = (value: string, max: number): Failure => worded(text.checkPlainText(value, max));
export const checkDepartmentCode = (value: string): Failure => worded(text.checkDepartmentCode(value));
export const checkUsername = (value: string): Failure => worded(text.checkUsername(value));
export const checkPhone = (value: string): Failure => worded(text.checkPhone(value));
export const checkEmail = (value: string): Failure => worded(text.checkEmail(value));

export function checkCreditCode(code: string): Failure {
  const check = validateCreditCode(code);
  return check.ok ? null : worded(check);
}

let estimator: Promise<PasswordEstimator> | undefined;

/** zxcvbn with the common dictionaries, loaded (as a separate chunk of about 1.8 MB) the first time a password is checked. */
function loadEstimator(): Promise<PasswordEstimator> {
  estimator ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([core, common]) => new core.ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }),
  );
  return estimator;
}

/** The whole server policy: the shape, then guessability with the user's own names counted as words. */
export async function checkPassword(password: string, username?: string, displayName?: string): Promise<Failure> {
  return worded(checkPasswordWith(await loadEstimator(), password, username, displayName));
}

/** Today in China (UTC+8) as YYYY-MM-DD, whatever the browser's time zone. */
export const todayInChina = (): string => chinaDate(new Date());

/** An effective date for a region change: from `earliest` (the region's current name or existence) to today. */
export const checkEffectiveDate = (value: string, earliest: string | null): Failure => worded(effectiveDateRule(value, earliest, todayInChina()));
