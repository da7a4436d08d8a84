import { describe, expect, it } from 'vitest';
import { assertPasswordPolicy, characterClasses, hashPassword, verifyPassword } from './password.ts';

describe('password policy', () => {
  it.each(['Short1!', 'alllowercase', 'ALLUPPER123', 'abcdefgh1234'])('rejects %s', (pw) => {
    expect(() => assertPasswordPolicy(pw)).toThrow(expect.objectContaining({ code: 'account.weak_password', field: 'password' }));
  });

  it.each(['Hami@2026', 'abcDEF123', 'abc-def-123', 'Пароль-2026x'])('accepts %s', (pw) => {
    expect(() => assertPasswordPolicy(pw)).not.toThrow();
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
