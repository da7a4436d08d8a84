// Password policy and argon2id hashing.
import argon2 from 'argon2';
import { invalid } from '../../shared/errors.ts';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Which of the four character classes a password uses. */
export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** Throws `account.weak_password` naming the field unless ≥ 8 characters from at least 3 of 4 classes. */
export function assertPasswordPolicy(password: string, field = 'password', username?: string): void {
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
