// Schedules: each due slot becomes one job cluster-wide, whichever node ticks, and runs the schedule's work.
import { describe, expect, it } from 'vitest';
import { testDb } from '../../../test/support/db.ts';
import { uniq } from '../../../test/support/factories.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { Schedule } from '../../platform/module.ts';
import { AuditService } from '../audit/index.ts';
import { Scheduler, latestSlot, scheduleHandlers } from './scheduler.ts';
import { JobsService } from './service.ts';

async function setup() {
  const { db } = await testDb();
  const clock = new ManualClock('2026-03-02T09:03:00+08:00');
  return { db, clock, jobs: new JobsService(db, new AuditService(db), clock) };
}

const enqueueWith = (jobs: JobsService) => (name: string, slot: Date) => jobs.enqueue(name, {}, { runAt: slot, uniqueKey: slot.toISOString(), maxAttempts: 3 });

describe('cron slots', () => {
  it('reads expressions in Beijing time and includes a slot that is exactly now', () => {
    expect(latestSlot('0 2 * * *', new Date('2026-03-02T09:00:00+08:00')).toISOString()).toBe('2026-03-01T18:00:00.000Z');
    expect(latestSlot('*/10 * * * *', new Date('2026-03-02T09:10:00+08:00')).toISOString()).toBe('2026-03-02T01:10:00.000Z');
    expect(latestSlot('*/10 * * * *', new Date('2026-03-02T09:19:59+08:00')).toISOString()).toBe('2026-03-02T01:10:00.000Z');
  });

  it('refuses an invalid or six-field expression, naming the schedule', async () => {
    const { jobs } = await setup();
    const bad = (cron: string): Schedule => ({ name: 'x.bad', cron, run: async () => undefined });
    expect(() => new Scheduler([bad('61 * * * *')], enqueueWith(jobs), jobs.clock)).toThrow(/Schedule x\.bad/);
    expect(() => new Scheduler([bad('* * * * * *')], enqueueWith(jobs), jobs.clock)).toThrow(/five-field/);
    const ok: Schedule = { name: 'x.ok', cron: '* * * * *', run: async () => undefined };
    expect(() => new Scheduler([ok, ok], enqueueWith(jobs), jobs.clock)).toThrow(/twice/);
  });
});

describe('scheduler', () => {
  it('enqueues each slot once across nodes, skips slots before it started, and runs the work', async () => {
    const { db, clock, jobs } = await setup();
    const name = uniq('s');
    let runs = 0;
    const schedule: Schedule = { name, cron: '*/10 * * * *', run: async () => void runs++ };
    // two nodes start at 09:03; the 09:00 slot is before both started
    const nodes = [new Scheduler([schedule], enqueueWith(jobs), clock), new Scheduler([schedule], enqueueWith(jobs), clock)];
    await Promise.all(nodes.map((n) => n.tick()));
    const count = async () => (await db.selectFrom('job').select('unique_key').where('name', '=', `schedule:${name}`).execute()).length;
    expect(await count()).toBe(0);
    clock.set('2026-03-02T09:10:00+08:00');
    await Promise.all(nodes.map((n) => n.tick()));
    await Promise.all(nodes.map((n) => n.tick()));
    expect(await count()).toBe(1);
    clock.set('2026-03-02T09:25:00+08:00');
    await Promise.all(nodes.map((n) => n.tick()));
    expect(await count()).toBe(2);
    const worker = jobs.createWorker({ handlers: scheduleHandlers([schedule]) });
    expect(await worker.runOnce()).toBe(2);
    expect(runs).toBe(2);
  });
});
