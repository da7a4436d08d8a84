// Public face of electronic supervision (issue 9 §4–5).
export { supervisionModule } from './module.ts';
export * from './kinds.ts';
export type * from './tables.ts';
