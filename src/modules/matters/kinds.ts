// Enumerations and legal limits of the other supervised matters (issue 9 §5): 行政处罚, 执法案件, 公共资源交易,
// 阳光村务, 重点项目. Their warnings go into supervision_warning with rule keys `matter.<kind>.<rule>`.
import type { WarningLevel } from '../supervision/index.ts';

/** 行政处罚 · 执法案件 · 公共资源交易 · 阳光村务 (a village's publication schedule) · 重点项目. */
export const MATTER_KINDS = ['penalty', 'enforcement', 'trading', 'village', 'project'] as const;
export type MatterKind = (typeof MATTER_KINDS)[number];

/** open (在办), closed (办结/归档), cancelled (撤销: the record stays, no rule runs on it). */
export const MATTER_STATES = ['open', 'closed', 'cancelled'] as const;
export type MatterState = (typeof MATTER_STATES)[number];

/** A penalised party: an organisation (企业/单位, named in the public disclosure) or a natural person (masked 张*). */
export const PARTY_KINDS = ['organization', 'person'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/** 月度公开 or 季度公开 of a village's finances. */
export const VILLAGE_FREQUENCIES = ['monthly', 'quarterly'] as const;
export type VillageFrequency = (typeof VILLAGE_FREQUENCIES)[number];

/** 公开招标 · 邀请招标 · 竞争性谈判 · 拍卖挂牌 (land and property). */
export const TRADING_METHODS = ['open_tender', 'invited_tender', 'negotiation', 'auction'] as const;
export type TradingMethod = (typeof TRADING_METHODS)[number];

/**
 * The legal limits the rules apply (D78). Penalties count natural days (《行政处罚法》第六十条: a decision within 90
 * days of filing, extendable by 30); enforcement stages and project milestones count working days on the calendar.
 */
export const LIMITS = {
  /** 《行政处罚法》第六十条: decide within 90 days of 立案. */
  penaltyDecisionDays: 90,
  /** …extended once by 30 days with approval: beyond that the red card. */
  penaltyExtensionDays: 30,
  /** 《行政处罚法》第六十三条 较大数额罚款 (the region's standard): the hearing notice (听证告知) is due from this amount. */
  hearingThresholdYuan: { person: 10_000, organization: 100_000 } as Record<PartyKind, number>,
  /** 执法案件 stage limits in working days: filing → investigation done, → decision, → closure. */
  enforcementStageDays: { investigation: 30, decision: 15, closure: 20 },
  /** Working days past a stage's or a milestone's limit after which its yellow card becomes red. */
  redAfterWorkingDays: 10,
  /** 《招标投标法》第二十四条: at least 20 days from the tender notice to the bid deadline (bid opening). */
  tenderWindowDays: 20,
  /** Bid opening to the publication of the winning candidates (评标 + 《实施条例》第五十四条 3 days): at most 7 days. */
  awardPublicationDays: 7,
  /** 《招标投标法实施条例》第五十四条: the candidates' publicity lasts at least 3 days. */
  awardPublicityDays: 3,
} as const;

/** Stages of an enforcement case after filing, in order, with the date field that ends each. */
export const ENFORCEMENT_STAGES = ['investigation', 'decision', 'closure'] as const;
export type EnforcementStage = (typeof ENFORCEMENT_STAGES)[number];

/** The rules (key prefix, level) per kind; a key may carry a suffix (`:2026-10`, `:3`) that makes it fire per period/milestone. */
export const MATTER_RULES = {
  'matter.penalty.amount_out_of_range': 'irregular',
  'matter.penalty.decision_late': 'yellow',
  'matter.penalty.decision_overdue': 'red',
  'matter.penalty.hearing_notice_missing': 'irregular',
  'matter.enforcement.investigation_late': 'yellow',
  'matter.enforcement.investigation_overdue': 'red',
  'matter.enforcement.decision_late': 'yellow',
  'matter.enforcement.decision_overdue': 'red',
  'matter.enforcement.closure_late': 'yellow',
  'matter.enforcement.closure_overdue': 'red',
  'matter.trading.tender_window_short': 'irregular',
  'matter.trading.award_late': 'yellow',
  'matter.trading.publicity_short': 'irregular',
  'matter.village.missed': 'yellow',
  'matter.project.milestone_late': 'yellow',
  'matter.project.milestone_overdue': 'red',
} as const satisfies Record<string, WarningLevel>;
export type MatterRule = keyof typeof MATTER_RULES;

/** Chinese names of the rules (warning summaries, the console). */
export const RULE_NAMES_ZH: Record<MatterRule, string> = {
  'matter.penalty.amount_out_of_range': '罚款金额超出裁量基准',
  'matter.penalty.decision_late': '立案后超90日未作出处罚决定',
  'matter.penalty.decision_overdue': '立案后超120日（含延长）未作出处罚决定',
  'matter.penalty.hearing_notice_missing': '较大数额罚款未告知听证权利',
  'matter.enforcement.investigation_late': '调查取证超时限',
  'matter.enforcement.investigation_overdue': '调查取证严重超时限',
  'matter.enforcement.decision_late': '案件决定超时限',
  'matter.enforcement.decision_overdue': '案件决定严重超时限',
  'matter.enforcement.closure_late': '结案超时限',
  'matter.enforcement.closure_overdue': '结案严重超时限',
  'matter.trading.tender_window_short': '招标公告至开标不足20日',
  'matter.trading.award_late': '开标后未按时公示中标候选人',
  'matter.trading.publicity_short': '中标候选人公示期不足3日',
  'matter.village.missed': '村务财务未按期公开',
  'matter.project.milestone_late': '重点项目节点逾期未完成',
  'matter.project.milestone_overdue': '重点项目节点严重逾期',
};

/**
 * 行政处罚裁量基准 seeded with the module: the cited article and its fine range in yuan. The amounts are the laws' own
 * (the ranges a fine must fall in); a department may add articles later (D78).
 */
export const SEEDED_ARTICLES: readonly { code: string; law: string; article: string; summary: string; minYuan: number; maxYuan: number }[] = [
  { code: 'FSL-124', law: '《中华人民共和国食品安全法》', article: '第一百二十四条', summary: '生产经营超范围、超限量使用食品添加剂的食品等', minYuan: 50_000, maxYuan: 100_000 },
  { code: 'FSL-126', law: '《中华人民共和国食品安全法》', article: '第一百二十六条', summary: '未按规定查验记录、未建立从业人员健康管理制度等', minYuan: 5_000, maxYuan: 50_000 },
  { code: 'FSL-122', law: '《中华人民共和国食品安全法》', article: '第一百二十二条', summary: '未取得食品生产经营许可从事食品生产经营活动', minYuan: 50_000, maxYuan: 100_000 },
  { code: 'ADL-59', law: '《中华人民共和国广告法》', article: '第五十九条', summary: '发布虚假或引人误解的广告内容', minYuan: 0, maxYuan: 100_000 },
  { code: 'APL-99', law: '《中华人民共和国大气污染防治法》', article: '第九十九条', summary: '超过排放标准排放大气污染物', minYuan: 100_000, maxYuan: 1_000_000 },
  { code: 'WPL-83', law: '《中华人民共和国水污染防治法》', article: '第八十三条', summary: '超标或超总量排放水污染物', minYuan: 100_000, maxYuan: 1_000_000 },
  { code: 'WSL-101', law: '《中华人民共和国安全生产法》', article: '第一百零一条', summary: '未按规定设置安全生产管理机构或配备管理人员', minYuan: 0, maxYuan: 100_000 },
  { code: 'RTS-90', law: '《中华人民共和国道路交通安全法》', article: '第九十条', summary: '机动车驾驶人违反道路交通安全法律法规关于道路通行规定', minYuan: 20, maxYuan: 200 },
  { code: 'PSL-42', law: '《中华人民共和国价格法》', article: '第四十二条', summary: '经营者违反明码标价规定', minYuan: 0, maxYuan: 5_000 },
  { code: 'TOL-32', law: '《中华人民共和国烟草专卖法》', article: '第三十二条', summary: '无烟草专卖零售许可证经营烟草制品零售业务', minYuan: 0, maxYuan: 50_000 },
];
