// Public channels at size (issue 9 §7), on PostgreSQL: the progress lookup without signing in under 50 connections
// (wrk over HTTP when installed, else autocannon from a child process; 1,000 different cases and client addresses;
// beside a bare Fastify + pg handler running the same prepared statement, D159) over a table of 1,000,000 cases filled with one
// INSERT … SELECT per batch; then the big screen: 200 SSE clients spread over two app nodes on the same database, a
// case accepted through a third connection, and the time from its commit until each client holds the new figures
// (p95 and max over 200 clients × several changes). A fresh database is created beside BENCH_DATABASE_URL's
// (default TEST_DATABASE_URL or postgres://root@127.0.0.1:5432/test) and dropped afterwards.
// Run alone: npx tsx bench/publicity.ts   (BENCH_PUBLICITY_CASES, BENCH_SECONDS change the sizes; BENCH_POOL the pool
// size of the app nodes and of the bare handler, default 10; BENCH_CPU_PROFILE=<dir>
// writes a V8 CPU profile of the servers' process during the 50-connection run there)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import Fastify from 'fastify';
import { sql, Kysely } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { postgresDialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import { buildApp } from '../src/http/app.ts';
import { progressStatementOf } from '../src/modules/publicity/repository.ts';
import { importRegions } from '../src/modules/regions/index.ts';
import { chinaDate } from '../src/shared/id-number.ts';
import { newCase, newItem } from '../test/support/approval-factories.ts';
import { cpuNow, cpuSpent, profiled, runLoad, sequentialFromChild, type LoadResult } from './load.ts';

export interface PublicityRow {
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
}

const CONNECTIONS = 50;
const SSE_CLIENTS = 200;
const CHANGES = 8;
const SURNAMES = ['张', '王', '李', '赵', '马', '古丽'];
const GIVEN = ['伟', '芳', '娜', '强', '敏', '军', '霞'];
/** The name the fill gives case g (the same formula as the SQL below). */
export const nameOf = (g: number) => `${SURNAMES[g % 6]}${GIVEN[Math.floor(g / 6) % 7]}`;
export const caseNoOf = (g: number) => `HMB${String(g).padStart(9, '0')}`;
const ROUNDS = 4;
/** Rounds of one load as one: req/s over their time, the median round's p50, the worst round's p99. */
function combine(rounds: readonly LoadResult[]) {
  const total = rounds.reduce((n, r) => n + r.requests.total, 0);
  const seconds = rounds.reduce((n, r) => n + r.duration, 0);
  const p50s = rounds.map((r) => r.latency.p50).sort((a, b) => a - b);
  return {
    generator: rounds[0]!.generator,
    non2xx: rounds.reduce((n, r) => n + r.non2xx + r.errors, 0),
    requests: { total, average: seconds > 0 ? total / seconds : 0 },
    latency: { p50: p50s[Math.floor(p50s.length / 2)]!, p99: Math.max(...rounds.map((r) => r.latency.p99)) },
  };
}
const pct = (xs: readonly number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * q) - 1)]!;

/** `cases` cases numbered caseNoOf(1 … cases) with applicants nameOf(g), over four items; the fill's milliseconds. */
export async function fill(db: Kysely<Database>, cases: number): Promise<number> {
  const items = [];
  for (const regionCode of ['650502', '650521', '650522', '6505']) items.push(await newItem(db, { regionCode }));
  const started = performance.now();
  const batch = 200_000;
  for (let from = 1; from <= cases; from += batch) {
    const to = Math.min(cases, from + batch - 1);
    await sql`
      WITH items AS (SELECT id, department_id, region_code, region_path, (row_number() OVER (ORDER BY id) - 1)::int AS k FROM approval_item WHERE id = ANY(${items.map((i) => i.id)}::uuid[]))
      INSERT INTO approval_case (case_no, item_id, department_id, region_code, region_path, channel, applicant_kind, applicant_name, applicant_id_number,
                                 state, decision, applied_on, accepted_on, concluded_on, statutory_days, promised_days, statutory_due, promised_due, updated_at)
      SELECT 'HMB' || lpad(g::text, 9, '0'), it.id, it.department_id, it.region_code, it.region_path,
             CASE WHEN g % 3 = 0 THEN 'online' ELSE 'counter' END, 'citizen',
             (ARRAY['张','王','李','赵','马','古丽'])[1 + g % 6] || (ARRAY['伟','芳','娜','强','敏','军','霞'])[1 + (g / 6) % 7],
             '650502' || lpad((g % 1000000000000)::text, 12, '0'),
             CASE WHEN g % 10 < 6 THEN 'concluded' ELSE 'reviewing' END, CASE WHEN g % 10 < 6 THEN 'approve' END,
             d, d, CASE WHEN g % 10 < 6 THEN d + 5 END, 20, 10, d + 28, d + 14, now()
      FROM generate_series(${from}::int, ${to}::int) g
      CROSS JOIN LATERAL (SELECT date '2023-01-01' + (g % 1000) AS d) x
      JOIN items it ON it.k = g % 4
    `.execute(db);
  }
  const ms = performance.now() - started;
  await sql`ANALYZE`.execute(db);
  // the fill's dirty pages written now, not by a checkpoint in the middle of a measured run
  await sql`CHECKPOINT`.execute(db).catch(() => undefined);
  return ms;
}

/** 200 SSE clients over the nodes; resolves each client's arrival time of the first snapshot with accepted ≥ n. */
async function screens(urls: string[]) {
  const clients = await Promise.all(
    Array.from({ length: SSE_CLIENTS }, async (_, i) => {
      const controller = new AbortController();
      const res = await fetch(`${urls[i % urls.length]}/api/public/bigscreen/stream`, { signal: controller.signal });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      const state = { accepted: -1, waiters: [] as { n: number; resolve: (at: number) => void }[] };
      void (async () => {
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const data = buffer.slice(0, end).split('\n').find((l) => l.startsWith('data: '));
            buffer = buffer.slice(end + 2);
            if (!data) continue;
            state.accepted = (JSON.parse(data.slice(6)) as { accepted: number }).accepted;
            const at = performance.now();
            state.waiters = state.waiters.filter((w) => (w.n <= state.accepted ? (w.resolve(at), false) : true));
          }
        }
      })();
      return {
        state,
        until: (n: number) => (state.accepted >= n ? Promise.resolve(performance.now()) : new Promise<number>((resolve) => state.waiters.push({ n, resolve }))),
        close: () => controller.abort(),
      };
    }),
  );
  while (clients.some((c) => c.state.accepted < 0)) await new Promise((r) => setTimeout(r, 20));
  return clients;
}

export async function publicityFigures(): Promise<PublicityRow[]> {
  const cases = Number(process.env.BENCH_PUBLICITY_CASES ?? 1_000_000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const name = `govcloud_bench_publicity_${randomBytes(4).toString('hex')}`;
  const admin = new Kysely<Database>({ dialect: postgresDialect(url, 1) });
  // a connection apart for reading pg_stat_activity (the bench database's backends, whose CPU /proc shows)
  const monitor = new pg.Pool({ connectionString: url, max: 1 }).on('error', () => undefined);
  await sql.raw(`CREATE DATABASE ${name}`).execute(admin);
  const dbUrl = url.replace(/\/[^/]*$/, `/${name}`);
  const db = new Kysely<Database>({ dialect: postgresDialect(dbUrl, 5) });
  // the bench's addresses are many but its rate is far above a person's: the per-address bucket is lifted here
  process.env.GOVCLOUD_PUBLIC_LOOKUPS_PER_MINUTE = '100000000';
  const out: PublicityRow[] = [];
  const poolSize = Number(process.env.BENCH_POOL ?? 10);
  const nodes: { close(): Promise<void> }[] = [];
  try {
    await migrateToLatest(db);
    await importRegions(db, '6505');
    const fillMs = await fill(db, cases);
    out.push({ figure: `publicity: fill ${cases.toLocaleString('en')} cases (INSERT … SELECT), PostgreSQL`, value: Math.round((cases / fillMs) * 1000), unit: 'cases/s' });
    const config = { ...loadConfig({ DATABASE_URL: dbUrl, GOVCLOUD_TRUST_PROXY: 'true', GOVCLOUD_SEED_DEMO: 'false', LOG_LEVEL: 'silent' }), dbPoolSize: poolSize };
    const urls: string[] = [];
    for (let n = 0; n < 2; n++) {
      const nodeDb = new Kysely<Database>({ dialect: postgresDialect(dbUrl, poolSize) });
      const { app } = await buildApp({ db: nodeDb, config, logger: false, serveWeb: false });
      urls.push(await app.listen({ port: 0, host: '127.0.0.1' }));
      nodes.push({ close: async () => (await app.close(), await nodeDb.destroy()) });
    }

    // progress lookups: 1,000 cases spread over the table, each asked from its own address
    const keys = Array.from({ length: 1000 }, (_, i) => 1 + Math.floor(((i + 0.5) / 1000) * cases));
    const requests = keys.map((g, i) => ({
      path: `/api/public/progress?caseNo=${caseNoOf(g)}&name=${encodeURIComponent(nameOf(g))}`,
      headers: { 'x-forwarded-for': `10.${(i >> 8) & 255}.${i & 255}.7` },
    }));
    const probe = await fetch(`${urls[0]}${requests[0]!.path}`, { headers: requests[0]!.headers });
    if (probe.status !== 200) throw new Error(`publicity bench: the lookup answered ${probe.status}: ${await probe.text()}`);
    // the load comes from a child process (bench/load.ts): the servers' event loop serves lookups and nothing else
    const run = (options: { duration: number }) => runLoad({ url: urls[0]!, connections: CONNECTIONS, requests, ...options });
    await run({ duration: 2 }); // warm-up
    // one client, one lookup at a time: the lookup's own latency, whatever else the machine runs
    const alone = await sequentialFromChild({ url: urls[0]!, count: 500, requests: requests.map((_, i) => requests[(i * 7) % requests.length]!) });
    // the bare baseline: plain Fastify and pg (a pool of the same size) running the same prepared statement, no hooks,
    // schemas, rate limit or presentation — what this machine gives the lookup's query over HTTP at 50 connections
    const barePool = new pg.Pool({ connectionString: dbUrl, max: poolSize }).on('error', () => undefined);
    const bare = Fastify({ logger: false });
    const statement = progressStatementOf(db, 'name');
    bare.get<{ Querystring: { caseNo: string; name: string } }>('/bare/progress', async (request) => {
      const now = new Date();
      const values = statement.values({ address: String(request.headers['x-forwarded-for']), windowStart: new Date(now.getTime() - 15 * 60_000), today: chinaDate(now), caseNo: request.query.caseNo, applicant: request.query.name });
      const { rows } = await barePool.query({ name: 'progress', text: statement.text, values });
      return rows[0];
    });
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
    const bareRequests = requests.map((r) => ({ ...r, path: r.path.replace('/api/public/progress', '/bare/progress') }));
    const runBare = (duration: number) => runLoad({ url: bareUrl, connections: CONNECTIONS, requests: bareRequests, duration });
    // rounds of each in turn, so that what else the machine does (a checkpoint, the fill's aftermath) weighs on both
    const ours: LoadResult[] = [];
    const bares: LoadResult[] = [];
    let cpu = { node: 0, database: 0 };
    try {
      await runBare(2);
      for (let round = 0; round < ROUNDS; round++) {
        const before = await cpuNow(monitor, name);
        ours.push(await profiled(`publicity-progress-${round}`, () => run({ duration: seconds / ROUNDS })));
        const spent = cpuSpent(before, await cpuNow(monitor, name));
        cpu = { node: cpu.node + spent.node, database: cpu.database + spent.database };
        bares.push(await runBare(seconds / ROUNDS));
      }
    } finally {
      await bare.close();
      await barePool.end();
    }
    const lookup = combine(ours);
    const bareLookup = combine(bares);
    if (lookup.non2xx > 0 || bareLookup.non2xx > 0 || alone.non2xx > 0) throw new Error(`publicity bench: ${lookup.non2xx + bareLookup.non2xx + alone.non2xx} lookups were not answered 200`);
    const answered = Math.max(1, lookup.requests.total);
    out.push({ figure: `publicity: progress lookup p99, ${CONNECTIONS} connections (${lookup.generator}), ${cases.toLocaleString('en')} cases, PostgreSQL`, value: lookup.latency.p99, unit: 'ms', baseline: lookup.latency.p50, target: '≤ 20 ms (baseline: p50)' });
    out.push({ figure: `publicity: progress lookups per second, ${CONNECTIONS} connections, PostgreSQL`, value: Math.round(lookup.requests.average), unit: 'req/s', baseline: Math.round(bareLookup.requests.average), target: `baseline: bare Fastify + pg, same prepared statement (${(lookup.requests.average / Math.max(1, bareLookup.requests.average)).toFixed(2)}×)` });
    out.push({ figure: `publicity: bare Fastify + pg, same statement, p99 at ${CONNECTIONS} connections (${bareLookup.generator}), PostgreSQL`, value: bareLookup.latency.p99, unit: 'ms', baseline: bareLookup.latency.p50, target: 'baseline: p50 (what the machine gives without the platform)' });
    out.push({ figure: `publicity: progress lookup alone (one client, sequential) p99, PostgreSQL`, value: Math.round(pct(alone.latencies, 0.99) * 10) / 10, unit: 'ms', baseline: Math.round(pct(alone.latencies, 0.5) * 10) / 10, target: 'baseline: p50' });
    out.push({ figure: `publicity: CPU per lookup, node's main thread (the load generator in a process of its own)`, value: Math.round(cpu.node / answered), unit: 'µs' });
    out.push({ figure: `publicity: CPU per lookup, PostgreSQL backends of the bench database`, value: Math.round(cpu.database / answered), unit: 'µs' });
    out.push({ figure: `publicity: machine load average (1 min) during the run`, value: Math.round(os.loadavg()[0]! * 10) / 10, unit: '' });

    // the big screen: 200 clients over two nodes; each change committed outside both nodes
    const clients = await screens(urls);
    const item = await newItem(db, { regionCode: '650502' });
    const today = chinaDate(new Date());
    const latencies: number[] = [];
    let expected = clients[0]!.state.accepted;
    for (let i = 0; i < CHANGES; i++) {
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
      expected++;
      const waiting = clients.map((c) => c.until(expected));
      await newCase(db, item, { state: 'accepted', acceptedOn: today });
      const committed = performance.now();
      for (const at of await Promise.all(waiting)) latencies.push(Math.max(0, at - committed));
    }
    for (const c of clients) c.close();
    out.push({ figure: `publicity: big screen change → SSE event, p95 over ${SSE_CLIENTS} clients on 2 nodes × ${CHANGES} changes, PostgreSQL`, value: Math.round(pct(latencies, 0.95)), unit: 'ms', target: '≤ 1,000 ms' });
    out.push({ figure: `publicity: big screen change → SSE event, max, PostgreSQL`, value: Math.round(Math.max(...latencies)), unit: 'ms', target: '≤ 1,000 ms' });
  } finally {
    for (const node of nodes) await node.close().catch(() => undefined);
    await db.destroy();
    await sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).execute(admin);
    await admin.destroy();
    await monitor.end();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await publicityFigures()) {
    console.log(`${row.figure.padEnd(110)} ${String(row.value).padStart(10)} ${row.unit}${row.baseline === undefined ? '' : `   baseline ${row.baseline}`}${row.target ? `   target ${row.target}` : ''}`);
  }
}
