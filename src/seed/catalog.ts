// The demo's department catalogue: the party, government, judicial and public bodies of a prefecture, its counties
// and its townships, named the way they are actually named (中共哈密市委组织部, 伊州区人民政府办公室 …).
import { CREDIT_CODE_REGISTRATION, type DepartmentKind } from '../modules/departments/index.ts';

export interface RegionInfo {
  code: string;
  name: string;
}

export type Tier = 'prefecture' | 'county' | 'township' | 'community';

export interface PlannedDepartment {
  code: string;
  name: string;
  shortName: string | null;
  kind: DepartmentKind;
  regionCode: string;
  /** Code of the parent department, planned earlier in the list. */
  parentCode: string | null;
  /** Positions 1–2 of its credit code. */
  registration: string;
  tier: Tier;
}

/** [key, name, short name, kind, parent key, registration override] with {P} the prefecture name, {B} its bare name (哈密), {W} its party committee (中共哈密市委), {G} its government (哈密市人民政府), {L} its level word (市). */
type Entry = [key: string, name: string, short: string | null, kind: DepartmentKind, parent: string | null, registration?: string];

const REGISTRATION_BY_KIND: Record<DepartmentKind, string> = {
  party: CREDIT_CODE_REGISTRATION.organ,
  government: CREDIT_CODE_REGISTRATION.organ,
  people_congress: CREDIT_CODE_REGISTRATION.organ,
  cppcc: CREDIT_CODE_REGISTRATION.organ,
  court: CREDIT_CODE_REGISTRATION.organ,
  procuratorate: CREDIT_CODE_REGISTRATION.organ,
  mass_org: CREDIT_CODE_REGISTRATION.massOrganisation,
  public_institution: CREDIT_CODE_REGISTRATION.publicInstitution,
  enterprise: CREDIT_CODE_REGISTRATION.enterprise,
  media: CREDIT_CODE_REGISTRATION.publicInstitution,
};

const PI = CREDIT_CODE_REGISTRATION.publicInstitution;

const PREFECTURE: Entry[] = [
  // 党委
  ['SWB', '{W}办公室', '{L}委办', 'party', null],
  ['JW', '中共{P}纪律检查委员会 {P}监察委员会', '{L}纪委监委', 'party', null],
  ['ZZB', '{W}组织部', '{L}委组织部', 'party', 'SWB'],
  ['XCB', '{W}宣传部', '{L}委宣传部', 'party', 'SWB'],
  ['TZB', '{W}统战部', '{L}委统战部', 'party', 'SWB'],
  ['ZFW', '{W}政法委员会', '{L}委政法委', 'party', 'SWB'],
  ['SHB', '{W}社会工作部', '{L}委社会工作部', 'party', 'SWB'],
  ['ZYS', '{W}政策研究室', '{L}委政研室', 'party', 'SWB'],
  ['BB', '{W}机构编制委员会办公室', '{L}委编办', 'party', 'SWB'],
  ['WXB', '{W}网络安全和信息化委员会办公室', '{L}委网信办', 'party', 'SWB'],
  ['XCGB', '{W}巡察工作领导小组办公室', '{L}委巡察办', 'party', 'SWB'],
  ['LGB', '{W}老干部局', '{L}委老干部局', 'party', 'SWB'],
  ['JGGW', '{W}直属机关工作委员会', '{L}直机关工委', 'party', 'SWB'],
  ['DX', '{W}党校', '{L}委党校', 'party', 'SWB', PI],
  // 人大 政协 法院 检察院
  ['RD', '{P}人大常委会办公室', '{L}人大办', 'people_congress', null],
  ['ZX', '政协{P}委员会办公室', '{L}政协办', 'cppcc', null],
  ['FY', '{P}中级人民法院', '{L}中院', 'court', null],
  ['JCY', '{P}人民检察院', '{L}检察院', 'procuratorate', null],
  // 政府
  ['SZF', '{G}办公室', '{L}政府办', 'government', null],
  ['FGW', '{P}发展和改革委员会', '{L}发改委', 'government', 'SZF'],
  ['GXJ', '{P}工业和信息化局', '{L}工信局', 'government', 'SZF'],
  ['JYJ', '{P}教育局', '{L}教育局', 'government', 'SZF'],
  ['KJJ', '{P}科学技术局', '{L}科技局', 'government', 'SZF'],
  ['MZW', '{P}民族宗教事务委员会', '{L}民宗委', 'government', 'SZF'],
  ['GAJ', '{P}公安局', '{L}公安局', 'government', 'SZF'],
  ['MZJ', '{P}民政局', '{L}民政局', 'government', 'SZF'],
  ['SFJ', '{P}司法局', '{L}司法局', 'government', 'SZF'],
  ['CZJ', '{P}财政局', '{L}财政局', 'government', 'SZF'],
  ['RSJ', '{P}人力资源和社会保障局', '{L}人社局', 'government', 'SZF'],
  ['ZRJ', '{P}自然资源局', '{L}自然资源局', 'government', 'SZF'],
  ['HBJ', '{P}生态环境局', '{L}生态环境局', 'government', 'SZF'],
  ['ZJJ', '{P}住房和城乡建设局', '{L}住建局', 'government', 'SZF'],
  ['JTJ', '{P}交通运输局', '{L}交通运输局', 'government', 'SZF'],
  ['SLJ', '{P}水利局', '{L}水利局', 'government', 'SZF'],
  ['NYJ', '{P}农业农村局', '{L}农业农村局', 'government', 'SZF'],
  ['SWJ', '{P}商务局', '{L}商务局', 'government', 'SZF'],
  ['WLJ', '{P}文化体育广播电视和旅游局', '{L}文旅局', 'government', 'SZF'],
  ['WJW', '{P}卫生健康委员会', '{L}卫健委', 'government', 'SZF'],
  ['TYJ', '{P}退役军人事务局', '{L}退役军人事务局', 'government', 'SZF'],
  ['YJJ', '{P}应急管理局', '{L}应急管理局', 'government', 'SZF'],
  ['SJJ', '{P}审计局', '{L}审计局', 'government', 'SZF'],
  ['GZW', '{G}国有资产监督管理委员会', '{L}国资委', 'government', 'SZF'],
  ['SCJ', '{P}市场监督管理局', '{L}市场监管局', 'government', 'SZF'],
  ['TJJ', '{P}统计局', '{L}统计局', 'government', 'SZF'],
  ['YBJ', '{P}医疗保障局', '{L}医保局', 'government', 'SZF'],
  ['LCJ', '{P}林业和草原局', '{L}林草局', 'government', 'SZF'],
  ['XFJ', '{P}信访局', '{L}信访局', 'government', 'SZF'],
  ['SJB', '{P}政务服务和大数据管理局', '{L}大数据局', 'government', 'SZF'],
  ['CGJ', '{P}城市管理局', '{L}城管局', 'government', 'SZF'],
  ['LSJ', '{P}粮食和物资储备局', '{L}粮储局', 'government', 'SZF'],
  ['JGSW', '{P}机关事务管理局', '{L}机关事务局', 'government', 'SZF'],
  ['WB', '{G}外事办公室', '{L}外办', 'government', 'SZF'],
  ['RFB', '{P}人民防空办公室', '{L}人防办', 'government', 'SZF'],
  ['JRJ', '{P}地方金融管理局', '{L}金融局', 'government', 'SZF'],
  // 垂直管理 / 驻地单位
  ['TAX', '国家税务总局{P}税务局', '{L}税务局', 'government', null],
  ['QXJ', '{P}气象局', '{L}气象局', 'government', null, PI],
  ['YZJ', '{P}邮政管理局', '{L}邮政管理局', 'government', null],
  ['RMYH', '中国人民银行{P}分行', '人行{B}分行', 'government', null],
  ['XFZD', '{P}消防救援支队', '{L}消防救援支队', 'government', null],
  // 群团
  ['ZGH', '{P}总工会', '{L}总工会', 'mass_org', null, CREDIT_CODE_REGISTRATION.tradeUnion],
  ['TW', '共青团{P}委员会', '团{L}委', 'mass_org', null],
  ['FL', '{P}妇女联合会', '{L}妇联', 'mass_org', null],
  ['KX', '{P}科学技术协会', '{L}科协', 'mass_org', null],
  ['WL', '{P}文学艺术界联合会', '{L}文联', 'mass_org', null],
  ['CL', '{P}残疾人联合会', '{L}残联', 'mass_org', null],
  ['GSL', '{P}工商业联合会', '{L}工商联', 'mass_org', null],
  ['HSH', '{P}红十字会', '{L}红十字会', 'mass_org', null],
  // 媒体
  ['RBS', '{B}日报社', '{B}日报社', 'media', 'XCB'],
  ['GBDS', '{B}广播电视台', '{B}广播电视台', 'media', 'XCB'],
  // 事业单位
  ['ZXYY', '{P}中心医院', '{L}中心医院', 'public_institution', 'WJW'],
  ['EY', '{P}第二人民医院', '{L}二院', 'public_institution', 'WJW'],
  ['ZYY', '{P}中医医院', '{L}中医院', 'public_institution', 'WJW'],
  ['FYBJ', '{P}妇幼保健院', '{L}妇幼保健院', 'public_institution', 'WJW'],
  ['JKZX', '{P}疾病预防控制中心', '{L}疾控中心', 'public_institution', 'WJW'],
  ['YZ', '{P}第一中学', '{L}一中', 'public_institution', 'JYJ'],
  ['EZ', '{P}第二中学', '{L}二中', 'public_institution', 'JYJ'],
  ['SZ3', '{P}第三中学', '{L}三中', 'public_institution', 'JYJ'],
  ['YX', '{P}第一小学', '{L}一小', 'public_institution', 'JYJ'],
  ['EX', '{P}第二小学', '{L}二小', 'public_institution', 'JYJ'],
  ['ZYXY', '{B}职业技术学院', '{B}职院', 'public_institution', 'JYJ'],
  ['SBZX', '{P}社会保险中心', '{L}社保中心', 'public_institution', 'RSJ'],
  ['JYFW', '{P}公共就业服务中心', '{L}就业中心', 'public_institution', 'RSJ'],
  ['ZCY', '{P}劳动人事争议仲裁院', '{L}仲裁院', 'public_institution', 'RSJ'],
  ['YBZX', '{P}医疗保障服务中心', '{L}医保中心', 'public_institution', 'YBJ'],
  ['BDC', '{P}不动产登记中心', '{L}不动产登记中心', 'public_institution', 'ZRJ'],
  ['GJJ', '{P}住房公积金管理中心', '{L}公积金中心', 'public_institution', 'SZF'],
  ['ZWZX', '{P}政务服务中心', '{L}政务服务中心', 'public_institution', 'SJB'],
  ['JYZX', '{P}公共资源交易中心', '{L}公共资源交易中心', 'public_institution', 'SJB'],
  ['RX', '{P}12345政务服务便民热线中心', '{L}12345热线', 'public_institution', 'SJB'],
  ['DSJ', '{P}大数据中心', '{L}大数据中心', 'public_institution', 'SJB'],
  ['DAG', '{P}档案馆', '{L}档案馆', 'public_institution', 'SWB'],
  ['BWG', '{B}博物馆', '{B}博物馆', 'public_institution', 'WLJ'],
  ['TSG', '{P}图书馆', '{L}图书馆', 'public_institution', 'WLJ'],
  ['WHG', '{P}文化馆', '{L}文化馆', 'public_institution', 'WLJ'],
  ['NJZX', '{P}农业技术推广中心', '{L}农技中心', 'public_institution', 'NYJ'],
  ['DYZX', '{P}动物疫病预防控制中心', '{L}动物疫控中心', 'public_institution', 'NYJ'],
  ['HJJC', '{P}生态环境监测站', '{L}环境监测站', 'public_institution', 'HBJ'],
  ['SCZD', '{P}市场监管综合行政执法支队', '{L}市场监管执法支队', 'public_institution', 'SCJ'],
  ['JCZX', '{P}检验检测中心', '{L}检验检测中心', 'public_institution', 'SCJ'],
  ['JTZD', '{P}交通运输综合行政执法支队', '{L}交通执法支队', 'public_institution', 'JTJ'],
  ['CGZD', '{P}城市管理综合行政执法支队', '{L}城管执法支队', 'public_institution', 'CGJ'],
  ['YJZD', '{P}应急管理综合行政执法支队', '{L}应急执法支队', 'public_institution', 'YJJ'],
  ['FLY', '{P}社会福利院', '{L}福利院', 'public_institution', 'MZJ'],
  ['JZZ', '{P}救助管理站', '{L}救助站', 'public_institution', 'MZJ'],
  ['BYG', '{P}殡仪馆', '{L}殡仪馆', 'public_institution', 'MZJ'],
  ['GZC', '{P}公证处', '{L}公证处', 'public_institution', 'SFJ'],
  ['FYZX', '{P}法律援助中心', '{L}法律援助中心', 'public_institution', 'SFJ'],
  ['JJZD', '{P}公安局交通警察支队', '{L}交警支队', 'government', 'GAJ'],
  ['KSS', '{P}看守所', '{L}看守所', 'government', 'GAJ'],
  ['TYZX', '{P}退役军人服务中心', '{L}退役军人服务中心', 'public_institution', 'TYJ'],
  ['TCZX', '{P}投资促进服务中心', '{L}投促中心', 'public_institution', 'SWJ'],
  ['XYZX', '{P}信用信息中心', '{L}信用中心', 'public_institution', 'FGW'],
  ['JGYEY', '{P}机关幼儿园', '{L}机关幼儿园', 'public_institution', 'JGSW'],
  ['DJZX', '{P}党员教育中心', '{L}党员教育中心', 'public_institution', 'ZZB'],
  // 国有企业
  ['GTGS', '{P}国有资产投资经营有限公司', '{L}国投公司', 'enterprise', 'GZW'],
  ['CTJT', '{P}城市建设投资集团有限公司', '{L}城投集团', 'enterprise', 'GZW'],
  ['JTTZ', '{P}交通建设投资有限公司', '{L}交投公司', 'enterprise', 'GZW'],
  ['SWJT', '{P}水务集团有限公司', '{L}水务集团', 'enterprise', 'GZW'],
  ['GJGS', '{P}公共交通有限责任公司', '{L}公交公司', 'enterprise', 'GZW'],
  ['WLJT', '{P}文化旅游投资集团有限公司', '{L}文旅集团', 'enterprise', 'GZW'],
];

/** {C} the county name, {S} its short name (巴里坤县), {W} its party committee (中共伊州区委), {G} its government. */
const COUNTY: Entry[] = [
  ['XWB', '{W}办公室', '{S}委办', 'party', null],
  ['ZFB', '{G}办公室', '{S}政府办', 'government', null],
  ['JW', '中共{C}纪律检查委员会 {C}监察委员会', '{S}纪委监委', 'party', null],
  ['ZZB', '{W}组织部', '{S}委组织部', 'party', 'XWB'],
  ['RD', '{C}人大常委会办公室', '{S}人大办', 'people_congress', null],
  ['ZX', '政协{C}委员会办公室', '{S}政协办', 'cppcc', null],
  ['FY', '{C}人民法院', '{S}法院', 'court', null],
  ['JCY', '{C}人民检察院', '{S}检察院', 'procuratorate', null],
  ['GAJ', '{POLICE}', '{S}公安局', 'government', 'ZFB'],
  ['RSJ', '{C}人力资源和社会保障局', '{S}人社局', 'government', 'ZFB'],
  ['WJW', '{C}卫生健康委员会', '{S}卫健委', 'government', 'ZFB'],
  ['MZJ', '{C}民政局', '{S}民政局', 'government', 'ZFB'],
  ['JYJ', '{C}教育局', '{S}教育局', 'government', 'ZFB'],
  ['CZJ', '{C}财政局', '{S}财政局', 'government', 'ZFB'],
  ['YBJ', '{C}医疗保障局', '{S}医保局', 'government', 'ZFB'],
  ['YJJ', '{C}应急管理局', '{S}应急局', 'government', 'ZFB'],
  ['ZRJ', '{C}自然资源局', '{S}自然资源局', 'government', 'ZFB'],
  ['SCJ', '{C}市场监督管理局', '{S}市场监管局', 'government', 'ZFB'],
  ['NYJ', '{C}农业农村局', '{S}农业农村局', 'government', 'ZFB'],
  ['RMYY', '{C}人民医院', '{S}人民医院', 'public_institution', 'WJW'],
];

/** How a prefecture's seat is named: 哈密市 → 中共哈密市委 / 哈密市人民政府 / 市; 哈密地区 → 中共哈密地委 / 哈密地区行政公署 / 地区. */
export function prefectureSeat(name: string): { bare: string; party: string; government: string; level: string } {
  if (name.endsWith('地区')) {
    const bare = name.slice(0, -2);
    return { bare, party: `中共${bare}地委`, government: `${name}行政公署`, level: '地区' };
  }
  if (name.endsWith('盟')) {
    const bare = name.slice(0, -1);
    return { bare, party: `中共${name}委`, government: `${name}行政公署`, level: '盟' };
  }
  if (name.endsWith('自治州')) {
    const bare = name.slice(0, 2);
    return { bare, party: `中共${bare}州委`, government: `${name}人民政府`, level: '州' };
  }
  const bare = name.endsWith('市') ? name.slice(0, -1) : name;
  return { bare, party: `中共${name}委`, government: `${name}人民政府`, level: '市' };
}

/** 巴里坤哈萨克自治县 → 巴里坤县; 伊州区 stays. */
export function countyShortName(name: string): string {
  return name.replace(/^(\p{Script=Han}{2,}?)(?:\p{Script=Han}{1,4}族|哈萨克|蒙古|维吾尔|柯尔克孜|塔吉克|锡伯)+自治(县|旗)$/u, '$1$2');
}

/** The office of a township-level region, or null where it is not the prefecture's to run (XPCC farms). */
export function townshipOffice(name: string): { suffix: string; name: string; shortName: string | null; kind: DepartmentKind } | null {
  // 兵团 farms belong to the Xinjiang Production and Construction Corps, not to the local government.
  if (name.startsWith('兵团')) return null;
  if (name.endsWith('街道')) return { suffix: 'JD', name: `${name}办事处`, shortName: name, kind: 'government' };
  if (/[镇乡]$/u.test(name)) return { suffix: 'ZF', name: `${name}人民政府`, shortName: name, kind: 'government' };
  if (/(管理委员会|管委会)$/u.test(name)) return { suffix: 'GW', name, shortName: null, kind: 'government' };
  if (/(园区|开发区|加工区)$/u.test(name)) return { suffix: 'GW', name: `${name}管理委员会`, shortName: name, kind: 'government' };
  return { suffix: 'DW', name, shortName: null, kind: 'public_institution' };
}

/**
 * 居民委员会 / 村民委员会 of a community or village: grassroots self-governing bodies, filed as mass_org (the nearest
 * kind). The region names already end in 居委会 / 村委会 mostly; the rest get the full title.
 */
export function communityCommittee(name: string): string {
  if (/(居委会|居民委员会|村委会|村民委员会)$/u.test(name)) return name;
  if (name.endsWith('社区')) return `${name}居民委员会`;
  if (name.endsWith('村')) return `${name}村民委员会`;
  return name;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function expand(entries: Entry[], codePrefix: string, regionCode: string, tier: Tier, values: Record<string, string>): PlannedDepartment[] {
  return entries.map(([key, name, short, kind, parent, registration]) => ({
    code: `${codePrefix}-${key}`,
    name: fill(name, values),
    shortName: short === null ? null : fill(short, values),
    kind,
    regionCode,
    parentCode: parent === null ? null : `${codePrefix}-${parent}`,
    registration: registration ?? REGISTRATION_BY_KIND[kind],
    tier,
  }));
}

/**
 * The whole plan, parents always before their children. `townships` are the level-3 regions with the code of the
 * county they belong to, `communities` level-4 ones with their township's code.
 */
export function planDepartments(input: {
  prefecture: RegionInfo;
  counties: RegionInfo[];
  townships: (RegionInfo & { countyCode: string })[];
  /** Communities that get their committee as a department (the demo does this for one street, not for all 300). */
  communities?: (RegionInfo & { townshipCode: string })[];
}): PlannedDepartment[] {
  const seat = prefectureSeat(input.prefecture.name);
  const plan = expand(PREFECTURE, input.prefecture.code, input.prefecture.code, 'prefecture', {
    P: input.prefecture.name,
    B: seat.bare,
    W: seat.party,
    G: seat.government,
    L: seat.level,
  });
  for (const county of input.counties) {
    const police = county.name.endsWith('区') ? `${input.prefecture.name}公安局${county.name}分局` : `${county.name}公安局`;
    plan.push(
      ...expand(COUNTY, county.code, county.code, 'county', {
        C: county.name,
        S: countyShortName(county.name),
        W: `中共${county.name}委`,
        G: `${county.name}人民政府`,
        POLICE: police,
      }),
    );
    for (const township of input.townships.filter((t) => t.countyCode === county.code)) {
      const office = townshipOffice(township.name);
      if (!office) continue;
      plan.push({
        code: `${township.code}-${office.suffix}`,
        name: office.name,
        shortName: office.shortName,
        kind: office.kind,
        regionCode: township.code,
        parentCode: `${county.code}-ZFB`,
        registration: REGISTRATION_BY_KIND[office.kind],
        tier: 'township',
      });
      for (const community of (input.communities ?? []).filter((c) => c.townshipCode === township.code)) {
        plan.push({
          code: `${community.code}-JWH`,
          name: communityCommittee(community.name),
          shortName: null,
          kind: 'mass_org',
          regionCode: community.code,
          parentCode: `${township.code}-${office.suffix}`,
          registration: REGISTRATION_BY_KIND.mass_org,
          tier: 'community',
        });
      }
    }
  }
  return plan;
}
