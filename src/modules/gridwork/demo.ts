// Demo grid work in the demo grid worker's community: visits to a few 重点人群 residents and incidents in each state
// (reported, dispatched — one overdue —, returned, concluded). Written through the service as the system actor, once:
// nothing is written when the first demo incident exists.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { DemoOptions } from '../../platform/module.ts';
import { systemActorContext } from '../../shared/context.ts';
import * as repo from './repository.ts';
import type { GridworkService } from './service.ts';

const INCIDENTS = [
  { category: 'safety_hazard', description: '3 号楼楼道堆放纸箱杂物，堵塞消防通道，存在火灾隐患。', address: '3 号楼 2 单元楼道', then: 'dispatch' },
  { category: 'municipal', description: '小区东门路灯损坏两盏，夜间照明不足。', address: '小区东门', then: 'overdue' },
  { category: 'dispute', description: '5 号楼 301 与 401 住户因漏水问题发生纠纷，需协调处理。', address: '5 号楼 1 单元', then: 'conclude' },
  { category: 'livelihood', description: '独居老人反映冬季供暖温度偏低。', address: '7 号楼 102', then: 'return' },
  { category: 'sanitation', description: '垃圾分类投放点周边垃圾满溢，未及时清运。', address: '小区北侧垃圾投放点', then: 'none' },
] as const;

export async function seedGridworkDemo(db: Kysely<Database>, clock: Clock, service: GridworkService, options: DemoOptions, workerName = 'grid.worker', keyPrefix = 'demo'): Promise<void> {
  if (await db.selectFrom('gridwork_incident').select('id').where('client_key', '=', `${keyPrefix}-incident-0`).executeTakeFirst()) return;
  const worker = await db
    .selectFrom('app_user as u')
    .innerJoin('role_grant as g', 'g.user_id', 'u.id')
    .innerJoin('region as r', 'r.code', 'g.region_code')
    .select(['r.code', 'r.path', 'r.parent_code'])
    .where('u.username', '=', workerName)
    .where('g.role', '=', 'community_worker')
    .where('r.level', '=', 4)
    .executeTakeFirst();
  if (!worker?.parent_code) return;
  options.onStep?.('gridwork: demo visits and incidents');
  const ctx = systemActorContext();

  // visits to the community's residents of key groups (as many as the registry's demo provides, at most 6)
  const residents = await db
    .selectFrom('community_resident as r')
    .innerJoin('community_resident_label as l', 'l.resident_id', 'r.id')
    .select('r.id')
    .distinct()
    .where('r.community_code', '=', worker.code)
    .where('r.status', '=', 'active')
    .orderBy('r.id')
    .limit(6)
    .execute();
  const now = clock.now().getTime();
  for (const [i, r] of residents.entries()) {
    // some visited recently, some long ago (due again)
    const daysAgo = [2, 5, 12, 40, 95, 120][i]!;
    await service.recordVisit(ctx, {
      residentId: r.id,
      kind: i % 3 === 1 ? 'phone' : 'home',
      visitedAt: new Date(now - daysAgo * 86_400_000).toISOString(),
      notes: ['身体状况良好，生活能自理。', '电话回访，反映药品短缺，已联系社区卫生站。', '家中取暖正常，叮嘱注意用电安全。'][i % 3]!,
      clientKey: `${keyPrefix}-visit-${i}`,
    });
  }

  const street = await db.selectFrom('region').select('path').where('code', '=', worker.parent_code).executeTakeFirstOrThrow();
  const departments = await repo.dispatchDepartments(db, street.path, undefined, 100);
  const department = departments.find((d) => /城市管理|城管|住房|住建/.test(d.name)) ?? departments.find((d) => d.region_code !== worker.parent_code) ?? departments[0];
  for (const [i, demo] of INCIDENTS.entries()) {
    const { incident } = await service.report(ctx, { category: demo.category, description: demo.description, address: demo.address, communityCode: worker.code, clientKey: `${keyPrefix}-incident-${i}` });
    if (demo.then === 'none' || !department) continue;
    await service.transition(ctx, incident.id, 'dispatch', { departmentId: department.id, workingDays: demo.then === 'overdue' ? 1 : 5 });
    if (demo.then === 'overdue') {
      // dispatched two weeks ago with a one-working-day deadline: shown overdue (derived when read)
      await db.updateTable('gridwork_incident').set({ deadline: new Date(now - 13 * 86_400_000).toISOString().slice(0, 10), dispatched_at: new Date(now - 14 * 86_400_000) }).where('id', '=', incident.id).execute();
    } else if (demo.then === 'conclude') {
      await service.transition(ctx, incident.id, 'conclude', { note: '已约双方到社区调解室调解，物业维修漏水管道，双方达成一致。' });
    } else if (demo.then === 'return') {
      await service.transition(ctx, incident.id, 'return', { note: '供暖问题请联系热力公司报修，或补充具体室温测量记录后重新上报。' });
    }
  }
}
