// Public face of administrative approval (issue 9): items, cases, the legal clock.
export { approvalModule } from './module.ts';
export * from './kinds.ts';
export { brokeLimitSql, concludedLateSql, overdueSql, type ClockName } from './clock-sql.ts';
export { computeClock, remainingWorkingDays, stepDue, type ClockInput, type ClockState, type WorkingDays } from './clock.ts';
export { ACTIONS, type CaseAction } from './machine.ts';
export { ApprovalService } from './service.ts';
export type { CaseView, CaseSummary, ItemView } from './schema.ts';
export type * from './tables.ts';
