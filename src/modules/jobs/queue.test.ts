// The job queue on the run's database: enqueue, claim under a lease, retries with backoff, failure, take-over.
import { describe, expect, it } from 'vitest';
import { testDb } from '../../../test/support/db.ts';
import { uniq } from '../../../test/support/factories.ts';
import { ManualClock } from '../../platform/clock.ts';
import { AuditService } from '../audit/index.ts';
import { retryDelayMs } from './backoff.ts';
import { claimJobs, findJob } from './repository.ts';
import { JobsService } from './service.ts';
import type { ClaimedJob } from './worker.ts';

async function setup() {
  const { db } = await testDb();
  const clock = new ManualClock('2026-03-02T09:00:00+08:00');
  return { db, clock, jobs: new JobsService(db, new AuditService(db), clock), name: uniq('t') };
}

describe('retry delays', () => {
  it('doubles per attempt, caps, and keeps jitter within [d/2, d]', () => {
    const backoff = { baseMs: 1000, maxMs: 60_000 };
    expect(retryDelayMs(1, backoff, () => 0)).toBe(500);
    expect(retryDelayMs(1, backoff, () => 1)).toBe(1000);
    expect(retryDelayMs(4, backoff, () => 1)).toBe(8000);
    expect(retryDelayMs(30, backoff, () => 1)).toBe(60_000);
    expect(retryDelayMs(30, backoff, () => 0)).toBe(30_000);
    const spread = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, backoff)));
    expect(spread.size).toBeGreaterThan(10);
    for (const d of spread) expect(d).toBeGreaterThanOrEqual(2000);
  });
});

describe('job queue', () => {
  it('runs a job once and marks it done', async () => {
    const { db, jobs, name } = await setup();
    const seen: ClaimedJob[] = [];
    const id = await jobs.enqueue(name, { n: 1 });
    const worker = jobs.createWorker({ handlers: { [name]: async (job) => void seen.push(job) } });
    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(0);
    expect(seen).toMatchObject([{ id, name, payload: { n: 1 }, attempt: 1 }]);
    expect(await findJob(db, id!)).toMatchObject({ state: 'done', attempts: 1, locked_by: null });
  });

  it('claims at most a batch, oldest due first', async () => {
    const { jobs, name } = await setup();
    for (let i = 0; i < 7; i++) await jobs.enqueue(name, { i });
    const order: number[] = [];
    const worker = jobs.createWorker({ batchSize: 3, handlers: { [name]: async (job) => void order.push((job.payload as { i: number }).i) } });
    expect(await worker.runOnce()).toBe(3);
    expect(await worker.runOnce()).toBe(3);
    expect(await worker.runOnce()).toBe(1);
    expect(order.slice(0, 3).sort()).toEqual([0, 1, 2]);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('ignores a second enqueue with the same unique key', async () => {
    const { jobs, name } = await setup();
    const first = await jobs.enqueue(name, {}, { uniqueKey: 'k1' });
    expect(first).not.toBeNull();
    expect(await jobs.enqueue(name, {}, { uniqueKey: 'k1' })).toBeNull();
    expect(await jobs.enqueue(name, {}, { uniqueKey: 'k2' })).not.toBeNull();
  });

  it('waits for runAt', async () => {
    const { clock, jobs, name } = await setup();
    await jobs.enqueue(name, {}, { runAt: new Date(clock.now().getTime() + 60_000) });
    const worker = jobs.createWorker({ handlers: { [name]: async () => undefined } });
    expect(await worker.runOnce()).toBe(0);
    clock.advance(60_000);
    expect(await worker.runOnce()).toBe(1);
  });

  it('retries with exponential backoff, then fails after the last attempt and can be retried', async () => {
    const { db, clock, jobs, name } = await setup();
    const id = (await jobs.enqueue(name, {}, { maxAttempts: 3 }))!;
    let calls = 0;
    const worker = jobs.createWorker({ handlers: { [name]: async () => void (calls++, (() => { throw new Error(`boom ${calls}`); })()) }, backoff: { baseMs: 1000, maxMs: 10_000 } });
    expect(await worker.runOnce()).toBe(1);
    let row = (await findJob(db, id))!;
    expect(row).toMatchObject({ state: 'queued', attempts: 1, last_error: 'Error: boom 1' });
    const firstWait = row.run_at.getTime() - clock.now().getTime();
    expect(firstWait).toBeGreaterThanOrEqual(500);
    expect(firstWait).toBeLessThanOrEqual(1000);
    expect(await worker.runOnce()).toBe(0); // not due yet
    clock.advance(firstWait);
    expect(await worker.runOnce()).toBe(1);
    row = (await findJob(db, id))!;
    const secondWait = row.run_at.getTime() - clock.now().getTime();
    expect(secondWait).toBeGreaterThanOrEqual(1000);
    expect(secondWait).toBeLessThanOrEqual(2000);
    clock.advance(secondWait);
    expect(await worker.runOnce()).toBe(1);
    row = (await findJob(db, id))!;
    expect(row).toMatchObject({ state: 'failed', attempts: 3, last_error: 'Error: boom 3' });
    expect(row.finished_at).not.toBeNull();
    clock.advance(3600_000);
    expect(await worker.runOnce()).toBe(0);
    expect(calls).toBe(3);
  });

  it('takes over a job whose worker died once its lease expires, and fails it when that was the last attempt', async () => {
    const { db, clock, jobs, name } = await setup();
    const id = (await jobs.enqueue(name, {}, { maxAttempts: 2 }))!;
    const ran: string[] = [];
    // a worker claims it and dies (what a killed process leaves behind: the claim and its lease)
    await claimJobs(db, [name], 1, 'dead-1', clock.now(), new Date(clock.now().getTime() + 30_000));
    expect(await findJob(db, id)).toMatchObject({ state: 'running', locked_by: 'dead-1' });
    const alive = jobs.createWorker({ workerId: 'alive', leaseMs: 30_000, handlers: { [name]: async (job) => void ran.push(`${job.attempt}`) } });
    expect(await alive.runOnce()).toBe(0); // the lease holds
    clock.advance(30_001);
    expect(await alive.runOnce()).toBe(1);
    expect(ran).toEqual(['2']);
    expect(await findJob(db, id)).toMatchObject({ state: 'done', attempts: 2 });

    const last = (await jobs.enqueue(name, {}, { maxAttempts: 1 }))!;
    await claimJobs(db, [name], 1, 'dead-2', clock.now(), new Date(clock.now().getTime() + 1000));
    clock.advance(1001);
    expect(await alive.runOnce()).toBe(0);
    expect(await findJob(db, last)).toMatchObject({ state: 'failed', last_error: 'lease expired: worker dead-2 stopped before finishing' });
  });

  it('never runs one job on two workers at once', async () => {
    const { db, jobs, name } = await setup();
    const total = 120;
    for (let i = 0; i < total; i++) await jobs.enqueue(name, { i });
    const runs = new Map<number, string[]>();
    const handler = (worker: string) => async (job: ClaimedJob) => {
      const i = (job.payload as { i: number }).i;
      runs.set(i, [...(runs.get(i) ?? []), worker]);
      await new Promise((resolve) => setTimeout(resolve, 1));
    };
    const workers = ['a', 'b', 'c'].map((w) => jobs.createWorker({ workerId: `${name}-${w}`, batchSize: 7, pollMs: 5, handlers: { [name]: handler(w) } }).start());
    await expect.poll(() => [...runs.values()].reduce((n, r) => n + r.length, 0), { timeout: 20_000 }).toBe(total);
    await Promise.all(workers.map((w) => w.stop()));
    expect(runs.size).toBe(total);
    expect([...runs.values()].filter((r) => r.length > 1)).toEqual([]);
    // work was shared, not serialised on one worker
    const byWorker = new Set([...runs.values()].flat());
    expect(byWorker.size).toBeGreaterThan(1);
    const states = await db.selectFrom('job').select('state').where('name', '=', name).execute();
    expect(states.every((s) => s.state === 'done')).toBe(true);
  });

  it('refuses a bad name, key or attempt count', async () => {
    const { jobs } = await setup();
    await expect(jobs.enqueue('Bad Name', {})).rejects.toMatchObject({ code: 'job.invalid_name', field: 'name' });
    await expect(jobs.enqueue('ok', {}, { maxAttempts: 0 })).rejects.toMatchObject({ code: 'job.invalid_max_attempts' });
    await expect(jobs.enqueue('ok', {}, { uniqueKey: '' })).rejects.toMatchObject({ code: 'job.invalid_unique_key' });
  });
});
