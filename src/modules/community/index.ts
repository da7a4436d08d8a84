// Public face of the community registry: its table types, enumerations and the one resident filter.
export { communityModule } from './module.ts';
export { FACTS, RELATIONS, RESIDENCE_STATUSES, RESIDENT_STATUSES, type Fact, type Relation, type ResidenceStatus, type ResidentStatus } from './kinds.ts';
export { minusYears, regionPathOf, residentInScope, residentWhere, type ResidentFilter } from './filter.ts';
export type * from './tables.ts';
