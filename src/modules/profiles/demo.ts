// Demo of the resident profile: the consuming system 「数字社区管理系统」 of 哈密市政务服务和大数据管理局, its grants on the person-keyed
// resources behind the fact flags, rows in those resources for realistic shares of the community demo's residents
// (one CSV load per resource through DatasetsService, as the system actor), and the flags derived once (D67).
// Idempotent: nothing is done once the consumer is configured.
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ModuleDeps, DemoOptions } from '../../platform/module.ts';
import { serviceOf } from '../../platform/module.ts';
import { systemActorContext } from '../../shared/context.ts';
import { chinaDate } from '../../shared/id-number.ts';
import type { CensusService } from '../census/index.ts';
import type { Fact } from '../community/index.ts';
import type { DatasetsService } from '../datasets/index.ts';
import type { Sharing } from '../sharing/index.ts';
import { ageOn, type ProfileService } from './service.ts';

export const DEMO_SYSTEM_NAME = '数字社区管理系统';
const PURPOSE = '社区居民服务与管理（重点人群关爱、政策落实、通知触达）';
const LEGAL_BASIS = '《中华人民共和国城市居民委员会组织法》第三条；《个人信息保护法》第十三条第一款第三项';

interface Resident {
  id_number: string;
  name: string;
  sex: 'M' | 'F';
  birth_date: string;
  phone: string | null;
  community_code: string;
}

/** Deterministic 0–1 per person and resource (the same residents hold a fact at every seed). */
function share(idNumber: string, salt: string): number {
  let h = 2166136261;
  for (const c of `${salt}${idNumber}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return ((h >>> 0) % 10_000) / 10_000;
}
const pick = <T>(list: readonly T[], u: number): T => list[Math.floor(u * list.length) % list.length]!;
const day = (u: number, from = 2010, to = 2026) => `${from + Math.floor(u * (to - from))}-${String(1 + Math.floor(u * 997) % 12).padStart(2, '0')}-${String(1 + Math.floor(u * 7919) % 28).padStart(2, '0')}`;

interface DemoSource {
  resource: string;
  fact: Fact | null;
  /** Who holds a row there, given age and a uniform draw. */
  holds(r: Resident, age: number, u: number): boolean;
  extra(r: Resident, u: number): Record<string, string>;
}

const SOURCES: DemoSource[] = [
  { resource: '人口基础信息', fact: null, holds: () => false, extra: () => ({}) },
  {
    resource: '社会保险参保信息',
    fact: 'social_security',
    holds: (_r, age, u) => age >= 16 && u < (age < 60 ? 0.72 : 0.55),
    extra: (_r, u) => ({ insurance_type: pick(['企业职工基本养老保险', '城乡居民基本养老保险'], u), insured_status: u < 0.03 ? '终止参保' : u < 0.08 ? '暂停缴费' : '正常参保', insured_since: day(u, 1995), employer: pick(['哈密市某能源有限公司', '伊州区某商贸有限公司', '灵活就业'], u * 7) }),
  },
  { resource: '基本医疗保险参保信息', fact: 'medical_insurance', holds: (_r, _a, u) => u < 0.93, extra: (_r, u) => ({ scheme: pick(['职工基本医疗保险', '城乡居民基本医疗保险'], u * 3), insured_status: u < 0.01 ? '终止参保' : '正常参保', insured_since: day(u, 2000) }) },
  { resource: '独生子女父母奖励信息', fact: 'family_planning', holds: (_r, age, u) => age >= 35 && age < 80 && u < 0.09, extra: (_r, u) => ({ certificate_no: `HM${String(Math.floor(u * 1e7)).padStart(7, '0')}`, reward_amount: '720' }) },
  { resource: '党员基本信息', fact: 'party_member', holds: (_r, age, u) => age >= 18 && u < 0.08, extra: (_r, u) => ({ branch: pick(['东河街道第一党支部', '西河街道机关党支部', '社区离退休党支部'], u * 5), joined_on: day(u, 1975, 2025), member_status: u < 0.005 ? '预备党员' : '正式党员' }) },
  { resource: '残疾人证信息', fact: 'disability', holds: (_r, _a, u) => u < 0.055, extra: (_r, u) => ({ card_no: `6505${String(Math.floor(u * 1e8)).padStart(8, '0')}`, disability_type: pick(['视力残疾', '听力残疾', '肢体残疾', '智力残疾', '精神残疾'], u * 11), disability_grade: pick(['一级', '二级', '三级', '四级'], u * 13), issued_on: day(u, 2012) }) },
  { resource: '最低生活保障对象信息', fact: 'low_income', holds: (_r, _a, u) => u < 0.035, extra: (_r, u) => ({ monthly_amount: String(400 + Math.floor(u * 30) * 10), start_date: day(u, 2018) }) },
  { resource: '独居老人信息', fact: 'elderly_alone', holds: (_r, age, u) => age >= 60 && u < 0.12, extra: (_r, u) => ({ living_status: '独居', care_level: pick(['一般关爱', '重点关爱', '特别关爱'], u * 17), verified_on: day(u, 2024) }) },
  { resource: '退役军人信息', fact: 'veteran', holds: (r, age, u) => age >= 22 && age < 90 && u < (r.sex === 'M' ? 0.05 : 0.005), extra: (_r, u) => ({ service_branch: pick(['陆军', '海军', '空军', '火箭军', '武警部队'], u * 19), discharged_on: day(u, 1975, 2025), preferential_card: `YD${String(Math.floor(u * 1e8)).padStart(8, '0')}` }) },
];

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

export async function profilesDemo(deps: ModuleDeps & { service: ProfileService }, options: DemoOptions): Promise<void> {
  const { db, service } = deps;
  if (await db.selectFrom('profile_consumer').select('id').executeTakeFirst()) return;
  // the platform operator runs the system and owns none of the sources, so every fact reaches it through a grant (D67)
  const consumer =
    (await db.selectFrom('department').select(['id']).where('name', 'like', '%政务服务和大数据管理局').where('region_code', '=', options.prefecture).orderBy('code').executeTakeFirst()) ??
    (await db.selectFrom('department').select(['id']).where('name', 'like', '%民政局').where('region_code', '=', options.prefecture).orderBy('code').executeTakeFirst());
  if (!consumer) return;
  const resources = await db
    .selectFrom('data_resource')
    .select(['id', 'code', 'name'])
    .where('name', 'in', SOURCES.map((s) => s.resource))
    .where('status', '=', 'published')
    .where('person_item', 'is not', null)
    .where('provider_department_id', '!=', consumer.id)
    .execute();
  const codeOf = new Map(resources.map((r) => [r.name, r.code]));
  options.onStep?.('居民画像：数字社区管理系统与共享授权');
  const ctx = systemActorContext();
  const sharing = serviceOf<Sharing>(deps, 'sharing');
  const datasets = serviceOf<DatasetsService>(deps, 'datasets');
  // a run interrupted after this step finds the system there
  const client =
    (await db.selectFrom('client_app').select('id').where('department_id', '=', consumer.id).where('name', '=', DEMO_SYSTEM_NAME).executeTakeFirst()) ??
    (await sharing.clients.create(ctx, { name: DEMO_SYSTEM_NAME, description: '社区网格员查看居民画像、统计重点人群、精准推送通知（演示）', departmentId: consumer.id, ratePerMinute: 600 })).client;
  await grantAll(db, sharing, consumer.id, client.id, resources.map((r) => r.code), deps.clock.now());

  const residents = await db.selectFrom('community_resident').select(['id_number', 'name', 'sex', 'birth_date', 'phone', 'community_code']).where('status', '=', 'active').execute();
  if (residents.length > 0) {
    options.onStep?.(`居民画像：为 ${residents.length} 名居民归集部门数据`);
    const today = chinaDate(deps.clock.now());
    const ages = residents.map((r) => ageOn(r.birth_date, today));
    for (const source of SOURCES) {
      const code = codeOf.get(source.resource);
      if (!code || source.fact === null) continue;
      const items = (await db.selectFrom('data_item as i').innerJoin('data_resource as r', 'r.id', 'i.resource_id').select('i.code').where('r.code', '=', code).orderBy('i.ord').execute()).map((i) => i.code);
      const lines: string[] = [items.join(',')];
      residents.forEach((r, n) => {
        const u = share(r.id_number, source.resource);
        if (!source.holds(r, ages[n]!, u)) return;
        const values: Record<string, string> = {
          id_number: r.id_number,
          name: r.name,
          gender: r.sex === 'M' ? '男' : '女',
          birth_date: r.birth_date,
          phone: r.phone ?? '',
          region: r.community_code,
          ...source.extra(r, share(r.id_number, `${source.resource}:v`)),
        };
        lines.push(items.map((i) => csvCell(values[i] ?? '')).join(','));
      });
      if (lines.length === 1) continue;
      await datasets.upload(ctx, { resource: code, fileName: `${code.replace(/\W/g, '_')}-community.csv`, format: 'csv', encoding: 'utf-8', body: Readable.from([lines.join('\n')]) });
    }
  }
  const factSources: Partial<Record<Fact, string[]>> = {};
  for (const s of SOURCES) if (s.fact && codeOf.has(s.resource)) (factSources[s.fact] ??= []).push(codeOf.get(s.resource)!);
  // the family planning flag also reads the special-support resource when the catalogue has it
  const special = await db.selectFrom('data_resource').select('code').where('name', '=', '计划生育家庭特别扶助信息').where('status', '=', 'published').where('provider_department_id', '!=', consumer.id).executeTakeFirst();
  if (special) {
    factSources.family_planning = [...(factSources.family_planning ?? []), special.code];
    await grantAll(db, sharing, consumer.id, client.id, [special.code], deps.clock.now());
  }
  options.onStep?.('居民画像：派生事实标记');
  // the census demo after this one rebuilds an empty cube from the registry: noting every resident again per fact is
  // work it throws away (D141)
  const census = deps.services.census as CensusService | undefined;
  const unnoted = census !== undefined && (await census.awaitsFirstBuild());
  await service.configure(ctx, { departmentId: consumer.id, clientAppId: client.id, purpose: PURPOSE, factSources }, { unnoted });
}

/** Requests every shareable item of each resource for the consumer's system and approves the conditional ones. */
async function grantAll(db: Kysely<Database>, sharing: Sharing, consumerId: string, clientAppId: string, codes: readonly string[], now: Date): Promise<void> {
  const ctx = systemActorContext();
  const today = chinaDate(now);
  const periodTo = `${Number(today.slice(0, 4)) + 1}${today.slice(4, 10)}`.replace(/-02-29$/, '-02-28');
  for (const code of codes) {
    const items = (await db.selectFrom('data_item as i').innerJoin('data_resource as r', 'r.id', 'i.resource_id').select('i.code').where('r.code', '=', code).where('i.share_type', '!=', 'none').orderBy('i.ord').execute()).map((i) => i.code);
    if (items.length === 0) continue;
    const { request } = await sharing.requests.submit(
      ctx,
      { resource: code, items, purpose: PURPOSE, legalBasis: LEGAL_BASIS, consumerDepartmentId: consumerId, clientAppId, periodFrom: today, periodTo },
      `profiles-demo-${code}`,
    );
    if (request.status === 'pending') await sharing.requests.decide(ctx, request.id, { decision: 'approve' });
  }
}
