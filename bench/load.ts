// Load for the HTTP benches: autocannon in a child process (bench/load-child.ts), so the load generator shares neither
// the event loop nor the process (heap, GC, libuv) with the servers it measures (D127, D138); and the CPU the servers
// and their PostgreSQL backends spent, read from /proc (CPU per request hardly depends on what else the machine runs).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
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
