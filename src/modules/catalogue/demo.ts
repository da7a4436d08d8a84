// Demo catalogue: ~40 resources across the domains Hami integrated (人口, 社保, 医保, 计生, 党员, 行政审批, 金审, 应急指挥,
// 基础地理, 数字城管), provided by the demo's departments, plus a few open demands. Written through the service as the
// system actor; resources and demands already there (by name / title) are skipped, so it runs any number of times.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DemoOptions } from '../../platform/module.ts';
import { SYSTEM_ACTOR } from '../../shared/access.ts';
import { systemActorContext, type RequestContext } from '../../shared/context.ts';
import type { ItemInput, ResourceInput } from './rules.ts';
import type { CatalogueService } from './service.ts';
import type { ResourceClass, ShareMode, UpdateCycle } from './tables.ts';

const PIPL = '《中华人民共和国个人信息保护法》第十三条、第三十四条';
const INTERNAL = '内部工作信息，依《政务信息资源共享管理暂行办法》第十条不予共享';

type Item = ItemInput;
const idNumber: Item = { code: 'id_number', name: '公民身份号码', type: 'id_number', required: true, isKey: true, sensitivity: 3, shareType: 'conditional', legalBasis: PIPL };
const personName: Item = { code: 'name', name: '姓名', type: 'string', maxLength: 50, required: true, sensitivity: 2, shareType: 'conditional', legalBasis: PIPL, mask: 'name' };
const phone: Item = { code: 'phone', name: '联系电话', type: 'mobile', sensitivity: 3, shareType: 'conditional', legalBasis: PIPL };
const region: Item = { code: 'region', name: '所在行政区划', type: 'region_code', required: true, shareType: 'unconditional' };
const gender: Item = { code: 'gender', name: '性别', type: 'string', maxLength: 2, shareType: 'unconditional' };
const birth: Item = { code: 'birth_date', name: '出生日期', type: 'date', sensitivity: 2, shareType: 'conditional', legalBasis: PIPL };
const note: Item = { code: 'remark', name: '备注', type: 'string', maxLength: 500, shareType: 'none', legalBasis: INTERNAL };
const s = (code: string, name: string, extra: Partial<Item> = {}): Item => ({ code, name, type: 'string', maxLength: 200, shareType: 'unconditional', ...extra });
const d = (code: string, name: string, extra: Partial<Item> = {}): Item => ({ code, name, type: 'date', shareType: 'unconditional', ...extra });
const n = (code: string, name: string, extra: Partial<Item> = {}): Item => ({ code, name, type: 'decimal', shareType: 'unconditional', ...extra });
const cond = (basis: string): Partial<Item> => ({ shareType: 'conditional', legalBasis: basis, sensitivity: 2 });
const person = (...extra: Item[]): Item[] => [idNumber, personName, gender, birth, phone, region, ...extra, note];
const keyed = (key: Item, ...extra: Item[]): Item[] => [{ ...key, isKey: true, required: true }, ...extra, region];

interface Spec {
  name: string;
  theme: string;
  class: ResourceClass;
  classCode: string;
  /** The end of the provider's name (the demo's departments are found by it). */
  provider: string;
  summary: string;
  cycle: UpdateCycle;
  open?: 'closed' | 'conditional' | 'open';
  modes?: ShareMode[];
  items: Item[];
  draft?: boolean;
}

const SI = '《中华人民共和国社会保险法》第七十四条';
const MI = '《医疗保障基金使用监督管理条例》第六条';
const FP = '《中华人民共和国人口与计划生育法》第十四条';
const PARTY = '《中国共产党党员教育管理工作条例》第三十五条';
const AUDIT = '《中华人民共和国审计法》第三十四条';
const EMERG = '《中华人民共和国突发事件应对法》第三十九条';
const GEO = '《中华人民共和国测绘法》第三十四条';

const SPECS: Spec[] = [
  // 人口
  { name: '人口基础信息', theme: 'population', class: 'base', classCode: '1-01-01', provider: '公安局', summary: '全市户籍人口和常住人口的基础信息，含身份证号、姓名、性别、出生日期、户籍地址。', cycle: 'daily', items: person(s('household_address', '户籍地址', cond(PIPL)), s('ethnicity', '民族')) },
  { name: '流动人口居住登记信息', theme: 'population', class: 'base', classCode: '1-01-02', provider: '公安局', summary: '流动人口居住登记、居住证办理信息。', cycle: 'daily', items: person(s('residence_address', '居住地址', cond(PIPL)), d('registered_on', '登记日期')) },
  { name: '出生医学证明信息', theme: 'population', class: 'base', classCode: '1-01-03', provider: '卫生健康委员会', summary: '新生儿出生医学证明签发信息。', cycle: 'daily', items: person(s('certificate_no', '出生医学证明编号'), s('hospital', '助产机构')) },
  { name: '死亡医学证明信息', theme: 'population', class: 'base', classCode: '1-01-04', provider: '卫生健康委员会', summary: '居民死亡医学证明（推断）书信息，用于待遇停发比对。', cycle: 'daily', items: person(d('death_date', '死亡日期', cond(PIPL)), s('death_cause', '死亡原因', { shareType: 'none', legalBasis: PIPL, sensitivity: 4 })) },
  { name: '婚姻登记信息', theme: 'population', class: 'base', classCode: '1-01-05', provider: '民政局', summary: '结婚、离婚登记信息。', cycle: 'daily', items: person(s('marriage_status', '婚姻状况', cond(PIPL)), d('registered_on', '登记日期')) },
  { name: '残疾人基本信息', theme: 'population', class: 'theme', classCode: '2-09-01', provider: '民政局', summary: '持证残疾人的残疾类别、等级信息。', cycle: 'monthly', items: person(s('disability_type', '残疾类别', cond(PIPL)), s('disability_grade', '残疾等级', cond(PIPL))) },
  { name: '最低生活保障对象信息', theme: 'population', class: 'theme', classCode: '2-01-05', provider: '民政局', summary: '城乡低保对象、保障金额和保障起止时间。', cycle: 'monthly', items: person(n('monthly_amount', '月保障金额', cond(SI)), d('start_date', '保障起始日期')) },
  // 数字社区 person resources behind the resident profile's fact flags (issue 8)
  { name: '残疾人证信息', theme: 'population', class: 'theme', classCode: '2-09-02', provider: '残疾人联合会', summary: '第二代残疾人证核发信息：残疾类别、等级、发证日期。', cycle: 'monthly', items: person(s('card_no', '残疾人证号', cond(PIPL)), s('disability_type', '残疾类别', cond(PIPL)), s('disability_grade', '残疾等级', cond(PIPL)), d('issued_on', '发证日期')) },
  { name: '独居老人信息', theme: 'population', class: 'theme', classCode: '2-09-03', provider: '民政局', summary: '经社区走访核实的 60 周岁以上独居老人及其紧急联系人。', cycle: 'monthly', items: person(s('living_status', '居住状况'), s('care_level', '关爱等级', cond(PIPL)), d('verified_on', '核实日期')) },
  { name: '退役军人信息', theme: 'population', class: 'theme', classCode: '2-09-04', provider: '退役军人事务局', summary: '退役军人和其他优抚对象的基本信息与优待证。', cycle: 'monthly', items: person(s('service_branch', '服役军种', cond(PIPL)), d('discharged_on', '退役日期', cond(PIPL)), s('preferential_card', '优待证号', cond(PIPL))) },
  // 社保
  { name: '社会保险参保信息', theme: 'social_security', class: 'theme', classCode: '2-01-01', provider: '人力资源和社会保障局', summary: '企业职工养老、失业、工伤保险参保登记和缴费状态。', cycle: 'daily', items: person(s('insurance_type', '险种'), s('insured_status', '参保状态'), d('insured_since', '参保日期'), s('employer', '参保单位')) },
  { name: '社会保险缴费明细', theme: 'social_security', class: 'theme', classCode: '2-01-02', provider: '社会保险中心', summary: '个人按月缴费基数和缴费金额。', cycle: 'monthly', items: person(s('period', '费款所属期'), n('base_amount', '缴费基数', cond(SI)), n('paid_amount', '缴费金额', cond(SI))) },
  { name: '养老保险待遇发放信息', theme: 'social_security', class: 'theme', classCode: '2-01-03', provider: '社会保险中心', summary: '离退休人员养老金待遇核定与发放。', cycle: 'monthly', items: person(n('pension_amount', '月养老金', cond(SI)), d('retired_on', '退休日期')) },
  { name: '失业登记信息', theme: 'social_security', class: 'theme', classCode: '2-01-04', provider: '公共就业服务中心', summary: '失业登记、就业困难人员认定信息。', cycle: 'weekly', items: person(d('registered_on', '登记日期'), s('difficulty', '就业困难类别', cond(SI))) },
  { name: '社会保障卡信息', theme: 'social_security', class: 'theme', classCode: '2-01-06', provider: '人力资源和社会保障局', summary: '社会保障卡制发、挂失、补换状态。', cycle: 'daily', items: person(s('card_no', '社会保障卡卡号', cond(SI)), s('card_status', '卡状态')) },
  // 医保
  { name: '基本医疗保险参保信息', theme: 'medical_insurance', class: 'theme', classCode: '2-02-01', provider: '医疗保障局', summary: '职工和城乡居民基本医疗保险参保状态。', cycle: 'daily', items: person(s('scheme', '参保险种'), s('insured_status', '参保状态'), d('insured_since', '参保日期')) },
  { name: '医保结算信息', theme: 'medical_insurance', class: 'theme', classCode: '2-02-02', provider: '医疗保障服务中心', summary: '门诊、住院医疗费用医保结算明细。', cycle: 'daily', items: person(d('settled_on', '结算日期'), s('institution', '定点医药机构'), n('total_cost', '医疗总费用', cond(MI)), n('fund_paid', '基金支付', cond(MI))) },
  { name: '医疗救助对象信息', theme: 'medical_insurance', class: 'theme', classCode: '2-02-03', provider: '医疗保障局', summary: '医疗救助对象认定及救助金额。', cycle: 'monthly', items: person(s('assistance_type', '救助类别', cond(MI)), n('assistance_amount', '救助金额', cond(MI))) },
  { name: '定点医药机构信息', theme: 'medical_insurance', class: 'theme', classCode: '2-02-04', provider: '医疗保障局', summary: '医保定点医疗机构和定点零售药店名录。', cycle: 'monthly', open: 'open', modes: ['api', 'file'], items: keyed(s('institution_code', '机构编码'), s('institution_name', '机构名称'), s('level', '机构等级'), s('address', '地址')) },
  // 计生
  { name: '计划生育家庭特别扶助信息', theme: 'family_planning', class: 'theme', classCode: '2-03-01', provider: '卫生健康委员会', summary: '计划生育特殊家庭特别扶助金发放对象。', cycle: 'quarterly', items: person(s('support_type', '扶助类别', cond(FP)), n('support_amount', '扶助金额', cond(FP))) },
  { name: '独生子女父母奖励信息', theme: 'family_planning', class: 'theme', classCode: '2-03-02', provider: '卫生健康委员会', summary: '独生子女父母光荣证及奖励扶助发放。', cycle: 'half_yearly', items: person(s('certificate_no', '光荣证编号'), n('reward_amount', '奖励金额', cond(FP))) },
  { name: '生育登记服务信息', theme: 'family_planning', class: 'theme', classCode: '2-03-03', provider: '卫生健康委员会', summary: '生育登记、孕产期保健服务记录。', cycle: 'daily', items: person(d('registered_on', '登记日期'), s('child_order', '孩次', cond(FP))) },
  // 党员
  { name: '党员基本信息', theme: 'party', class: 'theme', classCode: '2-04-01', provider: '组织部', summary: '党员身份、入党时间、所在党组织。', cycle: 'monthly', open: 'closed', items: person(s('branch', '所在党支部', cond(PARTY)), d('joined_on', '入党日期', cond(PARTY)), s('member_status', '党员状态', cond(PARTY))) },
  { name: '党组织信息', theme: 'party', class: 'theme', classCode: '2-04-02', provider: '组织部', summary: '基层党组织设置、换届和隶属关系。', cycle: 'monthly', items: keyed(s('org_code', '党组织代码'), s('org_name', '党组织名称'), s('org_type', '组织类别'), d('elected_on', '换届日期')) },
  { name: '党员组织关系转接信息', theme: 'party', class: 'theme', classCode: '2-04-03', provider: '组织部', summary: '党员组织关系转入转出记录。', cycle: 'weekly', open: 'closed', items: person(s('from_org', '转出党组织', cond(PARTY)), s('to_org', '转入党组织', cond(PARTY)), d('transferred_on', '转接日期')) },
  // 行政审批
  { name: '行政许可办件信息', theme: 'approval', class: 'theme', classCode: '2-05-01', provider: '政务服务和大数据管理局', summary: '政务服务事项的受理、办结和结果信息。', cycle: 'realtime', modes: ['api', 'subscription'], items: keyed(s('case_no', '办件编号'), s('item_name', '事项名称'), s('applicant', '申请人', cond(PIPL)), d('accepted_on', '受理日期'), d('finished_on', '办结日期'), s('result', '办理结果')) },
  { name: '市场主体登记信息', theme: 'approval', class: 'base', classCode: '1-02-01', provider: '市场监督管理局', summary: '企业、个体工商户设立、变更、注销登记信息。', cycle: 'daily', open: 'open', items: keyed(s('credit_code', '统一社会信用代码'), s('entity_name', '市场主体名称'), s('legal_person', '法定代表人'), d('established_on', '成立日期'), s('entity_status', '登记状态')) },
  { name: '建设工程规划许可信息', theme: 'approval', class: 'department', classCode: '3-06-01', provider: '自然资源局', summary: '建设工程规划许可证核发信息。', cycle: 'weekly', items: keyed(s('permit_no', '许可证编号'), s('project', '项目名称'), s('builder', '建设单位'), d('issued_on', '核发日期')) },
  { name: '电子证照目录信息', theme: 'approval', class: 'base', classCode: '1-05-01', provider: '政务服务和大数据管理局', summary: '已归集的电子证照目录及持证主体。', cycle: 'realtime', items: keyed(s('license_id', '证照标识'), s('license_type', '证照类型'), s('holder', '持证主体', cond(PIPL)), d('valid_until', '有效期至')) },
  // 金审
  { name: '财政预算执行信息', theme: 'audit', class: 'department', classCode: '3-07-01', provider: '财政局', summary: '部门预算指标、支付和执行进度，供审计联网核查。', cycle: 'monthly', open: 'closed', items: keyed(s('budget_code', '预算项目编码'), s('department', '预算单位'), n('budget_amount', '预算金额', cond(AUDIT)), n('paid_amount', '已支付金额', cond(AUDIT))) },
  { name: '审计发现问题整改信息', theme: 'audit', class: 'theme', classCode: '2-06-01', provider: '审计局', summary: '审计发现问题及整改落实情况（金审工程）。', cycle: 'quarterly', open: 'closed', items: keyed(s('finding_no', '问题编号'), s('audited_unit', '被审计单位'), s('finding', '问题描述', cond(AUDIT)), s('rectified', '整改状态')) },
  { name: '社保基金审计数据', theme: 'audit', class: 'theme', classCode: '2-06-02', provider: '审计局', summary: '社会保险基金收支审计比对结果。', cycle: 'yearly', open: 'closed', items: person(s('anomaly', '疑点类型', cond(AUDIT)), n('amount', '涉及金额', cond(AUDIT))) },
  { name: '政府采购合同信息', theme: 'audit', class: 'department', classCode: '3-07-02', provider: '财政局', summary: '政府采购项目合同签订与履约信息。', cycle: 'weekly', open: 'open', items: keyed(s('contract_no', '合同编号'), s('purchaser', '采购人'), s('supplier', '供应商'), n('contract_amount', '合同金额'), d('signed_on', '签订日期')) },
  // 应急指挥
  { name: '应急物资储备信息', theme: 'emergency', class: 'theme', classCode: '2-07-01', provider: '应急管理局', summary: '各级应急物资储备库的物资品类和数量。', cycle: 'weekly', items: keyed(s('depot_code', '储备库编码'), s('material', '物资名称'), n('quantity', '数量'), s('keeper', '管理员', cond(EMERG))) },
  { name: '突发事件信息', theme: 'emergency', class: 'theme', classCode: '2-07-02', provider: '应急管理局', summary: '自然灾害、事故灾难等突发事件报告与处置。', cycle: 'realtime', modes: ['api', 'subscription'], items: keyed(s('event_no', '事件编号'), s('event_type', '事件类型'), s('location', '发生地点'), d('occurred_on', '发生日期'), s('casualties', '伤亡情况', cond(EMERG))) },
  { name: '应急救援队伍信息', theme: 'emergency', class: 'theme', classCode: '2-07-03', provider: '应急管理局', summary: '专业和社会应急救援队伍、人数、装备。', cycle: 'monthly', items: keyed(s('team_code', '队伍编码'), s('team_name', '队伍名称'), n('members', '人数'), s('leader_phone', '负责人电话', { type: 'mobile', maxLength: null, ...cond(EMERG) })) },
  { name: '气象预警信息', theme: 'emergency', class: 'theme', classCode: '2-07-04', provider: '气象局', summary: '暴雨、大风、沙尘暴等气象预警发布信息。', cycle: 'realtime', open: 'open', modes: ['api', 'subscription'], items: keyed(s('warning_id', '预警编号'), s('warning_type', '预警类型'), s('level', '预警级别'), d('issued_on', '发布日期')) },
  // 基础地理
  { name: '行政区划界线数据', theme: 'geo', class: 'base', classCode: '1-03-01', provider: '自然资源局', summary: '县乡两级行政区划界线矢量数据。', cycle: 'yearly', open: 'conditional', modes: ['file'], items: keyed(s('boundary_id', '界线编号'), s('boundary_name', '界线名称'), s('geometry', '几何数据', cond(GEO))) },
  { name: '地名地址信息', theme: 'geo', class: 'base', classCode: '1-03-02', provider: '民政局', summary: '标准地名和门楼牌地址。', cycle: 'monthly', open: 'open', items: keyed(s('address_code', '地址编码'), s('address', '标准地址'), n('longitude', '经度'), n('latitude', '纬度')) },
  { name: '不动产登记信息', theme: 'geo', class: 'base', classCode: '1-03-03', provider: '不动产登记中心', summary: '不动产权属登记信息。', cycle: 'daily', items: person(s('certificate_no', '不动产权证号', cond(PIPL)), s('location', '坐落', cond(PIPL)), n('area', '面积')) },
  { name: '遥感影像数据', theme: 'geo', class: 'base', classCode: '1-03-04', provider: '自然资源局', summary: '全市 2 米分辨率卫星遥感影像。', cycle: 'yearly', modes: ['file'], draft: true, items: keyed(s('tile_id', '图幅号'), d('captured_on', '拍摄日期'), s('resolution', '分辨率')) },
  // 数字城管
  { name: '城市部件信息', theme: 'city_management', class: 'theme', classCode: '2-08-01', provider: '城市管理局', summary: '井盖、路灯、垃圾箱等城市部件普查数据。', cycle: 'monthly', open: 'open', items: keyed(s('part_code', '部件编码'), s('part_type', '部件类型'), s('status', '状态'), n('longitude', '经度'), n('latitude', '纬度')) },
  { name: '数字城管案件信息', theme: 'city_management', class: 'theme', classCode: '2-08-02', provider: '城市管理局', summary: '数字化城市管理案件的立案、派遣、处置、结案。', cycle: 'realtime', modes: ['api', 'subscription'], items: keyed(s('case_no', '案件编号'), s('category', '问题类别'), s('reporter_phone', '举报人电话', { type: 'mobile', maxLength: null, ...cond(PIPL), sensitivity: 3 }), d('reported_on', '上报日期'), s('case_status', '案件状态')) },
  { name: '12345 热线工单信息', theme: 'city_management', class: 'department', classCode: '3-08-01', provider: '12345政务服务便民热线中心', summary: '市民热线诉求工单及办理结果。', cycle: 'daily', items: keyed(s('ticket_no', '工单编号'), s('topic', '诉求类别'), s('caller', '来电人', cond(PIPL)), d('received_on', '受理日期'), s('outcome', '办理结果')) },
];

const DEMANDS = [
  { title: '新生儿落户与医保参保联办所需数据', purpose: '出生一件事联办', items: ['出生医学证明编号', '父母身份证号', '医保参保状态'], provider: '医疗保障局', by: '政务服务和大数据管理局' },
  { title: '高龄老人津贴发放核查数据', purpose: '核查高龄津贴发放对象生存状态', items: ['死亡日期', '养老金领取状态'], provider: '人力资源和社会保障局', by: '民政局' },
  { title: '住房公积金缴存信息', purpose: '人才引进住房补贴审核', items: ['缴存状态', '缴存基数', '缴存单位'], provider: '住房公积金管理中心', by: '人力资源和社会保障局' },
];

/** The demo's department whose name ends with `suffix`, preferring the prefecture's own (shortest region code). */
async function departmentNamed(db: Kysely<Database>, suffix: string, prefecture: string) {
  const exact = await db
    .selectFrom('department')
    .select(['id', 'name', 'region_code'])
    .where('name', 'like', `%${suffix}`)
    .where('region_code', 'like', `${prefecture}%`)
    .orderBy((eb) => eb.fn('length', ['region_code']))
    .orderBy('name')
    .limit(1)
    .executeTakeFirst();
  return exact ?? null;
}

export async function catalogueDemo(db: Kysely<Database>, service: CatalogueService, options: DemoOptions): Promise<void> {
  const ctx = systemActorContext();
  const existing = new Set((await db.selectFrom('data_resource').select('name').execute()).map((r) => r.name));
  const fallback = await db.selectFrom('department').select(['id', 'name', 'region_code']).where('region_code', 'like', `${options.prefecture}%`).orderBy('code').limit(1).executeTakeFirst();
  if (!fallback) return;
  const providers = new Map<string, { id: string }>();
  const provider = async (suffix: string) => {
    if (!providers.has(suffix)) providers.set(suffix, (await departmentNamed(db, suffix, options.prefecture)) ?? fallback);
    return providers.get(suffix)!;
  };
  let created = 0;
  for (const spec of SPECS) {
    if (existing.has(spec.name)) continue;
    const items = spec.items;
    const input: ResourceInput = {
      name: spec.name,
      class: spec.class,
      classCode: spec.classCode,
      theme: spec.theme,
      providerDepartmentId: (await provider(spec.provider)).id,
      summary: spec.summary,
      format: 'database',
      updateCycle: spec.cycle,
      openAttr: spec.open ?? 'conditional',
      shareModes: spec.modes ?? ['api', 'subscription'],
      regionItem: items.some((i) => i.code === 'region') ? 'region' : null,
      personItem: items.some((i) => i.code === 'id_number') ? 'id_number' : null,
      items,
    };
    const resource = await service.create(ctx, input);
    if (!spec.draft) await service.publish(ctx, resource.id);
    created += 1;
  }
  if (created > 0) options.onStep?.(`资源目录：${created} 项资源`);
  const titles = new Set((await db.selectFrom('data_demand').select('title').execute()).map((r) => r.title));
  for (const demand of DEMANDS) {
    if (titles.has(demand.title)) continue;
    const by = await provider(demand.by);
    const asDepartment: RequestContext = { ...ctx, actor: { ...SYSTEM_ACTOR, departmentId: by.id } };
    await service.createDemand(asDepartment, { title: demand.title, purpose: demand.purpose, items: demand.items, suggestedProviderId: (await provider(demand.provider)).id, description: `${demand.purpose}，目前目录中没有可申请的资源。` });
  }
}
