import { describe, expect, it } from 'vitest';
import { CREDIT_CODE_CHARSET, creditCodeCheckChar, creditCodeFor, organisationCodeFor, validateCreditCode } from './credit-code.ts';

// Codes printed on the business licences of well-known companies (public record); each was checked by hand against
// the GB 32100 algorithm and its organisation-code part against GB 11714.
const REAL_CODES = [
  '91440300708461136T', // 深圳市腾讯计算机系统有限公司
  '914403001922038216', // 华为技术有限公司 (check character '6', a digit)
  '91110000802100433B', // 北京百度网讯科技有限公司
  '91110108551385082Q', // 小米科技有限责任公司
];

describe('validateCreditCode', () => {
  it.each(REAL_CODES)('accepts the real code %s', (code) => {
    expect(validateCreditCode(code)).toEqual({ ok: true });
  });

  it.each(REAL_CODES)('rejects %s with any other check character', (code) => {
    for (const wrong of CREDIT_CODE_CHARSET) {
      if (wrong === code[17]) continue;
      const result = validateCreditCode(code.slice(0, 17) + wrong);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain(`expected ${code[17]}`);
    }
  });

  it('detects every single-character substitution in the first 17 positions', () => {
    for (const code of REAL_CODES) {
      for (let i = 0; i < 17; i++) {
        for (const c of CREDIT_CODE_CHARSET) {
          if (c === code[i]) continue;
          expect(validateCreditCode(code.slice(0, i) + c + code.slice(i + 1)).ok, `${code} with ${c} at ${i + 1}`).toBe(false);
        }
      }
    }
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])('rejects the forbidden letter %s and says why', (letter) => {
    const code = `9144030070846113${letter}T`;
    const result = validateCreditCode(code);
    expect(result).toMatchObject({ ok: false, rule: 'creditCodeIOZSV', reason: expect.stringContaining('I, O, Z, S and V are never used') });
  });

  it('rejects other characters outside the charset', () => {
    for (const code of ['91440300708461136-', '9144030070846113 T', '９１440300708461136T', '91440300708461136Ｔ']) {
      expect(validateCreditCode(code).ok, code).toBe(false);
    }
  });

  it.each([
    ['', 0],
    ['91440300708461136', 17],
    ['91440300708461136TT', 19],
    [' 91440300708461136T', 19],
  ])('rejects wrong length %j', (code, length) => {
    expect(validateCreditCode(code)).toMatchObject({ ok: false, reason: `A credit code has 18 characters; this one has ${length}.` });
  });

  it('rejects lower-case letters instead of normalising them', () => {
    expect(validateCreditCode('91440300708461136t')).toMatchObject({ ok: false, reason: 'Letters in a credit code must be upper case.' });
    expect(validateCreditCode('91110000802100433b').ok).toBe(false);
    expect(validateCreditCode('91110000802100433B').ok).toBe(true);
  });

  it('requires a 6-digit division code in positions 3–8', () => {
    // A letter from the charset in position 3, with the check character recomputed so only the structure is wrong.
    const first17 = '91A40300708461136';
    const result = validateCreditCode(first17 + creditCodeCheckChar(first17));
    expect(result).toMatchObject({ ok: false, reason: 'Characters 3–8 must be the 6-digit administrative division code.' });
  });
});

describe('creditCodeFor', () => {
  it('builds the real codes back from their parts', () => {
    expect(creditCodeFor({ registration: '91', division: '440300', body: '708461136' })).toBe('91440300708461136T');
    expect(creditCodeFor({ registration: '91', division: '440300', body: '192203821' })).toBe('914403001922038216');
  });

  it('pads a 4-digit prefecture to a 6-digit division and trims a township code to its county', () => {
    expect(creditCodeFor({ registration: '11', division: '6505', body: organisationCodeFor('12345678') }).slice(0, 8)).toBe('11650500');
    expect(creditCodeFor({ registration: '11', division: '650502001', body: organisationCodeFor('12345678') }).slice(0, 8)).toBe('11650502');
  });

  it('always produces codes the validator accepts', () => {
    for (let i = 0; i < 2000; i++) {
      const body8 = String(10_000_000 + ((i * 7_919_333) % 90_000_000));
      const code = creditCodeFor({ registration: ['11', '12', '13', '81', '91'][i % 5]!, division: ['6505', '650502', '650521', '650522'][i % 4]!, body: organisationCodeFor(body8) });
      expect(validateCreditCode(code), code).toEqual({ ok: true });
    }
  });

  it('maps a sum divisible by 31 to check character 0', () => {
    // Find a body whose weighted sum is ≡ 0 (mod 31) and confirm the check is '0', not an out-of-range 31.
    let found: string | undefined;
    for (let n = 0; n < 100_000 && !found; n++) {
      const first17 = `11650500${String(n).padStart(9, '0')}`;
      if (creditCodeCheckChar(first17) === '0') found = first17;
    }
    expect(found).toBeDefined();
    expect(validateCreditCode(`${found}0`)).toEqual({ ok: true });
  });
});

describe('organisationCodeFor (GB 11714)', () => {
  it('reproduces the organisation codes inside the real credit codes', () => {
    for (const code of REAL_CODES) expect(organisationCodeFor(code.slice(8, 16))).toBe(code.slice(8, 17));
  });
});
