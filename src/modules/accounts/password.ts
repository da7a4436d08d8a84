// Password policy (its rules in src/shared/validators/password.ts, shared with the console) and argon2id hashing.
import zxcvbnCore from '@zxcvbn-ts/core';
import zxcvbnCommon from '@zxcvbn-ts/language-common';
import argon2 from 'argon2';
import { invalid } from '../../shared/errors.ts';
import {
  characterClasses,
  checkPasswordWith,
  guessableWords,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_MIN_SCORE,
  type PasswordRule,
} from '../../shared/validators/password.ts';

export { characterClasses, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_MIN_SCORE };

// The dictionaries (common passwords, names, English words, Wikipedia) load on the first check, not at start-up.
let estimator: InstanceType<typeof zxcvbnCore.ZxcvbnFactory> | undefined;
const zxcvbn = () => (estimator ??= new zxcvbnCore.ZxcvbnFactory({ dictionary: { ...zxcvbnCommon.dictionary }, graphs: zxcvbnCommon.adjacencyGraphs }));

/** zxcvbn's score of a password, counting the user's own names as guessable words. */
export function passwordScore(password: string, context: readonly string[] = []): number {
  return zxcvbn().check(password, guessableWords(context)).score;
}

const REASONS: Record<PasswordRule, string> = {
  passwordLength: `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`,
  tooLong: `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`,
  passwordClasses: 'The password must use at least 3 of: lower-case letters, upper-case letters, digits, symbols.',
  passwordUsername: 'The password must not contain the user name.',
  passwordGuessable: 'The password is too easy to guess: it is a common password, a word or name with digits and symbols, or a keyboard pattern.',
};

/**
 * Throws `account.weak_password` naming the field unless ≥ 8 characters from at least 3 of 4 classes, without the user
 * name, and hard to guess (zxcvbn score ≥ PASSWORD_MIN_SCORE with the user's names as context).
 */
export function assertPasswordPolicy(password: string, field = 'password', username?: string, displayName?: string): void {
  const failure = checkPasswordWith(zxcvbn(), password, username, displayName);
  if (failure) throw invalid('account.weak_password', field, REASONS[failure.rule], failure.rule === 'passwordGuessable' ? failure.params : undefined);
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
