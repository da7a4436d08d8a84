// Importing a resident file (12 columns, every row checked: ID number, phone, community, duplicates) through the
// community registry's import on PostgreSQL and on PGlite: rows per second and the memory the import holds.
// Run alone with `npx tsx bench/community-import.ts`; `npm run bench` adds the rows to its table.
// BENCH_IMPORT_ROWS (default 100,000) / BENCH_IMPORT_PGLITE_ROWS (default 20,000) change the sizes.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, Kysely } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openPglite, postgresDialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import type { CommunityService } from '../src/modules/community/index.ts';
import { importRegions } from '../src/modules/regions/index.ts';
import { createServices } from '../src/services.ts';
import { systemActorContext } from '../src/shared/context.ts';
import { idNumberCheckCharacter } from '../src/shared/id-number.ts';

export interface ImportRow {
  figure: string;
  value: number;
  unit: string;
  target?: string;
}

const HEADER = '公民身份号码,姓名,性别,出生日期,民族,手机号码,社区代码,户号,与户主关系,现住址,居住类型,迁入日期';
const ETHNIC = ['汉族', '维吾尔族', '哈萨克族', '回族', '蒙古族'];

async function writeCsv(file: string, rows: number, communities: readonly string[]): Promise<number> {
  const out = fs.createWriteStream(file);
  out.write(`${HEADER}\n`);
  let buffer = '';
  for (let n = 0; n < rows; n++) {
    const birth = new Date(Date.UTC(1940, 0, 1) + (n % 24_000) * 86_400_000).toISOString().slice(0, 10);
    const first17 = `650502${birth.replaceAll('-', '')}${String(Math.floor(n / 24_000) % 1000).padStart(3, '0')}`;
    buffer += `${first17}${idNumberCheckCharacter(first17)},居民${n},,${birth},${ETHNIC[n % 5]},139${String(n).padStart(8, '0')},${communities[n % communities.length]},,,哈密市伊州区幸福路${n % 999}号,户籍,\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()));
      buffer = '';
    }
  }
  out.end(buffer);
  await new Promise<void>((r) => out.once('finish', () => r()));
  return fs.statSync(file).size;
}

/**
 * The residents just imported grouped into households of three of one community (head, spouse, child), as a household
 * file, imported and timed: one transaction of set-wise statements (D113).
 */
async function timedHouseholdImport(db: Kysely<Database>, file: string): Promise<{ households: number; rate: number }> {
  const residents = await db.selectFrom('community_resident').select(['id_number', 'community_code']).where('household_id', 'is', null).orderBy('community_code').orderBy('id_number').execute();
  const lines = ['户号,社区代码,地址,户主身份证号,成员'];
  for (let i = 0; i + 2 < residents.length; i += 3) {
    const [head, spouse, child] = [residents[i]!, residents[i + 1]!, residents[i + 2]!];
    if (spouse.community_code !== head.community_code || child.community_code !== head.community_code) continue;
    lines.push(`BHI${i / 3},${head.community_code},幸福路${i % 999}号,${head.id_number},${spouse.id_number}:10;${child.id_number}:20`);
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const community = createServices(db, loadConfig({})).community as CommunityService;
  const started = performance.now();
  const view = await community.imports.uploadHouseholds(systemActorContext(), { fileName: path.basename(file), body: fs.createReadStream(file, { highWaterMark: 256 * 1024 }) });
  const ms = performance.now() - started;
  if (view.status !== 'committed' || view.rejectedRows > 0) throw new Error(`the bench household import did not commit cleanly: ${JSON.stringify(view)}`);
  return { households: view.insertedRows, rate: Math.round((view.insertedRows / ms) * 1000) };
}

async function timedImport(db: Kysely<Database>, file: string, rows: number): Promise<{ rate: number; rssMb: number }> {
  await migrateToLatest(db);
  await importRegions(db, '6505');
  const communities = (await db.selectFrom('region').select('code').where('level', '=', 4).where('path', 'like', '/6505/650502/%').execute()).map((r) => r.code);
  await writeCsv(file, rows, communities);
  const community = createServices(db, loadConfig({})).community as CommunityService;
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const view = await community.imports.upload(systemActorContext(), { fileName: path.basename(file), body: fs.createReadStream(file, { highWaterMark: 256 * 1024 }) });
  const ms = performance.now() - started;
  clearInterval(sampler);
  if (view.status !== 'committed' || view.rejectedRows > 0) throw new Error(`the bench import did not commit cleanly: ${JSON.stringify(view)}`);
  return { rate: Math.round((view.insertedRows / ms) * 1000), rssMb: Math.round((peak - base) / 2 ** 20) };
}

export async function communityImportFigures(): Promise<ImportRow[]> {
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
  const pgliteRows = Number(process.env.BENCH_IMPORT_PGLITE_ROWS ?? 20_000);
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-bench-import-'));
  const out: ImportRow[] = [];
  try {
    const name = `govcloud_bench_import_${randomBytes(4).toString('hex')}`;
    const admin = new Kysely<Database>({ dialect: postgresDialect(url, 1) });
    await sql.raw(`CREATE DATABASE ${name}`).execute(admin);
    const db = new Kysely<Database>({ dialect: postgresDialect(url.replace(/\/[^/]*$/, `/${name}`), 5) });
    try {
      const pg = await timedImport(db, path.join(dir, 'residents.csv'), rows);
      out.push({ figure: `community: import ${rows.toLocaleString('en')}-resident CSV, PostgreSQL`, value: pg.rate, unit: 'rows/s' });
      out.push({ figure: 'community: RSS growth during the import, PostgreSQL', value: pg.rssMb, unit: 'MB' });
      const households = await timedHouseholdImport(db, path.join(dir, 'households.csv'));
      out.push({ figure: `community: import ${households.households.toLocaleString('en')}-household CSV (3 members each), PostgreSQL`, value: households.rate, unit: 'households/s' });
    } finally {
      await db.destroy();
      await sql.raw(`DROP DATABASE IF EXISTS ${name}`).execute(admin);
      await admin.destroy();
    }
    const handle = openPglite(undefined);
    try {
      const lite = await timedImport(handle.db, path.join(dir, 'residents-small.csv'), pgliteRows);
      out.push({ figure: `community: import ${pgliteRows.toLocaleString('en')}-resident CSV, PGlite`, value: lite.rate, unit: 'rows/s' });
      const households = await timedHouseholdImport(handle.db, path.join(dir, 'households-small.csv'));
      out.push({ figure: `community: import ${households.households.toLocaleString('en')}-household CSV (3 members each), PGlite`, value: households.rate, unit: 'households/s' });
    } finally {
      await handle.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await communityImportFigures()) console.log(`${row.figure.padEnd(70)} ${String(row.value).padStart(10)} ${row.unit}`);
}
