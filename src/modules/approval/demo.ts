// Demo data of administrative approval: ~40 real service items of Hami's departments (created through the service's
// createMany, audited as a batch) and ~3,000 cases over the last 90 days in every state — some overdue, some paused —
// whose clock columns are computed from their pause ledgers on the working calendar exactly as the service does, then
// written in bulk. Idempotent: nothing is written when the demo's items exist. The counter clerk is the seeded rsj.staff.
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DemoOptions } from '../../platform/module.ts';
import { systemActorContext } from '../../shared/context.ts';
import { chinaDate, idNumberCheckCharacter } from '../../shared/id-number.ts';
import type { CalendarService } from '../calendar/index.ts';
import { computeClock } from './clock.ts';
import { DEMO_ITEMS } from './demo-items.ts';
import type { CaseState } from './kinds.ts';
import type { ApprovalService } from './service.ts';
import { flushTableCounters } from '../../db/analyse.ts';

const CASES = 3000;
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '马', '赵', '周', '吴'];
const GIVEN = ['建国', '秀英', '志强', '丽娟', '海燕', '文博', '晓东', '玉兰', '国庆', '红梅'];
const MINORITY = ['买买提·艾力', '阿依古丽·吐尔逊', '努尔兰·哈森', '古丽娜尔·托合提', '艾尔肯·热合曼', '热依拉·阿不都', '叶尔江·别克', '阿斯哈尔·努尔'];
const FIRMS = ['哈密市天山物流有限公司', '伊州区丝路餐饮管理有限公司', '哈密瓜园农业科技有限公司', '巴里坤草原牧业有限公司', '哈密市东天山建设工程有限公司', '伊吾县胡杨旅游开发有限公司', '哈密市瑞康医药连锁有限公司', '哈密市新星人力资源服务有限公司'];

/** A small deterministic generator, so every demo looks the same. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

type CaseRow = Insertable<Database['approval_case']> & { id: string };

export async function seedApprovalDemo(db: Kysely<Database>, service: ApprovalService, calendar: CalendarService, options: DemoOptions): Promise<void> {
  const prefix = options.prefecture;
  if (await db.selectFrom('approval_item').select('id').where('code', 'like', `${prefix}-SX-%`).limit(1).executeTakeFirst()) return;
  const departments = await db.selectFrom('department').select(['id', 'code']).where('code', 'in', [...new Set(DEMO_ITEMS.map((i) => `${prefix}-${i.dept}`))]).execute();
  if (departments.length === 0) return;
  options.onStep?.('approval: demo items and cases');
  await calendar.ensureFresh();
  const byCode = new Map(departments.map((d) => [d.code, d]));
  const planned = DEMO_ITEMS.flatMap((it) => {
    const dept = byCode.get(`${prefix}-${it.dept}`);
    return dept ? [{ it, dept }] : [];
  });
  const ids = await service.items.createMany(
    systemActorContext(),
    planned.map(({ it, dept }, i) => ({
      code: `${prefix}-SX-${String(i + 1).padStart(3, '0')}`,
      name: it.name,
      departmentId: dept.id,
      kind: it.kind,
      legalBasis: it.basis,
      statutoryDays: it.statutory,
      promisedDays: it.promised,
      feeLawful: it.fee !== undefined,
      feeYuan: it.fee ?? 0,
      online: it.online ?? true,
      materials: it.materials.map((name, i) => ({ name, required: i < 3 })),
      steps: [{ step: 'accept', limitDays: 5 }, { step: 'review', limitDays: Math.max(1, it.promised - 3) }, { step: 'decide' }, { step: 'conclude' }, { step: 'deliver', limitDays: 10 }],
    })),
  );
  const stored = new Map((await db.selectFrom('approval_item').select(['id', 'region_code', 'region_path']).where('id', 'in', ids).execute()).map((r) => [r.id, r]));
  const items = planned.map(({ it, dept }, i) => {
    const row = stored.get(ids[i]!)!;
    return { id: row.id, kind: it.kind, statutoryDays: it.statutory, promisedDays: it.promised, feeYuan: String(it.fee ?? 0), departmentId: dept.id, regionCode: row.region_code, path: row.region_path, deptCode: dept.code.replace(/[^A-Za-z0-9]/g, '') };
  });

  const rng = prng(9);
  const today = chinaDate(new Date());
  const wd = (date: string, k: number) => calendar.addWorkingDays(date, k).date;
  const dayBefore = (k: number) => new Date(Date.parse(`${today}T00:00:00Z`) - k * 86_400_000).toISOString().slice(0, 10);
  const cases: CaseRow[] = [];
  const events: Insertable<Database['approval_case_event']>[] = [];
  const pauses: Insertable<Database['approval_case_pause']>[] = [];
  const steps: Insertable<Database['approval_case_step']>[] = [];
  const counters = new Map<string, number>();
  for (let i = 0; i < CASES; i++) {
    const item = rng.pick(items);
    const id = crypto.randomUUID();
    const appliedOn = dayBefore(rng.int(0, 90));
    const enterprise = item.kind === 'licence' && rng.next() < 0.6;
    const birth = `19${rng.int(55, 99)}${String(rng.int(1, 12)).padStart(2, '0')}${String(rng.int(1, 28)).padStart(2, '0')}`;
    const body = `${rng.pick(['650502', '650521', '650522'])}${birth}${String(rng.int(100, 999))}`;
    const name = enterprise ? rng.pick(FIRMS) : rng.next() < 0.45 ? rng.pick(MINORITY) : `${rng.pick(SURNAMES)}${rng.pick(GIVEN)}`;
    const casePrefix = `HM${appliedOn.replaceAll('-', '')}${item.deptCode}`;
    const seq = (counters.get(casePrefix) ?? 0) + 1;
    counters.set(casePrefix, seq);
    let eventSeq = 0;
    const ev = (action: string, from: CaseState | null, to: CaseState, onDate: string, note = '') => events.push({ case_id: id, seq: ++eventSeq, action, from_state: from, to_state: to, actor_id: null, citizen_id: null, on_date: onDate, note });
    let state: CaseState = 'submitted';
    let acceptedOn: string | null = null;
    let concludedOn: string | null = null;
    let deliveredOn: string | null = null;
    let decision: 'approve' | 'deny' | null = null;
    let reason: string | null = null;
    const casePauses: { startedOn: string; endedOn: string | null }[] = [];
    ev('submit', null, 'submitted', appliedOn);
    const roll = rng.next();
    const young = wd(appliedOn, 1) > today;
    if (young && roll < 0.7) {
      // not yet accepted
    } else if (roll < 0.04) {
      state = 'rejected';
      reason = '申请事项不属于本机关职权范围';
      ev('reject', 'submitted', 'rejected', appliedOn, reason);
    } else if (roll < 0.07) {
      state = 'withdrawn';
      reason = '申请人撤回';
      ev('withdraw', 'submitted', 'withdrawn', appliedOn, reason);
    } else {
      acceptedOn = appliedOn;
      ev('accept', 'submitted', 'accepted', acceptedOn);
      steps.push({ case_id: id, step: 'accept', started_on: appliedOn, completed_on: acceptedOn });
      const r = rng.next();
      const work = r < 0.78 ? rng.int(2, item.promisedDays) : r < 0.93 ? rng.int(item.promisedDays, item.statutoryDays) : item.statutoryDays + rng.int(1, 8);
      if (rng.next() < 0.12) {
        const start = wd(acceptedOn, 1);
        const end = wd(start, rng.int(2, 6));
        if (end <= today) casePauses.push({ startedOn: start, endedOn: end });
      }
      for (const p of casePauses) {
        ev('pause', 'accepted', 'accepted', p.startedOn, '申请材料不齐全，需补正');
        ev('resubmit', 'accepted', 'accepted', p.endedOn!);
      }
      const paused = casePauses.reduce((s, p) => s + calendar.workingDaysBetween(p.startedOn, p.endedOn!).days, 0);
      const concludeOn = wd(acceptedOn, work + paused);
      if (concludeOn <= today) {
        concludedOn = concludeOn;
        decision = rng.next() < 0.92 ? 'approve' : 'deny';
        reason = decision === 'deny' ? '申请材料不符合法定条件' : null;
        ev('review', 'accepted', 'reviewing', wd(acceptedOn, 1) > concludeOn ? concludeOn : wd(acceptedOn, 1));
        ev('decide', 'reviewing', 'decided', concludeOn);
        ev('conclude', 'decided', 'concluded', concludeOn);
        state = 'concluded';
        const deliverOn = wd(concludeOn, rng.int(1, 4));
        if (deliverOn <= today && rng.next() < 0.85) {
          deliveredOn = deliverOn;
          state = 'delivered';
          ev('deliver', 'concluded', 'delivered', deliverOn);
        }
      } else {
        state = wd(acceptedOn, 1) >= today ? 'accepted' : rng.next() < 0.85 ? 'reviewing' : 'decided';
        if (state !== 'accepted') ev('review', 'accepted', 'reviewing', wd(acceptedOn, 1));
        if (state === 'decided') {
          decision = 'approve';
          ev('decide', 'reviewing', 'decided', today);
        }
        if (state !== 'decided' && rng.next() < 0.07) {
          const since = dayBefore(rng.int(1, 8)) < acceptedOn ? acceptedOn : dayBefore(rng.int(1, 8));
          casePauses.push({ startedOn: since, endedOn: null });
          ev('pause', state, state, since, rng.next() < 0.6 ? '申请材料不齐全，需补正' : '需组织专家评审');
        }
      }
    }
    const clock = computeClock(calendar, { acceptedOn, statutoryDays: item.statutoryDays, promisedDays: item.promisedDays, extensionDays: 0, pauses: casePauses });
    for (const p of casePauses) {
      const special = p.endedOn === null && rng.next() < 0.4;
      pauses.push({ case_id: id, kind: special ? 'special' : 'correction', special_kind: special ? 'expert_review' : null, reason: special ? '需组织专家评审' : '申请材料不齐全，需补正', started_on: p.startedOn, ended_on: p.endedOn, materials: special ? [] : [1] });
    }
    cases.push({
      id,
      case_no: `${casePrefix}${String(seq).padStart(4, '0')}`,
      item_id: item.id,
      department_id: item.departmentId,
      region_code: item.regionCode,
      region_path: item.path,
      channel: rng.next() < 0.55 ? 'online' : 'counter',
      applicant_kind: enterprise ? 'enterprise' : 'citizen',
      applicant_name: name,
      applicant_id_number: enterprise ? `91650500${String(i).padStart(9, '0')}X` : body + idNumberCheckCharacter(body),
      applicant_phone: `139${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
      state,
      decision,
      reason,
      applied_on: appliedOn,
      registered_at: `${appliedOn}T10:00:00+08:00`,
      accepted_on: acceptedOn,
      concluded_on: concludedOn,
      delivered_on: deliveredOn,
      fee_yuan: item.feeYuan,
      statutory_days: item.statutoryDays,
      promised_days: item.promisedDays,
      corrections: casePauses.length,
      statutory_due: clock.statutoryDue,
      promised_due: clock.promisedDue,
      due_provisional: clock.dueProvisional,
      paused_since: clock.pausedSince,
      // bulk() sends the rows as JSON: the jsonb column takes the object itself
      step_limits: { accept: 5, deliver: 10 } as unknown as string,
      updated_at: new Date(),
    });
  }
  await db.transaction().execute(async (trx) => {
    // one JSON parameter per table: PGlite parses a 3,000-row VALUES list of bind parameters far more slowly
    await bulk(trx, 'approval_case', cases);
    await bulk(trx, 'approval_case_event', events);
    await bulk(trx, 'approval_case_pause', pauses);
    await bulk(trx, 'approval_case_step', steps);
    await sql`INSERT INTO approval_case_counter (prefix, last)
      SELECT x.prefix, x.last FROM jsonb_to_recordset(${JSON.stringify([...counters].map(([prefix, last]) => ({ prefix, last })))}::jsonb) AS x(prefix text, last int)
      ON CONFLICT (prefix) DO UPDATE SET last = approval_case_counter.last + excluded.last`.execute(trx);
  });
  // the inserts' counters flushed first: the start-up ANALYZE then skips these tables (D154)
  await flushTableCounters(db);
  await sql`ANALYZE approval_case, approval_case_event`.execute(db);
}

/** INSERT … SELECT * FROM jsonb_populate_recordset(NULL::table, $1): the rows as one JSON document. */
async function bulk(trx: Transaction<Database>, table: 'approval_case' | 'approval_case_event' | 'approval_case_pause' | 'approval_case_step', rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const list = sql.join(columns.map((c) => sql.ref(c)));
  await sql`INSERT INTO ${sql.table(table)} (${list}) SELECT ${list} FROM jsonb_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)`.execute(trx);
}
