// The transactional outbox: events commit or roll back with the business write, and are delivered at least once.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDb } from '../../../test/support/db.ts';
import { uniq } from '../../../test/support/factories.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { OutboxMessage } from '../../platform/module.ts';
import { systemContext } from '../../shared/context.ts';
import { AuditService } from '../audit/index.ts';
import { OutboxService, outboxJobHandlers } from './outbox.ts';
import { JobsService } from './service.ts';

async function setup() {
  const { db } = await testDb();
  const clock = new ManualClock('2026-03-02T09:00:00+08:00');
  const audit = new AuditService(db);
  return { db, clock, audit, jobs: new JobsService(db, audit, clock), outbox: new OutboxService(clock), topic: uniq('t') };
}

describe('transactional outbox', () => {
  it('commits the event with the business write and its audit record, and delivers it', async () => {
    const { db, audit, jobs, outbox, topic } = await setup();
    await db.transaction().execute(async (trx) => {
      await audit.record(trx, systemContext(), { action: 'seed.demo', objectType: 'test', objectId: topic });
      expect(await outbox.enqueue(trx, { topic, key: 'order-1', payload: { to: '13800000000' } })).toBe(true);
    });
    const delivered: OutboxMessage[] = [];
    const worker = jobs.createWorker({ handlers: outboxJobHandlers({ [topic]: async (m) => void delivered.push(m) }) });
    expect(await worker.runOnce()).toBe(1);
    expect(delivered).toMatchObject([{ topic, key: 'order-1', payload: { to: '13800000000' }, attempt: 1 }]);
    const audited = await db.selectFrom('audit_log').select('action').where('object_id', '=', topic).execute();
    expect(audited).toHaveLength(1);
  });

  it('loses the event when the business write rolls back', async () => {
    const { db, jobs, outbox, topic } = await setup();
    await expect(
      db.transaction().execute(async (trx) => {
        await outbox.enqueue(trx, { topic, key: 'k', payload: {} });
        await sql`SELECT 1/0`.execute(trx);
      }),
    ).rejects.toThrow();
    const delivered: OutboxMessage[] = [];
    expect(await jobs.createWorker({ handlers: outboxJobHandlers({ [topic]: async (m) => void delivered.push(m) }) }).runOnce()).toBe(0);
    expect(delivered).toEqual([]);
  });

  it('ignores a duplicate (topic, key) and keeps notBefore', async () => {
    const { db, clock, jobs, outbox, topic } = await setup();
    const later = new Date(clock.now().getTime() + 3600_000);
    await db.transaction().execute(async (trx) => {
      expect(await outbox.enqueue(trx, { topic, key: 'same', payload: { n: 1 }, notBefore: later })).toBe(true);
      expect(await outbox.enqueue(trx, { topic, key: 'same', payload: { n: 2 } })).toBe(false);
    });
    const delivered: OutboxMessage[] = [];
    const worker = jobs.createWorker({ handlers: outboxJobHandlers({ [topic]: async (m) => void delivered.push(m) }) });
    expect(await worker.runOnce()).toBe(0);
    clock.set(later);
    expect(await worker.runOnce()).toBe(1);
    expect(delivered.map((m) => m.payload)).toEqual([{ n: 1 }]);
  });

  it('retries a failing handler with backoff and shows the failure after the last attempt', async () => {
    const { db, clock, jobs, outbox, topic } = await setup();
    await db.transaction().execute((trx) => outbox.enqueue(trx, { topic, key: 'x', payload: {}, maxAttempts: 2 }));
    const attempts: number[] = [];
    const worker = jobs.createWorker({
      handlers: outboxJobHandlers({ [topic]: async (m) => void (attempts.push(m.attempt), (() => { throw new Error('gateway down'); })()) }),
    });
    expect(await worker.runOnce()).toBe(1);
    clock.advance(3600_000);
    expect(await worker.runOnce()).toBe(1);
    expect(attempts).toEqual([1, 2]);
    const page = await db.selectFrom('job').select(['state', 'last_error']).where('name', '=', `outbox:${topic}`).execute();
    expect(page).toEqual([{ state: 'failed', last_error: 'Error: gateway down' }]);
  });

  it('refuses a bad topic or key', async () => {
    const { db, outbox } = await setup();
    await db.transaction().execute(async (trx) => {
      await expect(outbox.enqueue(trx, { topic: 'Bad topic', key: 'k', payload: {} })).rejects.toMatchObject({ code: 'outbox.invalid_topic', field: 'topic' });
      await expect(outbox.enqueue(trx, { topic: 'ok', key: '', payload: {} })).rejects.toMatchObject({ code: 'outbox.invalid_key', field: 'key' });
    });
  });
});
