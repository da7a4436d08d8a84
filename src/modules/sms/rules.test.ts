// Pure rules of the SMS module: segmentation, quiet hours, template variables.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.ts';
import { quietHoursEnd } from './quiet-hours.ts';
import { concatReference, parseConcatUdh, segmentCount, segmentText } from './segments.ts';
import { checkTemplate, placeholders, renderTemplate } from './templates.ts';
import { decodeUcs2 } from './ucs2.ts';

describe('segmentation', () => {
  it('keeps up to 70 characters in one segment without a UDH', () => {
    const [one, ...rest] = segmentText('政'.repeat(70), 1);
    expect(rest).toEqual([]);
    expect(one).toMatchObject({ seq: 1, total: 1, udh: null });
    expect(one!.octets).toHaveLength(140);
  });

  it('cuts 71 characters and more into 67-character segments behind 05 00 03 ref total seq', () => {
    const text = '务'.repeat(67 * 2 + 1);
    const segments = segmentText(text, 0xab);
    expect(segments.map((s) => s.text.length)).toEqual([67, 67, 1]);
    expect(segments.map((s) => [...s.udh!])).toEqual([1, 2, 3].map((seq) => [5, 0, 3, 0xab, 3, seq]));
    expect(segments.every((s) => s.udh!.length + s.octets.length <= 140)).toBe(true);
    expect(segments.map((s) => decodeUcs2(s.octets)).join('')).toBe(text);
    expect(parseConcatUdh(segments[1]!.udh!)).toEqual({ reference: 0xab, total: 3, seq: 2 });
    expect(segmentCount(text)).toBe(3);
    expect(segmentCount('政'.repeat(71))).toBe(2);
  });

  it('never splits an emoji (a surrogate pair) across segments', () => {
    const text = 'a'.repeat(66) + '😀' + 'b'.repeat(10);
    const segments = segmentText(text, 1);
    expect(segments[0]!.text).toBe('a'.repeat(66));
    expect(segments[1]!.text.startsWith('😀')).toBe(true);
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });

  it('derives a stable reference from the message id', () => {
    expect(concatReference('0b6c…')).toBe(concatReference('0b6c…'));
    expect(concatReference('x')).toBeLessThan(256);
  });
});

describe('quiet hours (Asia/Shanghai)', () => {
  it.each([
    ['2026-03-02T21:59:59+08:00', null],
    ['2026-03-02T08:00:00+08:00', null],
    ['2026-03-02T22:00:00+08:00', '2026-03-03T08:00:00+08:00'],
    ['2026-03-02T23:30:00+08:00', '2026-03-03T08:00:00+08:00'],
    ['2026-03-03T00:10:00+08:00', '2026-03-03T08:00:00+08:00'],
    ['2026-03-03T07:59:59+08:00', '2026-03-03T08:00:00+08:00'],
    ['2026-12-31T22:30:00+08:00', '2027-01-01T08:00:00+08:00'],
  ])('at %s a non-urgent message waits until %s', (now, until) => {
    expect(quietHoursEnd(new Date(now))?.getTime() ?? null).toBe(until === null ? null : new Date(until).getTime());
  });
});

describe('templates', () => {
  const fieldOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return { code: (error as DomainError).code, field: (error as DomainError).field };
    }
    return null;
  };

  it('finds the named variables of a body', () => {
    expect(placeholders('{name}，您的{item}已办结，{name}')).toEqual(['name', 'item']);
  });

  it('refuses an unknown, unused, duplicate or malformed variable at save, naming the field', () => {
    expect(fieldOf(() => checkTemplate('{name}您好', ['name']))).toBeNull();
    expect(fieldOf(() => checkTemplate('{name}{code}', ['name']))).toEqual({ code: 'sms.template_unknown_variable', field: 'body' });
    expect(fieldOf(() => checkTemplate('{name}', ['name', 'code']))).toEqual({ code: 'sms.template_unused_variable', field: 'variables/1' });
    expect(fieldOf(() => checkTemplate('{name}', ['name', 'name']))).toEqual({ code: 'sms.template_variable', field: 'variables/1' });
    expect(fieldOf(() => checkTemplate('{姓名}', []))).toEqual({ code: 'sms.template_placeholder', field: 'body' });
    expect(fieldOf(() => checkTemplate('{name', []))).toEqual({ code: 'sms.template_placeholder', field: 'body' });
  });

  it('fills a template only with exactly its variables', () => {
    expect(renderTemplate('{name}，办结{item}', ['name', 'item'], { name: '张三', item: '{x}' })).toBe('张三，办结{x}');
    expect(fieldOf(() => renderTemplate('{name}', ['name'], {}))).toEqual({ code: 'sms.missing_variable', field: 'vars/name' });
    expect(fieldOf(() => renderTemplate('{name}', ['name'], { name: 'a', code: '1' }))).toEqual({ code: 'sms.unknown_variable', field: 'vars/code' });
  });
});
