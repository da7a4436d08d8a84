// Enumerations of administrative approval (issue 9): item kinds, case states, steps, pauses, channels.

/** 行政许可 / 行政确认 / 行政给付 / 行政征收 / 其他. */
export const ITEM_KINDS = ['licence', 'confirmation', 'payment', 'levy', 'other'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/**
 * A case's states: 申请 (submitted) → 受理 (accepted) / 不予受理 (rejected, final) → 审查 (reviewing) → 决定 (decided,
 * approve or deny) → 办结 (concluded; the clocks stop) → 送达 (delivered, final). 撤回 (withdrawn, final) by the applicant
 * before a decision.
 */
export const CASE_STATES = ['submitted', 'accepted', 'rejected', 'reviewing', 'decided', 'concluded', 'delivered', 'withdrawn'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** States in which the legal clocks run (or are paused): accepted and not yet concluded. */
export const CLOCK_STATES = ['accepted', 'reviewing', 'decided'] as const satisfies readonly CaseState[];
/** States that are open at all (awaiting someone's action), including a submission not yet accepted. */
export const OPEN_STATES = ['submitted', 'accepted', 'reviewing', 'decided'] as const satisfies readonly CaseState[];

/** The steps an item's procedure is made of, in order; each may carry a limit in working days. */
export const STEPS = ['accept', 'review', 'decide', 'conclude', 'deliver'] as const;
export type Step = (typeof STEPS)[number];

/** 补正 (supplementary materials: until the applicant resubmits) or 特别程序 (with one of SPECIAL_KINDS). */
export const PAUSE_KINDS = ['correction', 'special'] as const;
export type PauseKind = (typeof PAUSE_KINDS)[number];

/** 听证 招标 拍卖 检验 检测 检疫 鉴定 专家评审 — the special procedures whose time the legal limit does not count. */
export const SPECIAL_KINDS = ['hearing', 'tendering', 'auction', 'inspection', 'testing', 'quarantine', 'appraisal', 'expert_review'] as const;
export type SpecialKind = (typeof SPECIAL_KINDS)[number];

export const CHANNELS = ['online', 'counter'] as const;
export type Channel = (typeof CHANNELS)[number];

export const APPLICANT_KINDS = ['citizen', 'enterprise'] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];

export const DECISIONS = ['approve', 'deny'] as const;
export type Decision = (typeof DECISIONS)[number];

/** The outbox topic every case change is announced on (payload CaseChanged), in the changing transaction. */
export const CASE_CHANGED_TOPIC = 'approval.case_changed';

export interface CaseChanged {
  caseId: string;
  /** The approval_case_event.seq written by the change. */
  seq: number;
  /** The event's action (e.g. 'submit', 'accept', 'pause', 'resume', 'extend', 'conclude'). */
  action: string;
}
