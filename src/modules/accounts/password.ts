// Password policy and argon2id hashing.
import zxcvbnCore from '@zxcvbn-ts/core';
import zxcvbnCommon from '@zxcvbn-ts/language-common';
import argon2 from 'argon2';
import { invalid } from '../../shared/errors.ts';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
/**
 * The least zxcvbn score (0–4) a password must reach: 3 is "safely unguessable" (about 10^8 guesses), which rejects
 * common and breached passwords with the usual decorations (Password1!, Aa123456!, P@ssw0rd2026) and keyboard walks
 * (1qaz@WSX, Qwerty123!). The console checks the same (web/src/validation.ts).
 */
export const PASSWORD_MIN_SCORE = 3;

// The dictionaries (common passwords, names, English words, Wikipedia) load on the first check, not at start-up.
let estimator: InstanceType<typeof zxcvbnCore.ZxcvbnFactory> | undefined;

/** zxcvbn's score of a password, counting the user's own names as guessable words. */
export function passwordScore(password: string, context: readonly string[] = []): number {
  estimator ??= new zxcvbnCore.ZxcvbnFactory({ dictionary: { ...zxcvbnCommon.dictionary }, graphs: zxcvbnCommon.adjacencyGraphs });
  // li.xiaoming and "Xiaoming Wang" also count word by word
  const words = context.flatMap((name) => [name, ...name.split(/[\s._@-]+/u)]).filter((word) => word.length >= 3);
  return estimator.check(password, [...new Set(words)]).score;
}

/** Which of the four character classes a password uses. */
export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/**
 * Throws `account.weak_password` naming the field unless ≥ 8 characters from at least 3 of 4 classes, without the user
 * name, and hard to guess (zxcvbn score ≥ PASSWORD_MIN_SCORE with the user's names as context).
 */
export function assertPasswordPolicy(password: string, field = 'password', username?: string, displayName?: string): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw invalid('account.weak_password', field, `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw invalid('account.weak_password', field, `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`);
  }
  if (characterClasses(password) < 3) {
    throw invalid('account.weak_password', field, 'The password must use at least 3 of: lower-case letters, upper-case letters, digits, symbols.');
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    throw invalid('account.weak_password', field, 'The password must not contain the user name.');
  }
  const score = passwordScore(password, [username ?? '', displayName ?? '']);
  if (score < PASSWORD_MIN_SCORE) {
    throw invalid('account.weak_password', field, 'The password is too easy to guess: it is a common password, a word or name with digits and symbols, or a keyboard pattern.', {
      score,
      minScore: PASSWORD_MIN_SCORE,
    });
  }
}

// OWASP's argon2id minimum (m=19 MiB, t=2, p=1) keeps a login near 30 ms on one core.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so timing does not reveal which names exist. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword('decoy-password-never-valid-Δ9');
  return decoyHash;
}
