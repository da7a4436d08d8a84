// Enumerations of electronic supervision (issue 9 §4–5): warning levels and the rules that fire them.

/** 提醒 (a prompt before a deadline), 黄牌, 红牌, and 违规 (an irregularity found in a case's record). */
export const WARNING_LEVELS = ['prompt', 'yellow', 'red', 'irregular'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

/**
 * What a warning is about: an approval case, or one of the other supervised matters (module matters): 行政处罚,
 * 执法案件, 公共资源交易, 阳光村务, 重点项目.
 */
export const SUBJECT_KINDS = ['case', 'penalty', 'enforcement', 'trading', 'village', 'project'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/**
 * The approval rules (issue 9 §4). A warning row is unique per (subject, rule): each fires once per case and rung,
 * however many sweeps, restarts and nodes see it. The matters module adds rules of its own (prefix `matter.`).
 */
export const CASE_RULES = {
  'deadline.prompt': 'prompt',
  'promised.passed': 'yellow',
  'statutory.passed': 'red',
  'yellow.outlived': 'red',
  'irregular.concluded_before_accepted': 'irregular',
  'irregular.step_skipped': 'irregular',
  'irregular.fee_on_free_item': 'irregular',
  'irregular.repeated_correction': 'irregular',
  'irregular.refusal_without_reason': 'irregular',
  'irregular.late_entry': 'irregular',
} as const satisfies Record<string, WarningLevel>;
export type CaseRule = keyof typeof CASE_RULES;

/** A warning's handling: open, explained by the department (说明理由 pending a decision), or closed. */
export const WARNING_STATES = ['open', 'explained', 'closed'] as const;
export type WarningState = (typeof WARNING_STATES)[number];
