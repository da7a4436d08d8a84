import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.ts';
import { currentNameSince, isCalendarDate, parseCalendarDate, resolveNameAt, todayInChina, type NamedPeriod } from './effective.ts';

describe('calendar dates', () => {
  it('accepts real dates and rejects malformed or impossible ones', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-01', '2024/01/01', '20240101', '0202-01-01', '', '2024-01-01T00:00']) {
      expect(isCalendarDate(bad), bad).toBe(false);
    }
  });

  it('names the field in the error', () => {
    const error = (() => {
      try {
        parseCalendarDate('2024-02-30', 'effectiveDate');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'region.invalid_date', field: 'effectiveDate', kind: 'invalid' });
  });

  it('takes today on the Beijing calendar', () => {
    // 2024-03-01 17:30 UTC is already 2024-03-02 in China.
    expect(todayInChina(new Date('2024-03-01T17:30:00Z'))).toBe('2024-03-02');
    expect(todayInChina(new Date('2024-03-01T15:59:59Z'))).toBe('2024-03-01');
  });
});

describe('resolveNameAt', () => {
  const region = { name: '新名', validFrom: '2020-01-01', validTo: null };
  const history: NamedPeriod[] = [
    { name: '旧名', validFrom: '2020-01-01', validTo: '2022-06-01', change: 'rename' },
    { name: '中名', validFrom: '2022-06-01', validTo: '2024-01-01', change: 'rename' },
  ];

  it('finds the name held on each day, with half-open periods', () => {
    expect(resolveNameAt(region, history, '2019-12-31')).toBeNull();
    expect(resolveNameAt(region, history, '2020-01-01')).toBe('旧名');
    expect(resolveNameAt(region, history, '2022-05-31')).toBe('旧名');
    expect(resolveNameAt(region, history, '2022-06-01')).toBe('中名');
    expect(resolveNameAt(region, history, '2023-12-31')).toBe('中名');
    expect(resolveNameAt(region, history, '2024-01-01')).toBe('新名');
  });

  it('gives null from the day a region ended', () => {
    const ended = { ...region, validTo: '2025-01-01' };
    expect(resolveNameAt(ended, history, '2024-12-31')).toBe('新名');
    expect(resolveNameAt(ended, history, '2025-01-01')).toBeNull();
  });

  it('dates the current name from the latest rename', () => {
    expect(currentNameSince(region, [])).toBe('2020-01-01');
    expect(currentNameSince(region, history)).toBe('2024-01-01');
    expect(currentNameSince(region, [{ name: 'x', validFrom: '2020-01-01', validTo: '2030-01-01', change: 'retire' }])).toBe('2020-01-01');
  });
});
