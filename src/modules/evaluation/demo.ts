// Demo evaluation data: ratings for most concluded demo cases (mostly 4–5 stars, some bad ones, most of those followed
// up), complaints in every state, and the last three months scored and published. Runs after approval's and
// supervision's demo; idempotent (cases rated already are skipped, the complaints are written once, published months
// are left alone) and quick: ratings go in as batches, the bad ones' deadlines come from the working calendar.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DemoOptions } from '../../platform/module.ts';
import { systemActorContext } from '../../shared/context.ts';
import { RATING_TAGS } from './kinds.ts';
import type { Evaluation } from './module.ts';

const GOOD_COMMENTS = ['工作人员很耐心，一次就办好了', '材料清单清楚，办理很快', '比承诺时间提前办结，点赞', '窗口服务热情周到', '网上申请很方便', ''];
const BAD_COMMENTS = ['来回跑了三趟才办完', '等待时间太长，窗口人少', '工作人员态度不好', '补正要求没有一次说清楚'];
const NAMES = ['王建军', '李秀英', '阿依古丽·买买提', '张伟', '刘桂兰', '买买提·吐尔逊', '陈丽', '马晓燕'];
const COMPLAINTS = [
  { subject: '办理时间超过承诺时限', body: '申请营业执照变更，承诺5个工作日办结，实际用了两周，期间多次电话询问无人答复。' },
  { subject: '窗口工作人员态度生硬', body: '在政务服务中心窗口咨询时，工作人员不耐烦，没有讲清楚需要补充哪些材料。' },
  { subject: '要求提供法定清单以外的材料', body: '办理不动产登记时被要求提供社区证明，但办事指南里没有这项材料。' },
  { subject: '网上申请系统无法提交', body: '连续三天在网上提交申请都提示失败，只能到现场办理。' },
];

/** A small deterministic generator, so a re-seed of an empty database gives the same demo. */
function generator(seed: number) {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export async function seedEvaluationDemo(db: Kysely<Database>, service: Evaluation, options: DemoOptions): Promise<void> {
  options.onStep?.('evaluation: ratings, complaints, monthly scores');
  const { evaluation, complaints } = service;
  const calendar = evaluation.deps.calendar;
  const today = evaluation.today();
  const random = generator(20261128);
  // the ratings are written once: a later start leaves the unrated share of the demo cases unrated
  const ratedBefore = await db.selectFrom('audit_log').select('seq').where('action', '=', 'evaluation.rating.demo').limit(1).executeTakeFirst();
  const cases = ratedBefore ? [] : await db
    .selectFrom('approval_case as c')
    .select(['c.id', 'c.department_id', 'c.region_code', 'c.region_path', 'c.concluded_on', 'c.channel'])
    .where('c.state', 'in', ['concluded', 'delivered'])
    .where('c.concluded_on', 'is not', null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('evaluation_rating as r').select('r.id').whereRef('r.case_id', '=', 'c.id'))))
    .orderBy('c.id')
    .execute();
  const rows = cases
    .filter(() => random() < 0.85)
    .map((c) => {
      const r = random();
      const level = r < 0.62 ? 5 : r < 0.86 ? 4 : r < 0.94 ? 3 : r < 0.975 ? 2 : 1;
      const ratedOn = [addDays(c.concluded_on!, Math.floor(random() * 3)), today].sort()[0]!;
      const bad = level <= 2;
      const due = bad ? calendar.addWorkingDays(ratedOn, evaluation.deps.followUpDays).date : null;
      // most bad ratings were followed up, a few late; the rest are still open (overdue when their day has passed)
      const f = random();
      const followedOn = bad && f < 0.75 ? [addDays(ratedOn, f < 0.6 ? 1 : 6), today].sort()[0]! : null;
      return {
        case_id: c.id,
        department_id: c.department_id,
        region_code: c.region_code,
        region_path: c.region_path,
        level,
        comment: (bad ? BAD_COMMENTS : GOOD_COMMENTS)[Math.floor(random() * (bad ? BAD_COMMENTS.length : GOOD_COMMENTS.length))]!,
        tags: bad ? [RATING_TAGS[4 + Math.floor(random() * 4)]!] : level >= 4 ? [RATING_TAGS[Math.floor(random() * 4)]!] : [],
        channel: c.channel === 'online' ? ('portal' as const) : ('counter' as const),
        rated_at: new Date(`${ratedOn}T10:00:00+08:00`),
        rated_on: ratedOn,
        follow_up_due: due,
        followed_up_on: followedOn,
        followed_up_at: followedOn ? new Date(`${followedOn}T15:00:00+08:00`) : null,
        follow_up_contacted: followedOn ? true : null,
        follow_up_result: followedOn ? '已电话联系申请人，说明情况并致歉，已督促窗口改进服务' : null,
        follow_up_satisfied: followedOn ? random() < 0.8 : null,
      };
    });
  const ctx = systemActorContext();
  if (!ratedBefore) await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('evaluation_rating').values(rows.slice(i, i + 1000)).onConflict((oc) => oc.column('case_id').doNothing()).execute();
    await evaluation.deps.audit.record(trx, ctx, { action: 'evaluation.rating.demo', objectType: 'evaluation_rating', detail: { ratings: rows.length } });
  });

  // complaints in every state, about departments that offer service items
  const departments = (await complaints.departments(ctx)).items;
  const filedBefore = await db.selectFrom('evaluation_complaint').select('id').where('complainant_name', '=', NAMES[0]!).where('subject', '=', COMPLAINTS[0]!.subject).limit(1).executeTakeFirst();
  if (departments.length > 0 && !filedBefore) {
    const states = ['filed', 'filed', 'accepted', 'not_accepted', 'handled', 'closed', 'closed', 'accepted'] as const;
    for (const [i, state] of states.entries()) {
      const text = COMPLAINTS[i % COMPLAINTS.length]!;
      const department = departments[(i * 7) % departments.length]!;
      const filed = await complaints.file(ctx, { departmentId: department.id, ...text, complainantName: NAMES[i]!, complainantPhone: `1390902${String(1000 + i * 37).slice(-4)}` });
      if (state === 'not_accepted') await complaints.decide(ctx, filed.id, { accept: false, reason: '反映事项已通过行政复议程序处理，不属于投诉受理范围' });
      if (state === 'accepted' || state === 'handled' || state === 'closed') await complaints.decide(ctx, filed.id, { accept: true });
      if (state === 'handled' || state === 'closed') await complaints.recordResult(ctx, filed.id, { result: '经核实情况属实，已对相关窗口人员批评教育，并向投诉人说明情况、致歉。' });
      if (state === 'closed') await complaints.close(ctx, filed.id);
      // the first one was filed a fortnight ago and never decided: overdue on the workbench
      if (i === 0) {
        const filedOn = addDays(today, -14);
        await sql`UPDATE evaluation_complaint SET filed_on = ${filedOn}::date, filed_at = ${`${filedOn}T09:30:00+08:00`}::timestamptz, decide_due = ${calendar.addWorkingDays(filedOn, 5).date}::date WHERE id = ${filed.id}::uuid`.execute(db);
      }
    }
  }

  // the last three months, scored and published
  const [y, m] = today.split('-').map(Number) as [number, number];
  const published = new Set((await evaluation.months(null)).items.map((p) => p.month));
  for (let back = 3; back >= 1; back--) {
    const month = new Date(Date.UTC(y, m - 1 - back, 1)).toISOString().slice(0, 7);
    if (published.has(month)) continue;
    const { departments: scored } = await evaluation.compute(ctx, month);
    if (scored > 0) await evaluation.publish(ctx, month);
  }
}
