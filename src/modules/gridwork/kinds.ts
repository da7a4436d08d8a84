// Enumerations of mobile grid work (网格化管理), shared with the console.

/** 走访方式: 入户 (at home), 电话 (by phone), 其他. */
export const VISIT_KINDS = ['home', 'phone', 'other'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];

/** 事件类别: 矛盾纠纷, 安全隐患, 环境卫生, 市政设施, 治安, 民生诉求, 其他 — a fixed list. */
export const INCIDENT_CATEGORIES = ['dispute', 'safety_hazard', 'sanitation', 'municipal', 'public_order', 'livelihood', 'other'] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

/**
 * An incident's state: reported by the worker → dispatched by the street (with a working-day deadline) → concluded
 * (办结) by the department, or returned (退回) to the reporter, who may resubmit it; the street may re-dispatch a
 * returned one. "Overdue" is derived from the deadline when read, never stored.
 */
export const INCIDENT_STATUSES = ['reported', 'dispatched', 'returned', 'concluded'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const INCIDENT_ACTIONS = ['dispatch', 'conclude', 'return', 'resubmit'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

/** The states each action starts from (the state machine). */
export const TRANSITIONS: Readonly<Record<IncidentAction, { from: readonly IncidentStatus[]; to: IncidentStatus }>> = {
  dispatch: { from: ['reported', 'returned'], to: 'dispatched' },
  conclude: { from: ['dispatched'], to: 'concluded' },
  return: { from: ['dispatched'], to: 'returned' },
  resubmit: { from: ['returned'], to: 'reported' },
};

/** Working days a dispatcher may give a department (default 5). */
export const MAX_DEADLINE_WORKING_DAYS = 30;
export const DEFAULT_DEADLINE_WORKING_DAYS = 5;
