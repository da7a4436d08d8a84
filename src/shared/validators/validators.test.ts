// The shared validators: the rules the API schemas enforce are the ones the console checks (one copy, read from here).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEffectiveDate, todayInChina } from './calendar-date.ts';
import { checkPasswordShape, checkPasswordWith, guessableWords } from './password.ts';
import { isRegionCode, REGION_CODE_PATTERN, regionLevelOfCode } from './region-code.ts';
import { checkDepartmentCode, checkDisplayText, checkEmail, checkPhone, checkUsername, DEPARTMENT_CODE_PATTERN, DISPLAY_TEXT_PATTERN, USERNAME_PATTERN } from './text.ts';

const doc = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/openapi.json'), 'utf8'));
const body = (route: string, method: string) => doc.paths[route][method].requestBody.content['application/json'].schema.properties;

describe('shared validators', () => {
  it('are the patterns the API documents and enforces', () => {
    expect(body('/api/departments', 'post').code.pattern).toBe(DEPARTMENT_CODE_PATTERN);
    expect(body('/api/departments', 'post').name.pattern).toBe(DISPLAY_TEXT_PATTERN);
    expect(body('/api/users', 'post').username.pattern).toBe(USERNAME_PATTERN);
    expect(doc.paths['/api/regions/{code}'].get.parameters.find((p: { name: string }) => p.name === 'code').schema.pattern).toBe(REGION_CODE_PATTERN);
  });

  it('name the rule a value breaks', () => {
    expect(checkDepartmentCode('6505-FGW')).toBeNull();
    expect(checkDepartmentCode('-x')).toEqual({ rule: 'departmentCode' });
    expect(checkDepartmentCode('')).toEqual({ rule: 'required' });
    expect(checkDisplayText(' 发改委', 100)).toEqual({ rule: 'displayText' });
    expect(checkDisplayText('哈'.repeat(101), 100)).toEqual({ rule: 'tooLong', params: { max: 100 } });
    expect(checkUsername('a')).toEqual({ rule: 'tooShort', params: { min: 2 } });
    expect(checkPhone('13800138000')).toBeNull();
    expect(checkEmail('a@b')).toEqual({ rule: 'email' });
    expect(checkPasswordShape('short')).toEqual({ rule: 'passwordLength', params: { min: 8 } });
    expect(checkPasswordShape('alllowercase')).toEqual({ rule: 'passwordClasses' });
    expect(checkPasswordShape('Wang.Lei-2026!', 'wang.lei')).toEqual({ rule: 'passwordUsername' });
    expect(checkPasswordWith({ check: () => ({ score: 2 }) }, 'Tr0ub4dor&3x')).toEqual({ rule: 'passwordGuessable', params: { score: 2, minScore: 3 } });
    expect(checkPasswordWith({ check: () => ({ score: 4 }) }, 'Tr0ub4dor&3x')).toBeNull();
    expect(guessableWords(['li.xiaoming', 'Xiaoming Wang'])).toEqual(['li.xiaoming', 'xiaoming', 'Xiaoming Wang', 'Xiaoming', 'Wang']);
  });

  it('know division codes and dates', () => {
    expect(isRegionCode('6505')).toBe(true);
    expect(isRegionCode('65050')).toBe(false);
    expect(regionLevelOfCode('650502100')).toBe(3);
    expect(todayInChina(new Date('2024-03-01T17:30:00Z'))).toBe('2024-03-02');
    expect(checkEffectiveDate('2024-02-30', null, '2026-01-01')).toEqual({ rule: 'date' });
    expect(checkEffectiveDate('2026-01-02', null, '2026-01-01')).toEqual({ rule: 'dateInFuture', params: { today: '2026-01-01' } });
    expect(checkEffectiveDate('2020-01-01', '2021-01-01', '2026-01-01')).toEqual({ rule: 'dateTooEarly', params: { earliest: '2021-01-01' } });
  });
});
