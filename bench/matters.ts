// Supervised matters at size: the daily sweep over N open matters (first run fires, second run finds everything fired),
// a supervisor's first list page, and the public penalty page — on PostgreSQL and on PGlite. Run alone with
// `npx tsx bench/matters.ts`; `npm run bench` adds the rows. BENCH_MATTERS changes N (default 5,000).
import { randomBytes } from 'node:crypto';
import { sql, Kysely } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openPglite, postgresDialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import type { DepartmentService } from '../src/modules/departments/index.ts';
import type { MattersService } from '../src/modules/matters/index.ts';
import { importRegions } from '../src/modules/regions/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { createServices } from '../src/services.ts';
import { systemActorContext } from '../src/shared/context.ts';

export interface MattersRow {
  figure: string;
  value: number;
  unit: string;
  target?: string;
}

async function time<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

/** N matters: half penalties (filed 2026-01 to 2026-10, a third undecided), half enforcement cases, in one statement each. */
async function prepare(db: Kysely<Database>, n: number, clock: ManualClock): Promise<MattersService> {
  await migrateToLatest(db);
  await importRegions(db, '6505');
  const services = createServices(db, loadConfig({}), undefined, clock);
  const tag = randomBytes(3).toString('hex');
  const [id] = await (services.departments as DepartmentService).createMany(systemActorContext(), [{ code: `M${tag}`, name: `压测执法局${tag}`, kind: 'government', regionCode: '650502' }]);
  await sql`INSERT INTO supervised_matter (kind, department_id, region_code, region_path, title, ref_no, started_on, data)
    SELECT 'penalty', ${id}, '650502', '/6505/650502/', '压测处罚案' || g, 'P' || g, d::date,
      jsonb_build_object('partyKind', 'organization', 'partyName', '压测公司' || g, 'articleCode', 'FSL-124', 'amountYuan', 40000 + (g % 80) * 1000,
        'filedOn', d::date::text, 'decidedOn', CASE WHEN g % 3 = 0 THEN NULL ELSE (d + interval '60 days')::date::text END)
    FROM generate_series(1, ${Math.ceil(n / 2)}::int) g, LATERAL (SELECT date '2026-01-05' + (g % 290) AS d) x`.execute(db);
  await sql`INSERT INTO supervised_matter (kind, department_id, region_code, region_path, title, ref_no, started_on, data)
    SELECT 'enforcement', ${id}, '650502', '/6505/650502/', '压测执法案' || g, 'E' || g, d::date,
      jsonb_build_object('cause', '占道经营', 'filedOn', d::date::text)
    FROM generate_series(1, ${Math.floor(n / 2)}::int) g, LATERAL (SELECT date '2026-06-01' + (g % 170) AS d) x`.execute(db);
  await sql`ANALYZE`.execute(db);
  return services.matters as MattersService;
}

async function figures(db: Kysely<Database>, n: number, label: string): Promise<MattersRow[]> {
  const clock = new ManualClock('2026-11-27T09:00:00+08:00');
  const matters = await prepare(db, n, clock);
  const first = await time(() => matters.sweep());
  const again = await time(() => matters.sweep());
  const ctx = systemActorContext();
  const list = await time(() => matters.list(ctx, { limit: 50, warned: true }));
  const disclosure = await time(() => matters.publicPenalties({ limit: 20 }));
  return [
    { figure: `matters: sweep over ${n.toLocaleString('en')} open matters (${first.result.toLocaleString('en')} warnings fired), ${label}`, value: Math.round(first.ms), unit: 'ms', target: '≤ 60,000 ms (daily)' },
    { figure: `matters: sweep again (nothing new), ${label}`, value: Math.round(again.ms), unit: 'ms' },
    { figure: `matters: first list page with warnings (50), ${label}`, value: Math.round(list.ms), unit: 'ms' },
    { figure: `matters: public penalty page (20), ${label}`, value: Math.round(disclosure.ms), unit: 'ms' },
  ];
}

export async function mattersFigures(): Promise<MattersRow[]> {
  const n = Number(process.env.BENCH_MATTERS ?? 5_000);
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const out: MattersRow[] = [];
  const name = `govcloud_bench_matters_${randomBytes(4).toString('hex')}`;
  const admin = new Kysely<Database>({ dialect: postgresDialect(url, 1) });
  await sql.raw(`CREATE DATABASE ${name}`).execute(admin);
  const db = new Kysely<Database>({ dialect: postgresDialect(url.replace(/\/[^/]*$/, `/${name}`), 5) });
  try {
    out.push(...(await figures(db, n, 'PostgreSQL')));
  } finally {
    await db.destroy();
    await sql.raw(`DROP DATABASE IF EXISTS ${name}`).execute(admin);
    await admin.destroy();
  }
  const handle = openPglite(undefined);
  try {
    out.push(...(await figures(handle.db, n, 'PGlite')));
  } finally {
    await handle.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await mattersFigures()) {
    console.log(`${row.figure.padEnd(84)} ${String(row.value).padStart(10)} ${row.unit}${row.target ? `   target ${row.target}` : ''}`);
  }
}
