// Public face of administrative approval (issue 9): items, cases, the legal clock.
export { approvalModule } from './module.ts';
export * from './kinds.ts';
export { brokeLimitSql, concludedLateSql, overdueSql, type ClockName } from './clock-sql.ts';
export type * from './tables.ts';
