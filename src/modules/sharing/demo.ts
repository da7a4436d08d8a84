// Demo data of the sharing module: a consuming system of 哈密市民政局 with known credentials, an approved grant on a
// person resource, pending requests (one due within two working days, one escalated), a refusal and unconditional
// grants. Idempotent: nothing is written when the demo client exists.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { DemoOptions } from '../../platform/module.ts';
import { systemActorContext } from '../../shared/context.ts';
import type { Sharing } from './module.ts';
import { beijingDate } from './service.ts';

/** Documented demo credentials of the demo consuming system (like DEMO_PASSWORD): never use them outside the demo. */
export const DEMO_CLIENT = Object.freeze({ clientId: 'gc_demo_hami_minzheng', secret: 'demo-secret-hami-minzheng-0123456789abcdef' });

export async function seedSharingDemo(db: Kysely<Database>, clock: Clock, sharing: Sharing, options: DemoOptions): Promise<void> {
  if (await db.selectFrom('client_app').select('id').where('client_id', '=', DEMO_CLIENT.clientId).executeTakeFirst()) return;
  const consumer = await db.selectFrom('department').select(['id', 'region_code']).where('name', 'like', '%民政局').where('region_code', '=', options.prefecture).orderBy('code').executeTakeFirst();
  if (!consumer) return;
  // person resources of other departments, with conditional and unconditional items (the catalogue's demo)
  const resources = await db
    .selectFrom('data_resource as r')
    .select(['r.id', 'r.code', 'r.provider_department_id'])
    .where('r.person_item', 'is not', null)
    .where('r.provider_department_id', '!=', consumer.id)
    .where('r.status', '=', 'published')
    .orderBy('r.code')
    .limit(6)
    .execute();
  options.onStep?.('sharing: demo consuming system and requests');
  const ctx = systemActorContext();
  const { client } = await sharing.clients.create(ctx, { name: '民政业务系统', description: '低保、特困人员审核比对（演示）', departmentId: consumer.id, ratePerMinute: 1200 }, DEMO_CLIENT);
  const today = beijingDate(clock.now());
  const periodTo = `${Number(today.slice(0, 4)) + 1}${today.slice(4, 10)}`.replace(/-02-29$/, '-02-28');
  const itemsOf = async (resourceId: string) => db.selectFrom('data_item').select(['code', 'share_type']).where('resource_id', '=', resourceId).orderBy('ord').execute();
  const base = { purpose: '最低生活保障对象资格核查', legalBasis: '《社会救助暂行办法》第十一条', consumerDepartmentId: consumer.id, periodFrom: today, periodTo };
  let n = 0;
  for (const r of resources) {
    const items = (await itemsOf(r.id)).filter((i) => i.share_type !== 'none');
    const conditional = items.filter((i) => i.share_type === 'conditional').map((i) => i.code);
    const all = items.map((i) => i.code);
    if (all.length === 0) continue;
    const key = `demo-${r.code}`;
    const { request } = await sharing.requests.submit(ctx, { ...base, resource: r.code, items: all, clientAppId: n === 0 ? client.id : null }, key);
    if (request.status !== 'pending') continue;
    if (n === 0) await sharing.requests.decide(ctx, request.id, { decision: 'approve' });
    else if (n === 1) await sharing.requests.decide(ctx, request.id, { decision: 'refuse', reason: '申请用途与所需信息项不相称，请缩小信息项范围后重新申请。' });
    else if (n === 2 && conditional.length > 0) {
      // due in two working days: as if submitted eight working days ago
      await db.updateTable('sharing_request').set({ deadline: sharing.requests.workingDaysFromToday(2) }).where('id', '=', request.id).execute();
    } else if (n === 3) {
      // overdue: the deadline passed yesterday; the deadline run escalates it to the authority
      await db.updateTable('sharing_request').set({ deadline: '2000-01-03' }).where('id', '=', request.id).execute();
    }
    n++;
  }
  await sharing.requests.runDeadlines();
}
