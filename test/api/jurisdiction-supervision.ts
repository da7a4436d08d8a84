// Jurisdiction probes of the supervision routes (issue 9), mounted by jurisdiction.test.ts: warnings, counts, orders,
// explanations and a case's ledger of the other county's community are not shown to the worker of mine (a leader there).
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { SupervisionService } from '../../src/modules/supervision/service.ts';
import { systemActorContext } from '../../src/shared/context.ts';
import type { Client } from '../support/app.ts';
import { newCase, newItem } from '../support/approval-factories.ts';
import { allPages } from '../support/paging.ts';

export interface SupervisionProbeContext {
  db: Kysely<Database>;
  supervision: SupervisionService;
  /** Holds leader (so supervision.read) over `mine` only. */
  worker: Client;
  mine: { code: string };
  theirs: { code: string };
}

export function supervisionProbes(ctx: () => SupervisionProbeContext): Record<string, () => Promise<void>> {
  type Made = { caseId: string; warningId: string; orderId: string; explanationId: string };
  let made: Promise<{ mine: Made; theirs: Made }> | undefined;
  const one = async (regionCode: string): Promise<Made> => {
    const { db, supervision } = ctx();
    const item = await newItem(db, { regionCode, name: '探针事项' });
    const c = await newCase(db, item, { state: 'reviewing', appliedOn: '2026-11-02', registeredAt: new Date('2026-11-02T10:00:00+08:00'), promisedDue: '2026-11-16', statutoryDue: '2026-12-31' });
    await db.transaction().execute((trx) => supervision.engine.evaluateCase(trx, c.id, '2026-11-25'));
    const warning = await db.selectFrom('supervision_warning').select('id').where('subject_id', '=', c.id).where('rule', '=', 'promised.passed').executeTakeFirstOrThrow();
    const order = await supervision.issueOrder(systemActorContext(), { caseId: c.id, content: '探针督办', deadlineDays: 3 });
    const explanation = await supervision.explain(systemActorContext(), warning.id, '探针说明');
    return { caseId: c.id, warningId: warning.id, orderId: order.id, explanationId: explanation.id };
  };
  const setup = () => (made ??= (async () => ({ mine: await one(ctx().mine.code), theirs: await one(ctx().theirs.code) }))());
  const ids = async (url: string) => ((await ctx().worker.get(url)).json() as { id: string }[]).map((r) => r.id);
  return {
    'GET /api/supervision/warnings': async () => {
      const { mine, theirs } = await setup();
      const seen = await ids('/api/supervision/warnings?limit=200&rule=promised.passed&state=explained');
      expect(seen).toContain(mine.warningId);
      expect(seen).not.toContain(theirs.warningId);
    },
    'GET /api/supervision/overview': async () => {
      await setup();
      const { counties } = (await ctx().worker.get('/api/supervision/overview')).json() as { counties: { code: string }[] };
      expect(counties.map((c) => c.code)).toEqual([ctx().mine.code.slice(0, 6)]);
    },
    'GET /api/supervision/cases/{id}': async () => {
      const { mine, theirs } = await setup();
      expect((await ctx().worker.get(`/api/supervision/cases/${mine.caseId}`)).statusCode).toBe(200);
      expect((await ctx().worker.get(`/api/supervision/cases/${theirs.caseId}`)).statusCode).toBe(404);
    },
    'GET /api/supervision/orders': async () => {
      const { mine, theirs } = await setup();
      const seen = await ids('/api/supervision/orders?limit=200');
      expect(seen).toContain(mine.orderId);
      expect(seen).not.toContain(theirs.orderId);
    },
    'GET /api/supervision/orders/{id}': async () => {
      const { mine, theirs } = await setup();
      expect((await ctx().worker.get(`/api/supervision/orders/${mine.orderId}`)).statusCode).toBe(200);
      expect((await ctx().worker.get(`/api/supervision/orders/${theirs.orderId}`)).statusCode).toBe(404);
    },
    'GET /api/supervision/explanations': async () => {
      const { mine, theirs } = await setup();
      const seen = (await allPages<{ id: string }>(ctx().worker, '/api/supervision/explanations?limit=500')).map((r) => r.id);
      expect(seen).toContain(mine.explanationId);
      expect(seen).not.toContain(theirs.explanationId);
    },
  };
}
