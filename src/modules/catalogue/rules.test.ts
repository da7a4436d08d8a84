// Pure rules of the catalogue: class codes, code prefixes, search variants and patterns, CSV cells, snapshot diffs.
import { describe, expect, it } from 'vitest';
import { classCodeProblem, codePrefix, csvCell, diffSnapshots, formatCode, normaliseItems, searchVariants, subsequencePattern, type Snapshot } from './rules.ts';

describe('catalogue rules', () => {
  it('checks class codes against the class (GB/T 21063 scheme)', () => {
    expect(classCodeProblem('base', '1-01')).toBeNull();
    expect(classCodeProblem('base', '1-01-02')).toBeNull();
    expect(classCodeProblem('theme', '2-12-01-001')).toBeNull();
    expect(classCodeProblem('department', '3-42')).toBeNull();
    expect(classCodeProblem('base', '2-01')).toMatch(/starts with 1/);
    expect(classCodeProblem('base', '1-06')).toMatch(/not a 项/);
    expect(classCodeProblem('department', '3-00')).toMatch(/01–99/);
    expect(classCodeProblem('theme', '2-1')).toMatch(/looks like/);
  });

  it('builds codes from the region and the 项', () => {
    expect(codePrefix('6505', '1-01-02')).toBe('650500-01');
    expect(codePrefix('650502001001', '2-03')).toBe('650502-03');
    expect(formatCode('650500-01', 7)).toBe('650500-01/00007');
  });

  it('expands abbreviations both ways and matches characters in order', () => {
    expect(searchVariants('社保')).toEqual(['社保', '社会保险', '社会保障']);
    expect(searchVariants('医疗保险 参保')).toContain('医保参保');
    expect(subsequencePattern('社保')).toBe('%社%保%');
    expect(subsequencePattern('a_%')).toBe('%a%\\_%\\%%');
  });

  it('escapes formula cells and quotes CSV', () => {
    for (const bad of ['=cmd|x', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(bad).replace(/^"/, '')[0]).toBe("'");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(['api', 'file'])).toBe('api;file');
    expect(csvCell(null)).toBe('');
  });

  it('diffs snapshots field by field and item by item', () => {
    const items = normaliseItems([{ code: 'a', name: '甲', type: 'string', isKey: true, shareType: 'unconditional' }]);
    const base: Snapshot = {
      code: 'c', name: '名', class: 'base', classCode: '1-01', theme: null, providerDepartmentId: 'p', summary: '', format: 'database', updateCycle: 'daily',
      publishedAt: null, relatedCodes: [], openAttr: 'open', shareModes: ['api'], regionItem: null, personItem: null, upstreamUrl: null, status: 'draft', items,
    };
    const next: Snapshot = { ...base, name: '新名', items: [{ ...items[0]!, name: '乙' }, { ...items[0]!, code: 'b' }] };
    expect(diffSnapshots(base, next)).toEqual([
      { field: 'name', from: '名', to: '新名' },
      { field: 'items/a/name', from: '甲', to: '乙' },
      { field: 'items/b', from: null, to: expect.objectContaining({ code: 'b' }) },
    ]);
    expect(diffSnapshots(base, base)).toEqual([]);
    expect(diffSnapshots(null, base).map((c) => c.field)).toContain('items/a');
  });
});
