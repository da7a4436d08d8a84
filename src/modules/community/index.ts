// Public face of the community registry: its table types, enumerations, the one resident filter and the service.
export { communityModule } from './module.ts';
export { FACTS, RELATIONS, RESIDENCE_STATUSES, RESIDENT_STATUSES, type Fact, type Relation, type ResidenceStatus, type ResidentStatus } from './kinds.ts';
export { minusYears, regionPathOf, residentInScope, residentWhere, type ResidentFilter } from './filter.ts';
export { ETHNICITIES, isEthnicity, type Ethnicity } from './ethnicities.ts';
export { CommunityService, ageOn } from './service.ts';
export type { ResidentView } from './schema.ts';
export type * from './tables.ts';
