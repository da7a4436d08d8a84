// Exchange gateway: lookup by key with client authentication (Bearer token), grant check, masking and the access
// log, under 50 connections (wrk over HTTP when it is installed, else autocannon from a child process; D159), beside a bare Fastify handler running the
// same SELECT on the same database (PostgreSQL through pg, or the same PGlite), in two-second rounds (bare, gateway,
// gateway without the access log) so the machine's other load weighs on all three alike; CPU per request beside
// req/s. Fresh database each run: PGlite in a temporary directory, and on PostgreSQL a new database created beside
// BENCH_DATABASE_URL's (dropped afterwards).
// Run alone: tsx bench/exchange.ts   (BENCH_DATABASE_URL=postgres://… for PostgreSQL too; BENCH_SECONDS=…; BENCH_POOL=…
// the pool size of the gateway and of the bare handler alike, default 20; BENCH_LOAD=autocannon;
// BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of each measured round there)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import { buildApp } from '../src/http/app.ts';
import { importRegions } from '../src/modules/regions/index.ts';
import { idNumberCheckCharacter } from '../src/shared/id-number.ts';
import { cpuNow, cpuSpent, profiled, runLoad, wrkPath, type LoadResult } from './load.ts';
import { newClientApp, newDataGrant, newResource, newRows } from '../test/support/data-factories.ts';

const CONNECTIONS = 50;
const PEOPLE = 1000;
/** One round of each load: long enough that requests still in flight at its end (not counted) weigh little. */
const ROUND_SECONDS = 2;

export interface ExchangeRun {
  requests: number;
  p50: number;
  p99: number;
  non2xx: number;
  /**
   * CPU per answered request, in µs: the server process's main thread (Fastify, the pg client, PGlite's engine) and
   * the PostgreSQL backends of the bench database (not the load generator's process). Unlike req/s it hardly depends on what else the machine runs.
   */
  cpuUs: { node: number; database: number };
}

export interface ExchangeFigures {
  engine: 'PGlite' | 'PostgreSQL';
  gateway: ExchangeRun;
  bare: ExchangeRun;
  /** The gateway with the access-log write replaced by a no-op: what the log costs. */
  unlogged: ExchangeRun;
  /** Access-log rows per anchoring chain record during the gateway run. */
  rowsPerBatch: number;
}

function person(i: number): string {
  const first17 = `650502${1960 + (i % 40)}${String((i % 12) + 1).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** 50 connections from a child process, cycling the keys: the latency it measures is the servers' (D127). */
function load(url: string, headers: Record<string, string>, keys: string[], seconds: number, pathOf: (key: string) => string): Promise<LoadResult> {
  return runLoad({ url, connections: CONNECTIONS, duration: seconds, headers, requests: keys.map((key) => ({ path: pathOf(key) })) });
}

/** One round of one load: requests answered, the seconds it ran, latency, CPU (µs, in all). */
interface Slice {
  total: number;
  seconds: number;
  p50: number;
  p99: number;
  non2xx: number;
  node: number;
  database: number;
}

/** The rounds of one load as one run: req/s over their time, the median round's p50, the worst round's p99. */
function combine(slices: readonly Slice[]): ExchangeRun {
  const total = slices.reduce((n, s) => n + s.total, 0);
  const seconds = slices.reduce((n, s) => n + s.seconds, 0);
  const answered = Math.max(1, total);
  const p50s = slices.map((s) => s.p50).sort((a, b) => a - b);
  return {
    requests: seconds === 0 ? 0 : total / seconds,
    p50: p50s[Math.floor(p50s.length / 2)] ?? 0,
    p99: Math.max(0, ...slices.map((s) => s.p99)),
    non2xx: slices.reduce((n, s) => n + s.non2xx, 0),
    cpuUs: { node: Math.round(slices.reduce((n, s) => n + s.node, 0) / answered), database: Math.round(slices.reduce((n, s) => n + s.database, 0) / answered) },
  };
}

/** Runs one load and measures it: requests, latency, and the CPU they took. */
async function measured(admin: pg.Pool | undefined, dbName: string | undefined, go: () => Promise<LoadResult>): Promise<Slice> {
  const before = await cpuNow(admin, dbName);
  const r = await go();
  const { node, database } = cpuSpent(before, await cpuNow(admin, dbName));
  return { total: r.requests.total, seconds: r.duration, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx + r.errors, node, database };
}

async function count(db: Kysely<Database>): Promise<{ rows: number; batches: number }> {
  const rows = await db.selectFrom('audit_access').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const batches = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'audit.access_batch').executeTakeFirstOrThrow();
  return { rows: Number(rows.n), batches: Number(batches.n) };
}

export async function exchangeFigures(opts: { databaseUrl?: string; seconds?: number } = {}): Promise<ExchangeFigures> {
  const seconds = opts.seconds ?? 5;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-bench-exchange-'));
  let dbName: string | undefined;
  let databaseUrl = '';
  if (opts.databaseUrl) {
    dbName = `govcloud_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: opts.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(opts.databaseUrl);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const config = loadConfig({ GOVCLOUD_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', GOVCLOUD_DB_POOL_SIZE: process.env.BENCH_POOL ?? '20' });
  const handle = await openDatabase(config);
  const pool = databaseUrl ? new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.BENCH_POOL ?? 20) }).on('error', () => undefined) : undefined;
  // a connection apart for reading pg_stat_activity (the bench database's backends, whose CPU /proc shows)
  const monitor = opts.databaseUrl ? new pg.Pool({ connectionString: opts.databaseUrl, max: 1 }).on('error', () => undefined) : undefined;
  try {
    const { db } = handle;
    await migrateToLatest(db);
    await importRegions(db, '6505');
    const [provider, consumer] = await db
      .insertInto('department')
      .values([
        { code: 'BENCH-P', name: '基准人口局', kind: 'government', region_code: '650502' },
        { code: 'BENCH-C', name: '基准民政局', kind: 'government', region_code: '650502' },
      ])
      .returning('id')
      .execute();
    const resource = await newResource(db, { providerDepartmentId: provider!.id, regionCode: '650502', code: 'BENCH-RK' });
    const keys = Array.from({ length: PEOPLE }, (_, i) => person(i));
    await newRows(db, resource, keys.map((id, i) => ({ id_number: id, name: `居民${i}`, phone: `1380000${String(i).padStart(4, '0')}`, region: '650502001', note: '' })));
    const client = await newClientApp(db, { departmentId: consumer!.id, ratePerMinute: 10_000_000 });
    const { shareId } = await newDataGrant(db, { resource, consumerDepartmentId: consumer!.id, clientAppId: client.id, items: ['id_number', 'name', 'phone', 'region'] });

    const { app, services } = await buildApp({ db, config, logger: false, serveWeb: false });
    const gatewayUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const tokenRes = await fetch(`${gatewayUrl}/api/exchange/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }),
    });
    if (tokenRes.status !== 200) throw new Error(`token: ${tokenRes.status} ${await tokenRes.text()}`);
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    const headers = { authorization: `Bearer ${token}`, 'x-grant-id': shareId, 'x-purpose': 'benchmark' };

    // the bare baseline: the gateway's own SELECT (grant, share grant, client, row), nothing else
    const bare = Fastify({ logger: false });
    const query = `SELECT g.share_id, g.masks, s.fields, s.expires_at, s.revoked_at, c.status, r.key, r.data
      FROM data_grant g JOIN share_grant s ON s.id = g.share_id JOIN client_app c ON c.id = $1
      LEFT JOIN LATERAL (SELECT d.key, d.data FROM data_row d WHERE d.resource_id = $2 AND d.resource_id = g.resource_id AND NOT d.deleted
        AND (g.region_prefix IS NULL OR d.region_code LIKE g.region_prefix || '%') AND d.key = $3 LIMIT 1) r ON true
      WHERE g.share_id = $4`;
    bare.get<{ Params: { key: string } }>('/bare/:key', async (request) => {
      const params = [client.id, resource.id, request.params.key, shareId];
      const rows = pool ? (await pool.query(query, params)).rows : (await sql.raw<Record<string, unknown>>(query.replace(/\$(\d)/g, (_, n: string) => `'${params[Number(n) - 1]}'`)).execute(db)).rows;
      return { rows: rows.map((r) => r.data) };
    });
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

    const gatewayPath = (key: string) => `/api/exchange/v1/resources/${resource.code}/rows/${key}`;
    const barePath = (key: string) => `/bare/${key}`;
    // warm-up, then rounds of ROUND_SECONDS each: bare, gateway, gateway without the access log, so that what else
    // the machine runs weighs on the three alike (req/s over the rounds; CPU per request summed over them)
    await load(bareUrl, {}, keys, 2, barePath);
    await load(gatewayUrl, headers, keys, 2, gatewayPath);
    const real = services.audit.recordAccess.bind(services.audit);
    const rounds: { bare: Slice[]; gateway: Slice[]; unlogged: Slice[] } = { bare: [], gateway: [], unlogged: [] };
    let logged = { rows: 0, batches: 0 };
    for (let round = 0; round < Math.max(1, Math.round(seconds / ROUND_SECONDS)); round++) {
      rounds.bare.push(await measured(monitor, dbName, () => profiled(`exchange-bare-${pool ? 'postgres' : 'pglite'}-${round}`, () => load(bareUrl, {}, keys, ROUND_SECONDS, barePath))));
      const before = await count(db);
      rounds.gateway.push(await measured(monitor, dbName, () => profiled(`exchange-gateway-${pool ? 'postgres' : 'pglite'}-${round}`, () => load(gatewayUrl, headers, keys, ROUND_SECONDS, gatewayPath))));
      const after = await count(db);
      logged = { rows: logged.rows + after.rows - before.rows, batches: logged.batches + after.batches - before.batches };
      services.audit.recordAccess = async () => undefined;
      try {
        rounds.unlogged.push(await measured(monitor, dbName, () => load(gatewayUrl, headers, keys, ROUND_SECONDS, gatewayPath)));
      } finally {
        services.audit.recordAccess = real;
      }
    }
    const [bareResult, gatewayResult, unlogged] = [combine(rounds.bare), combine(rounds.gateway), combine(rounds.unlogged)];
    const batches = logged.batches;
    await bare.close();
    await app.close();
    return { engine: pool ? 'PostgreSQL' : 'PGlite', gateway: gatewayResult, bare: bareResult, unlogged, rowsPerBatch: batches === 0 ? 0 : logged.rows / batches };
  } finally {
    await pool?.end();
    await monitor?.end();
    await handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (dbName && opts.databaseUrl) {
      const admin = new pg.Client({ connectionString: opts.databaseUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  }
}

const cpu = (r: ExchangeRun) => r.cpuUs.node + r.cpuUs.database;

export function describeFigures(f: ExchangeFigures): string {
  const cpuLine = `CPU per request (server main thread + database backends): gateway ${f.gateway.cpuUs.node} + ${f.gateway.cpuUs.database} µs, bare ${f.bare.cpuUs.node} + ${f.bare.cpuUs.database} µs, unlogged ${f.unlogged.cpuUs.node} + ${f.unlogged.cpuUs.database} µs; CPU ratio bare/gateway ${(cpu(f.bare) / Math.max(1, cpu(f.gateway))).toFixed(2)}×`;
  return `${f.engine} (load: ${wrkPath() ? 'wrk' : 'autocannon'}): gateway ${f.gateway.requests.toFixed(0)} req/s (p50 ${f.gateway.p50} ms, p99 ${f.gateway.p99} ms, non-2xx ${f.gateway.non2xx}); bare ${f.bare.requests.toFixed(0)} req/s (p99 ${f.bare.p99} ms); gateway without the access log ${f.unlogged.requests.toFixed(0)} req/s; ratio ${(f.gateway.requests / f.bare.requests).toFixed(2)}× (targets ≥ 2,000 req/s, p99 ≤ 50 ms, ≥ 0.50×); ${f.rowsPerBatch.toFixed(1)} access-log rows per anchored batch\n  ${cpuLine}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  // PostgreSQL first: a PGlite run leaves its engine's heap in this process, and the servers measured after it paid for it
  if (process.env.BENCH_DATABASE_URL) console.log(describeFigures(await exchangeFigures({ databaseUrl: process.env.BENCH_DATABASE_URL, seconds })));
  console.log(describeFigures(await exchangeFigures({ seconds })));
}
