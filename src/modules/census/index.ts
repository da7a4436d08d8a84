// Public face of community statistics: the manifest, the service (breakdown, cross-tab, tree, fold, rebuild), dimensions.
export { censusModule } from './module.ts';
export { CensusService, type Breakdown, type CrossTab, type NodeCounts, type TreeCounts } from './service.ts';
export { AGE_BANDS, DIMENSIONS, ETHNICITY_NAMES, type Dimension } from './kinds.ts';
