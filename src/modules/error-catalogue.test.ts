// Every error code thrown anywhere in src/ has a zh-CN and an English message in the catalogue, and no code is listed twice.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUES, ERROR_MESSAGES, errorMessage } from './error-catalogue.ts';

const SRC = path.resolve(import.meta.dirname, '..');
const CODE = String.raw`['\`]([a-z_]+(?:\.[a-z0-9_]+)+)['\`]`;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The codes a source passes to the DomainError helpers, to `problem(status, code)`, or to a local wrapper `(code: string, …) => new DomainError(code, …)`. */
export function thrownCodes(text: string): string[] {
  const wrappers = [...text.matchAll(/(?:const|function)\s+(\w+)\s*=?\s*\(\s*code\s*:\s*string[^]{0,200}?new DomainError\(\s*code\b/g)].map((m) => m[1]!);
  const callees = ['new DomainError', 'invalid', 'notFound', 'conflict', 'forbidden', 'unauthenticated', ...wrappers];
  const direct = new RegExp(String.raw`(?<![\w.])(?:${callees.join('|')})\(\s*${CODE}`, 'g');
  const viaProblem = new RegExp(String.raw`(?<![\w.])problem\(\s*\d+\s*,\s*${CODE}`, 'g');
  return [...text.matchAll(direct), ...text.matchAll(viaProblem)].map((m) => m[1]!);
}

describe('error catalogue', () => {
  const thrown = new Map<string, string>();
  for (const file of sources(SRC)) for (const code of thrownCodes(fs.readFileSync(file, 'utf8'))) thrown.set(code, path.relative(SRC, file));

  it('finds the codes the sources throw (the scan works)', () => {
    expect(thrown.get('department.invalid_credit_code')).toBe('modules/departments/service.ts');
    expect(thrown.get('auth.too_many_codes')).toBe('modules/accounts/second-factor.ts'); // through a local wrapper
    expect(thrown.get('request.malformed_json')).toBe('http/problem.ts'); // through problem(status, code)
    expect(thrown.size).toBeGreaterThan(50);
    expect(thrownCodes(`throw invalid('x.new_code', 'f', 'm'); sql('d.code'); t('login.title')`)).toEqual(['x.new_code']);
  });

  it('has a zh-CN and an English message for every code thrown in src/', () => {
    const missing = [...thrown].filter(([code]) => !ERROR_MESSAGES[code]?.zh?.trim() || !ERROR_MESSAGES[code]?.en?.trim());
    expect(missing.map(([code, file]) => `${code} (${file})`), 'add these codes to the module errors.ts').toEqual([]);
  });

  it('lists each code once, with both messages, and answers by language', () => {
    const seen = new Map<string, string>();
    for (const [module, catalogue] of Object.entries(ERROR_CATALOGUES)) {
      for (const [code, message] of Object.entries(catalogue)) {
        expect(seen.get(code), `${code} is in both ${seen.get(code)} and ${module}`).toBeUndefined();
        seen.set(code, module);
        expect(message.zh.trim() && message.en.trim(), code).toBeTruthy();
        expect(message.zh, `${code}: the zh-CN message should be Chinese`).toMatch(/\p{Script=Han}/u);
      }
    }
    expect(errorMessage('department.code_taken', 'zh-CN')).toBe('该部门代码已被使用');
    expect(errorMessage('department.code_taken', 'en-US')).toBe('This department code is taken');
    expect(errorMessage('no.such_code', 'en-US')).toBeUndefined();
    expect(errorMessage('toString', 'en-US')).toBeUndefined();
  });
});
