// Loading a 1,000,000-row, 10-column CSV (ID numbers checked, GB 11643) through the datasets service on PostgreSQL,
// beside PostgreSQL's own COPY of the same file into a plain table (the ratio); the same on PGlite with fewer rows.
// Run alone with `npx tsx bench/datasets-load.ts`; `npm run bench` adds the rows to its table.
// PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (default postgres://root@127.0.0.1:5432/test); a fresh database
// is created beside it and dropped afterwards. BENCH_DATASETS_ROWS / BENCH_DATASETS_PGLITE_ROWS change the sizes.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, Kysely } from 'kysely';
import { newResource } from '../test/support/data-factories.ts';
import { loadConfig } from '../src/config.ts';
import { openPglite, postgresDialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import type { DatasetsService } from '../src/modules/datasets/index.ts';
import { importRegions } from '../src/modules/regions/index.ts';
import { createServices } from '../src/services.ts';
import { systemActorContext } from '../src/shared/context.ts';
import { idNumberCheckCharacter } from '../src/shared/id-number.ts';

export interface DatasetsRow {
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
}

const ITEMS = [
  { code: 'id_number', name: '公民身份号码', type: 'id_number' as const, isKey: true, required: true },
  { code: 'name', name: '姓名', type: 'string' as const, required: true },
  { code: 'phone', name: '联系电话', type: 'mobile' as const },
  { code: 'region', name: '所在区划', type: 'region_code' as const },
  { code: 'born', name: '出生日期', type: 'date' as const },
  { code: 'household', name: '户号', type: 'integer' as const },
  { code: 'income', name: '年收入', type: 'decimal' as const },
  { code: 'address', name: '住址', type: 'string' as const },
  { code: 'employer', name: '工作单位', type: 'string' as const },
  { code: 'note', name: '备注', type: 'string' as const },
];
const COUNTIES = ['650502', '650521', '650522'];

/** Writes the CSV (10 columns, valid rows, unique ID numbers) and returns its size. */
async function writeCsv(file: string, rows: number): Promise<number> {
  const out = fs.createWriteStream(file);
  out.write(`${ITEMS.map((i) => i.code).join(',')}\n`);
  let buffer = '';
  for (let n = 0; n < rows; n++) {
    // birth date and sequence from n: 1,000,000 distinct numbers over 1950–2005
    const day = n % 20_000;
    const birth = new Date(Date.UTC(1950, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    const seq = String(Math.floor(n / 20_000) % 1000).padStart(3, '0');
    const county = COUNTIES[Math.floor(n / 20_000_000) % 3]!;
    const first17 = `${county}${birth.replaceAll('-', '')}${seq}`;
    const id = first17 + idNumberCheckCharacter(first17);
    buffer += `${id},居民${n},139${String(n).padStart(8, '0')},${county},${birth},${n % 50_000},${(n % 100_000) / 7},哈密市伊州区幸福路${n % 999}号,单位${n % 300},\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()));
      buffer = '';
    }
  }
  out.end(buffer);
  await new Promise<void>((r) => out.once('finish', () => r()));
  return fs.statSync(file).size;
}

async function prepare(db: Kysely<Database>) {
  await migrateToLatest(db);
  await importRegions(db, '6505');
  return newResource(db, { items: ITEMS });
}

async function timedLoad(db: Kysely<Database>, resourceId: string, file: string): Promise<{ ms: number; peakRssMb: number; baseRssMb: number; rows: number }> {
  const datasets = createServices(db, loadConfig({})).datasets as DatasetsService;
  global.gc?.();
  const baseRss = process.memoryUsage().rss;
  let peak = baseRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const load = await datasets.upload(systemActorContext(), { resource: resourceId, fileName: path.basename(file), body: fs.createReadStream(file, { highWaterMark: 256 * 1024 }) });
  const ms = performance.now() - started;
  clearInterval(sampler);
  if (load.status !== 'committed' || load.rejectedRows > 0) throw new Error(`the bench load did not commit cleanly: ${JSON.stringify(load)}`);
  return { ms, peakRssMb: peak / 2 ** 20, baseRssMb: baseRss / 2 ** 20, rows: load.acceptedRows };
}

export async function datasetsFigures(): Promise<DatasetsRow[]> {
  const rows = Number(process.env.BENCH_DATASETS_ROWS ?? 1_000_000);
  const pgliteRows = Number(process.env.BENCH_DATASETS_PGLITE_ROWS ?? 100_000);
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-bench-datasets-'));
  fs.chmodSync(dir, 0o755);
  const file = path.join(dir, 'people.csv');
  const out: DatasetsRow[] = [];
  try {
    const size = await writeCsv(file, rows);
    fs.chmodSync(file, 0o644);
    const name = `govcloud_bench_datasets_${randomBytes(4).toString('hex')}`;
    const admin = new Kysely<Database>({ dialect: postgresDialect(url, 1) });
    await sql.raw(`CREATE DATABASE ${name}`).execute(admin);
    const db = new Kysely<Database>({ dialect: postgresDialect(url.replace(/\/[^/]*$/, `/${name}`), 5) });
    try {
      const resource = await prepare(db);
      // PostgreSQL's own COPY of the same file into a plain 10-column table (server-side file read)
      await sql.raw(`CREATE TABLE copy_target (${ITEMS.map((i) => `${i.code} text`).join(', ')})`).execute(db);
      const copyStarted = performance.now();
      await sql.raw(`COPY copy_target FROM '${file}' WITH (FORMAT csv, HEADER true)`).execute(db);
      const copyMs = performance.now() - copyStarted;
      const load = await timedLoad(db, resource.id, file);
      const rate = (load.rows / load.ms) * 1000;
      const copyRate = (rows / copyMs) * 1000;
      out.push({ figure: `datasets: load ${rows.toLocaleString('en')}-row CSV (${(size / 2 ** 20).toFixed(0)} MB), PostgreSQL`, value: Math.round(rate), unit: 'rows/s', baseline: Math.round(copyRate), target: '≥ 50,000 rows/s' });
      out.push({ figure: 'datasets: RSS growth during the load', value: Math.round(load.peakRssMb - load.baseRssMb), unit: 'MB' });
    } finally {
      await db.destroy();
      await sql.raw(`DROP DATABASE IF EXISTS ${name}`).execute(admin);
      await admin.destroy();
    }
    // PGlite (in memory), fewer rows
    const small = path.join(dir, 'people-small.csv');
    await writeCsv(small, pgliteRows);
    const handle = openPglite(undefined);
    try {
      const resource = await prepare(handle.db);
      const load = await timedLoad(handle.db, resource.id, small);
      out.push({ figure: `datasets: load ${pgliteRows.toLocaleString('en')}-row CSV, PGlite`, value: Math.round((load.rows / load.ms) * 1000), unit: 'rows/s' });
    } finally {
      await handle.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await datasetsFigures()) {
    console.log(`${row.figure.padEnd(70)} ${String(row.value).padStart(10)} ${row.unit}${row.baseline === undefined ? '' : `   baseline ${row.baseline}`}${row.target ? `   target ${row.target}` : ''}`);
  }
}
