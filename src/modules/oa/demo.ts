// Demo documents of the OA: from 哈密市人民政府办公室 to every department of the prefecture and to 伊州区, partly
// signed, plus a draft. Idempotent and cheap: nothing is written when the office has documents already; the receipts
// are written by the send's one bulk statement, the demo signatures by one UPDATE.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DemoOptions } from '../../platform/module.ts';
import { systemActorContext } from '../../shared/context.ts';
import type { OaService } from './service.ts';

export async function seedOaDemo(db: Kysely<Database>, oa: OaService, options: DemoOptions): Promise<void> {
  const office = await db.selectFrom('department').select(['id']).where('name', '=', '哈密市人民政府办公室').executeTakeFirst();
  if (!office) return;
  if (await db.selectFrom('oa_document').select('id').where('sender_department_id', '=', office.id).limit(1).executeTakeFirst()) return;
  const county = await db.selectFrom('region').select('code').where('code', '=', `${options.prefecture}02`).executeTakeFirst();
  options.onStep?.('oa: demo documents');
  const ctx = systemActorContext();
  const year = new Date().getUTCFullYear();
  const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
  const base = { senderDepartmentId: office.id, marking: 'internal' as const };
  const documents = [
    {
      ...base,
      kind: 'official' as const,
      number: `哈政办发〔${year}〕1号`,
      title: '关于做好全市数字社区建设工作的通知',
      urgency: 'urgent' as const,
      body: '<p>各区县人民政府，市直各部门：</p><p>为推进数字社区建设，现将有关事项通知如下：</p><ol><li>各社区于月底前完成居民信息核对；</li><li>网格员每月走访重点人群不少于一次。</li></ol><p>请各单位按期签收并抓好落实。</p>',
      recipients: { regions: [options.prefecture] },
      signDeadline: inDays(7),
      signShare: 0.6,
    },
    {
      ...base,
      kind: 'notice' as const,
      number: null,
      title: '关于元旦假期值班安排的通知',
      urgency: 'normal' as const,
      body: '各单位：元旦假期期间请安排专人值班，值班表于假期前报市政府办公室。',
      recipients: { regions: [options.prefecture] },
      signDeadline: inDays(3),
      signShare: 0.3,
    },
    ...(county
      ? [
          {
            ...base,
            kind: 'official' as const,
            number: `哈政办发〔${year}〕2号`,
            title: '关于伊州区开展城乡社区网格化服务管理试点的通知',
            urgency: 'very_urgent' as const,
            body: '<p>伊州区人民政府及区属各部门：</p><p>经市人民政府同意，在伊州区开展网格化服务管理试点，请于收文后三个工作日内签收。</p>',
            recipients: { regions: [county.code] },
            signDeadline: inDays(2),
            signShare: 0.5,
          },
        ]
      : []),
  ];
  for (const { signShare, ...input } of documents) {
    const doc = await oa.create(ctx, input);
    await oa.send(ctx, doc.id);
    // some recipients have signed (and read); a few more have only read it
    await sql`UPDATE oa_receipt SET read_at = now(), signed_at = CASE WHEN random() < ${signShare} THEN now() END
      WHERE document_id = ${doc.id}::uuid AND random() < ${Math.min(1, signShare + 0.15)}`.execute(db);
  }
  await oa.create(ctx, { ...base, kind: 'notice', title: '关于开展政务OA使用培训的通知（草稿）', body: '培训时间、地点另行通知。', recipients: { regions: [options.prefecture] } });
}
