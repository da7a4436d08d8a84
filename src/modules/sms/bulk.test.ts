// The set-wise bulk queue (sendFromQuery) on the run's database: messages chosen by a query, opt-out and quiet hours
// as `send`, one outbox event per SEND_MANY_MAX messages, nothing written on a bad row, idempotent per id; and the
// SQL segment count against segments.ts.
import { randomInt, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { ManualClock } from '../../platform/clock.ts';
import { AuditService } from '../audit/index.ts';
import { testDb } from '../../../test/support/db.ts';
import { OutboxService } from '../jobs/index.ts';
import { DELIVER_MANY_TOPIC, SEND_MANY_MAX, SmsService } from './service.ts';
import type { BulkSourceRow } from './repository.ts';
import { segmentCount } from './segments.ts';

let db: Kysely<Database>;
let sms: SmsService;
const clock = new ManualClock('2026-03-02T10:00:00+08:00');
const number = () => `138${String(randomInt(0, 1e8)).padStart(8, '0')}`;

/** A source over literal rows (what a module's own table would give). */
const source = (rows: { id: string; to: string; text: string }[]) =>
  sql<BulkSourceRow>`SELECT v.id, v.to_number, v.body FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.to)}::text[], ${rows.map((r) => r.text)}::text[]) AS v(id, to_number, body)`;
const events = (ids: string[]) =>
  db.selectFrom('job').select(['payload', 'run_at']).where('name', '=', `outbox:${DELIVER_MANY_TOPIC}`).where('unique_key', 'in', ids).orderBy('created_at').execute();
const messages = (ids: string[]) => db.selectFrom('sms_message').select(['id', 'status', 'segments', 'hold_until', 'purpose']).where('id', 'in', ids).execute();

beforeAll(async () => {
  ({ db } = await testDb());
  sms = new SmsService(db, new AuditService(db), clock, new OutboxService(clock));
});

describe('sendFromQuery', () => {
  it('counts segments in SQL as segments.ts does (UCS-2, 67 a part, surrogate pairs kept whole)', async () => {
    const texts = ['', '短', 'x'.repeat(70), 'x'.repeat(71), '通'.repeat(134), '通'.repeat(135), `${'a'.repeat(66)}😀${'b'.repeat(10)}`, '😀'.repeat(35), '😀'.repeat(36), `${'a'.repeat(60)}😀`];
    const { rows } = await sql<{ n: number }>`SELECT sms_segment_count(t) AS n FROM unnest(${texts}::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i`.execute(db);
    expect(rows.map((r) => Number(r.n))).toEqual(texts.map(segmentCount));
  });

  it('checks a number in SQL (sms_is_mobile) as the module\'s pattern does for a number kept as 11 digits', async () => {
    const numbers = ['13800138000', '19912345678', '12800138000', '1380013800', '138001380000', '23800138000', '1380013800x', ' 3800138000', '+8613800138', '１3800138000', '1３800138000', '', '10000000000', '17000000000'];
    const { rows } = await sql<{ ok: boolean }>`SELECT sms_is_mobile(t) AS ok FROM unnest(${numbers}::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i`.execute(db);
    expect(rows.map((r) => r.ok)).toEqual(numbers.map((n) => /^1[3-9][0-9]{9}$/.test(n)));
    const { rows: none } = await sql<{ ok: boolean | null }>`SELECT sms_is_mobile(NULL) AS ok`.execute(db);
    expect(none[0]!.ok).toBeNull();
  });

  it('gives messages time-ordered ids (UUID version 7, RFC 9562): a later message sorts after an earlier one', async () => {
    const next = async () => (await sql<{ id: string; ms: string }>`SELECT uuid_v7()::text AS id, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint::text AS ms`.execute(db)).rows[0]!;
    const a = await next();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const b = await next();
    for (const { id, ms } of [a, b]) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // the first 48 bits are the Unix time in milliseconds
      expect(Math.abs(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16) - Number(ms))).toBeLessThan(1_000);
    }
    expect(a.id < b.id).toBe(true);
    const { rows } = await sql<{ d: string }>`SELECT column_default AS d FROM information_schema.columns WHERE table_name = 'sms_message' AND column_name = 'id'`.execute(db);
    expect(rows[0]!.d).toContain('uuid_v7');
  });

  it('queues what the query selects: opted-out numbers recorded, segments counted, one outbox event per batch of ids', async () => {
    const opted = number();
    await db.insertInto('sms_opt_out').values({ number: opted, source: 'admin', created_at: clock.now() }).execute();
    const rows = Array.from({ length: SEND_MANY_MAX + 2 }, (_, i) => ({ id: randomUUID(), to: i === 1 ? opted : number(), text: i === 0 ? '长'.repeat(100) : `批量通知${i}` }));
    const result = await db.transaction().execute((trx) => sms.sendFromQuery(trx, source(rows), 'test.bulk_query'));
    expect(result).toEqual({ queued: SEND_MANY_MAX + 1, optedOut: 1 });
    const written = new Map((await messages(rows.map((r) => r.id))).map((m) => [m.id, m]));
    expect(written.get(rows[0]!.id)).toMatchObject({ status: 'queued', segments: 2, hold_until: null, purpose: 'test.bulk_query' });
    expect(written.get(rows[1]!.id)).toMatchObject({ status: 'opted_out' });
    const batches = await events(rows.map((r) => r.id));
    expect(batches).toHaveLength(2);
    const ids = batches.flatMap((b) => (b.payload as { ids: string[] }).ids).sort();
    expect(ids).toEqual(rows.filter((r) => r.to !== opted).map((r) => r.id).sort());
    // the same ids again: nothing new
    expect(await db.transaction().execute((trx) => sms.sendFromQuery(trx, source(rows.slice(0, 3)), 'test.bulk_query'))).toEqual({ queued: 0, optedOut: 0 });
  });

  it('holds messages queued in quiet hours until 08:00', async () => {
    clock.set('2026-03-02T23:30:00+08:00');
    try {
      const rows = [{ id: randomUUID(), to: number(), text: '夜间通知' }];
      await db.transaction().execute((trx) => sms.sendFromQuery(trx, source(rows), 'test.bulk_query'));
      const morning = new Date('2026-03-03T08:00:00+08:00').toISOString();
      expect((await messages([rows[0]!.id]))[0]!.hold_until?.toISOString()).toBe(morning);
      expect((await events([rows[0]!.id]))[0]!.run_at.toISOString()).toBe(morning);
    } finally {
      clock.set('2026-03-02T10:00:00+08:00');
    }
  });

  it('refuses a bad number or text, writing nothing', async () => {
    const good = { id: randomUUID(), to: number(), text: '好' };
    for (const [bad, code] of [
      [{ id: randomUUID(), to: '12345', text: '坏号码' }, 'sms.invalid_number'],
      [{ id: randomUUID(), to: number(), text: '  ' }, 'sms.invalid_text'],
      [{ id: randomUUID(), to: number(), text: 'x'.repeat(671) }, 'sms.invalid_text'],
    ] as const) {
      await expect(db.transaction().execute((trx) => sms.sendFromQuery(trx, source([good, bad]), 'test.bulk_query'))).rejects.toMatchObject({ code, field: 'messages' });
    }
    expect(await messages([good.id])).toEqual([]);
    await expect(db.transaction().execute((trx) => sms.sendFromQuery(trx, source([good]), 'Bad Purpose'))).rejects.toMatchObject({ code: 'sms.invalid_purpose' });
  });
});
