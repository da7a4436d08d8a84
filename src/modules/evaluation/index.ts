// Public face of evaluation (issue 9 §6).
export { evaluationModule, type Evaluation } from './module.ts';
export * from './kinds.ts';
export type * from './tables.ts';
