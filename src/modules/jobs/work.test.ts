// Background work assembled from manifests: outbox handlers and schedules of every module, started and stopped.
import { describe, expect, it } from 'vitest';
import { testDb } from '../../../test/support/db.ts';
import { testConfig } from '../../../test/support/app.ts';
import { uniq } from '../../../test/support/factories.ts';
import { ManualClock } from '../../platform/clock.ts';
import { defineModule, type OutboxMessage } from '../../platform/module.ts';
import { AuditService } from '../audit/index.ts';
import { OutboxService } from './outbox.ts';
import { JobsService } from './service.ts';
import { collectWork, startWork } from './work.ts';

async function setup(at: string) {
  const { db } = await testDb();
  const clock = new ManualClock(at);
  return { db, clock, jobs: new JobsService(db, new AuditService(db), clock) };
}

describe('background work from manifests', () => {
  it('delivers outbox events to the module that handles the topic, runs its schedules, and stops cleanly', async () => {
    const { db, clock, jobs } = await setup('2026-03-02T09:00:00.010+08:00');
    const topic = uniq('w');
    const delivered: OutboxMessage[] = [];
    let ticks = 0;
    const probe = defineModule({
      name: topic,
      createService: () => ({ tag: topic }),
      outboxHandlers: ({ service }) => ({ [topic]: async (m) => void delivered.push({ ...m, payload: { ...(m.payload as object), by: service.tag } }) }),
      schedules: () => [{ name: `${topic}.tick`, cron: '* * * * *', run: async () => void ticks++ }],
    });
    const deps = { db, config: testConfig(), clock, services: { [topic]: { tag: topic } } };
    const work = collectWork([probe], deps);
    expect(Object.keys(work.outbox)).toEqual([topic]);
    expect(() => collectWork([probe, probe], deps)).toThrow(/handled twice/);

    const running = startWork(jobs, work, { pollMs: 10, tickMs: 20 });
    await db.transaction().execute((trx) => new OutboxService(clock).enqueue(trx, { topic, key: 'a', payload: { n: 1 } }));
    await expect.poll(() => delivered.length, { timeout: 10_000 }).toBe(1);
    expect(delivered[0]).toMatchObject({ topic, key: 'a', payload: { n: 1, by: topic } });
    await expect.poll(() => ticks, { timeout: 10_000 }).toBe(1); // the 09:00 slot (within one tick of the start), once however often it ticks
    clock.set('2026-03-02T09:01:00+08:00');
    await expect.poll(() => ticks, { timeout: 10_000 }).toBe(2);
    await running.stop();
    // stopped: nothing more is delivered
    await db.transaction().execute((trx) => new OutboxService(clock).enqueue(trx, { topic, key: 'b', payload: {} }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(delivered).toHaveLength(1);
  });

  it('runs every module’s handler of a topic several modules consume, and reports a failure after the others ran', async () => {
    const { db } = await testDb();
    const clock = new ManualClock('2026-03-02T09:00:00+08:00');
    const topic = uniq('shared');
    const seen: string[] = [];
    const consumer = (name: string, fail = false) =>
      defineModule({
        name,
        outboxHandlers: () => ({
          [topic]: async () => {
            seen.push(name);
            if (fail) throw new Error(`${name} failed`);
          },
        }),
      });
    const deps = { db, config: testConfig(), clock, services: {} };
    const work = collectWork([consumer('one'), consumer('two')], deps);
    await work.outbox[topic]!({ id: '1', topic, key: 'k', payload: {}, attempt: 1 });
    expect(seen.sort()).toEqual(['one', 'two']);
    seen.length = 0;
    const failing = collectWork([consumer('one', true), consumer('two')], deps);
    await expect(failing.outbox[topic]!({ id: '2', topic, key: 'k2', payload: {}, attempt: 1 })).rejects.toThrow(/one failed/);
    expect(seen.sort()).toEqual(['one', 'two']);
  });

  it('runs one-off jobs whose handlers a module defined, and refuses a name defined twice', async () => {
    const { jobs } = await setup('2026-03-02T09:00:00+08:00');
    const name = uniq('d');
    const seen: unknown[] = [];
    jobs.define(name, async (job) => void seen.push(job.payload));
    expect(() => jobs.define(name, async () => undefined)).toThrow(/twice/);
    expect(() => jobs.define('outbox:x', async () => undefined)).toThrow(/without ':'/);
    const running = startWork(jobs, { outbox: {}, schedules: [] }, { pollMs: 10 });
    try {
      await jobs.enqueue(name, { report: 2026 });
      await expect.poll(() => seen, { timeout: 10_000 }).toEqual([{ report: 2026 }]);
    } finally {
      await running.stop();
    }
  });
});
