// Public face of the quality module.
export { qualityModule } from './module.ts';
export { QualityService } from './service.ts';
export { CYCLE_DAYS, DEPARTMENT_WEIGHTS, RESOURCE_WEIGHTS } from './figures.ts';
export type { DepartmentRank, Ranking, ResourceQuality } from './schema.ts';
