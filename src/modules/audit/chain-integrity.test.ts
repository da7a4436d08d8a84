// The chain hashes what the database stores: hostile or odd input cannot make verification fail, tampering still shows.
import { sql, type Transaction } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { disableAuditLogGuard, inRolledBackTransaction } from '../../../test/support/rollback.ts';
import type { Database } from '../../db/schema.ts';
import { systemContext } from '../../shared/context.ts';
import { storableJson, storableText } from './chain.ts';
import { appendAudit } from './repository.ts';
import { AuditService } from './service.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: Awaited<ReturnType<typeof testApp>>['app'];

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app } = await testApp());
});

const ODD_TEXT = [
  '\ud800', // lone high surrogate
  'x\udc00y', // lone low surrogate
  'a\u0000b', // NUL
  '😀 e\u0301 \u202eRTL\u202c \ufeff\u2028\u2029 \u00a0 𠮷', // astral, combining, bidi, BOM, separators
  '表'.repeat(150), // longer than any varchar column: stored truncated
  '',
];

const ODD_DETAIL = {
  z: 1,
  '10': 'ten',
  '2': 'two',
  B: { y: [3, { d: 1, c: 2 }], x: null },
  a: '\ud83d',
  'k\ud800': 'lone surrogate in a key',
  'n\u0000ul': 'nul in a key',
  é: 'e-acute',
  '': 'empty key',
  big: 2 ** 53 + 1,
  huge: 1e21,
  tiny: 1.5e-7,
  precise: 0.1 + 0.2,
  negZero: -0,
  notANumber: Number.NaN,
  bigint: 12345678901234567890n,
  when: new Date('2026-01-02T03:04:05.678Z'),
  skipped: undefined,
  deep: { l1: { l2: { l3: { l4: ['\u0000', '\udfff', { q: 1, p: 2 }] } } } },
};

async function appendOdd(trx: Transaction<Database>): Promise<string[]> {
  const seqs: string[] = [];
  for (const text of ODD_TEXT) {
    const { seq } = await appendAudit(trx, {
      actorId: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', // upper case: uuid columns store lower case
      actorName: text,
      role: text.slice(0, 40),
      departmentId: null,
      action: `test.odd${text.slice(0, 3)}`,
      objectType: text,
      objectId: text,
      regionCode: '6505',
      outcome: 'failure',
      clientAddr: text,
      requestId: text,
      detail: { text, ...ODD_DETAIL },
      at: new Date('2026-11-27T03:00:00.123Z'),
    });
    seqs.push(seq);
  }
  return seqs;
}

describe('storable text', () => {
  it('replaces lone surrogates and NUL and leaves well-formed text alone', () => {
    expect(storableText('a\ud800b\udc00c')).toBe('a\ufffdb\ufffdc');
    expect(storableText('a\u0000b')).toBe('a\u2400b');
    expect(storableText('😀𠮷e\u0301')).toBe('😀𠮷e\u0301');
    expect(storableJson({ 'k\ud800': [1n, Number.POSITIVE_INFINITY, undefined] })).toEqual({ 'k\ufffd': ['1', null, null] });
  });
});

describe('hash chain over odd input', () => {
  it('verifies intact after records with lone surrogates, NUL, odd Unicode, big numbers and unordered nested keys', async () => {
    await inRolledBackTransaction(db, async (trx) => {
      await appendOdd(trx);
      expect(await new AuditService(trx).verify()).toMatchObject({ ok: true });
    });
  });

  it('still detects tampering after such records', async () => {
    await inRolledBackTransaction(db, async (trx) => {
      const seqs = await appendOdd(trx);
      const service = new AuditService(trx);
      await service.record(trx, systemContext(), { action: 'test.after', detail: { n: 1 } });
      const after = await trx.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(await service.verify()).toMatchObject({ ok: true });
      await disableAuditLogGuard(trx);
      await sql`UPDATE audit_log SET detail = '{"n": 2}' WHERE seq = ${after.seq}`.execute(trx);
      expect(await service.verify()).toMatchObject({ ok: false, brokenAt: { seq: after.seq, reason: expect.stringMatching(/altered/) } });
      await sql`UPDATE audit_log SET actor_name = 'someone else' WHERE seq = ${seqs[0]}`.execute(trx);
      expect(await service.verify()).toMatchObject({ ok: false, brokenAt: { seq: seqs[0] } });
    });
  });

  it('a sign-in with a lone surrogate or NUL in the name does not break verification', async () => {
    const before = await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
    // (the boundary may also refuse such names with a 400; the chain must stay verifiable either way)
    for (const username of ['\ud800', '\udfff\ud800', 'x\ud800y']) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: JSON.stringify({ username, password: 'x' }), headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBeLessThan(500);
    }
    const after = await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
    expect(BigInt(after.seq)).toBeGreaterThanOrEqual(BigInt(before.seq));
    expect(await new AuditService(db).verify()).toMatchObject({ ok: true });
  });

  it('stays verifiable under 100 simultaneous appends with odd names, through the guarded head', async () => {
    const before = BigInt((await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq);
    const service = new AuditService(db);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        service.recordNow({ ...systemContext(), requestId: `odd-${i}` }, { action: 'test.concurrent', actorName: `n\ud800${i}\u0000`, detail: { i, ['k\udc00']: [i, { b: 2, a: 1 }] } }),
      ),
    );
    const after = BigInt((await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq);
    expect(after - before).toBeGreaterThanOrEqual(100n);
    expect(await service.verify()).toMatchObject({ ok: true });
  });
});
