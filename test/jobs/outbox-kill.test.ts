// Kill and restart with real processes: a dispatcher killed with SIGKILL mid-batch loses no committed event, and
// handler side effects deduplicated by key happen exactly once. On PostgreSQL, two dispatchers at once never
// deliver one event twice.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPglite, postgresDialect, type DatabaseHandle } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Database } from '../../src/db/schema.ts';
import { OutboxService } from '../../src/modules/jobs/index.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { uniq } from '../support/factories.ts';

const child = path.resolve(import.meta.dirname, 'outbox-child.ts');
const pgUrl = inject('testDatabaseUrl');
let dir: string | undefined;
const target = () => (pgUrl ? pgUrl : `pglite:${dir}`);

/** Opens the database the children use (PGlite: only while no child holds the directory). */
function open(): DatabaseHandle {
  if (!pgUrl) return openPglite(dir!);
  const db = new Kysely<Database>({ dialect: postgresDialect(pgUrl, 2) });
  return { db, kind: 'postgres', location: pgUrl, close: () => db.destroy() };
}

async function withDb<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const handle = open();
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

interface Run {
  lines: string[];
  exited: Promise<number | null>;
  kill(): void;
  /** Writes a line to the child's stdin. */
  send(line: string): void;
  /** Resolves when the child prints `line`. */
  printed(line: string): Promise<void>;
}

function runChild(env: Record<string, string>): Run {
  const proc = spawn(process.execPath, ['--import', 'tsx', child], { env: { ...process.env, JOBS_DB: target(), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { line: string; resolve: () => void }[] = [];
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let rest = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((x) => x.line === line)) w.resolve();
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  void exited.then((code) => {
    if (code !== 0 && code !== null) console.error(stderr.slice(-4000));
  });
  return {
    lines,
    exited,
    kill: () => proc.kill('SIGKILL'),
    send: (line) => void proc.stdin.write(`${line}\n`),
    printed: (line) =>
      lines.includes(line)
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => waiters.push({ line, resolve })),
            exited.then((code) => Promise.reject(new Error(`the child exited (${code}) before printing "${line}": ${stderr.slice(-2000)}`))),
          ]),
  };
}

async function enqueueEvents(topic: string, count: number): Promise<void> {
  const outbox = new OutboxService(systemClock);
  await withDb(async (db) => {
    for (let start = 0; start < count; start += 100) {
      await db.transaction().execute(async (trx) => {
        for (let i = start; i < Math.min(count, start + 100); i++) await outbox.enqueue(trx, { topic, key: `e${i}`, payload: { i } });
      });
    }
  });
}

async function tally(topic: string) {
  return withDb(async (db) => {
    const effects = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox_probe_effect WHERE topic = ${topic}`.execute(db);
    const deliveries = await sql<{ n: number; keys: number }>`SELECT count(*)::int AS n, count(DISTINCT key)::int AS keys FROM outbox_probe_delivery WHERE topic = ${topic}`.execute(db);
    const states = await sql<{ state: string; n: number }>`SELECT state, count(*)::int AS n FROM job WHERE name = ${`outbox:${topic}`} GROUP BY state`.execute(db);
    return { effects: effects.rows[0]!.n, deliveries: deliveries.rows[0]!.n, deliveredKeys: deliveries.rows[0]!.keys, states: Object.fromEntries(states.rows.map((r) => [r.state, r.n])) };
  });
}

beforeAll(async () => {
  if (!pgUrl) dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-outbox-'));
  await withDb(async (db) => {
    await migrateToLatest(db);
    await sql`CREATE TABLE IF NOT EXISTS outbox_probe_delivery (topic text NOT NULL, key text NOT NULL, worker text NOT NULL)`.execute(db);
    await sql`CREATE TABLE IF NOT EXISTS outbox_probe_effect (topic text NOT NULL, key text NOT NULL, PRIMARY KEY (topic, key))`.execute(db);
  });
}, 120_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('outbox dispatcher killed mid-batch', () => {
  it('delivers every committed event after a restart, with zero duplicate side effects', async () => {
    const topic = uniq('kill');
    const total = 300;
    await enqueueEvents(topic, total);
    // first dispatcher: hangs after 107 deliveries (in the middle of its sixth batch of 20) and is killed
    const first = runChild({ JOBS_TOPIC: topic, JOBS_WORKER: 'first', JOBS_HANG_AT: '107', JOBS_LEASE_MS: '1500' });
    await first.printed('hang');
    first.kill();
    expect(await first.exited).toBeNull();
    // a new process takes over once the dead one's leases expire
    const second = runChild({ JOBS_TOPIC: topic, JOBS_WORKER: 'second', JOBS_LEASE_MS: '1500' });
    expect(await second.exited).toBe(0);
    const result = await tally(topic);
    expect(result.states).toEqual({ done: total });
    expect(result.effects).toBe(total); // none lost, none twice
    expect(result.deliveredKeys).toBe(total);
    // at least once: the killed batch's finished deliveries were delivered again, and deduplicated
    expect(result.deliveries).toBeGreaterThan(total);
  }, 120_000);

  it.runIf(pgUrl)('never delivers one event twice with two dispatcher processes at once', async () => {
    const topic = uniq('pair');
    const total = 400;
    await enqueueEvents(topic, total);
    const pair = ['a', 'b'].map((w) => runChild({ JOBS_TOPIC: topic, JOBS_WORKER: w, JOBS_BATCH: '10', JOBS_WAIT_GO: '1' }));
    await Promise.all(pair.map((p) => p.printed('ready')));
    for (const p of pair) p.send('go');
    expect(await Promise.all(pair.map((p) => p.exited))).toEqual([0, 0]);
    const result = await tally(topic);
    expect(result).toMatchObject({ effects: total, deliveries: total, deliveredKeys: total, states: { done: total } });
    const byWorker = await withDb((db) => sql<{ worker: string }>`SELECT DISTINCT worker FROM outbox_probe_delivery WHERE topic = ${topic}`.execute(db));
    expect(byWorker.rows.length).toBe(2);
  }, 120_000);
});
