// Concurrent writes of items and cases (issue 9): two editors saving the same item, a case registered while its item
// is being edited, and a burst of identical submissions under one request key. On PGlite (one connection) the requests
// queue; on PostgreSQL (TEST_DATABASE_URL) they really overlap, and the gate below holds a registration open between
// its read of the item and the rest of its transaction while the edit runs.
import { AliasNode, SelectQueryNode, sql, TableNode, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalWorld, countRows, type ApprovalWorld } from '../../../test/api/approval-support.ts';
import { makeIdNumber } from '../../../test/support/community-factories.ts';
import { uniq } from '../../../test/support/factories.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { FileService } from '../files/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import { systemActorContext } from '../../shared/context.ts';
import { ApprovalService } from './index.ts';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await approvalWorld();
});
afterAll(() => w?.close());

const applicant = () => ({ applicantKind: 'citizen' as const, applicantName: '王建国', applicantIdNumber: makeIdNumber('1990-01-01', 'M'), applicantPhone: '13909021234' });

/** Pauses each query result from `table` until `hold` settles, while armed: a window between two statements. */
class Gate implements KyselyPlugin {
  private readonly marked = new WeakSet<object>();
  armed = false;
  hold: Promise<unknown> = Promise.resolve();
  reached: () => void = () => undefined;
  constructor(private readonly table: string) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const from = SelectQueryNode.is(args.node) ? args.node.from?.froms[0] : undefined;
    const table = from && AliasNode.is(from) ? from.node : from;
    if (table && TableNode.is(table) && table.table.identifier.name === this.table) this.marked.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.armed && this.marked.has(args.queryId)) {
      this.armed = false;
      this.reached();
      await this.hold;
    }
    return args.result;
  }
}

describe('concurrent item edits', () => {
  it('two editors saving the whole item at the same version: one is saved, the other gets 409 approval.stale', async () => {
    const admin = await w.as(w.admin);
    const item = (await admin.post('/api/approval/items', w.itemBody())).json();
    const whole = (over: Record<string, unknown>) => ({ version: item.version, name: item.name, kind: item.kind, legalBasis: '《中华人民共和国行政许可法》', statutoryDays: 20, promisedDays: 10, online: true, materials: [{ name: '申请书' }], steps: [{ step: 'accept', limitDays: 5 }, { step: 'review' }, { step: 'decide' }], ...over });
    const [a, b] = await Promise.all([admin.request('PUT', `/api/approval/items/${item.id}`, whole({ promisedDays: 8 })), admin.request('PUT', `/api/approval/items/${item.id}`, whole({ promisedDays: 6 }))]);
    expect([a.statusCode, b.statusCode].sort(), a.body + b.body).toEqual([200, 409]);
    const [won, lost] = a.statusCode === 200 ? [a, b] : [b, a];
    expect(lost.json()).toMatchObject({ status: 409, code: 'approval.stale', field: 'version', version: 2 });
    const now = (await admin.get(`/api/approval/items/${item.id}`)).json();
    expect(now).toMatchObject({ version: 2, promisedDays: won.json().promisedDays });
    expect(now.materials).toHaveLength(1);
    expect(now.steps).toHaveLength(3);
    expect(await countRows(w.db, sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'approval.item.update' AND object_id = ${item.id}`)).toBe(1);
  });

  it('a case registered while its item is edited takes one version of it: limits, step limits and version agree', async () => {
    const admin = await w.as(w.admin);
    const item = (await admin.post('/api/approval/items', w.itemBody({ statutoryDays: 20, promisedDays: 10, steps: [{ step: 'accept', limitDays: 5 }, { step: 'review' }, { step: 'deliver', limitDays: 10 }] }))).json();
    const gate = new Gate('approval_item');
    const { services } = w;
    const gated = new ApprovalService({
      db: w.db.withPlugin(gate),
      clock: w.clock,
      audit: services.audit as AuditService,
      outbox: services.outbox as OutboxService,
      calendar: services.calendar as CalendarService,
      files: services.files as FileService,
    });
    let release!: () => void;
    gate.hold = new Promise<void>((resolve) => (release = resolve));
    const reached = new Promise<void>((resolve) => (gate.reached = resolve));
    gate.armed = true;
    const registering = gated.cases.registerAtCounter(systemActorContext(), { itemId: item.id, ...applicant() });
    await reached;
    // the registration has read the item and waits; the edit now changes the limits and the steps together
    const editing = admin.request('PUT', `/api/approval/items/${item.id}`, { version: 1, statutoryDays: 30, promisedDays: 15, steps: [{ step: 'accept', limitDays: 2 }, { step: 'review' }, { step: 'deliver', limitDays: 3 }] });
    // on PostgreSQL the edit waits for the registration's lock on the item (before the fix it committed here)
    await Promise.race([editing, new Promise((r) => setTimeout(r, 500))]);
    release();
    const { id } = await registering;
    expect((await editing).statusCode).toBe(200);
    const c = await w.db.selectFrom('approval_case').select(['statutory_days', 'promised_days', 'step_limits', 'item_version']).where('id', '=', id).executeTakeFirstOrThrow();
    const seen = { statutory: c.statutory_days, promised: c.promised_days, steps: c.step_limits, version: c.item_version };
    const v1 = { statutory: 20, promised: 10, steps: { accept: 5, deliver: 10 }, version: 1 };
    const v2 = { statutory: 30, promised: 15, steps: { accept: 2, deliver: 3 }, version: 2 };
    expect([v1, v2]).toContainEqual(seen);
  });
});

describe('concurrent identical submissions', () => {
  it('eight at once under one request key make one case, and the case numbers keep no gap', async () => {
    const staff = await w.as(w.staff);
    const item = (await (await w.as(w.admin)).post('/api/approval/items', w.itemBody())).json();
    const key = uniq('burst-');
    const body = { itemId: item.id, ...applicant(), requestKey: key };
    const results = await Promise.all(Array.from({ length: 8 }, () => staff.post('/api/approval/cases', body)));
    expect(results.map((r) => r.statusCode).sort(), results.map((r) => r.body).join('\n')).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    expect(await countRows(w.db, sql<{ n: number }>`SELECT count(*)::int AS n FROM approval_case WHERE request_key = ${key}`)).toBe(1);
    // the next case takes the number after this one
    const first = results[0]!.json().caseNo as string;
    const next = (await staff.post('/api/approval/cases', { itemId: item.id, ...applicant() })).json().caseNo as string;
    expect(next.slice(0, -4)).toBe(first.slice(0, -4));
    expect(Number(next.slice(-4))).toBe(Number(first.slice(-4)) + 1);
  });
});
