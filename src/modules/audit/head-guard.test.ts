// audit_head is protected like audit_log: the database lets it only advance onto the next linked record.
import { sql, type RawBuilder, type Transaction } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../../../test/support/db.ts';
import { disableAuditLogGuard, inRolledBackTransaction } from '../../../test/support/rollback.ts';
import type { Database } from '../../db/schema.ts';
import { systemContext } from '../../shared/context.ts';
import { chainHash } from './chain.ts';
import { contentOf } from './repository.ts';
import { AuditService } from './service.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];

beforeAll(async () => {
  ({ db } = await testDb());
});

let savepoints = 0;
/** Runs a statement that the database must refuse, under a savepoint so the transaction goes on. */
async function expectRefused(trx: Transaction<Database>, statement: RawBuilder<unknown>, message: RegExp): Promise<void> {
  const name = sql.raw(`refused_${++savepoints}`);
  await sql`SAVEPOINT ${name}`.execute(trx);
  await expect(statement.execute(trx)).rejects.toThrow(message);
  await sql`ROLLBACK TO SAVEPOINT ${name}`.execute(trx);
}

async function appendSome(trx: Transaction<Database>, n: number) {
  const service = new AuditService(trx);
  for (let i = 0; i < n; i++) await service.record(trx, systemContext(), { action: 'test.head', objectId: String(i), detail: { i } });
  return trx.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
}

describe('audit_head guard', () => {
  it('refuses DELETE, TRUNCATE and a second row', async () => {
    await inRolledBackTransaction(db, async (trx) => {
      await appendSome(trx, 1);
      await expectRefused(trx, sql`DELETE FROM audit_head`, /audit_head can only advance: DELETE/);
      await expectRefused(trx, sql`TRUNCATE audit_head`, /audit_head can only advance: TRUNCATE/);
      await expectRefused(trx, sql`INSERT INTO audit_head (id, seq, hash) VALUES (2, 0, repeat('0', 64))`, /INSERT refused/);
    });
  });

  it('refuses moving the head anywhere but onto the next linked record', async () => {
    await inRolledBackTransaction(db, async (trx) => {
      const head = await appendSome(trx, 3);
      const back = (BigInt(head.seq) - 1n).toString();
      const next = (BigInt(head.seq) + 1n).toString();
      const previous = await trx.selectFrom('audit_log').select('hash').where('seq', '=', back).executeTakeFirstOrThrow();
      await expectRefused(trx, sql`UPDATE audit_head SET seq = ${back}, hash = ${previous.hash}`, /can only advance/);
      await expectRefused(trx, sql`UPDATE audit_head SET hash = ${'f'.repeat(64)}`, /can only advance/);
      await expectRefused(trx, sql`UPDATE audit_head SET seq = ${next}, hash = ${'f'.repeat(64)}`, /can only advance/);
      expect(await trx.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow()).toEqual(head);
      expect(await new AuditService(trx).verify()).toMatchObject({ ok: true });
    });
  });

  it('refuses records out of order, re-inserted, or not linked to the head', async () => {
    await inRolledBackTransaction(db, async (trx) => {
      const head = await appendSome(trx, 2);
      const last = await trx.selectFrom('audit_log').selectAll().where('seq', '=', head.seq).executeTakeFirstOrThrow();
      const row = (seq: string, prevHash: string) =>
        sql`INSERT INTO audit_log (seq, at, action, outcome, prev_hash, hash) VALUES (${seq}, now(), 'forged', 'success', ${prevHash}, ${'e'.repeat(64)})`;
      const next = (BigInt(head.seq) + 1n).toString();
      await expectRefused(trx, row((BigInt(head.seq) + 5n).toString(), head.hash), /only the next record after the head/);
      await expectRefused(trx, row(next, last.prev_hash), /only the next record after the head/);
      await expectRefused(trx, row(head.seq, last.prev_hash), /only the next record after the head/);
      // linked correctly but leaving the head behind: refused when the transaction's constraints are checked
      await row(next, head.hash).execute(trx);
      await expectRefused(trx, sql`SET CONSTRAINTS audit_log_head_follows IMMEDIATE`, /without advancing audit_head/);
    });
  });

  it('refuses the head after a record was re-attributed and the chain recomputed', async () => {
    await inRolledBackTransaction(db, async (trx) => {
      const head = await appendSome(trx, 4);
      // an attacker who got past the log's own triggers rewrites a record and recomputes every hash after it
      await disableAuditLogGuard(trx);
      const first = (BigInt(head.seq) - 3n).toString();
      const rows = await trx.selectFrom('audit_log').selectAll().where('seq', '>=', first).orderBy('seq').execute();
      let prevHash = rows[0]!.prev_hash;
      for (const r of rows) {
        const forged = { ...r, actor_name: r.seq === first ? 'someone else' : r.actor_name, prev_hash: prevHash };
        const hash = chainHash(prevHash, contentOf(forged));
        await sql`UPDATE audit_log SET actor_name = ${forged.actor_name}, prev_hash = ${prevHash}, hash = ${hash} WHERE seq = ${r.seq}`.execute(trx);
        prevHash = hash;
      }
      await expectRefused(trx, sql`UPDATE audit_head SET hash = ${prevHash}`, /can only advance/);
      const result = await new AuditService(trx).verify();
      expect(result.ok).toBe(false);
      expect(result.brokenAt?.reason).toMatch(/head/);
    });
  });
});
