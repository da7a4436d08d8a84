// Demo data of the feeds module: a pull subscription for the demo consuming system on a resource it holds a usable
// grant for (the sharing module's demo makes both). No webhook: the demo has no receiver to call.
import type { DemoOptions, ModuleDeps } from '../../platform/module.ts';
import { systemActorContext } from '../../shared/context.ts';
import type { FeedsService } from './service.ts';

export async function feedsDemo(deps: ModuleDeps & { service: FeedsService }, options: DemoOptions): Promise<void> {
  const { db, clock, service } = deps;
  options.onStep?.('数据订阅');
  const candidate = await db
    .selectFrom('data_grant as g')
    .innerJoin('share_grant as s', 's.id', 'g.share_id')
    .innerJoin('client_app as c', (join) => join.onRef('c.department_id', '=', 'g.consumer_department_id').on('c.status', '=', 'active'))
    .leftJoin('feed_subscription as f', (join) => join.onRef('f.share_id', '=', 'g.share_id').onRef('f.client_app_id', '=', 'c.id'))
    .select(['g.share_id', 'c.id as client_app_id', 'f.id as existing'])
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', clock.now())
    .where((eb) => eb.or([eb('g.client_app_id', 'is', null), eb('g.client_app_id', '=', eb.ref('c.id'))]))
    .orderBy('g.created_at')
    .limit(1)
    .executeTakeFirst();
  if (!candidate || candidate.existing !== null) return;
  await service.create({ ctx: systemActorContext() }, { clientAppId: candidate.client_app_id, shareId: candidate.share_id });
}
