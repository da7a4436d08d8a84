// The password policy's rules, shared by the server (src/modules/accounts/password.ts, which adds zxcvbn and hashing)
// and the console's form checks. Pure: the guessability estimator is passed in, so each side loads zxcvbn its own way.
import type { RuleFailure } from './text.ts';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
/**
 * The least zxcvbn score (0–4) a password must reach: 3 is "safely unguessable" (about 10^8 guesses), which rejects
 * common and breached passwords with the usual decorations (Password1!, Aa123456!, P@ssw0rd2026) and keyboard walks
 * (1qaz@WSX, Qwerty123!).
 */
export const PASSWORD_MIN_SCORE = 3;

export type PasswordRule = 'passwordLength' | 'tooLong' | 'passwordClasses' | 'passwordUsername' | 'passwordGuessable';

/** Which of the four character classes a password uses. */
export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** ≥ 8 characters from at least 3 of 4 classes, ≤ 128, not containing the user name. */
export function checkPasswordShape(password: string, username?: string): RuleFailure<PasswordRule> {
  if (password.length < PASSWORD_MIN_LENGTH) return { rule: 'passwordLength', params: { min: PASSWORD_MIN_LENGTH } };
  if (password.length > PASSWORD_MAX_LENGTH) return { rule: 'tooLong', params: { max: PASSWORD_MAX_LENGTH } };
  if (characterClasses(password) < 3) return { rule: 'passwordClasses' };
  if (username && password.toLowerCase().includes(username.toLowerCase())) return { rule: 'passwordUsername' };
  return null;
}

/** The user's own names as words a guesser tries: li.xiaoming and "Xiaoming Wang" also count word by word. */
export function guessableWords(names: readonly string[]): string[] {
  const words = names.flatMap((name) => [name, ...name.split(/[\s._@-]+/u)]).filter((word) => word.length >= 3);
  return [...new Set(words)];
}

/** zxcvbn's `check`, or anything that scores a password 0–4 given the user's words. */
export type PasswordEstimator = { check: (password: string, userInputs: string[]) => { score: number } };

/** The whole policy: the shape, then guessability with the user's names counted as words. */
export function checkPasswordWith(estimator: PasswordEstimator, password: string, username?: string, displayName?: string): RuleFailure<PasswordRule> {
  const shape = checkPasswordShape(password, username);
  if (shape) return shape;
  const { score } = estimator.check(password, guessableWords([username ?? '', displayName ?? '']));
  return score < PASSWORD_MIN_SCORE ? { rule: 'passwordGuessable', params: { score, minScore: PASSWORD_MIN_SCORE } } : null;
}
