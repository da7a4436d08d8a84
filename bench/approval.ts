// Administrative approval on PGlite, in-process (issue 9): the approval demo (42 items, 3,000 cases with ledgers) timed
// wall and CPU against its 3 s target; then the citizen's progress lookup (办件进度: case number with the applicant's
// name) — 10,000 lookups against 100,000 cases through the whole application (app.inject: routing, rate limit, miss
// counter, SQL, presentation), 8 at a time and then one at a time, each from an address of its own under the default
// per-address limits — as requests/s and p99 beside the target (p99 ≤ 20 ms); then one address past its bucket (429)
// and past its misses (captcha), which must still hold. The lookups run again on PostgreSQL when BENCH_DATABASE_URL
// (or TEST_DATABASE_URL) is set, in a database created and dropped beside it.
// Run alone: npx tsx bench/approval.ts   (BENCH_APPROVAL_CASES changes the size)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql, Kysely } from 'kysely';
import { loadConfig, type Config } from '../src/config.ts';
import { openPglite, postgresDialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import { buildApp } from '../src/http/app.ts';
import type { App } from '../src/http/types.ts';
import { approvalModule, type ApprovalService } from '../src/modules/approval/index.ts';
import { DEMO_ITEMS } from '../src/modules/approval/demo-items.ts';
import type { DepartmentService } from '../src/modules/departments/index.ts';
import { importRegions } from '../src/modules/regions/index.ts';
import { ManualClock, systemClock } from '../src/platform/clock.ts';
import type { Services } from '../src/services.ts';
import { systemActorContext } from '../src/shared/context.ts';
import { latencyStats } from './latency.ts';
import { caseNoOf, fill, nameOf } from './publicity.ts';

export interface ApprovalRow {
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
}

const LOOKUPS = Number(process.env.BENCH_APPROVAL_LOOKUPS ?? 10_000);
const CONCURRENCY = 8;
const WARM_UP = 200;
/** The public lookup's settings as shipped (config.ts defaults), whatever an earlier bench section set. */
const LIMITS = { GOVCLOUD_PUBLIC_LOOKUPS_PER_MINUTE: '20', GOVCLOUD_PUBLIC_CAPTCHA_AFTER: '5' };

/** The approval demo on a fresh PGlite: wall and CPU time (PGlite runs in this process, so CPU covers the database). */
async function demoFigure(db: Kysely<Database>, services: Services, config: Config): Promise<ApprovalRow> {
  const codes = [...new Set(DEMO_ITEMS.map((i) => i.dept))];
  await (services.departments as DepartmentService).createMany(systemActorContext(), codes.map((c) => ({ code: `6505-${c}`, name: `哈密市演示部门${c}`, kind: 'government', regionCode: '6505' })));
  const cpu = process.cpuUsage();
  const started = performance.now();
  await approvalModule.demo!({ db, config, clock: systemClock, services: services as unknown as Record<string, unknown>, service: services.approval as ApprovalService }, { prefecture: '6505' });
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { figure: 'approval: demo seed (42 items, 3,000 cases with ledgers), PGlite', value: Math.round(wall), unit: 'ms', baseline: Math.round((used.user + used.system) / 1000), target: '< 3,000 ms (baseline: CPU ms)' };
}

/** Fills `cases` cases, then the lookups at a time and one by one, then the per-address limits. */
async function lookupFigures(db: Kysely<Database>, app: App, cases: number, label: string): Promise<ApprovalRow[]> {
  const out: ApprovalRow[] = [];
  const fillMs = await fill(db, cases);
  out.push({ figure: `approval: fill ${cases.toLocaleString('en')} cases for the lookups (INSERT … SELECT), ${label}`, value: Math.round(fillMs), unit: 'ms' });
  // lookups of cases spread over the table, each from its own address (10.x.y.z): no bucket runs dry
  const lookup = async (i: number) => {
    const g = 1 + ((i * 7919) % cases);
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url: `/api/public/progress?caseNo=${caseNoOf(g)}&name=${encodeURIComponent(nameOf(g))}`, remoteAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
    if (res.statusCode !== 200) throw new Error(`approval bench: lookup ${i} answered ${res.statusCode}: ${res.body}`);
    return (performance.now() - t) * 1000;
  };
  for (let i = 0; i < WARM_UP; i++) await lookup(LOOKUPS + i);
  const samples: number[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < LOOKUPS; i = next++) samples.push(await lookup(i));
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  const stats = latencyStats(samples);
  const ms = (us: number) => Math.round(us / 100) / 10;
  out.push({ figure: `approval: progress lookup p99, ${LOOKUPS.toLocaleString('en')} lookups × ${CONCURRENCY} at a time, ${cases.toLocaleString('en')} cases, ${label} in-process`, value: ms(stats.p99), unit: 'ms', baseline: ms(stats.p50), target: '≤ 20 ms (baseline: p50)' });
  out.push({ figure: `approval: progress lookups per second, ${CONCURRENCY} at a time, ${label} in-process`, value: Math.round(LOOKUPS / seconds), unit: 'req/s' });
  const alone: number[] = [];
  for (let i = 0; i < 1000; i++) alone.push(await lookup(2 * LOOKUPS + i));
  const one = latencyStats(alone);
  out.push({ figure: `approval: progress lookup alone (one at a time) p99 of 1,000, ${label} in-process`, value: ms(one.p99), unit: 'ms', baseline: ms(one.p50), target: '≤ 20 ms (baseline: p50)' });

  // one address: the bucket holds 20 a minute, then 429; wrong names count as misses until a captcha is asked
  const from = (address: string, g: number, name = nameOf(g)) => app.inject({ method: 'GET', url: `/api/public/progress?caseNo=${caseNoOf(g)}&name=${encodeURIComponent(name)}`, remoteAddress: address });
  const burst: number[] = [];
  for (let i = 0; i < 25; i++) burst.push((await from('192.0.2.10', 1 + i)).statusCode);
  const limited = burst.filter((s) => s === 429).length;
  if (burst.slice(0, 20).some((s) => s !== 200) || limited !== 5) throw new Error(`approval bench: the per-address limit did not hold: ${burst.join(' ')}`);
  out.push({ figure: `approval: one address, 25 lookups in a minute → answered 429 (limit 20 a minute), ${label}`, value: limited, unit: 'req', target: '= 5' });
  const misses: string[] = [];
  for (let i = 0; i < 7; i++) {
    const res = await from('192.0.2.11', 1, '不是申请人');
    misses.push(res.statusCode === 400 ? (res.json() as { code: string }).code : String(res.statusCode));
  }
  const captcha = misses.filter((c) => c === 'publicity.captcha_required').length;
  if (misses.slice(0, 5).some((c) => c !== '404') || captcha !== 2) throw new Error(`approval bench: the miss limit did not hold: ${misses.join(' ')}`);
  out.push({ figure: `approval: one address, 7 lookups that miss → captcha required (after 5 misses), ${label}`, value: captcha, unit: 'req', target: '= 2' });
  out.push({ figure: `approval: machine load average (1 min) after the lookups, ${label}`, value: Math.round(os.loadavg()[0]! * 10) / 10, unit: '' });
  return out;
}

/** A fresh database, the app over it on a clock that stands still (the per-address bucket does not refill mid-run). */
async function withApp<T>(db: Kysely<Database>, fn: (app: App, services: Services, config: Config) => Promise<T>): Promise<T> {
  await migrateToLatest(db);
  await importRegions(db, '6505');
  const config = loadConfig({ GOVCLOUD_SEED_DEMO: 'false', LOG_LEVEL: 'silent' });
  const { app, services } = await buildApp({ db, config, logger: false, serveWeb: false, clock: new ManualClock(new Date().toISOString()) });
  try {
    return await fn(app, services, config);
  } finally {
    await app.close();
  }
}

export async function approvalFigures(): Promise<ApprovalRow[]> {
  const cases = Number(process.env.BENCH_APPROVAL_CASES ?? 100_000);
  const saved = Object.fromEntries(Object.keys(LIMITS).map((k) => [k, process.env[k]]));
  Object.assign(process.env, LIMITS);
  const out: ApprovalRow[] = [];
  try {
    const handle = openPglite(undefined);
    try {
      await withApp(handle.db, async (app, services, config) => {
        out.push(await demoFigure(handle.db, services, config));
        out.push(...(await lookupFigures(handle.db, app, cases, 'PGlite')));
      });
    } finally {
      await handle.close();
    }
    const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    if (url) {
      const name = `govcloud_bench_approval_${randomBytes(4).toString('hex')}`;
      const admin = new Kysely<Database>({ dialect: postgresDialect(url, 1) });
      await sql.raw(`CREATE DATABASE ${name}`).execute(admin);
      const db = new Kysely<Database>({ dialect: postgresDialect(url.replace(/\/[^/]*$/, `/${name}`), 10) });
      try {
        await withApp(db, async (app) => out.push(...(await lookupFigures(db, app, cases, 'PostgreSQL'))));
      } finally {
        await db.destroy();
        await sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).execute(admin);
        await admin.destroy();
      }
    }
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await approvalFigures()) {
    console.log(`${row.figure.padEnd(110)} ${String(row.value).padStart(10)} ${row.unit}${row.baseline === undefined ? '' : `   baseline ${row.baseline}`}${row.target ? `   target ${row.target}` : ''}`);
  }
}
