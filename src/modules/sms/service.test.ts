// The SMS service on the run's database with the real SMPP gateway and in-process SMS centre: queueing in the
// caller's transaction, delivery, receipts per segment, templates, opt-out, quiet hours, temporary failures.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import smpp from 'smpp';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { ManualClock } from '../../platform/clock.ts';
import { AuditService } from '../audit/index.ts';
import { testDb } from '../../../test/support/db.ts';
import { LocalSmsc } from './local-smsc.ts';
import { SmppGateway } from './smpp-gateway.ts';
import { JobsService, OutboxService, outboxJobHandlers, type JobWorker } from '../jobs/index.ts';
import { DELIVER_MANY_TOPIC, DELIVER_TOPIC, SmsService, type SendSms } from './service.ts';
import * as repo from './repository.ts';

let db: Kysely<Database>;
let smsc: LocalSmsc;
let gateway: SmppGateway;
let sms: SmsService;
let worker: JobWorker;
const clock = new ManualClock('2026-03-02T10:00:00+08:00');
/** The outbox events for a message (jobs `outbox:sms.deliver`), oldest first. */
const events = (id: string) =>
  db.selectFrom('job').select(['unique_key', 'run_at', 'state']).where('name', '=', `outbox:${DELIVER_TOPIC}`).where(sql`payload->>'id'`, '=', id).orderBy('created_at').execute();
/** A fresh number; never ending in 44, which this file's SMS centre reports undeliverable. */
const number = () => `139${String(randomInt(0, 1e7)).padStart(7, '0')}1`;

beforeAll(async () => {
  ({ db } = await testDb());
  smsc = await LocalSmsc.start({ receiptFor: (to) => (to.endsWith('44') ? 'UNDELIV' : 'DELIVRD') });
  gateway = new SmppGateway({ host: '127.0.0.1', port: smsc.port, systemId: 'x', password: 'y', sourceAddr: '10690000', backoffMs: 10, maxAttempts: 2, timeoutMs: 2_000 });
  const audit = new AuditService(db);
  sms = new SmsService(db, audit, clock, new OutboxService(clock));
  sms.attach(gateway, smsc);
  worker = new JobsService(db, audit, clock).createWorker({
    handlers: outboxJobHandlers({
      [DELIVER_TOPIC]: (m) => sms.deliver((m.payload as { id: string }).id),
      [DELIVER_MANY_TOPIC]: (m) => sms.deliverMany((m.payload as { ids: string[] }).ids),
    }),
  });
});
afterAll(async () => {
  await gateway.close();
  await smsc.close();
});

const queue = (input: SendSms) => db.transaction().execute((trx) => sms.send(trx, input));
const status = async (id: string) => (await db.selectFrom('sms_message').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
const settled = async (id: string, expected: string) => {
  const outcome = async () => (await db.selectFrom('sms_message').select(['status', 'error']).where('id', '=', id).executeTakeFirstOrThrow());
  await expect.poll(async () => (await outcome()).status, { timeout: 10_000 }).not.toBe('sent');
  expect(await outcome(), 'status (and error)').toMatchObject({ status: expected });
};

describe('SMS service', () => {
  it('queues a templated message with an outbox event, sends it, and marks it delivered on the receipt', async () => {
    await db.transaction().execute((trx) =>
      repo.upsertTemplate(trx, { code: 'test.done', name: '办结通知', body: '【政务云】{name}，您的{item}已办结。', variables: ['name', 'item'] }, clock.now()),
    );
    const to = number();
    const queued = await queue({ to: `+86${to}`, template: 'test.done', vars: { name: '张三', item: '低保申请' }, purpose: 'test.notice' });
    expect(queued).toMatchObject({ status: 'queued', segments: 1, holdUntil: null });
    expect(await events(queued.id)).toMatchObject([{ unique_key: queued.id, state: 'queued' }]);
    expect(await worker.runOnce()).toBeGreaterThanOrEqual(1);
    expect(smsc.received(to).map((m) => m.text)).toEqual(['【政务云】张三，您的低保申请已办结。']);
    await settled(queued.id, 'delivered');
    await sms.deliver(queued.id); // a second delivery of the same event sends nothing
    expect(smsc.received(to)).toHaveLength(1);
  });

  it('sends a long message in segments; delivered only once every segment is, failed when one is not', async () => {
    const good = number();
    const long = '您好，'.concat('这是一条较长的通知短信，用于检查分段发送与回执。'.repeat(7));
    const ok = await queue({ to: good, text: long, purpose: 'test.long' });
    expect(ok.segments).toBe(3);
    await sms.deliver(ok.id);
    await settled(ok.id, 'delivered');
    const parts = await db.selectFrom('sms_segment').select(['seq', 'status']).where('message_id', '=', ok.id).orderBy('seq').execute();
    expect(parts).toEqual([1, 2, 3].map((seq) => ({ seq, status: 'delivered' })));
    expect(smsc.received(good)[0]).toMatchObject({ text: long, segments: 3 });

    const bad = await queue({ to: `1380000${String(randomInt(0, 1e2)).padStart(2, '0')}44`, text: long, purpose: 'test.long' });
    await sms.deliver(bad.id);
    await settled(bad.id, 'failed');
    expect((await db.selectFrom('sms_message').select('error').where('id', '=', bad.id).executeTakeFirstOrThrow()).error).toBe('UNDELIV');
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const count = async (table: 'sms_message' | 'job') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await count('sms_message');
    const jobs = await count('job');
    await expect(queue({ to: '12345', text: 'x', purpose: 'test' })).rejects.toMatchObject({ code: 'sms.invalid_number', field: 'to' });
    await expect(queue({ to: number(), template: 'test.done', vars: { name: '张三' }, purpose: 'test' })).rejects.toMatchObject({ code: 'sms.missing_variable', field: 'vars/item' });
    await expect(queue({ to: number(), template: 'test.done', vars: { name: 'a', item: 'b', x: 'c' }, purpose: 'test' })).rejects.toMatchObject({ field: 'vars/x' });
    await expect(queue({ to: number(), template: 'nope', purpose: 'test' })).rejects.toMatchObject({ code: 'sms.unknown_template', field: 'template' });
    await expect(queue({ to: number(), text: 'x'.repeat(671), purpose: 'test' })).rejects.toMatchObject({ code: 'sms.invalid_text', field: 'text' });
    await expect(queue({ to: number(), text: 'x', purpose: 'Bad Purpose' })).rejects.toMatchObject({ field: 'purpose' });
    await expect(queue({ to: number(), text: 'x', template: 'test.done', purpose: 'test' })).rejects.toMatchObject({ field: 'template' });
    expect(await count('job')).toBe(jobs);
    expect(await count('sms_message')).toBe(rows);
  });

  it('skips numbers on the opt-out register unless the message is urgent, including opt-outs after queueing', async () => {
    const to = number();
    await repo.insertOptOut(db, { number: to, source: 'admin', note: null }, clock.now());
    const skipped = await queue({ to, text: '活动通知', purpose: 'test.notice' });
    expect(skipped.status).toBe('opted_out');
    expect(await events(skipped.id)).toEqual([]);
    const urgent = await queue({ to, text: '登录验证码 123456', purpose: 'auth.code', urgent: true });
    await sms.deliver(urgent.id);
    expect(smsc.received(to).map((m) => m.text)).toEqual(['登录验证码 123456']);

    const later = number();
    const queued = await queue({ to: later, text: '通知', purpose: 'test.notice' });
    await repo.insertOptOut(db, { number: later, source: 'admin', note: null }, clock.now());
    await sms.deliver(queued.id);
    expect(await status(queued.id)).toBe('opted_out');
    expect(smsc.received(later)).toEqual([]);
  });

  it('holds non-urgent messages in quiet hours until 08:00 Beijing time, and re-holds one whose delivery falls in them', async () => {
    try {
      clock.set('2026-03-02T23:10:00+08:00');
      const night = await queue({ to: number(), text: '夜间通知', purpose: 'test.notice' });
      expect(night.holdUntil).toBe(new Date('2026-03-03T08:00:00+08:00').toISOString());
      expect((await events(night.id)).map((e) => e.run_at.toISOString())).toEqual([night.holdUntil]);
      const code = await queue({ to: number(), text: '验证码 654321', purpose: 'auth.code', urgent: true });
      expect(code.holdUntil).toBeNull();

      clock.set('2026-03-02T21:59:00+08:00');
      const to = number();
      const evening = await queue({ to, text: '晚间通知', purpose: 'test.notice' });
      clock.set('2026-03-02T22:05:00+08:00'); // the outbox was late
      await sms.deliver(evening.id);
      expect(smsc.received(to)).toEqual([]);
      expect((await events(evening.id)).map((e) => e.run_at.toISOString())).toContain(new Date('2026-03-03T08:00:00+08:00').toISOString());
      clock.set('2026-03-03T08:00:00+08:00');
      await sms.deliver(evening.id);
      expect(smsc.received(to)).toHaveLength(1);
    } finally {
      clock.set('2026-03-02T10:00:00+08:00');
    }
  });

  it('leaves a message queued on a temporary failure (the outbox retries) and sends only the missing segments then', async () => {
    const to = number();
    const queued = await queue({ to, text: '重试'.repeat(50), purpose: 'test.retry' }); // 2 segments
    smsc.refuseNext(3, smpp.ESME_RTHROTTLED); // both first tries and one retry refused: one segment gives up, one goes
    await expect(sms.deliver(queued.id)).rejects.toMatchObject({ temporary: true });
    expect(await status(queued.id)).toBe('queued');
    const before = smsc.stats.accepted;
    await sms.deliver(queued.id);
    expect(smsc.stats.accepted - before).toBe(1);
    await settled(queued.id, 'delivered');
    expect(smsc.received(to)[0]!.text).toBe('重试'.repeat(50));
  });

  it('sends a message once when two nodes deliver it at the same time', async () => {
    const to = number();
    const queued = await queue({ to, text: '两个节点'.repeat(30), purpose: 'test.race' }); // 2 segments
    const otherNode = new SmsService(db, new AuditService(db), clock, new OutboxService(clock));
    const otherGateway = new SmppGateway({ host: '127.0.0.1', port: smsc.port, systemId: 'x', password: 'y', sourceAddr: '10690000', timeoutMs: 2_000 });
    otherNode.attach(otherGateway, null);
    try {
      const before = smsc.stats.accepted;
      await Promise.all([sms.deliver(queued.id), otherNode.deliver(queued.id)]);
      expect(smsc.stats.accepted - before).toBe(2); // each segment accepted once; a repeat is answered with its first id
      expect(smsc.received(to)).toHaveLength(1);
      await settled(queued.id, 'delivered');
      expect(await db.selectFrom('sms_segment').select('seq').where('message_id', '=', queued.id).execute()).toHaveLength(2);
    } finally {
      await otherGateway.close();
    }
  });

  it('queues many messages in one call: opt-out, quiet hours and receipts as for one; bad input writes nothing', async () => {
    const [a, b, opted, bad] = [number(), number(), number(), `1380000${String(randomInt(0, 1e2)).padStart(2, '0')}44`];
    await repo.insertOptOut(db, { number: opted, source: 'admin', note: null }, clock.now());
    const count = async () => Number((await db.selectFrom('sms_message').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await count();
    await expect(db.transaction().execute((trx) => sms.sendMany(trx, [{ to: a, text: '一' }, { to: '123', text: '二' }], 'test.bulk'))).rejects.toMatchObject({ code: 'sms.invalid_number', field: 'messages/1/to' });
    await expect(db.transaction().execute((trx) => sms.sendMany(trx, [{ to: a, text: '' }], 'test.bulk'))).rejects.toMatchObject({ field: 'messages/0/text' });
    expect(await count()).toBe(rows);

    const queued = await db.transaction().execute((trx) => sms.sendMany(trx, [{ to: a, text: '批量一' }, { to: `+86${b}`, text: '批量二'.repeat(30) }, { to: opted, text: '批量三' }, { to: bad, text: '批量四' }], 'test.bulk'));
    expect(queued.map((q) => [q.status, q.segments])).toEqual([['queued', 1], ['queued', 2], ['opted_out', 1], ['queued', 1]]);
    const batch = await db.selectFrom('job').select(['payload', 'unique_key']).where('name', '=', `outbox:${DELIVER_MANY_TOPIC}`).where('unique_key', '=', queued[0]!.id).executeTakeFirstOrThrow();
    expect((batch.payload as { ids: string[] }).ids).toEqual([queued[0]!.id, queued[1]!.id, queued[3]!.id]);
    expect(await worker.runOnce()).toBeGreaterThanOrEqual(1);
    expect(smsc.received(a).map((m) => m.text)).toEqual(['批量一']);
    expect(smsc.received(b)[0]).toMatchObject({ text: '批量二'.repeat(30), segments: 2 });
    expect(smsc.received(opted)).toEqual([]);
    await settled(queued[0]!.id, 'delivered');
    await settled(queued[1]!.id, 'delivered');
    await settled(queued[3]!.id, 'failed');
    await sms.deliverMany([queued[0]!.id]); // the batch again: nothing is sent twice
    expect(smsc.received(a)).toHaveLength(1);

    try {
      clock.set('2026-03-02T23:10:00+08:00');
      const night = await db.transaction().execute((trx) => sms.sendMany(trx, [{ to: number(), text: '夜间批量' }], 'test.bulk'));
      expect(night[0]!.holdUntil).toBe(new Date('2026-03-03T08:00:00+08:00').toISOString());
      const held = await db.selectFrom('job').select('run_at').where('unique_key', '=', night[0]!.id).where('name', '=', `outbox:${DELIVER_MANY_TOPIC}`).executeTakeFirstOrThrow();
      expect(held.run_at.toISOString()).toBe(night[0]!.holdUntil);
    } finally {
      clock.set('2026-03-02T10:00:00+08:00');
    }
  });

  it('forgets receipts that never matched a segment after a week', async () => {
    await repo.storeReceipts(db, [{ smscId: `stale-${number()}`, delivered: true, error: null }], new Date(clock.now().getTime() - 8 * 24 * 3600_000));
    expect(await sms.purgeReceipts()).toBeGreaterThanOrEqual(1);
  });

  it('fails a message the centre refuses for good', async () => {
    const queued = await queue({ to: number(), text: '拒收', purpose: 'test.refused' });
    smsc.refuseNext(1, smpp.ESME_RINVDSTADR);
    await sms.deliver(queued.id);
    expect(await status(queued.id)).toBe('failed');
  });

  it('applies a receipt that arrived before its segment was written', async () => {
    const queued = await queue({ to: number(), text: '先到的回执', purpose: 'test.race' });
    await sms.storeReceipts([{ smscId: `early-${queued.id}`, delivered: true, error: null }]);
    await db.transaction().execute(async (trx) => {
      await repo.insertSegments(trx, [{ messageId: queued.id, seq: 1, smscId: `early-${queued.id}`, status: 'sent', error: null }], clock.now());
      await repo.setMessageState(trx, queued.id, { status: 'sent', sentAt: clock.now() });
      await repo.applyReceipts(trx, clock.now());
    });
    expect(await status(queued.id)).toBe('delivered');
    expect(await db.selectFrom('sms_receipt').select('smsc_id').where('smsc_id', '=', `early-${queued.id}`).execute()).toEqual([]);
  });

  it('puts a number that replies TD on the opt-out register', async () => {
    const from = number();
    expect(await smsc.reply(from, '10690000', 'TD')).toBe(0);
    expect(await repo.isOptedOut(db, from)).toBe(true);
    const other = number();
    await smsc.reply(other, '10690000', '谢谢');
    expect(await repo.isOptedOut(db, other)).toBe(false);
  });
});
