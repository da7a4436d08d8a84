// The audit trail: chained, append-only, verifiable, browsable within a jurisdiction.
import { sql, type Transaction } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { disableAuditLogGuard, inRolledBackTransaction } from '../../../test/support/rollback.ts';
import { newUser } from '../../../test/support/factories.ts';
import type { Database } from '../../db/schema.ts';
import { systemContext } from '../../shared/context.ts';
import { canonicalJson, chainHash, GENESIS_HASH } from './chain.ts';
import { AuditService } from './service.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: Awaited<ReturnType<typeof testApp>>['app'];

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app } = await testApp());
});

async function appendSome(trx: Transaction<Database>, n: number): Promise<string[]> {
  const service = new AuditService(trx);
  const ctx = systemContext();
  for (let i = 0; i < n; i++) await service.record(trx, ctx, { action: 'test.event', objectType: 'thing', objectId: String(i), detail: { i, nested: { b: 1, a: [2, 'x'] } } });
  const rows = await trx.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(n).execute();
  return rows.map((r) => r.seq).reverse();
}

describe('hash chain', () => {
  it('canonicalises JSON so key order cannot change a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    const content = { seq: '1', at: new Date(0), actorId: null, actorName: null, role: null, departmentId: null, action: 'a', objectType: null, objectId: null, regionCode: null, outcome: 'success', clientAddr: null, requestId: null, detail: null };
    expect(chainHash(GENESIS_HASH, content)).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, { ...content, action: 'b' })).not.toBe(chainHash(GENESIS_HASH, content));
  });

  it('links each record to the one before and verifies intact', async () => {
    await inRolledBackTransaction(db, async (trx) => {
      const seqs = await appendSome(trx, 3);
      const rows = await trx.selectFrom('audit_log').select(['seq', 'prev_hash', 'hash']).where('seq', 'in', seqs).orderBy('seq').execute();
      expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
      expect(rows[2]!.prev_hash).toBe(rows[1]!.hash);
      expect(await new AuditService(trx).verify()).toMatchObject({ ok: true });
    });
  });

  it('is append-only: the database refuses UPDATE and DELETE', async () => {
    await inRolledBackTransaction(db, async (trx) => {
      const [seq] = await appendSome(trx, 1);
      await expect(sql`SAVEPOINT s1; `.execute(trx).then(() => sql`UPDATE audit_log SET action = 'x' WHERE seq = ${seq}`.execute(trx))).rejects.toThrow(/append-only/);
      await sql`ROLLBACK TO SAVEPOINT s1`.execute(trx);
      await sql`SAVEPOINT s2`.execute(trx);
      await expect(sql`DELETE FROM audit_log WHERE seq = ${seq}`.execute(trx)).rejects.toThrow(/append-only/);
      await sql`ROLLBACK TO SAVEPOINT s2`.execute(trx);
    });
  });

  it('reports the first broken link after an edit', async () => {
    await inRolledBackTransaction(db, async (trx) => {
      const seqs = await appendSome(trx, 4);
      await disableAuditLogGuard(trx);
      await sql`UPDATE audit_log SET object_id = 'forged' WHERE seq = ${seqs[1]}`.execute(trx);
      const result = await new AuditService(trx).verify();
      expect(result.ok).toBe(false);
      expect(result.brokenAt).toMatchObject({ seq: seqs[1], reason: expect.stringMatching(/altered/) });
    });
  });

  it('reports a deleted record in the middle and at the end', async () => {
    await inRolledBackTransaction(db, async (trx) => {
      const seqs = await appendSome(trx, 4);
      await disableAuditLogGuard(trx);
      await sql`DELETE FROM audit_log WHERE seq = ${seqs[3]}`.execute(trx);
      const tail = await new AuditService(trx).verify();
      expect(tail).toMatchObject({ ok: false, brokenAt: { seq: seqs[3] } });
      await sql`DELETE FROM audit_log WHERE seq = ${seqs[1]}`.execute(trx);
      const middle = await new AuditService(trx).verify();
      expect(middle).toMatchObject({ ok: false, brokenAt: { seq: seqs[1], reason: expect.stringMatching(/missing/) } });
    });
  });

  it('keeps the shared chain intact after everything the suite has done', async () => {
    expect(await new AuditService(db).verify()).toMatchObject({ ok: true });
  });
});

describe('audit browsing', () => {
  it('shows an auditor only the records of their jurisdiction, newest first, with a cursor', async () => {
    const yizhou = await newUser(db, { regionCode: '650502', grants: [{ role: 'auditor', regionCode: '650502' }] });
    const barkol = await newUser(db, { regionCode: '650521', grants: [{ role: 'department_staff', regionCode: '650521' }] });
    await login(app, barkol.username, barkol.password); // writes an auth.login record in 650521
    const client = await login(app, yizhou.username, yizhou.password);
    const page = await client.get('/api/audit?limit=5');
    expect(page.statusCode).toBe(200);
    const body = page.json();
    expect(body.items.length).toBeGreaterThan(0);
    for (const item of body.items) expect(item.regionCode.startsWith('650502')).toBe(true);
    const seqs = body.items.map((i: { seq: string }) => BigInt(i.seq));
    expect([...seqs].sort((a, b) => (a > b ? -1 : 1))).toEqual(seqs);
    const barkolLogins = await client.get(`/api/audit?actorId=${barkol.id}`);
    expect(barkolLogins.json().items).toEqual([]);
    const bad = await client.get('/api/audit?from=yesterday');
    expect(bad.json()).toMatchObject({ code: 'request.invalid', field: 'from' });
  });

  it('is closed to roles without audit.read', async () => {
    const staff = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '6505' }] });
    const client = await login(app, staff.username, staff.password);
    const res = await client.get('/api/audit');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.forbidden');
  });

  it('verifies the chain on request and audits the check', async () => {
    const auditor = await newUser(db, { grants: [{ role: 'auditor', regionCode: '6505' }] });
    const client = await login(app, auditor.username, auditor.password);
    const res = await client.post('/api/audit/verify', {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true });
    const last = await db.selectFrom('audit_log').select(['action', 'actor_id']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last).toEqual({ action: 'audit.verify', actor_id: auditor.id });
  });
});
