// Public face of the datasets module: loads of catalogue resources and their current rows.
export { datasetsModule } from './module.ts';
export type { LoadStatus } from './tables.ts';
