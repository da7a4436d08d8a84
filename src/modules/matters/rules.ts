// The rules of the supervised matters, as a pure function of a matter's facts, today and the working calendar: which
// warnings it deserves now. Storing them (once per subject and rule) is the service's business.
import type { WarningLevel } from '../supervision/index.ts';
import { addDays, daysBetween, dueDateOf, periodsDue } from './dates.ts';
import { ENFORCEMENT_STAGES, LIMITS, MATTER_RULES, RULE_NAMES_ZH, type MatterKind, type MatterRule, type MatterState } from './kinds.ts';
import type { KindData } from './schema.ts';

export interface RuleCalendar {
  addWorkingDays(date: string, n: number): { date: string };
  workingDaysBetween(a: string, b: string): { days: number };
}

export interface MatterFacts<K extends MatterKind = MatterKind> {
  kind: K;
  state: MatterState;
  data: KindData[K];
  /** village: the periods published, with their dates. */
  publications?: readonly { period: string; publishedOn: string }[];
}

export interface Fired {
  /** The rule, with a suffix where it fires per period or milestone (`matter.village.missed:2026-10`). */
  rule: string;
  level: WarningLevel;
  /** One line in Chinese for lists and the big screen. */
  text: string;
  detail: Record<string, unknown>;
}

export interface RuleContext {
  today: string;
  calendar: RuleCalendar;
  /** The cited article's range (penalties), when the article is known. */
  article?: { minYuan: number; maxYuan: number; law: string; article: string };
}

const fire = (rule: MatterRule, detail: Record<string, unknown>, suffix = '', extra = ''): Fired => ({
  rule: `${rule}${suffix}`,
  level: MATTER_RULES[rule],
  text: `${RULE_NAMES_ZH[rule]}${extra}`,
  detail,
});

/** The base rule of a stored key ('matter.village.missed:2026-10' → 'matter.village.missed'). */
export function baseRule(rule: string): MatterRule | null {
  const base = rule.split(':')[0]!;
  return base in MATTER_RULES ? (base as MatterRule) : null;
}

export function evaluateMatter(facts: MatterFacts, ctx: RuleContext): Fired[] {
  if (facts.state === 'cancelled') return [];
  switch (facts.kind) {
    case 'penalty':
      return penaltyRules(facts as MatterFacts<'penalty'>, ctx);
    case 'enforcement':
      return enforcementRules(facts as MatterFacts<'enforcement'>, ctx);
    case 'trading':
      return tradingRules(facts as MatterFacts<'trading'>, ctx);
    case 'village':
      return villageRules(facts as MatterFacts<'village'>, ctx);
    case 'project':
      return projectRules(facts as MatterFacts<'project'>, ctx);
  }
}

/** The end of a running interval: its recorded date, else today while the matter is open (else it never ended). */
const endOf = (recorded: string | null | undefined, facts: MatterFacts, today: string): string | null => recorded ?? (facts.state === 'open' ? today : null);

function penaltyRules(facts: MatterFacts<'penalty'>, { today, article }: RuleContext): Fired[] {
  const d = facts.data;
  const out: Fired[] = [];
  if (article && (d.amountYuan < article.minYuan || d.amountYuan > article.maxYuan)) {
    out.push(fire('matter.penalty.amount_out_of_range', { amountYuan: d.amountYuan, minYuan: article.minYuan, maxYuan: article.maxYuan, article: `${article.law}${article.article}` }, '', `（${d.amountYuan}元，基准${article.minYuan}–${article.maxYuan}元）`));
  }
  const end = endOf(d.decidedOn, facts, today);
  if (end !== null) {
    const days = daysBetween(d.filedOn, end);
    const due = addDays(d.filedOn, LIMITS.penaltyDecisionDays);
    if (days > LIMITS.penaltyDecisionDays) out.push(fire('matter.penalty.decision_late', { filedOn: d.filedOn, due, decidedOn: d.decidedOn ?? null, days }));
    if (days > LIMITS.penaltyDecisionDays + LIMITS.penaltyExtensionDays) {
      out.push(fire('matter.penalty.decision_overdue', { filedOn: d.filedOn, due: addDays(due, LIMITS.penaltyExtensionDays), decidedOn: d.decidedOn ?? null, days }));
    }
  }
  const threshold = LIMITS.hearingThresholdYuan[d.partyKind];
  if (d.decidedOn && d.amountYuan >= threshold && (!d.hearingNotifiedOn || d.hearingNotifiedOn > d.decidedOn)) {
    out.push(fire('matter.penalty.hearing_notice_missing', { amountYuan: d.amountYuan, thresholdYuan: threshold, partyKind: d.partyKind, hearingNotifiedOn: d.hearingNotifiedOn ?? null }));
  }
  return out;
}

const STAGE_DATES = { investigation: ['filedOn', 'investigatedOn'], decision: ['investigatedOn', 'decidedOn'], closure: ['decidedOn', 'closedOn'] } as const;

function enforcementRules(facts: MatterFacts<'enforcement'>, { today, calendar }: RuleContext): Fired[] {
  const out: Fired[] = [];
  for (const stage of ENFORCEMENT_STAGES) {
    const [from, to] = STAGE_DATES[stage];
    const start = facts.data[from];
    if (!start) break;
    const end = endOf(facts.data[to], facts, today);
    if (end === null) break;
    const due = calendar.addWorkingDays(start, LIMITS.enforcementStageDays[stage]).date;
    if (end > due) {
      const late = calendar.workingDaysBetween(due, end).days;
      out.push(fire(`matter.enforcement.${stage}_late`, { stage, start, due, end: facts.data[to] ?? null, workingDaysLate: late }));
      if (late > LIMITS.redAfterWorkingDays) out.push(fire(`matter.enforcement.${stage}_overdue`, { stage, start, due, end: facts.data[to] ?? null, workingDaysLate: late }));
    }
    if (!facts.data[to]) break;
  }
  return out;
}

function tradingRules(facts: MatterFacts<'trading'>, { today }: RuleContext): Fired[] {
  const d = facts.data;
  const out: Fired[] = [];
  if (d.bidOpenOn) {
    const window = daysBetween(d.noticeOn, d.bidOpenOn);
    if (window < LIMITS.tenderWindowDays) out.push(fire('matter.trading.tender_window_short', { noticeOn: d.noticeOn, bidOpenOn: d.bidOpenOn, days: window }, '', `（${window}日）`));
    const end = endOf(d.awardPublishedOn, facts, today);
    if (end !== null && daysBetween(d.bidOpenOn, end) > LIMITS.awardPublicationDays) {
      out.push(fire('matter.trading.award_late', { bidOpenOn: d.bidOpenOn, awardPublishedOn: d.awardPublishedOn ?? null, due: addDays(d.bidOpenOn, LIMITS.awardPublicationDays) }));
    }
  }
  if (d.awardPublishedOn && d.publicityEndOn) {
    const days = daysBetween(d.awardPublishedOn, d.publicityEndOn);
    if (days < LIMITS.awardPublicityDays) out.push(fire('matter.trading.publicity_short', { awardPublishedOn: d.awardPublishedOn, publicityEndOn: d.publicityEndOn, days }, '', `（${days}日）`));
  }
  return out;
}

function villageRules(facts: MatterFacts<'village'>, { today }: RuleContext): Fired[] {
  if (facts.state !== 'open') return [];
  const d = facts.data;
  const published = new Map((facts.publications ?? []).map((p) => [p.period, p.publishedOn]));
  const out: Fired[] = [];
  for (const period of periodsDue(d.since, d.frequency, d.dueDay, today)) {
    const due = dueDateOf(period, d.dueDay);
    const on = published.get(period);
    if (on === undefined || on > due) out.push(fire('matter.village.missed', { period, due, publishedOn: on ?? null }, `:${period}`, `（${period}，应于${due}前公开）`));
  }
  return out;
}

function projectRules(facts: MatterFacts<'project'>, { today, calendar }: RuleContext): Fired[] {
  if (facts.state !== 'open') return [];
  const out: Fired[] = [];
  for (const m of facts.data.milestones) {
    if (m.completedOn || today <= m.plannedOn) continue;
    const late = calendar.workingDaysBetween(m.plannedOn, today).days;
    const detail = { seq: m.seq, name: m.name, plannedOn: m.plannedOn, workingDaysLate: late };
    out.push(fire('matter.project.milestone_late', detail, `:${m.seq}`, `（${m.name}，计划${m.plannedOn}）`));
    if (late > LIMITS.redAfterWorkingDays) out.push(fire('matter.project.milestone_overdue', detail, `:${m.seq}`, `（${m.name}，逾期${late}个工作日）`));
  }
  return out;
}
