// Signed checkpoints outside the database: losing the newest records, or rewriting them, is detected.
import { createPublicKey, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInWith, testApp } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { inRolledBackTransaction } from '../../../test/support/rollback.ts';
import type { Database } from '../../db/schema.ts';
import { systemContext } from '../../shared/context.ts';
import { CheckpointStore } from './checkpoints.ts';
import { AuditService } from './service.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let dir: string;

beforeAll(async () => {
  ({ db } = await testDb());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-checkpoints-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function store(name: string, publicKeyFile?: string) {
  return new CheckpointStore({ file: path.join(dir, `${name}.log`), signingKeyFile: path.join(dir, `${name}.pem`), publicKeyFile });
}

async function append(trx: Transaction<Database>, service: AuditService, n: number, tag: string) {
  for (let i = 0; i < n; i++) await service.record(trx, systemContext(), { action: 'test.event', objectId: `${tag}${i}` });
}

/** What an attacker with the table owner's rights does: drop the newest records and move the head back. */
async function dropTail(trx: Transaction<Database>, toSeq: string) {
  await sql`SET CONSTRAINTS ALL IMMEDIATE`.execute(trx);
  await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(trx);
  await sql`ALTER TABLE audit_head DISABLE TRIGGER audit_head_no_rewrite`.execute(trx);
  const back = await trx.selectFrom('audit_log').select('hash').where('seq', '=', toSeq).executeTakeFirstOrThrow();
  await trx.deleteFrom('audit_log').where('seq', '>', toSeq).execute();
  await trx.updateTable('audit_head').set({ seq: toSeq, hash: back.hash }).where('id', '=', 1).execute();
  await sql`ALTER TABLE audit_head ENABLE TRIGGER audit_head_no_rewrite`.execute(trx);
  await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(trx);
  // back to the deferred check at commit that appends rely on
  await sql`SET CONSTRAINTS ALL DEFERRED`.execute(trx);
}

describe('checkpoint file', () => {
  it('creates the Ed25519 key once (mode 0600), signs each line, and refuses a line it did not sign', () => {
    const a = store('a');
    const written = a.append({ seq: '7', hash: 'f'.repeat(64) }, new Date('2026-11-27T00:00:00Z'));
    expect((fs.statSync(path.join(dir, 'a.pem')).mode & 0o777).toString(8)).toBe('600');
    // a second process reads the same key
    expect(store('a').latest()).toEqual({ checkpoint: written });
    const { pem } = a.publicKeyPem();
    const signed = Buffer.from(`govcloud-audit-checkpoint-v1\n7\n${'f'.repeat(64)}\n2026-11-27T00:00:00.000Z\n`);
    expect(verify(null, signed, createPublicKey(pem), Buffer.from(written.signature, 'base64'))).toBe(true);
    // a forged line appended by someone without the key
    fs.appendFileSync(path.join(dir, 'a.log'), `${JSON.stringify({ ...written, seq: '3' })}\n`);
    expect(store('a').latest()).toMatchObject({ checkpoint: null, problem: expect.stringMatching(/signature does not verify/) });
    // verification with only the public key (another machine)
    fs.writeFileSync(path.join(dir, 'a.pub'), pem);
    const b = store('b', path.join(dir, 'a.pub'));
    expect(b.latest()).toEqual({ checkpoint: null });
    fs.copyFileSync(path.join(dir, 'a.log'), path.join(dir, 'b.log'));
    expect(b.latest().problem).toMatch(/signature does not verify/);
  });
});

describe('verify against the newest checkpoint', () => {
  it('reports the newest records removed (head rolled back below the checkpoint), then a rewritten tail', async () => {
    const checkpoints = store('chain');
    await inRolledBackTransaction(db, async (trx) => {
      const service = new AuditService(trx, { checkpoints });
      await append(trx, service, 2, 'kept');
      const kept = await trx.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
      await append(trx, service, 3, 'lost');
      const cp = (await service.checkpoint())!;
      expect(cp.seq).toBe((BigInt(kept.seq) + 3n).toString());
      expect(await service.verify()).toMatchObject({ ok: true, checkpoint: { seq: cp.seq } });

      await dropTail(trx, kept.seq);
      // the chain on its own is consistent again: only the checkpoint shows the loss
      expect(await new AuditService(trx).verify()).toMatchObject({ ok: true, headSeq: kept.seq });
      const lost = await service.verify();
      expect(lost).toMatchObject({ ok: false, brokenAt: { seq: (BigInt(kept.seq) + 1n).toString() } });
      expect(lost.brokenAt!.reason).toMatch(new RegExp(`ends at ${kept.seq} but the checkpoint .* covers ${cp.seq}: the newest 3 record\\(s\\) were removed`));

      // new records in place of the removed ones: the head is back at the checkpoint's seq, with another hash
      await append(trx, service, 3, 'forged');
      const rewritten = await service.verify();
      expect(rewritten).toMatchObject({ ok: false, brokenAt: { seq: cp.seq, reason: expect.stringMatching(/differs from the checkpoint .* rewritten/) } });
    });
  });
});

describe('checkpoint API', () => {
  it('writes a checkpoint on demand, publishes the key, and verify compares with it; closed without audit.read', async () => {
    await testApp();
    const auditor = await signedInWith([{ role: 'auditor', regionCode: '6505' }]);
    const res = await auditor.post('/api/audit/checkpoints');
    expect(res.statusCode).toBe(201);
    const cp = res.json();
    const key = (await auditor.get('/api/audit/checkpoints/public-key')).json();
    const signed = Buffer.from(`govcloud-audit-checkpoint-v1\n${cp.seq}\n${cp.hash}\n${cp.at}\n`);
    expect(verify(null, signed, createPublicKey(key.pem), Buffer.from(cp.signature, 'base64'))).toBe(true);
    expect(cp.keyId).toBe(key.keyId);
    const verified = (await auditor.post('/api/audit/verify')).json();
    expect(verified).toMatchObject({ ok: true, checkpoint: { seq: cp.seq, hash: cp.hash } });
    const recorded = await db.selectFrom('audit_log').select(['action', 'object_id']).where('action', '=', 'audit.checkpoint').where('object_id', '=', cp.seq).execute();
    expect(recorded).toHaveLength(1);
    const staff = await signedInWith([{ role: 'department_staff', regionCode: '6505' }]);
    expect((await staff.post('/api/audit/checkpoints')).statusCode).toBe(403);
  });
});
