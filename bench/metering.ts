// Metering at size (issue 10 §5): the hourly statement over N VMs (first run, and the same hour again: nothing added),
// a month of hourly usage for N VMs written by the demo generator (≈ 744 × N rows) with its roll-up, and the month's
// reports over it (usage per department, chargeback, the XLSX) — on PostgreSQL and on PGlite. Run alone with
// `npx tsx bench/metering.ts`; `npm run bench` adds the rows. BENCH_METERING_VMS changes N (default 2,000; PGlite:
// BENCH_METERING_PGLITE_VMS, default 500, BENCH_METERING_PGLITE=0 skips it).
import { randomBytes } from 'node:crypto';
import { sql, Kysely } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openPglite, postgresDialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import type { DepartmentService } from '../src/modules/departments/index.ts';
import { meterHour, seedMeteringDemo, type MeteringService } from '../src/modules/metering/index.ts';
import { importRegions } from '../src/modules/regions/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { createServices } from '../src/services.ts';
import { systemActorContext } from '../src/shared/context.ts';

export interface MeteringRow {
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

/** N VMs over 20 departments and 40 business systems, one in five stopped, created before the month measured. */
async function prepare(db: Kysely<Database>, n: number, clock: ManualClock): Promise<MeteringService> {
  await migrateToLatest(db);
  await importRegions(db, '6505');
  const services = createServices(db, loadConfig({}), undefined, clock);
  const tag = randomBytes(3).toString('hex');
  const ids = await (services.departments as DepartmentService).createMany(
    systemActorContext(),
    Array.from({ length: 20 }, (_, i) => ({ code: `MB${tag}${i}`, name: `压测部门${tag}-${i}`, kind: 'government' as const, regionCode: '650502' })),
  );
  const path = (await sql<{ path: string }>`SELECT path FROM region WHERE code = '650502'`.execute(db)).rows[0]!.path;
  await sql`INSERT INTO cloud_zone (code, name, open_to_all) VALUES (${`bench-${tag}`}, '压测区', true)`.execute(db);
  await sql`INSERT INTO cloud_business_system (department_id, region_code, region_path, code, name)
    SELECT d, '650502', ${path}, ${`bs-${tag}-`} || o || '-' || k, '压测系统' || o || '-' || k
    FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS t(d, o), generate_series(1, 2) k`.execute(db);
  await sql`INSERT INTO cloud_vm (domain_name, name, department_id, region_code, region_path, business_system_id, vcpus, memory_mb, disk_gb, zone_code, state, created_at)
    SELECT ${`gc-${tag}-`} || g, '压测虚拟机' || g, d.id, '650502', ${path}, b.id, 1 + g % 8, 1024 * (1 + g % 16), 50 + g % 450, ${`bench-${tag}`},
           CASE WHEN g % 5 = 0 THEN 'stopped' ELSE 'running' END, timestamptz '2026-09-01T00:00:00Z'
    FROM generate_series(1, ${n}::int) g
    JOIN LATERAL (SELECT id FROM department WHERE code = ${`MB${tag}`} || (g % 20)) d ON true
    LEFT JOIN LATERAL (SELECT id FROM cloud_business_system WHERE department_id = d.id ORDER BY code OFFSET g % 2 LIMIT 1) b ON true`.execute(db);
  await sql`ANALYZE`.execute(db);
  return services.metering as MeteringService;
}

async function figures(db: Kysely<Database>, n: number, label: string): Promise<MeteringRow[]> {
  // the demo generator's "now": 1 November, so it writes October whole (744 hours) and nothing of November
  const clock = new ManualClock('2026-11-01T00:30:00+08:00');
  const metering = await prepare(db, n, clock);
  const N = n.toLocaleString('en');
  const month = await time(() => seedMeteringDemo(db, clock));
  await sql`ANALYZE`.execute(db);
  const hour = new Date('2026-11-05T02:00:00Z');
  const first = await time(() => meterHour(db, hour));
  const again = await time(() => meterHour(db, hour));
  const ctx = systemActorContext();
  const usage = await time(() => metering.usage(ctx, { month: '2026-10' }));
  const charge = await time(() => metering.chargeback(ctx, { month: '2026-10' }));
  const xlsx = await time(() => metering.chargebackXlsx(ctx, { month: '2026-10' }));
  return [
    { figure: `metering: hourly statement over ${N} VMs (${first.result.toLocaleString('en')} rows), ${label}`, value: Math.round(first.ms), unit: 'ms', target: '≤ 60,000 ms (hourly)' },
    { figure: `metering: the same hour again (${again.result} rows added), ${label}`, value: Math.round(again.ms), unit: 'ms' },
    { figure: `metering: a month of usage for ${N} VMs written (${month.result.rows.toLocaleString('en')} rows + roll-up), ${label}`, value: Math.round(month.ms), unit: 'ms' },
    { figure: `metering: month usage report, ${N} VMs (${usage.result.rows.length} departments), ${label}`, value: Math.round(usage.ms), unit: 'ms', target: '≤ 1,000 ms' },
    { figure: `metering: month chargeback, ${N} VMs (${charge.result.rows.length} rows), ${label}`, value: Math.round(charge.ms), unit: 'ms', target: '≤ 1,000 ms' },
    { figure: `metering: chargeback XLSX, ${N} VMs, ${label}`, value: Math.round(xlsx.ms), unit: 'ms' },
  ];
}

export async function meteringFigures(): Promise<MeteringRow[]> {
  const n = Number(process.env.BENCH_METERING_VMS ?? 2_000);
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const out: MeteringRow[] = [];
  const name = `govcloud_bench_metering_${randomBytes(4).toString('hex')}`;
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
  if (process.env.BENCH_METERING_PGLITE !== '0') {
    const handle = openPglite(undefined);
    try {
      out.push(...(await figures(handle.db, Number(process.env.BENCH_METERING_PGLITE_VMS ?? 500), 'PGlite')));
    } finally {
      await handle.close();
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await meteringFigures()) {
    console.log(`${row.figure.padEnd(96)} ${String(row.value).padStart(10)} ${row.unit}${row.target ? `   target ${row.target}` : ''}`);
  }
}
