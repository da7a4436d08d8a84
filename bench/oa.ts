// The OA at the customer's size: a document sent to ~10,000 staff (recipients resolved into per-user receipts in one
// statement), the sender's receipt table per department, a signature, and the reminder run over 10,000 unsigned
// receipts — on PostgreSQL and on PGlite. Run alone with `npx tsx bench/oa.ts`; `npm run bench` adds the rows.
// PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (default postgres://root@127.0.0.1:5432/test); a fresh database
// is created beside it and dropped afterwards. BENCH_OA_USERS changes the number of staff.
import { randomBytes } from 'node:crypto';
import { sql, Kysely } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openPglite, postgresDialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import type { DepartmentService } from '../src/modules/departments/index.ts';
import type { OaService } from '../src/modules/oa/index.ts';
import { importRegions } from '../src/modules/regions/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { createServices } from '../src/services.ts';
import { systemActorContext } from '../src/shared/context.ts';

export interface OaRow {
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
}

const DEPARTMENTS = 250;

/** 250 departments over the prefecture's counties and streets, and `users` staff spread over them (bulk INSERT … SELECT). */
async function prepare(db: Kysely<Database>, users: number, clock: ManualClock): Promise<OaService> {
  await migrateToLatest(db);
  await importRegions(db, '6505');
  const services = createServices(db, loadConfig({}), undefined, clock);
  const regions = await db.selectFrom('region').select('code').where('level', '<=', 3).orderBy('code').execute();
  const tag = randomBytes(3).toString('hex');
  await (services.departments as DepartmentService).createMany(
    systemActorContext(),
    Array.from({ length: DEPARTMENTS }, (_, i) => ({ code: `B${tag}${i}`, name: `压测部门${i}`, kind: 'government' as const, regionCode: regions[i % regions.length]!.code })),
  );
  await sql`INSERT INTO app_user (username, display_name, kind, department_id, region_code, status)
    SELECT 'bench' || ${tag} || '_' || n, '压测用户' || n, 'staff', d.id, d.region_code, 'active'
    FROM generate_series(1, ${users}::int) n
    JOIN (SELECT id, region_code, row_number() OVER (ORDER BY code) - 1 AS k FROM department WHERE code LIKE ${`B${tag}%`}) d ON d.k = n % ${DEPARTMENTS}::int`.execute(db);
  await sql`ANALYZE`.execute(db);
  return services.oa as OaService;
}

async function time<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

async function figures(db: Kysely<Database>, users: number, label: string): Promise<OaRow[]> {
  const clock = new ManualClock('2026-11-02T09:00:00+08:00');
  const oa = await prepare(db, users, clock);
  const office = await db.selectFrom('department').select('id').where('name', '=', '压测部门0').executeTakeFirstOrThrow();
  const ctx = systemActorContext();
  const doc = await oa.create(ctx, { kind: 'official', number: '哈政办发〔2026〕1号', title: '关于压测的通知', senderDepartmentId: office.id, recipients: { regions: ['6505'] }, signDeadline: '2026-11-03T09:00:00+08:00' });
  const send = await time(() => oa.send(ctx, doc.id));
  const table = await time(() => oa.receipts(ctx, doc.id));
  const signer = await db.selectFrom('oa_receipt').select('user_id').where('document_id', '=', doc.id).limit(1).executeTakeFirstOrThrow();
  const actor = { userId: signer.user_id, username: 'bench', displayName: 'bench', kind: 'staff' as const, departmentId: null, grants: [{ role: 'department_staff' as const, regionCode: '6505', regionPath: '/6505/' }], via: 'session' as const };
  const sign = await time(() => oa.sign({ actor, clientAddr: null, requestId: null, audited: false }, doc.id));
  clock.advance(25 * 3600_000);
  const remind = await time(() => oa.runReminders());
  return [
    { figure: `oa: send to ${send.result.recipientCount.toLocaleString('en')} staff (resolve + receipts), ${label}`, value: Math.round(send.ms), unit: 'ms', target: '≤ 2,000 ms' },
    { figure: `oa: receipt table per department (${table.result.departments.length} departments), ${label}`, value: Math.round(table.ms), unit: 'ms' },
    { figure: `oa: one signature, ${label}`, value: Math.round(sign.ms * 10) / 10, unit: 'ms' },
    { figure: `oa: reminder run over ${remind.result.reminded.toLocaleString('en')} unsigned, ${label}`, value: Math.round(remind.ms), unit: 'ms' },
  ];
}

export async function oaFigures(): Promise<OaRow[]> {
  const users = Number(process.env.BENCH_OA_USERS ?? 10_000);
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const out: OaRow[] = [];
  const name = `govcloud_bench_oa_${randomBytes(4).toString('hex')}`;
  const admin = new Kysely<Database>({ dialect: postgresDialect(url, 1) });
  await sql.raw(`CREATE DATABASE ${name}`).execute(admin);
  const db = new Kysely<Database>({ dialect: postgresDialect(url.replace(/\/[^/]*$/, `/${name}`), 5) });
  try {
    out.push(...(await figures(db, users, 'PostgreSQL')));
  } finally {
    await db.destroy();
    await sql.raw(`DROP DATABASE IF EXISTS ${name}`).execute(admin);
    await admin.destroy();
  }
  const handle = openPglite(undefined);
  try {
    out.push(...(await figures(handle.db, users, 'PGlite')));
  } finally {
    await handle.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await oaFigures()) {
    console.log(`${row.figure.padEnd(70)} ${String(row.value).padStart(10)} ${row.unit}${row.target ? `   target ${row.target}` : ''}`);
  }
}
