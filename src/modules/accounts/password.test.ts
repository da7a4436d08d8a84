import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../../../test/support/factories.ts';
import { DEMO_PASSWORD } from '../../seed/demo.ts';
import { PASSWORD_MIN_SCORE, assertPasswordPolicy, characterClasses, hashPassword, passwordScore, verifyPassword } from './password.ts';

describe('password policy', () => {
  it.each(['Short1!', 'alllowercase', 'ALLUPPER123', 'abcdefgh1234'])('rejects %s', (pw) => {
    expect(() => assertPasswordPolicy(pw)).toThrow(expect.objectContaining({ code: 'account.weak_password', field: 'password' }));
  });

  it.each([
    'Password1!', // the most common password, decorated
    'P@ssw0rd2026', // l33t and a year
    'Aa123456!', // breached-list pattern
    'abcDEF123', // sequences
    'Hami@2026', // the place and the year: the old demo password
    '1qaz@WSX', // keyboard walks
    'Qwerty123!',
    'Zxcvbnm,./1',
  ])('rejects the guessable %s', (pw) => {
    expect(() => assertPasswordPolicy(pw, 'newPassword')).toThrow(expect.objectContaining({ code: 'account.weak_password', field: 'newPassword', details: expect.objectContaining({ minScore: PASSWORD_MIN_SCORE }) }));
  });

  it.each(['Hami@2026??', DEMO_PASSWORD, TEST_PASSWORD, 'abc-def-123', 'Пароль-2026x', 'Brand-New-Pass9'])('accepts %s', (pw) => {
    expect(() => assertPasswordPolicy(pw)).not.toThrow();
  });

  it("counts the user's own names as guessable", () => {
    expect(() => assertPasswordPolicy('Xiaoming@2026')).not.toThrow();
    expect(() => assertPasswordPolicy('Xiaoming@2026', 'password', 'li.xiaoming')).toThrow(expect.objectContaining({ code: 'account.weak_password' }));
    expect(passwordScore('Gulnar#2026!', ['u1', 'Gulnar Tursun'])).toBeLessThan(passwordScore('Gulnar#2026!'));
  });

  it('refuses a password containing the user name', () => {
    expect(() => assertPasswordPolicy('zhangsan@2026', 'password', 'zhangsan')).toThrow(/user name/);
  });

  it('counts character classes', () => {
    expect(characterClasses('aA1!')).toBe(4);
    expect(characterClasses('aaaa')).toBe(1);
  });

  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('Hami@2026');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'Hami@2026')).toBe(true);
    expect(await verifyPassword(hash, 'hami@2026')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });
});
