// ItemService.createMany (the demo, imports): items checked as create checks them, errors naming `<index>/<field>`
// with nothing written, and one audit record per region listing the batch.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, uniq } from '../../../test/support/factories.ts';
import { systemActorContext } from '../../shared/context.ts';
import type { ApprovalService } from './index.ts';
import type { NewItem } from './schema.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let approval: ApprovalService;
let dept: { id: string };
beforeAll(async () => {
  ({ db } = await testDb());
  const { services } = await testApp();
  approval = services.approval as ApprovalService;
  dept = await newDepartment(db, { regionCode: '650502' });
});

const item = (over: Partial<NewItem> = {}): NewItem => ({
  code: uniq('SXB'),
  name: '食品经营许可证核发',
  departmentId: dept.id,
  kind: 'licence',
  legalBasis: '《中华人民共和国食品安全法》第三十五条',
  statutoryDays: 20,
  promisedDays: 10,
  materials: [{ name: '申请书' }, { name: '营业执照', required: false }],
  steps: [{ step: 'accept', limitDays: 5 }, { step: 'review' }, { step: 'deliver', limitDays: 10 }],
  ...over,
});
const stored = async (codes: string[]) => (await db.selectFrom('approval_item').select('id').where('code', 'in', codes).execute()).length;

describe('items in bulk', () => {
  it('writes items with their materials and steps in input order, audited once for the region', async () => {
    const batch = [item(), item({ name: '公共场所卫生许可证核发', materials: [], steps: [{ step: 'accept' }] })];
    const ids = await approval.items.createMany(systemActorContext(), batch);
    expect(ids).toHaveLength(2);
    const ctx = systemActorContext();
    const [first, second] = await Promise.all(ids.map((id) => approval.items.get(ctx, id)));
    expect(first).toMatchObject({ code: batch[0]!.code, version: 1, regionCode: '650502' });
    expect(first!.materials.map((m) => [m.seq, m.name, m.required])).toEqual([[1, '申请书', true], [2, '营业执照', false]]);
    expect(first!.steps.map((s) => [s.step, s.limitDays])).toEqual([['accept', 5], ['review', null], ['deliver', 10]]);
    expect(second).toMatchObject({ code: batch[1]!.code, materials: [], steps: [{ step: 'accept', name: '受理' }] });
    const audit = await sql<{ detail: { ids: string[]; codes: string[] } }>`SELECT detail FROM audit_log WHERE action = 'approval.item.create_many' AND detail->'ids' ? ${ids[0]!}`.execute(db);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.detail).toMatchObject({ ids, codes: batch.map((b) => b.code) });
  });

  it('refuses a bad batch naming the item and field, and writes nothing', async () => {
    const ctx = systemActorContext();
    const taken = item();
    await approval.items.createMany(ctx, [taken]);
    const cases: [NewItem[], object][] = [
      [[item(), item({ promisedDays: 30 })], { code: 'approval.invalid_limits', field: '1/promisedDays' }],
      [[item(), item({ steps: [{ step: 'review' }, { step: 'accept' }] })], { code: 'approval.invalid_steps', field: '1/steps' }],
      [[item({ code: 'SXB-TWICE' }), item({ code: 'SXB-TWICE' })], { code: 'approval.duplicate_code', field: '1/code' }],
      [[item(), item({ code: taken.code })], { code: 'approval.duplicate_code', field: '1/code' }],
      [[item({ departmentId: '00000000-0000-4000-8000-000000000000' })], { code: 'approval.unknown_department', field: '0/departmentId' }],
    ];
    for (const [batch, expected] of cases) {
      await expect(approval.items.createMany(ctx, batch)).rejects.toMatchObject(expected);
      expect(await stored(batch.map((b) => b.code).filter((c) => c !== taken.code))).toBe(0);
    }
  });
});
