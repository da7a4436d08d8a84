// The resident search at scale: the demo generator seeds N residents (1,000,000 on PostgreSQL, 200,000 on PGlite), then
// the list query (residentWhere + page of 50 by name + total) runs by name fragment and by ID fragment, within one
// community and across the prefecture, p95 over repeated runs, beside the same query with index scans turned off (an
// unindexed LIKE seq scan: the ratio). Also the seed times and RSS.
// Run alone with `npx tsx bench/community.ts`; `npm run bench` adds the rows to its table.
// PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (default postgres://root@127.0.0.1:5432/test); a fresh database
// is created beside it and dropped afterwards. BENCH_COMMUNITY_RESIDENTS / BENCH_COMMUNITY_PGLITE_RESIDENTS /
// BENCH_COMMUNITY_SEED50K=0 change the sizes (0: skip that database) or skip the 50k PGlite seed timing.
import { randomBytes } from 'node:crypto';
import { sql, Kysely } from 'kysely';
import { openPglite, postgresDialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import { residentWhere, type ResidentFilter } from '../src/modules/community/index.ts';
import { seedCommunityDemo } from '../src/modules/community/demo.ts';
import { importRegions } from '../src/modules/regions/index.ts';

export interface CommunityRow {
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
}

const TODAY = '2026-11-27';
const RUNS = Number(process.env.BENCH_COMMUNITY_RUNS ?? 40);
/** The resident list's total is counted up to this many (community repository's RESIDENT_COUNT_CAP). */
const RESIDENT_COUNT_CAP = 10_000;

async function seeded(db: Kysely<Database>, n: number): Promise<number> {
  await migrateToLatest(db);
  await importRegions(db, '6505');
  const started = performance.now();
  await seedCommunityDemo(db, { prefecture: '6505', residents: n });
  const ms = performance.now() - started;
  await sql`ANALYZE`.execute(db);
  return ms;
}

/** One list request's SQL: a page of 50 by (name, id) and the total counted up to 10,000, as the service runs them. */
async function listOnce(db: Kysely<Database>, paths: string[], filter: ResidentFilter): Promise<void> {
  const matches = () => db.selectFrom('community_resident as r').where((eb) => residentWhere(eb, { paths }, filter, TODAY));
  await Promise.all([
    matches().select(['r.id', 'r.name', 'r.id_number']).orderBy(filter.q ? sql`r.name || ''` : sql.ref('r.name')).orderBy('r.id').limit(51).execute(),
    db
      .selectFrom(matches().select(sql<number>`1`.as('one')).limit(RESIDENT_COUNT_CAP + 1).as('m'))
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirst(),
  ]);
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

/** p95 (ms) of the list over several fragments, with index scans allowed or, for the baseline, off. */
async function searchP95(db: Kysely<Database>, paths: string[], fragments: string[], indexed: boolean, runs: number): Promise<number> {
  return db.connection().execute(async (conn) => {
    // one statement each: PGlite prepares every query, and a prepared statement holds one command
    const PLANS = ['enable_indexscan', 'enable_bitmapscan', 'enable_indexonlyscan'];
    if (!indexed) for (const setting of PLANS) await sql.raw(`SET ${setting} = off`).execute(conn);
    try {
      for (const q of fragments) await listOnce(conn, paths, { q }); // warm-up
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        const q = fragments[i % fragments.length]!;
        const started = performance.now();
        await listOnce(conn, paths, { q });
        samples.push(performance.now() - started);
      }
      return p95(samples);
    } finally {
      if (!indexed) for (const setting of PLANS) await sql.raw(`RESET ${setting}`).execute(conn);
    }
  });
}

/** Fragments taken from the data: 3-character pieces of names, 6-digit tails of ID numbers, 1–2 character surnames. */
async function fragmentsOf(db: Kysely<Database>, communityPath: string | null) {
  const rows = await db
    .selectFrom('community_resident')
    .select(['name', 'id_number'])
    .$if(communityPath !== null, (qb) => qb.where('region_path', '=', communityPath!))
    .orderBy('id')
    .limit(20)
    .execute();
  return {
    name: rows.map((r) => ([...r.name].length >= 3 ? [...r.name].slice(-3).join('') : r.name)),
    id: rows.map((r) => r.id_number.slice(-6)),
    short: rows.map((r) => [...r.name][0]!),
  };
}

async function searchFigures(db: Kysely<Database>, engine: string, n: number, out: CommunityRow[]): Promise<void> {
  const community = await db.selectFrom('community_resident').select(['region_path']).groupBy('region_path').orderBy(sql`count(*)`, 'desc').limit(1).executeTakeFirstOrThrow();
  const scopes = [
    { label: 'one community', paths: [community.region_path], fragments: await fragmentsOf(db, community.region_path) },
    { label: 'prefecture', paths: ['/6505/'], fragments: await fragmentsOf(db, null) },
  ];
  const size = n.toLocaleString('en');
  for (const scope of scopes) {
    for (const kind of ['name', 'id', 'short'] as const) {
      const label = kind === 'name' ? 'name fragment' : kind === 'id' ? 'ID fragment' : '1-character name';
      const indexed = await searchP95(db, scope.paths, scope.fragments[kind], true, RUNS);
      const seq = await searchP95(db, scope.paths, scope.fragments[kind], false, Math.max(5, Math.round(RUNS / 4)));
      out.push({ figure: `community: search by ${label}, ${scope.label}, ${size} residents, p95 (${engine})`, value: Math.round(indexed * 10) / 10, unit: 'ms', baseline: Math.round(seq * 10) / 10, target: engine === 'PostgreSQL' ? '≤ 30 ms' : undefined });
    }
  }
}

export async function communityFigures(): Promise<CommunityRow[]> {
  const n = Number(process.env.BENCH_COMMUNITY_RESIDENTS ?? 1_000_000);
  const pgliteN = Number(process.env.BENCH_COMMUNITY_PGLITE_RESIDENTS ?? 200_000);
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const out: CommunityRow[] = [];
  const rssBefore = process.memoryUsage().rss;

  if (process.env.BENCH_COMMUNITY_SEED50K !== '0') {
    const handle = openPglite(undefined);
    try {
      const ms = await seeded(handle.db, 50_000);
      out.push({ figure: 'community: demo seed of 50,000 residents (PGlite)', value: Math.round(ms / 100) / 10, unit: 's', target: '≤ 8 s' });
    } finally {
      await handle.close();
    }
  }

  if (n > 0) {
    const name = `govcloud_bench_community_${randomBytes(4).toString('hex')}`;
    const admin = new Kysely<Database>({ dialect: postgresDialect(url, 1) });
    await sql.raw(`CREATE DATABASE ${name}`).execute(admin);
    const db = new Kysely<Database>({ dialect: postgresDialect(url.replace(/\/[^/]*$/, `/${name}`), 5) });
    try {
      const ms = await seeded(db, n);
      out.push({ figure: `community: demo seed of ${n.toLocaleString('en')} residents (PostgreSQL)`, value: Math.round(ms / 100) / 10, unit: 's' });
      await searchFigures(db, 'PostgreSQL', n, out);
    } finally {
      await db.destroy();
      await sql.raw(`DROP DATABASE IF EXISTS ${name}`).execute(admin);
      await admin.destroy();
    }
  }
  if (pgliteN > 0) {
    const handle = openPglite(undefined);
    try {
      const ms = await seeded(handle.db, pgliteN);
      out.push({ figure: `community: demo seed of ${pgliteN.toLocaleString('en')} residents (PGlite)`, value: Math.round(ms / 100) / 10, unit: 's' });
      await searchFigures(handle.db, 'PGlite', pgliteN, out);
    } finally {
      await handle.close();
    }
  }
  out.push({ figure: 'community: RSS growth over the bench', value: Math.round((process.memoryUsage().rss - rssBefore) / 2 ** 20), unit: 'MB' });
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await communityFigures()) {
    console.log(`${row.figure.padEnd(90)} ${String(row.value).padStart(10)} ${row.unit}${row.baseline === undefined ? '' : `   baseline ${row.baseline}`}${row.target ? `   target ${row.target}` : ''}`);
  }
}
