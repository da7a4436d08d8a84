// Quota admission under load (issue 10 §2): 50 concurrent VM requests through the self-service service against a
// department quota that admits exactly 20 — admitted versus the limit (over-admission, target 0) and the time for the
// burst — on PostgreSQL (a pool of 10 connections, so the requests really race) and on PGlite. The baseline is the
// read-check-write a careless service would do (SELECT used, compare in JavaScript, UPDATE), on the same PostgreSQL.
// Run alone with `npx tsx bench/quota.ts`; `npm run bench` adds the rows.
import { randomBytes } from 'node:crypto';
import { sql, Kysely } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openPglite, postgresDialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import type { DepartmentService } from '../src/modules/departments/index.ts';
import { importRegions } from '../src/modules/regions/index.ts';
import type { SelfserviceService } from '../src/modules/selfservice/index.ts';
import { createServices } from '../src/services.ts';
import type { Actor } from '../src/shared/access.ts';
import { systemActorContext, type RequestContext } from '../src/shared/context.ts';

export interface QuotaRow {
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
}

const REQUESTS = 50;
const LIMIT = 20;

interface Prepared {
  svc: SelfserviceService;
  ctx: RequestContext;
  departmentId: string;
  body: Parameters<SelfserviceService['requests']['create']>[1];
}

async function prepare(db: Kysely<Database>): Promise<Prepared> {
  await migrateToLatest(db);
  await importRegions(db, '6505');
  const services = createServices(db, loadConfig({}));
  const tag = randomBytes(4).toString('hex');
  const [departmentId] = await (services.departments as DepartmentService).createMany(systemActorContext(), [{ code: `Q${tag}`, name: `压测配额部门${tag}`, kind: 'government', regionCode: '650502' }]);
  const users = services.users as { createMany: (ctx: RequestContext, rows: unknown[], options?: unknown) => Promise<{ created: { id: string }[] }> };
  const { created } = await users.createMany(systemActorContext(), [{ username: `q${tag}`, displayName: '压测申请人', departmentId, phone: null, grants: [{ role: 'department_staff', regionCode: '650502' }] }]);
  await db.insertInto('cloud_zone').values({ code: `bz${tag}`, name: '压测区域', open_to_all: true }).execute();
  await db.insertInto('cloud_flavour').values({ code: `bf${tag}`, name: '1核1G', vcpus: 1, memory_mb: 1024 }).execute();
  await db.insertInto('cloud_image').values({ code: `bi${tag}`, name: '麒麟', os: 'Kylin V10', min_disk_gb: 20 }).execute();
  await db.insertInto('cloud_quota').values({ department_id: departmentId!, vcpus_limit: LIMIT, memory_mb_limit: 1_000_000, disk_gb_limit: 1_000_000, vms_limit: 1000 }).execute();
  const system = await db.insertInto('cloud_business_system').values({ department_id: departmentId!, region_code: '650502', region_path: '/6505/650502/', code: `BS${tag}`, name: '压测业务系统' }).returning('id').executeTakeFirstOrThrow();
  const actor: Actor = { userId: created[0]!.id, username: `q${tag}`, displayName: '压测申请人', kind: 'staff', departmentId: departmentId!, grants: [{ role: 'department_staff', regionCode: '650502', regionPath: '/6505/650502/' }], via: 'session' };
  return {
    svc: services.selfservice as SelfserviceService,
    ctx: { actor, clientAddr: '127.0.0.1', requestId: null, audited: false },
    departmentId: departmentId!,
    body: { name: '压测主机', flavourCode: `bf${tag}`, imageCode: `bi${tag}`, diskGb: 40, zoneCode: `bz${tag}`, businessSystemId: system.id, reason: '压测' },
  };
}

/** 50 requests at once through the service: how many were admitted, how many the quota counter shows, how long. */
async function burst(db: Kysely<Database>): Promise<{ admitted: number; used: number; refused: number; ms: number }> {
  const p = await prepare(db);
  const started = performance.now();
  const results = await Promise.allSettled(Array.from({ length: REQUESTS }, () => p.svc.requests.create({ ...p.ctx, audited: false }, p.body)));
  const ms = performance.now() - started;
  const unexpected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && (r.reason as { code?: string }).code !== 'cloud.quota_exceeded');
  if (unexpected) throw unexpected.reason;
  const admitted = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM cloud_vm_request WHERE department_id = ${p.departmentId}`.execute(db)).rows[0]!.n);
  const q = await db.selectFrom('cloud_quota').select('vcpus_used').where('department_id', '=', p.departmentId).executeTakeFirstOrThrow();
  return { admitted, used: q.vcpus_used, refused: results.filter((r) => r.status === 'rejected').length, ms };
}

/** The careless way: read the counter, compare in JavaScript, write it back — without the limit in the UPDATE. */
async function readCheckWrite(db: Kysely<Database>): Promise<number> {
  const tag = randomBytes(4).toString('hex');
  const [departmentId] = await (createServices(db, loadConfig({})).departments as DepartmentService).createMany(systemActorContext(), [{ code: `R${tag}`, name: `压测对照部门${tag}`, kind: 'government', regionCode: '650502' }]);
  // no CHECK would stop it either if the limit were only in code: count the admissions, not the counter
  await db.insertInto('cloud_quota').values({ department_id: departmentId!, vcpus_limit: 1000, memory_mb_limit: 1_000_000, disk_gb_limit: 1_000_000, vms_limit: 1000 }).execute();
  const admitted = await Promise.all(
    Array.from({ length: REQUESTS }, () =>
      db.transaction().execute(async (trx) => {
        const q = await trx.selectFrom('cloud_quota').select('vcpus_used').where('department_id', '=', departmentId!).executeTakeFirstOrThrow();
        if (q.vcpus_used + 1 > LIMIT) return 0;
        await trx.updateTable('cloud_quota').set({ vcpus_used: q.vcpus_used + 1 }).where('department_id', '=', departmentId!).execute();
        return 1;
      }),
    ),
  );
  return admitted.reduce<number>((a, b) => a + b, 0);
}

export async function quotaFigures(): Promise<QuotaRow[]> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const out: QuotaRow[] = [];
  const name = `govcloud_bench_quota_${randomBytes(4).toString('hex')}`;
  const admin = new Kysely<Database>({ dialect: postgresDialect(url, 1) });
  await sql.raw(`CREATE DATABASE ${name}`).execute(admin);
  const db = new Kysely<Database>({ dialect: postgresDialect(url.replace(/\/[^/]*$/, `/${name}`), 10) });
  try {
    const pg = await burst(db);
    const careless = await readCheckWrite(db);
    out.push({ figure: `quota: ${REQUESTS} concurrent VM requests, limit ${LIMIT} — over-admission (PostgreSQL, 10 connections)`, value: pg.admitted - LIMIT, unit: 'VMs', baseline: careless - LIMIT, target: '0' });
    out.push({ figure: `quota: ${REQUESTS} concurrent VM requests — admitted / refused / counter (PostgreSQL)`, value: pg.admitted, unit: `of ${LIMIT} (${pg.refused} refused, counter ${pg.used})` });
    out.push({ figure: `quota: ${REQUESTS} concurrent VM requests, the whole burst (PostgreSQL)`, value: Math.round(pg.ms), unit: 'ms' });
  } finally {
    await db.destroy();
    await sql.raw(`DROP DATABASE IF EXISTS ${name}`).execute(admin);
    await admin.destroy();
  }
  const handle = openPglite(undefined);
  try {
    const lite = await burst(handle.db);
    out.push({ figure: `quota: ${REQUESTS} concurrent VM requests, limit ${LIMIT} — over-admission (PGlite)`, value: lite.admitted - LIMIT, unit: 'VMs', target: '0' });
    out.push({ figure: `quota: ${REQUESTS} concurrent VM requests, the whole burst (PGlite)`, value: Math.round(lite.ms), unit: 'ms' });
  } finally {
    await handle.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await quotaFigures()) {
    console.log(`${row.figure.padEnd(96)} ${String(row.value).padStart(8)} ${row.unit}${row.baseline !== undefined ? `   baseline ${row.baseline}` : ''}${row.target ? `   target ${row.target}` : ''}`);
  }
}
