// Audited personal-data reads: 50 clients read users' records (GET /api/users/:id) with every read recorded in the
// access log, and the same read with recordAccess replaced by a no-op (the baseline), alternated in rounds.
// In-process (app.inject: routing, session, service, SQL) on a fresh embedded database. Run alone: tsx bench/audited-read.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/http/app.ts';
import { hashPassword } from '../src/modules/accounts/index.ts';
import { systemActorContext } from '../src/shared/context.ts';
import { importRegions } from '../src/modules/regions/index.ts';

const CLIENTS = 50;
const PEOPLE = 200;

export interface AuditedReadFigures {
  audited: number;
  unaudited: number;
  /** Access-log rows written per anchoring chain record, on average, during the audited rounds. */
  rowsPerBatch: number;
  /** The same read recorded the way it was before the access log: one chain record (one head lock) per read. */
  chainRecordPerRead: number;
}

export async function auditedReadFigures(opts: { roundSeconds?: number; rounds?: number } = {}): Promise<AuditedReadFigures> {
  const roundMs = (opts.roundSeconds ?? 4) * 1000;
  const rounds = opts.rounds ?? 2;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-bench-access-'));
  const config = loadConfig({ GOVCLOUD_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', GOVCLOUD_ADMIN_SECOND_FACTOR: 'false' });
  const handle = await openDatabase(config);
  try {
    const { db } = handle;
    await migrateToLatest(db);
    await importRegions(db, '6505');
    const dept = await db.insertInto('department').values({ code: 'BENCH', name: '基准测试局', kind: 'government', region_code: '650502' }).returning('id').executeTakeFirstOrThrow();
    const passwordHash = await hashPassword('Bench-Passw0rd!');
    const { app, services } = await buildApp({ db, config, logger: false, serveWeb: false });
    // written through the directory's own batch create, as the platform (system actor)
    const { created } = await services.users.createMany(
      systemActorContext(),
      Array.from({ length: PEOPLE }, (_, i) => ({
        username: `bench${i}`,
        displayName: `居民${i}`,
        departmentId: dept.id,
        phone: `1380000${String(i).padStart(4, '0')}`,
        passwordHash,
        grants: i === 0 ? [{ role: 'department_admin' as const, regionCode: '650502' }] : [],
      })),
    );
    const ids = created.map((u) => u.id);
    try {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bench0', password: 'Bench-Passw0rd!' } });
      if (login.statusCode !== 200) throw new Error(`bench sign-in failed: ${login.statusCode} ${login.body}`);
      const cookie = login.cookies.find((c) => c.name === 'govcloud_sid')!.value;
      let next = 0;
      const read = async () => {
        const res = await app.inject({ method: 'GET', url: `/api/users/${ids[next++ % PEOPLE]}`, cookies: { govcloud_sid: cookie } });
        if (res.statusCode !== 200) throw new Error(`read answered ${res.statusCode}: ${res.body}`);
      };
      /** Reads per second of CLIENTS concurrent loops over `ms`. */
      const throughput = async (ms: number) => {
        let done = 0;
        const until = performance.now() + ms;
        await Promise.all(Array.from({ length: CLIENTS }, async () => {
          while (performance.now() < until) {
            await read();
            done++;
          }
        }));
        return done / (ms / 1000);
      };
      const real = services.audit.recordAccess.bind(services.audit);
      const noop: typeof real = async () => undefined;
      await throughput(1000); // warm-up
      const audited: number[] = [];
      const unaudited: number[] = [];
      const batchesBefore = await countBatches(db);
      const rowsBefore = await countRows(db);
      // alternated, and in the other order every second round, so that neither side always runs warmer
      for (let round = 0; round < rounds * 2; round++) {
        const withAudit = round % 4 === 1 || round % 4 === 2;
        services.audit.recordAccess = withAudit ? real : noop;
        (withAudit ? audited : unaudited).push(await throughput(roundMs));
      }
      services.audit.recordAccess = real;
      await services.audit.drainAccessLog();
      const batches = (await countBatches(db)) - batchesBefore;
      const rows = (await countRows(db)) - rowsBefore;
      // before the access log: each read appended its own chain record under the head lock
      services.audit.recordAccess = (ctx, input) => services.audit.recordNow(ctx, { action: 'user.read', objectType: 'user', objectId: input.subjectIds[0] ?? null, regionCode: input.regionCode ?? null });
      const chainRecordPerRead = await throughput(roundMs);
      services.audit.recordAccess = real;
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      return { audited: mean(audited), unaudited: mean(unaudited), rowsPerBatch: batches === 0 ? 0 : rows / batches, chainRecordPerRead };
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function countBatches(db: Awaited<ReturnType<typeof openDatabase>>['db']): Promise<number> {
  const row = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'audit.access_batch').executeTakeFirstOrThrow();
  return Number(row.n);
}

async function countRows(db: Awaited<ReturnType<typeof openDatabase>>['db']): Promise<number> {
  const row = await db.selectFrom('audit_access').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await auditedReadFigures();
  console.log(`audited personal-data read, ${CLIENTS} clients: ${figures.audited.toFixed(0)} req/s; without audit: ${figures.unaudited.toFixed(0)} req/s; ratio ${(figures.audited / figures.unaudited).toFixed(2)}× (target ≥ 0.50×); ${figures.rowsPerBatch.toFixed(1)} reads per anchored batch; one chain record per read (before): ${figures.chainRecordPerRead.toFixed(0)} req/s`);
}
