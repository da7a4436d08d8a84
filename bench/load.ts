// Load for the HTTP benches: autocannon in a child process (bench/load-child.ts), so the load generator shares neither
// the event loop nor the process (heap, GC, libuv) with the servers it measures (D127, D138); and the CPU the servers
// and their PostgreSQL backends spent, read from /proc (CPU per request hardly depends on what else the machine runs).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import type pg from 'pg';
import type { SequentialOptions } from './load-child.ts';

const LOAD_CHILD = fileURLToPath(new URL('./load-child.ts', import.meta.url));

/** Runs autocannon with `options` in a child process (options sent on its stdin) and resolves its result. */
export async function loadFromChild(options: autocannon.Options): Promise<autocannon.Result> {
  return JSON.parse(await child(options)) as autocannon.Result;
}

/** `count` requests one at a time on one connection, from a child process: each one's latency (ms, with fractions). */
export async function sequentialFromChild(sequential: SequentialOptions['sequential']): Promise<{ latencies: number[]; non2xx: number }> {
  return JSON.parse(await child({ sequential })) as { latencies: number[]; non2xx: number };
}

async function child(options: autocannon.Options | SequentialOptions): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', LOAD_CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(JSON.stringify(options));
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return out;
}

const TICK_US = 1_000_000 / 100; // USER_HZ: /proc reports CPU time in 1/100 s

/** utime + stime of a thread or process from /proc (µs), or 0 where there is no /proc. */
export function cpuOf(statPath: string): number {
  try {
    const stat = fs.readFileSync(statPath, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    return 0;
  }
}

/** CPU so far of this process's main thread and of the PostgreSQL backends serving `dbName` (same host only). */
export async function cpuNow(admin: pg.Pool | undefined, dbName: string | undefined): Promise<{ node: number; database: Map<number, number> }> {
  const node = cpuOf(`/proc/self/task/${process.pid}/stat`);
  const database = new Map<number, number>();
  if (admin && dbName) {
    const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
    for (const { pid } of rows) database.set(pid, cpuOf(`/proc/${pid}/stat`));
  }
  return { node, database };
}

/** CPU (µs) between two readings of cpuNow: the main thread's, and the backends' summed (a backend gone counts from 0). */
export function cpuSpent(before: Awaited<ReturnType<typeof cpuNow>>, after: Awaited<ReturnType<typeof cpuNow>>): { node: number; database: number } {
  let database = 0;
  for (const [pid, cpu] of after.database) database += cpu - (before.database.get(pid) ?? 0);
  return { node: after.node - before.node, database };
}

/**
 * Runs `fn`; when BENCH_CPU_PROFILE names a directory, under the V8 profiler of this process (the servers' main
 * thread), written there as `<label>.cpuprofile` — the measured load alone, not the bench's set-up.
 */
export async function profiled<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return fn();
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    const result = await fn();
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}/${label}.cpuprofile`, JSON.stringify(profile));
    return result;
  } finally {
    session.disconnect();
  }
}

/** What the HTTP benches read of a load run, from autocannon or from wrk. */
export interface LoadResult {
  requests: { total: number; average: number };
  /** Seconds the load ran. */
  duration: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  /** Which generator made the load. */
  generator: 'wrk' | 'autocannon';
}

export interface LoadOptions {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  requests: { method?: 'GET'; path: string; headers?: Record<string, string> }[];
}

/** Where Debian's wrk is (the `wrk` package), or undefined; BENCH_LOAD=autocannon forces autocannon. */
export function wrkPath(): string | undefined {
  if (process.env.BENCH_LOAD === 'autocannon') return undefined;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = `${dir}/wrk`;
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

const luaString = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;

/**
 * Runs the load with wrk (C, one thread: a few µs of CPU per request, against autocannon's tens in JavaScript, on a
 * machine whose two cores also run the servers and the database) when it is installed, else with autocannon from a
 * child process. wrk's Lua script cycles through `requests` in order, each with its own path and headers, and prints
 * the summary as JSON; latencies are kept in µs and given here in ms with fractions.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const wrk = wrkPath();
  if (!wrk) {
    const r = await loadFromChild({ ...options, requests: options.requests.map((q) => ({ method: 'GET' as const, ...q })) });
    return {
      requests: { total: r.requests.total, average: r.requests.average },
      duration: r.duration,
      latency: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
      non2xx: r.non2xx,
      errors: r.errors,
      generator: 'autocannon',
    };
  }
  const dir = fs.mkdtempSync(`${os.tmpdir()}/govcloud-wrk-`);
  const script = `${dir}/load.lua`;
  const common = Object.entries(options.headers ?? {});
  const entries = options.requests.map((q) => {
    const headers = [...common, ...Object.entries(q.headers ?? {})].map(([k, v]) => `[${luaString(k)}]=${luaString(v)}`).join(',');
    return `{${luaString(q.path)},{${headers}}}`;
  });
  fs.writeFileSync(
    script,
    `local requests = {${entries.join(',\n')}}
local i = 0
request = function()
  i = i % #requests + 1
  return wrk.format("GET", requests[i][1], requests[i][2])
end
done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format('\\n{"total":%d,"us":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d,"status":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
`,
  );
  try {
    const child = spawn(wrk, ['-t1', `-c${options.connections}`, `-d${Math.max(1, Math.round(options.duration))}s`, '--timeout', '10s', '-s', script, options.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    const line = out.trim().split('\n').pop() ?? '';
    if (code !== 0 || !line.startsWith('{')) throw new Error(`wrk exited with ${code}: ${out.slice(-500)}`);
    const s = JSON.parse(line) as { total: number; us: number; p50: number; p90: number; p99: number; max: number; status: number; errors: number };
    const seconds = s.us / 1e6;
    const ms = (us: number) => Math.round(us / 10) / 100;
    return {
      requests: { total: s.total, average: seconds > 0 ? s.total / seconds : 0 },
      duration: seconds,
      latency: { p50: ms(s.p50), p90: ms(s.p90), p99: ms(s.p99), max: ms(s.max) },
      non2xx: s.status,
      errors: s.errors,
      generator: 'wrk',
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
