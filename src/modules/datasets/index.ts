// Public face of the datasets module: loads of catalogue resources and their current rows.
export { datasetsModule } from './module.ts';
export type { LoadStatus } from './tables.ts';
export { demoPopulation, type Resident } from './demo.ts';
export type { DatasetsService, LoadView, LoadStats } from './service.ts';
export { REJECTION_MESSAGES } from './errors.ts';
