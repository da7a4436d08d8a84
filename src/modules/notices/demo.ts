// Demo of notices: two templates of the prefecture and one notice sent to the elderly of the grid worker's community
// (delivered by the in-process SMS centre once the outbox runs). Idempotent: nothing is written when a template exists.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { systemActorContext } from '../../shared/context.ts';
import type { NoticeService } from './service.ts';

export async function seedNoticesDemo(db: Kysely<Database>, notices: NoticeService): Promise<void> {
  if (await db.selectFrom('notice_template').select('id').limit(1).executeTakeFirst()) return;
  const root = await db.selectFrom('region').select('code').where('parent_code', 'is', null).orderBy('code').executeTakeFirst();
  if (!root) return;
  const ctx = systemActorContext();
  const checkup = await notices.createTemplate(ctx, {
    name: '老年人免费体检',
    body: '【哈密市政务云】{姓名}{称呼}您好：{社区}将于{时间}在{地点}为65岁以上老年人免费体检，请携带身份证。咨询：{联系电话}',
    regionCode: root.code,
  });
  await notices.createTemplate(ctx, { name: '医保缴费提醒', body: '【哈密市政务云】{姓名}{称呼}您好：城乡居民医保缴费将于{时间}截止，请及时缴费。{社区}', regionCode: root.code });
  // the grid worker's community, when the demo has one with residents
  const worker = await db
    .selectFrom('app_user as u')
    .innerJoin('role_grant as g', 'g.user_id', 'u.id')
    .select('g.region_code')
    .where('u.username', '=', 'grid.worker')
    .executeTakeFirst();
  if (!worker) return;
  const hasResidents = await db.selectFrom('community_resident').select('id').where('community_code', '=', worker.region_code).limit(1).executeTakeFirst();
  if (!hasResidents) return;
  const draft = await notices.create(ctx, {
    title: '65岁以上老年人免费体检通知',
    filter: { regionCode: worker.region_code, ageMin: 65 },
    templateId: checkup.id,
    fields: { 时间: '12月5日上午9:00—12:00', 地点: '社区卫生服务站', 联系电话: '0902-2231234' },
    channels: ['sms', 'inapp'],
    requestKey: 'demo-checkup-notice',
  });
  if (draft.status === 'draft') await notices.send(ctx, draft.id).catch(() => undefined);
}
