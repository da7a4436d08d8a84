// Demo data of electronic supervision: after approval's demo (registry order), one sweep on the demo's date fires the
// warnings and cards its cases earn; then a few 督办 orders and 说明理由 in various states, written through the
// service as the system actor. Skipped when any order exists.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DemoOptions } from '../../platform/module.ts';
import { systemActorContext } from '../../shared/context.ts';
import type { SupervisionService } from './service.ts';

export async function seedSupervisionDemo(db: Kysely<Database>, service: SupervisionService, options: DemoOptions): Promise<void> {
  if (await db.selectFrom('supervision_order').select('id').limit(1).executeTakeFirst()) return;
  options.onStep?.('电子监察：规则扫描');
  await service.engine.sweep();
  const cards = await db
    .selectFrom('supervision_warning')
    .select(['id', 'level', 'summary'])
    .where('level', 'in', ['yellow', 'red'])
    .where('state', '=', 'open')
    .orderBy('fired_at')
    .limit(6)
    .execute();
  if (cards.length === 0) return;
  const ctx = systemActorContext();
  const contents = ['该办件已超期，请于期限内书面说明原因并提出整改措施。', '请核查超期原因，督促承办人员尽快办结并反馈结果。', '请对照承诺时限开展自查，举一反三完善内部流程。'];
  const orders = [];
  for (const [i, card] of cards.slice(0, 3).entries()) {
    orders.push(await service.issueOrder(ctx, { warningId: card.id, content: contents[i]!, deadlineDays: 3 + i }));
  }
  // one answered and rectified, one answered and waiting, one still issued
  if (orders[0]) {
    await service.respondOrder(ctx, orders[0].id, '已约谈承办人员，办件已于次日办结，并修订内部审批流程。');
    await service.decideOrder(ctx, orders[0].id, 'rectified', '整改到位');
  }
  if (orders[1]) await service.respondOrder(ctx, orders[1].id, '因申请人补正材料延误，已电话催办，预计三个工作日内办结。');
  // explanations: one accepted (the card closes), one pending
  const rest = cards.slice(3);
  if (rest[0]) {
    const e = await service.explain(ctx, rest[0].id, '该事项涉及现场勘验，勘验单位排期延后，已附勘验通知书。');
    await service.decideExplanation(ctx, e.id, true, null);
  }
  if (rest[1]) await service.explain(ctx, rest[1].id, '系统升级期间无法出证，已于恢复后当日办结。');
}
