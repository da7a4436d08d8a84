// Demo matters of every kind, with some violations: penalties of 哈密市市场监督管理局 and 哈密市生态环境局 (a few
// outside the discretion range, late, or without the hearing notice), law-enforcement cases of 哈密市城市管理局,
// tenders of 哈密市公共资源交易中心, village publication schedules of the townships' villages, and key projects of
// 哈密市发展和改革委员会. Written in bulk (one INSERT per table), then evaluated by one sweep. Idempotent: nothing is
// written when the market bureau has matters already.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DemoOptions } from '../../platform/module.ts';
import { addDays } from './dates.ts';
import { SEEDED_ARTICLES, type MatterKind } from './kinds.ts';
import type { KindData } from './schema.ts';
import type { MattersService } from './service.ts';

const COMPANIES = ['哈密天山乳业有限公司', '伊州区百味园餐饮店', '哈密瓜源果业专业合作社', '巴里坤县金牧肉类加工厂', '哈密市新特能源有限公司', '伊吾县胡杨商贸有限公司', '哈密鑫源建材有限责任公司', '哈密市丝路快捷酒店', '哈密恒运物流有限公司', '哈密广汇煤业有限公司'];
const PERSONS = ['王建国', '阿依古丽·买买提', '李秀英', '艾力·吐尔逊', '张明', '马晓燕', '赵志强', '热孜万古丽·阿不都'];
const PROJECTS = ['哈密市城北供热管网改造工程', '伊州区老旧小区改造三期', 'G30连霍高速哈密东互通立交', '哈密国际物流港二期', '石城子光伏产业园配套道路', '哈密市第二水厂扩建工程'];
const TENDERS = ['哈密市第三中学教学楼建设项目', '伊州区农村饮水安全巩固提升工程', '哈密市城市道路照明节能改造', '哈密市人民医院医疗设备采购', '市区供水管网改造监理服务', '哈密市智慧城管平台建设', '巴里坤湖湿地保护修复工程', '哈密市垃圾分类收运设备采购'];
const CAUSES = ['违规占道经营', '擅自搭建违法建筑', '渣土运输抛洒滴漏', '户外广告设置不规范', '擅自挖掘城市道路', '油烟直排污染环境'];

interface Row {
  kind: MatterKind;
  department_id: string;
  region_code: string;
  region_path: string;
  title: string;
  ref_no: string;
  state: 'open' | 'closed';
  started_on: string;
  data: string;
}

export async function seedMattersDemo(db: Kysely<Database>, service: MattersService, options: DemoOptions): Promise<void> {
  const byName = async (name: string) =>
    db.selectFrom('department as d').innerJoin('region as r', 'r.code', 'd.region_code').select(['d.id', 'd.region_code', 'r.path']).where('d.name', '=', name).executeTakeFirst();
  const market = await byName('哈密市市场监督管理局');
  if (!market) return;
  if (await db.selectFrom('supervised_matter').select('id').where('department_id', '=', market.id).limit(1).executeTakeFirst()) return;
  options.onStep?.('matters: penalties, cases, tenders, village affairs, key projects');
  const today = service.today();
  const year = today.slice(0, 4);
  const rows: Row[] = [];
  const row = (kind: MatterKind, dept: { id: string; region_code: string; path: string }, title: string, ref: string, startedOn: string, data: object, state: 'open' | 'closed' = 'open') =>
    rows.push({ kind, department_id: dept.id, region_code: dept.region_code, region_path: dept.path, title, ref_no: ref, state, started_on: startedOn, data: JSON.stringify(data) });

  // 行政处罚: in range mostly; every 7th above the range, every 9th decided late, every 11th large without the notice
  const ecology = (await byName('哈密市生态环境局')) ?? market;
  for (let i = 0; i < 48; i++) {
    const article = SEEDED_ARTICLES[i % SEEDED_ARTICLES.length]!;
    const dept = article.code.startsWith('APL') || article.code.startsWith('WPL') ? ecology : market;
    const person = i % 4 === 3;
    const filedOn = addDays(today, -(20 + ((i * 13) % 300)));
    let amount = Math.round(article.minYuan + ((article.maxYuan - article.minYuan) * ((i * 37) % 100)) / 100);
    if (i % 7 === 0) amount = article.maxYuan + 5_000;
    const decided = i % 5 !== 4;
    const decidedOn = decided ? addDays(filedOn, i % 9 === 0 ? 97 + (i % 40) : 15 + (i % 60)) : null;
    const notice = i % 11 === 0 ? null : decidedOn ? addDays(decidedOn, -10) : null;
    const data: KindData['penalty'] = {
      partyKind: person ? 'person' : 'organization',
      partyName: person ? PERSONS[i % PERSONS.length]! : COMPANIES[i % COMPANIES.length]!,
      articleCode: article.code,
      amountYuan: amount,
      filedOn,
      hearingNotifiedOn: notice && decidedOn && notice >= filedOn && notice <= today ? notice : null,
      decidedOn: decidedOn && decidedOn <= today ? decidedOn : null,
      facts: `经查，当事人${article.summary}，违反${article.law}${article.article}规定。`,
    };
    row('penalty', dept, `${data.partyKind === 'organization' ? data.partyName : '个体经营者'}${article.summary.slice(0, 14)}案`, `哈市监处罚〔${year}〕${100 + i}号`, filedOn, data, data.decidedOn ? 'closed' : 'open');
  }

  // 执法案件
  const cityAdmin = (await byName('哈密市城市管理局')) ?? market;
  for (let i = 0; i < 18; i++) {
    const filedOn = addDays(today, -(10 + i * 9));
    const investigatedOn = i % 3 === 0 ? null : addDays(filedOn, i % 4 === 1 ? 55 : 25);
    const data: KindData['enforcement'] = {
      cause: CAUSES[i % CAUSES.length]!,
      filedOn,
      investigatedOn: investigatedOn && investigatedOn <= today ? investigatedOn : null,
      decidedOn: null,
      closedOn: null,
    };
    row('enforcement', cityAdmin, `${CAUSES[i % CAUSES.length]}案`, `哈城管立〔${year}〕${200 + i}号`, filedOn, data);
  }

  // 公共资源交易: one in three with a short tender window, one in four with a 2-day publicity
  const trading = (await byName('哈密市公共资源交易中心')) ?? market;
  for (let i = 0; i < TENDERS.length * 2; i++) {
    const noticeOn = addDays(today, -(30 + i * 11));
    const bidOpenOn = addDays(noticeOn, i % 3 === 0 ? 15 : 21);
    const awardPublishedOn = addDays(bidOpenOn, i % 5 === 2 ? 12 : 3);
    const data: KindData['trading'] = {
      method: i % 4 === 3 ? 'invited_tender' : 'open_tender',
      budgetYuan: 800_000 + i * 350_000,
      noticeOn,
      bidOpenOn,
      awardPublishedOn: awardPublishedOn <= today ? awardPublishedOn : null,
      publicityEndOn: awardPublishedOn <= today ? addDays(awardPublishedOn, i % 4 === 1 ? 2 : 3) : null,
      winner: awardPublishedOn <= today ? COMPANIES[(i + 4) % COMPANIES.length]! : null,
    };
    row('trading', trading, TENDERS[i % TENDERS.length]! + (i >= TENDERS.length ? '（二标段）' : ''), `HMGGZY-${year}-${String(i + 1).padStart(4, '0')}`, noticeOn, data);
  }

  // 阳光村务: villages (村委会) of the prefecture, run by their township's government
  const villages = await db
    .selectFrom('region as v')
    .innerJoin('department as d', 'd.region_code', 'v.parent_code')
    .innerJoin('region as t', 't.code', 'v.parent_code')
    .select(['v.code', 'v.name', 'v.path', 'd.id as department_id'])
    .where('v.level', '=', 4)
    .where('v.name', 'like', '%村委会')
    .where('v.path', 'like', `/${options.prefecture}/%`)
    .where((eb) => eb.or([eb('d.name', 'like', '%人民政府'), eb('d.name', 'like', '%办事处')]))
    .orderBy('v.code')
    .limit(24)
    .execute();
  const sinceMonth = addDays(today, -200).slice(0, 7);
  for (const [i, v] of villages.entries()) {
    const data: KindData['village'] = { frequency: i % 3 === 0 ? 'quarterly' : 'monthly', dueDay: 10, since: sinceMonth };
    rows.push({ kind: 'village', department_id: v.department_id, region_code: v.code, region_path: v.path, title: `${v.name.replace(/委会$/, '')}财务公开`, ref_no: `CWGK-${v.code}`, state: 'open', started_on: `${sinceMonth}-01`, data: JSON.stringify(data) });
  }

  // 重点项目
  const reform = (await byName('哈密市发展和改革委员会')) ?? market;
  for (const [i, name] of PROJECTS.entries()) {
    const startOn = addDays(today, -(120 + i * 20));
    row('project', reform, name, `HMZD-${year}-${String(i + 1).padStart(3, '0')}`, startOn, { investmentYuan: (i + 2) * 48_000_000, owner: name.includes('伊州区') ? '伊州区住房和城乡建设局' : '哈密市城市建设投资有限公司', startOn });
  }

  const made = await db.insertInto('supervised_matter').values(rows).returning(['id', 'kind', 'started_on', 'data']).execute();
  const milestones = made
    .filter((m) => m.kind === 'project')
    .flatMap((m, i) =>
      ['前期手续办理', '施工招标', '主体工程开工', '主体工程完工', '竣工验收'].map((name, j) => {
        const plannedOn = addDays(m.started_on, 30 + j * 45);
        // the first two done on time; a third of the projects finish the third stage; the rest run late
        const done = j < 2 || (j === 2 && i % 3 === 0);
        return { matter_id: m.id, seq: j + 1, name, planned_on: plannedOn, completed_on: done && plannedOn <= today ? addDays(plannedOn, -3) : null };
      }),
    );
  if (milestones.length > 0) await db.insertInto('matter_project_milestone').values(milestones).execute();
  const publications = made
    .filter((m) => m.kind === 'village')
    .flatMap((m, i) => {
      const data = m.data as KindData['village'];
      const periods = data.frequency === 'quarterly' ? quarters(data.since, today) : months(data.since, today);
      // every village published on its due day, except the second period of every fourth and the last of every third
      return periods
        .filter((p, j) => !(i % 4 === 2 && j === 1) && !(i % 3 === 1 && j === periods.length - 1))
        .map((p) => ({ matter_id: m.id, period: p.period, published_on: p.due, summary: `${p.period} 收入、支出及集体资产情况公开：村集体经营性收入、上级补助资金、干部报酬及办公经费支出明细。`, income_yuan: 30_000 + i * 1_200, expense_yuan: 21_000 + i * 900 }));
    });
  if (publications.length > 0) await db.insertInto('matter_village_publication').values(publications).execute();
  await service.sweep();
}

/** Months from `since` whose publication was due before today, each with its due day (the 10th of the next month). */
function months(since: string, today: string): { period: string; due: string }[] {
  const out: { period: string; due: string }[] = [];
  let [y, m] = since.split('-').map(Number) as [number, number];
  for (;;) {
    const period = `${y}-${String(m).padStart(2, '0')}`;
    const ny = m === 12 ? y + 1 : y;
    const nm = m === 12 ? 1 : m + 1;
    const due = `${ny}-${String(nm).padStart(2, '0')}-10`;
    if (due >= today) return out;
    out.push({ period, due });
    [y, m] = [ny, nm];
  }
}

function quarters(since: string, today: string): { period: string; due: string }[] {
  return months(since, today)
    .filter((p) => Number(p.period.slice(5)) % 3 === 0)
    .map((p) => ({ period: `${p.period.slice(0, 4)}-Q${Number(p.period.slice(5)) / 3}`, due: p.due }));
}
