// The matters' rules as pure logic on the shipped working calendar: each fires past its limit and not on it.
import { describe, expect, it } from 'vitest';
import { WorkingCalendar, shippedSchedules } from '../calendar/index.ts';
import { dueDateOf, nextPeriod, periodsDue } from './dates.ts';
import { evaluateMatter, type MatterFacts, type RuleContext } from './rules.ts';

const calendar = new WorkingCalendar(shippedSchedules());
const rules = (facts: MatterFacts, today: string, article?: RuleContext['article']) => evaluateMatter(facts, { today, calendar, article }).map((f) => f.rule);
const ARTICLE = { minYuan: 50_000, maxYuan: 100_000, law: '《中华人民共和国食品安全法》', article: '第一百二十四条' };
const penalty = (data: Partial<MatterFacts<'penalty'>['data']>, state: 'open' | 'closed' = 'open'): MatterFacts<'penalty'> => ({
  kind: 'penalty',
  state,
  data: { partyKind: 'organization', partyName: '哈密某公司', articleCode: 'FSL-124', amountYuan: 60_000, filedOn: '2026-06-01', hearingNotifiedOn: '2026-06-10', ...data },
});

describe('行政处罚', () => {
  it('flags an amount outside the article’s range, not at its ends', () => {
    expect(rules(penalty({ amountYuan: 50_000 }), '2026-06-05', ARTICLE)).toEqual([]);
    expect(rules(penalty({ amountYuan: 100_000 }), '2026-06-05', ARTICLE)).toEqual([]);
    expect(rules(penalty({ amountYuan: 49_999.99 }), '2026-06-05', ARTICLE)).toEqual(['matter.penalty.amount_out_of_range']);
    expect(rules(penalty({ amountYuan: 100_000.01, hearingNotifiedOn: '2026-06-02' }), '2026-06-05', ARTICLE)).toEqual(['matter.penalty.amount_out_of_range']);
  });

  it('gives yellow after 90 days without a decision, red after 120, not on the 90th or 120th day', () => {
    expect(rules(penalty({}), '2026-08-30')).toEqual([]); // day 90
    expect(rules(penalty({}), '2026-08-31')).toEqual(['matter.penalty.decision_late']);
    expect(rules(penalty({}), '2026-09-29')).toEqual(['matter.penalty.decision_late']); // day 120
    expect(rules(penalty({}), '2026-09-30')).toEqual(['matter.penalty.decision_late', 'matter.penalty.decision_overdue']);
    // a decision on day 90 is on time, whenever the rules run
    expect(rules(penalty({ decidedOn: '2026-08-30' }, 'closed'), '2027-01-01')).toEqual([]);
  });

  it('flags a large fine decided without the hearing notice, from the threshold up', () => {
    const decided = { decidedOn: '2026-07-01', hearingNotifiedOn: null };
    expect(rules(penalty({ ...decided, amountYuan: 99_999.99 }), '2026-07-02')).toEqual([]);
    expect(rules(penalty({ ...decided, amountYuan: 100_000 }), '2026-07-02')).toEqual(['matter.penalty.hearing_notice_missing']);
    expect(rules(penalty({ ...decided, partyKind: 'person', amountYuan: 10_000 }), '2026-07-02')).toEqual(['matter.penalty.hearing_notice_missing']);
    expect(rules(penalty({ ...decided, partyKind: 'person', amountYuan: 9_999 }), '2026-07-02')).toEqual([]);
    expect(rules(penalty({ decidedOn: '2026-07-01', hearingNotifiedOn: '2026-06-20', amountYuan: 100_000 }), '2026-07-02')).toEqual([]);
  });
});

describe('执法案件', () => {
  const filedOn = '2026-09-01';
  const facts = (data: Partial<MatterFacts<'enforcement'>['data']> = {}): MatterFacts<'enforcement'> => ({ kind: 'enforcement', state: 'open', data: { cause: '占道经营', filedOn, ...data } });
  it('counts each stage in working days: late after the limit, red 10 working days later', () => {
    const due = calendar.addWorkingDays(filedOn, 30).date;
    expect(rules(facts(), due)).toEqual([]);
    const dayAfter = calendar.addWorkingDays(due, 1).date;
    expect(rules(facts(), dayAfter)).toEqual(['matter.enforcement.investigation_late']);
    expect(rules(facts(), calendar.addWorkingDays(due, 10).date)).toEqual(['matter.enforcement.investigation_late']);
    expect(rules(facts(), calendar.addWorkingDays(due, 11).date)).toEqual(['matter.enforcement.investigation_late', 'matter.enforcement.investigation_overdue']);
    // the investigation done on its last day: the decision's clock starts there
    const decisionDue = calendar.addWorkingDays(due, 15).date;
    expect(rules(facts({ investigatedOn: due }), decisionDue)).toEqual([]);
    expect(rules(facts({ investigatedOn: due }), calendar.addWorkingDays(decisionDue, 1).date)).toEqual(['matter.enforcement.decision_late']);
  });
});

describe('公共资源交易', () => {
  const facts = (data: Partial<MatterFacts<'trading'>['data']>, state: 'open' | 'closed' = 'closed'): MatterFacts<'trading'> => ({ kind: 'trading', state, data: { method: 'open_tender', noticeOn: '2026-09-01', ...data } });
  it('needs 20 days from notice to opening, publication within 7 days, publicity of 3 days', () => {
    expect(rules(facts({ bidOpenOn: '2026-09-21', awardPublishedOn: '2026-09-28', publicityEndOn: '2026-10-01' }), '2026-11-01')).toEqual([]);
    expect(rules(facts({ bidOpenOn: '2026-09-20' }), '2026-11-01')).toEqual(['matter.trading.tender_window_short']);
    expect(rules(facts({ bidOpenOn: '2026-09-21', awardPublishedOn: '2026-09-29', publicityEndOn: '2026-10-02' }), '2026-11-01')).toEqual(['matter.trading.award_late']);
    expect(rules(facts({ bidOpenOn: '2026-09-21', awardPublishedOn: '2026-09-28', publicityEndOn: '2026-09-30' }), '2026-11-01')).toEqual(['matter.trading.publicity_short']);
    // still unpublished: late from the 8th day after opening while open
    expect(rules(facts({ bidOpenOn: '2026-09-21' }, 'open'), '2026-09-28')).toEqual([]);
    expect(rules(facts({ bidOpenOn: '2026-09-21' }, 'open'), '2026-09-29')).toEqual(['matter.trading.award_late']);
  });
});

describe('阳光村务', () => {
  const facts = (publications: { period: string; publishedOn: string }[], frequency: 'monthly' | 'quarterly' = 'monthly'): MatterFacts<'village'> => ({
    kind: 'village',
    state: 'open',
    data: { frequency, dueDay: 10, since: '2026-08' },
    publications,
  });
  it('knows the periods and their due dates', () => {
    expect(nextPeriod('2026-12')).toBe('2027-01');
    expect(nextPeriod('2026-Q4')).toBe('2027-Q1');
    expect(dueDateOf('2026-10', 10)).toBe('2026-11-10');
    expect(dueDateOf('2026-Q3', 5)).toBe('2026-10-05');
    expect(periodsDue('2026-08', 'quarterly', 10, '2026-11-27')).toEqual(['2026-Q3']);
  });
  it('flags a period missed past its due day, once per period, not on the due day', () => {
    const on = [
      { period: '2026-08', publishedOn: '2026-09-10' },
      { period: '2026-09', publishedOn: '2026-10-08' },
    ];
    expect(rules(facts(on), '2026-11-10')).toEqual([]); // October's due day
    expect(rules(facts(on), '2026-11-11')).toEqual(['matter.village.missed:2026-10']);
    expect(rules(facts([...on, { period: '2026-10', publishedOn: '2026-11-12' }]), '2026-11-27')).toEqual(['matter.village.missed:2026-10']);
    expect(rules(facts([on[1]!]), '2026-11-11')).toEqual(['matter.village.missed:2026-08', 'matter.village.missed:2026-10']);
    expect(rules(facts([], 'quarterly'), '2026-10-10')).toEqual([]);
    expect(rules(facts([], 'quarterly'), '2026-10-11')).toEqual(['matter.village.missed:2026-Q3']);
  });
});

describe('重点项目', () => {
  const facts = (completedOn: string | null): MatterFacts<'project'> => ({
    kind: 'project',
    state: 'open',
    data: { startOn: '2026-01-05', milestones: [{ seq: 3, name: '主体完工', plannedOn: '2026-10-09', completedOn }] },
  });
  it('gives yellow past the planned date, red beyond 10 working days, nothing once completed', () => {
    expect(rules(facts(null), '2026-10-09')).toEqual([]);
    expect(rules(facts(null), '2026-10-10')).toEqual(['matter.project.milestone_late:3']);
    const tenth = calendar.addWorkingDays('2026-10-09', 10).date;
    expect(rules(facts(null), tenth)).toEqual(['matter.project.milestone_late:3']);
    expect(rules(facts(null), calendar.addWorkingDays(tenth, 1).date)).toEqual(['matter.project.milestone_late:3', 'matter.project.milestone_overdue:3']);
    expect(rules(facts('2026-10-20'), '2026-12-01')).toEqual([]);
  });
});
