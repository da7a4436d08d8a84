// Community statistics at size: 1,000,000 residents on PostgreSQL (bench/community-fixture.ts, written through the
// cube's triggers), a breakdown of one dimension for every region at all four levels from the cube, beside the plain
// GROUP BY over the registry that computes the same numbers (checked equal); a past-date breakdown; freshness (commit
// → visible); the rebuild; RSS; then PGlite with 200,000 residents.
// Run alone with `npx tsx bench/census.ts`; `npm run bench` adds the rows to its table. PostgreSQL: BENCH_DATABASE_URL
// or TEST_DATABASE_URL (default postgres://root@127.0.0.1:5432/test); a fresh database is created beside it and
// dropped afterwards. BENCH_CENSUS_RESIDENTS / BENCH_CENSUS_PGLITE_RESIDENTS change the sizes (0: skip that database).
import { randomBytes } from 'node:crypto';
import { sql, Kysely } from 'kysely';
import { fillResidents } from './community-fixture.ts';
import { loadConfig } from '../src/config.ts';
import { openPglite, postgresDialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import type { CensusService, Dimension, TreeCounts } from '../src/modules/census/index.ts';
import { importRegions } from '../src/modules/regions/index.ts';
import { createServices } from '../src/services.ts';
import { chinaDate } from '../src/shared/id-number.ts';

export interface CensusRow {
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function flat(tree: TreeCounts): string {
  return [...tree.values()]
    .map((n) => `${n.code}:${n.total}:${Object.entries(n.counts).filter(([, k]) => k !== 0).sort().map(([v, k]) => `${v}=${k}`).join(',')}`)
    .sort()
    .join('\n');
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

async function figures(db: Kysely<Database>, residents: number, label: string, reps: number): Promise<CensusRow[]> {
  const out: CensusRow[] = [];
  await migrateToLatest(db);
  await importRegions(db, '6505');
  const census = createServices(db, loadConfig({})).census as CensusService;
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const seed = await timed(() => fillResidents(db, residents));
  out.push({ figure: `census: seed ${residents.toLocaleString('en')} residents through the cube's triggers, ${label}`, value: Math.round((residents / seed.ms) * 1000), unit: 'residents/s' });
  // the triggers only noted the residents; the first fold sees the backlog and rebuilds set-wise
  const folded = await timed(() => census.fold());
  out.push({ figure: `census: first fold after the seed (backlog → set-wise rebuild), ${label}`, value: Math.round(folded.ms), unit: 'ms' });
  const today = chinaDate(new Date());
  const root = '/6505/';
  for (const dimension of ['ethnicity', 'age'] as Dimension[]) {
    const cube: number[] = [];
    const plain: number[] = [];
    let cubeTree: TreeCounts | undefined;
    let plainTree: TreeCounts | undefined;
    for (let i = 0; i < reps; i++) {
      const a = await timed(() => census.tree(dimension, root, today));
      cube.push(a.ms);
      cubeTree = a.value;
      if (i < 3) {
        const b = await timed(() => census.tree(dimension, root, today, 'registry'));
        plain.push(b.ms);
        plainTree = b.value;
      }
    }
    if (flat(cubeTree!) !== flat(plainTree!)) throw new Error(`census bench: the cube and the GROUP BY disagree on ${dimension}`);
    out.push({
      figure: `census: ${dimension} for all ${cubeTree!.size} regions (4 levels), cube p95 vs plain GROUP BY p95 (equal numbers), ${label}`,
      value: round(p95(cube)),
      unit: 'ms',
      baseline: round(p95(plain)),
      target: residents >= 1_000_000 ? '≤ 50 ms' : undefined,
    });
  }
  const past = await timed(() => census.tree('ethnicity', root, '2020-06-30'));
  out.push({ figure: `census: ethnicity for all regions on a past date (residence history), ${label}`, value: Math.round(past.ms), unit: 'ms' });
  // freshness: a resident committed in a community → shown by the breakdown, with the server's fold every second
  const community = await db.selectFrom('region').select(['code', 'path']).where('level', '=', 4).orderBy('code').limit(1).executeTakeFirstOrThrow();
  const count = async () => (await census.tree('sex', community.path, today)).get(community.code)!.total;
  const before = await count();
  const fresh: number[] = [];
  let folding: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => (folding = folding.then(() => census.fold())), 1000);
  for (let i = 0; i < 5; i++) {
    await sql`
      INSERT INTO community_resident (id_number, name, sex, birth_date, ethnicity, community_code, region_path, residence_status, moved_in_on)
      VALUES (${`6505021990010${String(i).padStart(4, '0')}`}, '新居民', 'M', '1990-01-01', '01', ${community.code}, ${community.path}, 'registered', ${today})
    `.execute(db);
    const committed = performance.now();
    while ((await count()) !== before + i + 1) await new Promise((r) => setTimeout(r, 1));
    fresh.push(performance.now() - committed);
  }
  clearInterval(timer);
  await folding;
  out.push({ figure: `census: freshness, resident insert committed → shown by the roll-up (max of 5), ${label}`, value: round(Math.max(...fresh)), unit: 'ms', target: '≤ 2,000 ms (fold every 1 s)' });
  const rebuilt = await timed(() => census.rebuild());
  out.push({ figure: `census: rebuild the cube from the registry (${rebuilt.value.cells.toLocaleString('en')} cells), ${label}`, value: Math.round(rebuilt.ms), unit: 'ms' });
  out.push({ figure: `census: RSS growth (seed, queries, rebuild), ${label}`, value: Math.round((process.memoryUsage().rss - rss0) / 2 ** 20), unit: 'MB' });
  return out;
}

export async function censusFigures(): Promise<CensusRow[]> {
  const residents = Number(process.env.BENCH_CENSUS_RESIDENTS ?? 1_000_000);
  const pgliteResidents = Number(process.env.BENCH_CENSUS_PGLITE_RESIDENTS ?? 200_000);
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const out: CensusRow[] = [];
  if (residents > 0) {
    const name = `govcloud_bench_census_${randomBytes(4).toString('hex')}`;
    const admin = new Kysely<Database>({ dialect: postgresDialect(url, 1) });
    await sql.raw(`CREATE DATABASE ${name}`).execute(admin);
    const db = new Kysely<Database>({ dialect: postgresDialect(url.replace(/\/[^/]*$/, `/${name}`), 5) });
    try {
      out.push(...(await figures(db, residents, 'PostgreSQL', 40)));
    } finally {
      await db.destroy();
      await sql.raw(`DROP DATABASE IF EXISTS ${name}`).execute(admin);
      await admin.destroy();
    }
  }
  if (pgliteResidents > 0) {
    const handle = openPglite(undefined);
    try {
      out.push(...(await figures(handle.db, pgliteResidents, 'PGlite', 10)));
    } finally {
      await handle.close();
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await censusFigures()) {
    console.log(`${row.figure.padEnd(100)} ${String(row.value).padStart(10)} ${row.unit}${row.baseline === undefined ? '' : `   baseline ${row.baseline}`}${row.target ? `   target ${row.target}` : ''}`);
  }
}
