// Row validation rules, pure.
import { describe, expect, it } from 'vitest';
import type { ItemMeta } from '../catalogue/index.ts';
import { checkIdNumber, idNumberCheckCharacter } from '../../shared/id-number.ts';
import { idNumberOf, planColumns, regionChecker, RowValidator, type Rejection } from './validate.ts';

const item = (code: string, type: ItemMeta['type'], extra: Partial<ItemMeta> = {}): ItemMeta => ({ code, name: code, type, maxLength: null, required: false, isKey: false, sensitivity: 1, shareType: 'unconditional', legalBasis: null, mask: 'none', ...extra });
const ITEMS = [item('k', 'string', { isKey: true, name: '编号' }), item('d', 'date'), item('t', 'datetime'), item('m', 'mobile'), item('r', 'region_code'), item('s', 'string', { maxLength: 3 }), item('i', 'id_number')];
const first17 = '65050219900307123';
const ID = first17 + idNumberCheckCharacter(first17);

function check(cells: unknown[]) {
  const v = new RowValidator({ items: ITEMS, keyItems: ['k'], regionItem: 'r', personItem: 'i' }, { today: '2026-11-27', regionExists: regionChecker(new Set(['65', '6505', '650502'])) });
  const rejections: Rejection[] = [];
  const row = v.validate(cells as never, rejections);
  return { row, codes: rejections.map((r) => `${r.item}:${r.code}`) };
}

describe('RowValidator', () => {
  it('accepts and normalises good values', () => {
    const { row, codes } = check(['A1', '2024-02-29', '2026-11-27T08:30:00+08:00', '+86 13912345678', '650500', '长度三', ID.toLowerCase()]);
    expect(codes).toEqual([]);
    expect(row).toMatchObject({ key: 'A1', regionCode: '650500', personId: ID });
    expect(JSON.parse(row!.json)).toEqual({ k: 'A1', d: '2024-02-29', t: '2026-11-27T08:30:00+08:00', m: '13912345678', r: '650500', s: '长度三', i: ID });
  });

  it('names every bad cell', () => {
    expect(check(['', '2023-02-29', '2026-13-01T00:00', '12912345678', '659999', '太长了吧', `${ID.slice(0, 17)}${ID[17] === '1' ? '2' : '1'}`]).codes).toEqual([
      'k:required',
      'd:date',
      't:datetime',
      'm:mobile',
      'r:region_code',
      's:too_long',
      'i:id_number_check_digit',
    ]);
    const future = '65050220990101123';
    expect(check(['A', null, null, null, null, null, future + idNumberCheckCharacter(future)]).codes).toEqual(['i:id_number_birth_date']);
  });
});

describe('planColumns', () => {
  it('maps headers by code or Chinese name, reports unknown ones, refuses a missing key or a doubled item', () => {
    expect(planColumns(['编号', 'D', 'zzz'], ITEMS)).toEqual({ itemOf: [0, 1, -1], unknown: ['zzz'] });
    expect(() => planColumns(['d'], ITEMS)).toThrow(expect.objectContaining({ code: 'datasets.missing_column' }));
    expect(() => planColumns(['k', '编号'], ITEMS)).toThrow(expect.objectContaining({ code: 'datasets.duplicate_column' }));
  });
});

describe('idNumberOf', () => {
  it('judges 身份证号 exactly as checkIdNumber does', () => {
    const problems = { format: 'id_number_format', check_digit: 'id_number_check_digit', birth_date: 'id_number_birth_date', region: 'region' } as const;
    let state = 7;
    const next = (n: number) => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    const samples: string[] = ['', 'x', '65050219900307123', `${first17}x`, `${first17}X`, ID, ID.toLowerCase(), `${ID} `, `65050218991231123${idNumberCheckCharacter('65050218991231123')}`];
    for (let n = 0; n < 20_000; n++) {
      const year = 1890 + next(140);
      const month = next(14);
      const day = next(33);
      let body = `6505${String(next(100)).padStart(2, '0')}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(next(1000)).padStart(3, '0')}`;
      if (next(20) === 0) body = body.slice(0, 5) + 'a' + body.slice(6);
      const tail = next(3) === 0 ? '0123456789Xx'[next(12)]! : idNumberCheckCharacter(body.replace(/\D/g, '0'));
      samples.push(body + tail);
    }
    for (const sample of samples) {
      const expected = checkIdNumber(sample, { today: '2026-11-27' });
      expect(idNumberOf(sample, '2026-11-27'), sample).toEqual(expected.ok ? expected.idNumber : { code: problems[expected.problem] });
    }
  });

  it('checks dates by the calendar', () => {
    expect(check(['A', '2024-02-29']).codes).toEqual([]);
    for (const bad of ['2023-02-29', '2024-04-31', '2024-00-10', '2024-13-01', '2024-01-00', '0050-01-01', '2024-1-01', '2024/01/01', '２０２４-01-01']) expect(check(['A', bad]).codes, bad).toEqual(['d:date']);
    expect(check(['A', '1900-02-29']).codes).toEqual(['d:date']);
    expect(check(['A', '2000-02-29']).codes).toEqual([]);
  });
});
