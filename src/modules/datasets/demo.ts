// Demo rows: every published resource without rows gets 100–1,000 synthetic valid rows (deterministic), loaded through
// the service as the system actor. Person resources draw from one synthetic population of Hami residents, so the
// resident view can join them by 身份证号.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DemoOptions } from '../../platform/module.ts';
import { systemActorContext } from '../../shared/context.ts';
import { idNumberCheckCharacter } from '../../shared/id-number.ts';
import { prng, type Prng } from '../../seed/prng.ts';
import { loadResourceMeta, type ItemMeta } from '../catalogue/index.ts';
import { MAX_PUSH_ROWS, type DatasetsService } from './service.ts';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '马', '艾', '买', '阿'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '霞', '平', '刚', '古丽', '江', '热依拉'];

/** Plausible values for the demo catalogue's text items, by item code (else a numbered placeholder). */
const TEXT_POOLS: Readonly<Record<string, readonly string[]>> = {
  gender: ['男', '女'],
  ethnicity: ['汉族', '维吾尔族', '哈萨克族', '回族', '蒙古族'],
  marriage_status: ['未婚', '已婚', '离婚', '丧偶'],
  insurance_type: ['企业职工基本养老保险', '城乡居民基本养老保险', '失业保险', '工伤保险', '职工基本医疗保险'],
  scheme: ['职工基本医疗保险', '城乡居民基本医疗保险'],
  insured_status: ['正常参保', '暂停缴费', '终止参保'],
  card_status: ['正常', '挂失', '注销'],
  member_status: ['正式党员', '预备党员'],
  org_type: ['党委', '党总支', '党支部'],
  assistance_type: ['城市低保', '农村低保', '特困供养', '临时救助'],
  support_type: ['独生子女父母奖励', '计划生育家庭特别扶助', '农村部分计划生育家庭奖励扶助'],
  disability_type: ['视力残疾', '听力残疾', '肢体残疾', '智力残疾', '精神残疾'],
  disability_grade: ['一级', '二级', '三级', '四级'],
  difficulty: ['大龄失业人员', '残疾人', '零就业家庭成员', '长期失业人员'],
  child_order: ['一孩', '二孩', '三孩'],
  death_cause: ['心脑血管疾病', '恶性肿瘤', '呼吸系统疾病', '意外伤害'],
  entity_status: ['存续', '迁出', '注销'],
  license_type: ['营业执照', '食品经营许可证', '建筑工程施工许可证', '药品经营许可证'],
  case_status: ['已受理', '办理中', '已办结'],
  status: ['正常', '办理中', '已办结'],
  outcome: ['准予许可', '不予许可', '已办结'],
  result: ['准予许可', '不予许可', '已办结'],
  rectified: ['已整改', '整改中', '未整改'],
  level: ['一级', '二级', '三级'],
  warning_type: ['暴雨', '大风', '沙尘暴', '高温', '寒潮'],
  event_type: ['火灾', '交通事故', '地质灾害', '危化品泄漏'],
  casualties: ['无人员伤亡', '轻伤 1 人', '轻伤 2 人'],
  topic: ['供暖', '物业管理', '道路维修', '劳动工资', '噪音扰民'],
  category: ['违规收费', '资金闲置', '程序不规范', '账实不符'],
  anomaly: ['重复领取', '死亡后仍领取', '身份信息不符'],
  part_type: ['井盖', '路灯', '垃圾箱', '消防栓', '行道树'],
  material: ['帐篷', '棉被', '折叠床', '发电机', '饮用水'],
  hospital: ['哈密市中心医院', '哈密市第二人民医院', '伊州区妇幼保健院', '巴里坤县人民医院'],
  institution: ['哈密市中心医院', '哈密市第二人民医院', '伊州区人民医院', '哈密市益康大药房'],
  institution_name: ['哈密市中心医院', '哈密市第二人民医院', '伊州区人民医院'],
  employer: ['哈密市政务服务和大数据管理局', '新疆哈密某能源有限公司', '哈密某商贸有限公司', '伊州区某建筑工程公司'],
  period: ['2026-07', '2026-08', '2026-09', '2026-10'],
};
const STREETS = ['建国北路', '天山北路', '中山北路', '爱国南路', '光明路', '前进东路', '融合路'];
const PERSON_TEXT = /^(applicant|caller|legal_person|keeper|holder)$/;

export interface Resident {
  idNumber: string;
  name: string;
  phone: string;
  region: string;
  birthDate: string;
}

/** One synthetic population of valid 身份证号 in the prefecture's counties (the same for every resource). */
export function demoPopulation(size: number, counties: readonly string[], seed = 'datasets-population'): Resident[] {
  const r = prng(seed);
  const people: Resident[] = [];
  const seen = new Set<string>();
  while (people.length < size) {
    const region = r.pick(counties);
    const year = r.int(1940, 2015);
    const month = r.int(1, 12);
    const day = r.int(1, 28);
    const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    const first17 = `${region.slice(0, 6).padEnd(6, '0')}${birth}${String(r.int(0, 999)).padStart(3, '0')}`;
    const id = first17 + idNumberCheckCharacter(first17);
    if (seen.has(id)) continue;
    seen.add(id);
    people.push({
      idNumber: id,
      name: r.pick(SURNAMES) + r.pick(GIVEN) + (r.next() < 0.4 ? r.pick(GIVEN) : ''),
      phone: `1${r.pick(['3', '5', '7', '8', '9'])}${String(r.int(0, 999_999_999)).padStart(9, '0')}`,
      region,
      birthDate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    });
  }
  return people;
}

function valueFor(item: ItemMeta, r: Prng, person: Resident | null, row: number, regions: readonly string[]): unknown {
  switch (item.type) {
    case 'id_number':
      return person?.idNumber ?? null;
    case 'mobile':
      return person?.phone ?? `1${r.pick(['3', '5', '8'])}${String(r.int(0, 999_999_999)).padStart(9, '0')}`;
    case 'region_code':
      return person?.region ?? r.pick(regions);
    case 'integer':
      return item.isKey ? row : r.int(0, 10_000);
    case 'decimal':
      return Math.round(r.next() * 1_000_000) / 100;
    case 'boolean':
      return r.next() < 0.5;
    case 'date':
      return `${r.int(2015, 2026)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
    case 'datetime':
      return `${r.int(2020, 2026)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}T${String(r.int(8, 19)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}:00+08:00`;
    default: {
      if (item.isKey) return `${item.code.toUpperCase()}-${String(row).padStart(6, '0')}`;
      if (person && /name|姓名/.test(`${item.code}${item.name}`)) return person.name;
      if (/birth|出生/.test(`${item.code}${item.name}`) && person) return person.birthDate;
      const pool = TEXT_POOLS[item.code];
      if (pool) return r.pick(pool);
      if (PERSON_TEXT.test(item.code)) return r.pick(SURNAMES) + r.pick(GIVEN) + (r.next() < 0.4 ? r.pick(GIVEN) : '');
      if (/address|地址|location|坐落|地点/.test(`${item.code}${item.name}`)) return `哈密市伊州区${r.pick(STREETS)}${r.int(1, 300)}号`;
      const text = `${item.name}${r.int(1, 999)}`;
      return item.maxLength ? text.slice(0, item.maxLength) : text;
    }
  }
}

export async function seedDatasetsDemo(db: Kysely<Database>, datasets: DatasetsService, options: DemoOptions): Promise<void> {
  const resources = await db
    .selectFrom('data_resource')
    .select(['id', 'code'])
    .where('status', '=', 'published')
    .where('upstream_url', 'is', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('data_row').select('key').whereRef('data_row.resource_id', '=', 'data_resource.id'))))
    .orderBy('code')
    .execute();
  if (resources.length === 0) return;
  const counties = (await db.selectFrom('region').select('code').where('parent_code', '=', options.prefecture).orderBy('code').execute()).map((r) => r.code).filter((c) => c.length === 6);
  const regions = counties.length > 0 ? counties : [`${options.prefecture}02`];
  const population = demoPopulation(1200, regions);
  const ctx = systemActorContext();
  for (const resource of resources) {
    const meta = await loadResourceMeta(db, resource.id);
    if (!meta || meta.keyItems.length === 0) continue;
    options.onStep?.(`Demo rows: ${meta.code}`);
    const r = prng(`datasets-${meta.code}`);
    const count = Math.min(MAX_PUSH_ROWS, r.int(100, 1000));
    const personal = meta.items.some((i) => i.type === 'id_number');
    // every person resource covers the head of the one population (so the resident view finds people in several)
    const start = r.int(0, 50);
    const rows = Array.from({ length: count }, (_, n) => {
      const person = personal ? population[(start + n) % population.length]! : null;
      return Object.fromEntries(meta.items.map((item) => [item.code, valueFor(item, r, person, n + 1, regions)]).filter(([, v]) => v !== null));
    });
    await datasets.push(ctx, { resource: meta.id, rows });
  }
}
