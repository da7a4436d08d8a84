// `npm run bench`: start-up times and API throughput/latency of the real server, beside a bare Fastify route; a
// sign-in storm; the uncached dashboard and user search at 100,000 accounts (in-process, on the same data directory).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { latencyStats, measureLatency, sampleWhile, formatValue, type LatencyStats } from './latency.ts';
import { inProcessFigures } from './in-process.ts';
import { jobFigures, jobRows } from './jobs.ts';
import { calendarFigures } from './calendar.ts';
import { smsFigures } from './sms.ts';
import { auditedReadFigures } from './audited-read.ts';
import { exchangeFigures, type ExchangeFigures } from './exchange.ts';
import { datasetsFigures } from './datasets-load.ts';
import { communityImportFigures } from './community-import.ts';
import { communityFigures } from './community.ts';
import { noticesFigures } from './notices.ts';
import { oaFigures } from './oa.ts';
import { evaluationFigures } from './evaluation.ts';
import { censusFigures } from './census.ts';
import { publicityFigures } from './publicity.ts';
import { mattersFigures } from './matters.ts';
import { approvalFigures } from './approval.ts';
import { supervisionFigures } from './supervision.ts';
import { cloudFigures } from './cloud.ts';
import { hypervisorFigures } from './hypervisor.ts';
import { placementFigures } from './placement.ts';
import { quotaFigures } from './quota.ts';
import { meteringFigures } from './metering.ts';
import { extranetFigures } from './extranet.ts';

const root = path.resolve(import.meta.dirname, '..');
const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_S = 3;
const ROUNDS = 3;
const ROUND_S = Math.max(3, Math.round(DURATION_S / 2));
const DEMO_USER = 'admin';
const DEMO_PASSWORD = 'Hami@2026??';
/** The storm's target: a demo account that nothing else in the bench signs in as. */
const STORM_USER = 'leader';
const STORM_SIZE = 2000;
const SEARCH_ACCOUNTS = 100_000;
/** BENCH_ONLY=name,name: just those sections (names in runSections; `server` for the server's own figures). */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((x) => x.trim()).filter(Boolean)) : null;

interface Row {
  figure: string;
  /** Latencies in microseconds (unit 'µs'), counts and rates as they are. */
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
}
const rows: Row[] = [];

function freePort(): number {
  return 20000 + Math.floor(Math.random() * 20000);
}

async function waitReady(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error('the server exited before it was ready');
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${url}/readyz was not ready within ${timeoutMs} ms`);
}

async function startApp(dataDir: string, port: number): Promise<{ child: ChildProcess; ms: number; url: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'bin/govcloud.js'), 'serve'], {
    cwd: root,
    // the demo admin has a phone, so sign-in would ask for an SMS code: the bench measures the password step
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', GOVCLOUD_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', GOVCLOUD_ADMIN_SECOND_FACTOR: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child);
  return { child, ms: performance.now() - started, url };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function startBare(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/bare-server.ts')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /LISTENING (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once('exit', () => reject(new Error('bare server exited')));
  });
  return { child, url };
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...opts }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** The round with the median throughput. */
function median(results: autocannon.Result[]): autocannon.Result {
  return [...results].sort((a, b) => a.requests.average - b.requests.average)[Math.floor(results.length / 2)]!;
}

/** A short unmeasured run first, so JIT compilation and cache fills are not counted, then the measured run. */
async function load(opts: autocannon.Options): Promise<autocannon.Result> {
  await run({ ...opts, duration: WARMUP_S });
  return run(opts);
}

async function signIn(url: string): Promise<{ cookie: string }> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: DEMO_USER, password: DEMO_PASSWORD }) });
  if (res.status !== 200) throw new Error(`demo sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('govcloud_sid='))!.split(';')[0]!;
  return { cookie };
}

function ratio(row: Row): string {
  if (row.baseline === undefined) return '—';
  if (row.baseline === 0) return row.value === 0 ? '1.0×' : '—';
  const r = row.value / row.baseline;
  return r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`;
}

function printTable(): void {
  const header = ['figure', 'value', 'baseline', 'ratio', 'target'];
  const lines = rows.map((r) => [r.figure, formatValue(r.value, r.unit), r.baseline === undefined ? '—' : formatValue(r.baseline, r.unit), ratio(r), r.target ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(`\nGovCloud bench — ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${CONNECTIONS} connections; bare route and dashboard alternated in ${ROUNDS} rounds of ${ROUND_S} s (median shown), login ${DURATION_S} s; ${WARMUP_S} s warm-up each; latencies measured per request in µs`);
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}

function pushLatency(figure: string, stats: LatencyStats, baseline?: LatencyStats, target?: { p99?: string }): void {
  rows.push({ figure: `${figure} p50`, value: stats.p50, unit: 'µs', baseline: baseline?.p50 });
  rows.push({ figure: `${figure} p99`, value: stats.p99, unit: 'µs', baseline: baseline?.p99, target: target?.p99 });
}

/** Waits until sign-ins queued by the previous run are done: /livez answers within 50 ms again (at most 2 minutes). */
async function settle(url: string): Promise<void> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    const started = performance.now();
    await fetch(`${url}/livez`).then((r) => r.arrayBuffer());
    if (performance.now() - started < 50) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** 2,000 simultaneous wrong-password sign-ins for one account, with /livez sampled throughout. */
async function signInStorm(url: string): Promise<{ livez: LatencyStats; statuses: Map<number, number>; ms: number }> {
  const statuses = new Map<number, number>();
  const started = performance.now();
  let done = false;
  const storm = Promise.all(
    Array.from({ length: STORM_SIZE }, (_, i) =>
      fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: STORM_USER, password: `Wrong-Guess-${i}` }) })
        .then(async (res) => {
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        })
        .catch(() => statuses.set(0, (statuses.get(0) ?? 0) + 1)),
    ),
  ).finally(() => (done = true));
  const livez = await sampleWhile(`${url}/livez`, () => !done, 10);
  await storm;
  return { livez: latencyStats(livez), statuses, ms: performance.now() - started };
}

/**
 * The sections after the server's own figures, each on its own data. A section that fails is reported as a row and the
 * run goes on; each section's rows are printed as they come (a later crash keeps them). BENCH_ONLY=name,name runs just
 * those sections (`server` names the server figures above), e.g. BENCH_ONLY=server,exchange.
 */
async function runSections(): Promise<void> {
  const sections: [string, string, () => Promise<Row[]>][] = [
    ['jobs', 'Job queue and outbox on PGlite …', async () => jobRows(await jobFigures())],
    ['calendar', 'In-process: working-day deadlines …', async () => calendarFigures()],
    ['sms', 'SMS: raw submit_sm, services.sms → outbox → SMPP, kill -9 mid-batch …', () => smsFigures()],
    [
      'audited-read',
      `In-process: personal-data reads by ${CONNECTIONS} clients, with and without the access log …`,
      async () => {
        const reads = await auditedReadFigures({ roundSeconds: ROUND_S });
        return [
          { figure: `audited personal-data read (${reads.rowsPerBatch.toFixed(0)} reads per anchored batch)`, value: reads.audited, unit: 'req/s', baseline: reads.unaudited, target: '≥ 0.50× unaudited' },
          { figure: 'personal-data read, one chain record per read (before)', value: reads.chainRecordPerRead, unit: 'req/s', baseline: reads.unaudited },
        ];
      },
    ],
    [
      'exchange',
      `Exchange gateway: lookup by key with token, grant check, masking and access log, ${CONNECTIONS} connections …`,
      async () => {
        // PostgreSQL first: a PGlite run leaves its engine's heap in this process, which the servers measured after it pay for
        const exchangeRuns: ExchangeFigures[] = process.env.BENCH_DATABASE_URL ? [await exchangeFigures({ databaseUrl: process.env.BENCH_DATABASE_URL, seconds: ROUND_S })] : [];
        exchangeRuns.push(await exchangeFigures({ seconds: ROUND_S }));
        return exchangeRuns.flatMap((x) => [
          { figure: `exchange lookup by key (${x.engine})`, value: x.gateway.requests, unit: 'req/s', baseline: x.bare.requests, target: '≥ 2,000 req/s, ≥ 0.50× bare' },
          { figure: `exchange lookup by key p99 (${x.engine})`, value: x.gateway.p99 * 1000, unit: 'µs', baseline: x.bare.p99 * 1000, target: '≤ 50,000 µs' },
          { figure: `exchange lookup CPU per request (${x.engine})`, value: x.gateway.cpuUs.node + x.gateway.cpuUs.database, unit: 'µs', baseline: x.bare.cpuUs.node + x.bare.cpuUs.database },
        ]);
      },
    ],
    ['datasets', 'Datasets: a 1,000,000-row CSV loaded on PostgreSQL beside its COPY, and on PGlite …', () => datasetsFigures()],
    ['community-import', 'Community: file import …', () => communityImportFigures()],
    ['community', 'Community: resident search at 1,000,000 residents on PostgreSQL (200,000 on PGlite), demo seed times …', () => communityFigures()],
    ['notices', 'Notices: targeting 100,000 residents …', () => noticesFigures()],
    ['oa', 'OA: a document sent to 10,000 staff, its receipt table, a signature and the reminder run, on PostgreSQL and PGlite …', () => oaFigures()],
    ['evaluation', 'Evaluation: the monthly department score …', () => evaluationFigures()],
    ['matters', 'Supervised matters: the rules sweep …', () => mattersFigures()],
    ['census', 'Census: 1,000,000 residents on PostgreSQL, every region × one dimension from the cube beside the plain GROUP BY; PGlite with 200,000 …', () => censusFigures()],
    ['publicity', 'Public channels: progress lookup over 1,000,000 cases (50 connections) and the big screen (200 SSE clients on 2 nodes), PostgreSQL …', () => publicityFigures()],
    ['approval', 'Approval: the demo seed on PGlite; the progress lookup, 10,000 lookups over 100,000 cases under the per-address limits (PGlite, and PostgreSQL when BENCH_DATABASE_URL is set) …', () => approvalFigures()],
    ['supervision', 'Supervision: the rules sweep over 1,000,000 open cases on PostgreSQL, a new day and the exhaustive one beside a per-case loop, one changed case re-evaluated; PGlite with 100,000 …', () => supervisionFigures()],
    ['extranet', 'Extranet: the analysis a topology read runs and the bridges list, in memory, 250 and 2,000 departments …', () => extranetFigures()],
    ['metering', "Metering: the hourly roll-up and the month's chargeback for 2,000 VMs …", () => meteringFigures()],
    ['quota', 'Self-service: quota admission under 50 concurrent requests …', () => quotaFigures()],
    ['placement', 'Placement: 10,000 decisions over 500 hosts beside first fit …', () => placementFigures()],
    ['hypervisor', 'Hypervisor: libvirt define-to-running per VM under TCG on qemu:///session …', () => hypervisorFigures()],
    ['cloud', 'Cloud inventory: demo seed, host list, VM page, consolidation report …', () => cloudFigures()],
  ];
  const only = ONLY;
  for (const [name, title, figures] of sections) {
    if (only && !only.has(name)) continue;
    console.log(`[${name}] ${title}`);
    try {
      const got = await figures();
      rows.push(...got);
      for (const r of got) console.log(`  ${r.figure}: ${formatValue(r.value, r.unit)}${r.baseline === undefined ? '' : ` (baseline ${formatValue(r.baseline, r.unit)})`}`);
    } catch (error) {
      console.error(`[${name}] failed:`, error);
      rows.push({ figure: `${name}: FAILED — ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, value: Number.NaN, unit: '' });
    }
  }
}

/** Start-up, throughput, latency, the sign-in storm and the in-process figures of the real server (issue 5). */
async function serverFigures(): Promise<void> {
  console.log(`Cold start (empty data dir ${dataDir}: migrate, import regions, seed demo) …`);
  const cold = await startApp(dataDir, port);
  rows.push({ figure: 'cold start to /readyz (PGlite, demo seeded)', value: cold.ms, unit: 'ms' });
  await stop(cold.child);

  console.log('Warm start (same data dir) …');
  const warm = await startApp(dataDir, port);
  rows.push({ figure: 'warm start to /readyz (PGlite)', value: warm.ms, unit: 'ms', target: '≤ 3000 ms' });

  const bare = await startBare();
  const { cookie } = await signIn(warm.url);
  const bareOpts: autocannon.Options = { url: `${bare.url}/bare` };
  const dashOpts: autocannon.Options = { url: `${warm.url}/api/dashboard/summary`, headers: { cookie } };
  console.log('Warming up both servers …');
  await run({ ...bareOpts, duration: WARMUP_S });
  await run({ ...dashOpts, duration: WARMUP_S });
  // Alternate the two in rounds, so drift in the machine's speed hits both alike; report the median round.
  const bareRounds: autocannon.Result[] = [];
  const dashRounds: autocannon.Result[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`Round ${round}/${ROUNDS}: bare route, then dashboard API …`);
    bareRounds.push(await run({ ...bareOpts, duration: ROUND_S }));
    const dashRound = await run({ ...dashOpts, duration: ROUND_S });
    if (dashRound.non2xx > 0) throw new Error(`dashboard answered ${dashRound.non2xx} non-2xx responses`);
    dashRounds.push(dashRound);
  }
  const bareResult = median(bareRounds);
  const dash = median(dashRounds);
  // Latencies per request in µs (autocannon's histogram counts whole milliseconds, which printed 0.0 ms); /livez
  // idle is the storm's baseline, so it is measured before any sign-in load.
  const bareLatency = await measureLatency({ url: `${bare.url}/bare`, connections: 10, durationMs: 3000 });
  const livezIdle = await measureLatency({ url: `${warm.url}/livez`, connections: 10, durationMs: 3000 });
  const dashLatency = await measureLatency({ url: `${warm.url}/api/dashboard/summary`, headers: { cookie }, connections: 10, durationMs: 3000 });
  await stop(bare.child);

  console.log('Login …');
  const loginResult = await load({
    url: `${warm.url}/api/auth/login`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: DEMO_USER, password: DEMO_PASSWORD }),
  });
  if (loginResult.non2xx > 0) throw new Error(`login answered ${loginResult.non2xx} non-2xx responses`);

  rows.push({ figure: 'bare Fastify route throughput', value: bareResult.requests.average, unit: 'req/s' });
  rows.push({ figure: 'dashboard API throughput (cached)', value: dash.requests.average, unit: 'req/s', baseline: bareResult.requests.average, target: '≥ 0.30× bare' });
  rows.push({ figure: 'login throughput (argon2id)', value: loginResult.requests.average, unit: 'req/s', baseline: bareResult.requests.average });
  pushLatency('bare Fastify route latency', bareLatency);
  pushLatency('dashboard API latency (cached)', dashLatency, bareLatency);

  await settle(warm.url);
  console.log(`Sign-in storm: ${STORM_SIZE} simultaneous wrong passwords for "${STORM_USER}" …`);
  const storm = await signInStorm(warm.url);
  console.log(`  answered in ${(storm.ms / 1000).toFixed(1)} s: ${[...storm.statuses].map(([status, n]) => `${n}× ${status || 'network error'}`).join(', ')}`);
  pushLatency('/livez latency during the storm', storm.livez, livezIdle, { p99: '≤ 100,000 µs' });
  await stop(warm.child);

  console.log(`In-process: attempts checked, uncached dashboard, user search at ${SEARCH_ACCOUNTS.toLocaleString('en')} accounts …`);
  const inProcess = await inProcessFigures({ dataDir, stormUser: STORM_USER, adminUser: DEMO_USER, adminPassword: DEMO_PASSWORD, accounts: SEARCH_ACCOUNTS });
  rows.push({ figure: `storm: wrong passwords checked after the lockout (of ${STORM_SIZE})`, value: inProcess.checkedBeyondLockout, unit: '', target: '0' });
  pushLatency('dashboard, whole prefecture, uncached', inProcess.dashboardUncached, inProcess.dashboardCached, { p99: '≤ 10,000 µs' });
  pushLatency(`user search q=3+ chars (${SEARCH_ACCOUNTS.toLocaleString('en')} accounts)`, inProcess.search, inProcess.unfiltered, { p99: '≤ 50,000 µs' });
  pushLatency(`user search q=2 chars (${SEARCH_ACCOUNTS.toLocaleString('en')} accounts)`, inProcess.shortSearch, inProcess.unfiltered, { p99: '≤ 50,000 µs' });
  pushLatency(`user list, unfiltered (total counted up to 10,000, then "10,000+"; ${SEARCH_ACCOUNTS.toLocaleString('en')} accounts)`, inProcess.unfiltered, undefined, { p99: '≤ 50,000 µs' });
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-bench-'));
const port = freePort();
try {
  if (!ONLY || ONLY.has('server')) await serverFigures();
  await runSections();
  printTable();
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
