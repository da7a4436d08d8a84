// Electronic supervision at size (issue 9 §4): 1,000,000 open cases on PostgreSQL (BENCH_DATABASE_URL), fewer on
// PGlite. Figures: the first full sweep (fires the backlog), the steady-state sweep (nothing new: the one that runs
// every 10 minutes) beside a per-case loop evaluating the same rules — timed over a sample and extrapolated to all
// cases, said so in the figure — and the one-case re-evaluation after a change (p95) with, apart, the sending of its
// notices by their outbox handler (D149).
// Run alone with `npx tsx bench/supervision.ts`; `npm run bench` adds the rows to its table.
import { randomBytes } from 'node:crypto';
import { sql, Kysely } from 'kysely';
import { fillCases } from './approval-fixture.ts';
import { loadConfig } from '../src/config.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { openPglite, postgresDialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import { importRegions } from '../src/modules/regions/index.ts';
import type { SupervisionService } from '../src/modules/supervision/service.ts';
import { createServices } from '../src/services.ts';

export interface SupervisionRow {
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

async function figures(db: Kysely<Database>, n: number, label: string, sample: number): Promise<SupervisionRow[]> {
  const out: SupervisionRow[] = [];
  await migrateToLatest(db);
  await importRegions(db, '6505');
  const today = '2026-11-25';
  const seeded = await timed(() => fillCases(db, n, { today }));
  out.push({ figure: `supervision: fixture, ${n.toLocaleString('en')} open cases with ledgers (INSERT … SELECT), ${label}`, value: Math.round(seeded.ms / 1000), unit: 's' });
  // one administrator with a phone per department: the notices are real (站内信 and SMS in the sweep's transaction)
  await sql`
    WITH d AS (SELECT id, code, region_code FROM department WHERE code LIKE 'BENCH-%'),
    u AS (
      INSERT INTO app_user (username, display_name, kind, department_id, region_code, phone, status)
      SELECT 'bench_' || lower(replace(d.code, '-', '_')), '科室负责人', 'staff', d.id, d.region_code, '1390000' || lpad((row_number() OVER ())::text, 4, '0'), 'active' FROM d
      ON CONFLICT (username) DO NOTHING RETURNING id, region_code
    )
    INSERT INTO role_grant (user_id, role, region_code) SELECT id, 'department_admin', region_code FROM u
  `.execute(db);
  await sql`ANALYZE`.execute(db);
  // 00:05 Beijing: the sweeps of a new day before the nightly exhaustive one are incremental (D106)
  const clock = new ManualClock('2026-11-26T00:05:00+08:00');
  const supervision = (createServices(db, loadConfig({}), undefined, clock) as unknown as { supervision: SupervisionService }).supervision;
  const first = await timed(() => supervision.engine.sweep(today, { exhaustive: true }));
  out.push({ figure: `supervision: first full sweep over ${n.toLocaleString('en')} cases (fires ${first.value.fired.toLocaleString('en')} warnings + notices), ${label}`, value: Math.round(first.ms), unit: 'ms' });
  // the next business day's first sweep: every rule over every case whose answer can have changed (the due days the
  // date crossed, cards that outlived their period, rows changed since), firing the day's new warnings and notices
  const tomorrow = '2026-11-26';
  const newDay = await timed(() => supervision.engine.sweep(tomorrow));
  if (newDay.value.exhaustive) throw new Error('the new day\'s sweep was expected to be incremental');
  const steady: number[] = [];
  for (let i = 0; i < 3; i++) steady.push((await timed(() => supervision.engine.sweep(tomorrow))).ms);
  const exhaustive: number[] = [];
  for (let i = 0; i < 3; i++) exhaustive.push((await timed(() => supervision.engine.sweep(tomorrow, { exhaustive: true }))).ms);
  // the per-case loop: the same rules, one case at a time (each in its own transaction), over a sample
  const ids = (await sql<{ id: string }>`SELECT id FROM approval_case TABLESAMPLE SYSTEM (5) LIMIT ${sample}`.execute(db)).rows.map((r) => r.id);
  const loop = await timed(async () => {
    for (const id of ids) await db.transaction().execute((trx) => supervision.engine.evaluateCase(trx, id, tomorrow));
  });
  const extrapolated = (loop.ms / ids.length) * n;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  out.push({
    figure: `supervision: a new day's sweep over ${n.toLocaleString('en')} cases (fires ${newDay.value.fired.toLocaleString('en')}; incremental, D106) vs a per-case loop (${ids.length} timed, extrapolated), ${label}`,
    value: Math.round(newDay.ms),
    unit: 'ms',
    baseline: Math.round(extrapolated),
    target: n >= 1_000_000 ? '≤ 2,000 ms' : undefined,
  });
  out.push({ figure: `supervision: per-case loop ÷ a new day's sweep, ${label}`, value: round(extrapolated / newDay.ms), unit: '×' });
  out.push({ figure: `supervision: the 10-minute sweep within a day (median of 3, nothing new), ${label}`, value: round(median(steady), 1), unit: 'ms' });
  out.push({ figure: `supervision: exhaustive sweep, every open case (nightly safety net; median of 3, nothing new), ${label}`, value: Math.round(median(exhaustive)), unit: 'ms', baseline: Math.round(extrapolated) });
  // incremental: a case changes (one more 补正 and a new promised day in the past), the outbox handler re-evaluates it
  const changed: number[] = [];
  for (const id of ids.slice(0, Math.min(500, ids.length))) {
    await sql`UPDATE approval_case SET corrections = corrections + 2, promised_due = ${today}::date - 1, updated_at = now() WHERE id = ${id}`.execute(db);
    changed.push((await timed(() => db.transaction().execute((trx) => supervision.engine.evaluateCase(trx, id, tomorrow)))).ms);
  }
  out.push({ figure: `supervision: re-evaluate one changed case (rules + insert + notices' event, own transaction; D149), p95 of ${changed.length}, ${label}`, value: round(p95(changed), 2), unit: 'ms', target: '≤ 5 ms' });
  // the notices of those warnings, as the outbox handler sends them after each case's transaction (站内信, SMS, audit)
  const events = (await sql<{ payload: { ids: string[] } }>`SELECT payload FROM job WHERE name = 'outbox:supervision.notices' AND state = 'queued'`.execute(db)).rows;
  const delivered: number[] = [];
  for (const e of events) delivered.push((await timed(() => supervision.engine.deliverNotices(e.payload.ids))).ms);
  out.push({ figure: `supervision: send one case's notices (outbox handler: claim, 站内信, SMS, audit), p95 of ${delivered.length}, ${label}`, value: round(p95(delivered), 2), unit: 'ms' });
  const warnings = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM supervision_warning`.execute(db)).rows[0]!.n);
  out.push({ figure: `supervision: warnings stored after the runs, ${label}`, value: warnings, unit: 'rows' });
  return out;
}

export async function supervisionFigures(): Promise<SupervisionRow[]> {
  const n = Number(process.env.BENCH_SUPERVISION_CASES ?? 1_000_000);
  const pgliteN = Number(process.env.BENCH_SUPERVISION_PGLITE_CASES ?? 100_000);
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const out: SupervisionRow[] = [];
  const name = `govcloud_bench_supervision_${randomBytes(4).toString('hex')}`;
  const admin = new Kysely<Database>({ dialect: postgresDialect(url, 1) });
  await sql.raw(`CREATE DATABASE ${name}`).execute(admin);
  const db = new Kysely<Database>({ dialect: postgresDialect(url.replace(/\/[^/]*$/, `/${name}`), 5) });
  try {
    out.push(...(await figures(db, n, 'PostgreSQL', 1000)));
  } finally {
    await db.destroy();
    await sql.raw(`DROP DATABASE IF EXISTS ${name}`).execute(admin);
    await admin.destroy();
  }
  if (pgliteN > 0) {
    const handle = openPglite(undefined);
    try {
      out.push(...(await figures(handle.db, pgliteN, 'PGlite', 300)));
    } finally {
      await handle.close();
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await supervisionFigures()) {
    console.log(`${row.figure.padEnd(110)} ${String(row.value).padStart(10)} ${row.unit}${row.baseline === undefined ? '' : `   baseline ${row.baseline}`}${row.target ? `   target ${row.target}` : ''}`);
  }
}
