// The monthly department score at Hami's size: 68 supervised units, 200,000 cases (a month of them concluded, some
// late, some still running past their limit), 100,000 ratings and 500 irregularities, scored for one month in one
// statement; then the ratings list of one department and the public ranking — on PostgreSQL and on PGlite.
// Run alone with `npx tsx bench/evaluation.ts`; `npm run bench` adds the rows. PostgreSQL: BENCH_DATABASE_URL or
// TEST_DATABASE_URL (default postgres://root@127.0.0.1:5432/test); a fresh database is created and dropped.
// BENCH_EVALUATION_CASES changes the number of cases.
import { randomBytes } from 'node:crypto';
import { sql, Kysely } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openPglite, postgresDialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import type { DepartmentService } from '../src/modules/departments/index.ts';
import type { Evaluation } from '../src/modules/evaluation/index.ts';
import { importRegions } from '../src/modules/regions/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { createServices } from '../src/services.ts';
import { systemActorContext } from '../src/shared/context.ts';

export interface EvaluationRow {
  figure: string;
  value: number;
  unit: string;
  target?: string;
}

const DEPARTMENTS = 68;

async function prepare(db: Kysely<Database>, cases: number, clock: ManualClock): Promise<Evaluation> {
  await migrateToLatest(db);
  await importRegions(db, '6505');
  const services = createServices(db, loadConfig({}), undefined, clock);
  const regions = await db.selectFrom('region').select('code').where('level', '<=', 3).orderBy('code').execute();
  const tag = randomBytes(3).toString('hex');
  await (services.departments as DepartmentService).createMany(
    systemActorContext(),
    Array.from({ length: DEPARTMENTS }, (_, i) => ({ code: `E${tag}${i}`, name: `考评压测单位${i}`, kind: 'government' as const, regionCode: regions[i % regions.length]!.code })),
  );
  await sql`INSERT INTO approval_item (code, name, department_id, region_code, region_path, kind, legal_basis, statutory_days, promised_days, updated_at)
    SELECT 'EI' || d.code, '压测事项', d.id, d.region_code, r.path, 'licence', '压测', 20, 10, now()
    FROM department d JOIN region r ON r.code = d.region_code WHERE d.code LIKE ${`E${tag}%`}`.execute(db);
  // accepted through October; concluded in October mostly on time, 1 in 10 after the promised day, 1 in 50 after
  // the statutory day; 1 in 100 still running past its limit
  await sql`INSERT INTO approval_case (case_no, item_id, department_id, region_code, region_path, channel, applicant_kind, applicant_name,
      applicant_id_number, state, applied_on, accepted_on, concluded_on, statutory_days, promised_days, promised_due, statutory_due, updated_at)
    SELECT 'EB' || ${tag} || n, i.id, i.department_id, i.region_code, i.region_path, 'counter', 'citizen', '压测', '650502198001010014',
      CASE WHEN n % 100 = 0 THEN 'reviewing' ELSE 'concluded' END,
      a.accepted, a.accepted,
      CASE WHEN n % 100 = 0 THEN NULL WHEN n % 50 = 1 THEN a.accepted + 30 WHEN n % 10 = 2 THEN a.accepted + 16 ELSE a.accepted + (n % 12) END,
      20, 10, a.accepted + 14, a.accepted + 28, now()
    FROM generate_series(1, ${cases}::int) n
    JOIN (SELECT id, department_id, region_code, region_path, row_number() OVER (ORDER BY code) - 1 AS k FROM approval_item WHERE code LIKE ${`EIE${tag}%`}) i ON i.k = n % ${DEPARTMENTS}::int
    CROSS JOIN LATERAL (SELECT DATE '2026-09-15' + (n % 45) AS accepted) a`.execute(db);
  await sql`INSERT INTO evaluation_rating (case_id, department_id, region_code, region_path, level, channel, rated_on, rated_at, follow_up_due, followed_up_on)
    SELECT c.id, c.department_id, c.region_code, c.region_path, l.level, 'counter', c.concluded_on + 1, now(),
      CASE WHEN l.level <= 2 THEN c.concluded_on + 4 END, CASE WHEN l.level <= 2 AND c.case_no LIKE '%3' THEN c.concluded_on + 2 END
    FROM approval_case c CROSS JOIN LATERAL (SELECT 1 + (hashtext(c.case_no) & 2147483647) % 5 AS level) l
    WHERE c.case_no LIKE ${`EB${tag}%`} AND c.concluded_on IS NOT NULL AND (hashtext(c.case_no) & 1) = 0`.execute(db);
  await sql`INSERT INTO supervision_warning (subject_kind, subject_id, rule, level, department_id, region_code, region_path, fired_on, summary)
    SELECT 'case', c.id, 'irregular.late_entry', 'irregular', c.department_id, c.region_code, c.region_path, DATE '2026-10-01' + (n % 28)::int, '压测'
    FROM (SELECT id, department_id, region_code, region_path, row_number() OVER () AS n FROM approval_case WHERE case_no LIKE ${`EB${tag}%`} LIMIT 500) c`.execute(db);
  await sql`ANALYZE`.execute(db);
  return services.evaluation as Evaluation;
}

async function time<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

async function figures(db: Kysely<Database>, cases: number, label: string): Promise<EvaluationRow[]> {
  const clock = new ManualClock('2026-11-02T09:00:00+08:00');
  const { evaluation } = await prepare(db, cases, clock);
  const ctx = systemActorContext();
  const first = await time(() => evaluation.compute(ctx, '2026-10'));
  const again = await time(() => evaluation.compute(ctx, '2026-10'));
  await evaluation.publish(ctx, '2026-10');
  const ranking = await time(() => evaluation.publicRanking({ month: '2026-10' }));
  const dept = await db.selectFrom('department').select('id').where('name', '=', '考评压测单位7').executeTakeFirstOrThrow();
  const list = await time(() => evaluation.listRatings(ctx, { departmentId: dept.id, bad: true, limit: 50 }));
  const ratings = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM evaluation_rating`.execute(db)).rows[0]!.n;
  return [
    { figure: `evaluation: score one month, ${DEPARTMENTS} units, ${cases.toLocaleString('en')} cases, ${ratings.toLocaleString('en')} ratings, ${label}`, value: Math.round(first.ms), unit: 'ms', target: '≤ 5,000 ms (monthly job)' },
    { figure: `evaluation: recompute the same month (idempotent upsert), ${label}`, value: Math.round(again.ms), unit: 'ms' },
    { figure: `evaluation: public ranking (${ranking.result.items.length} units), ${label}`, value: Math.round(ranking.ms * 10) / 10, unit: 'ms' },
    { figure: `evaluation: one unit's bad ratings, first page with total (${list.result.total}), ${label}`, value: Math.round(list.ms * 10) / 10, unit: 'ms' },
  ];
}

export async function evaluationFigures(): Promise<EvaluationRow[]> {
  const cases = Number(process.env.BENCH_EVALUATION_CASES ?? 200_000);
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const out: EvaluationRow[] = [];
  const name = `govcloud_bench_eval_${randomBytes(4).toString('hex')}`;
  const admin = new Kysely<Database>({ dialect: postgresDialect(url, 1) });
  await sql.raw(`CREATE DATABASE ${name}`).execute(admin);
  const db = new Kysely<Database>({ dialect: postgresDialect(url.replace(/\/[^/]*$/, `/${name}`), 5) });
  try {
    out.push(...(await figures(db, cases, 'PostgreSQL')));
  } finally {
    await db.destroy();
    await sql.raw(`DROP DATABASE IF EXISTS ${name}`).execute(admin);
    await admin.destroy();
  }
  const handle = openPglite(undefined);
  try {
    out.push(...(await figures(handle.db, cases, 'PGlite')));
  } finally {
    await handle.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await evaluationFigures()) {
    console.log(`${row.figure.padEnd(90)} ${String(row.value).padStart(10)} ${row.unit}${row.target ? `   target ${row.target}` : ''}`);
  }
}
