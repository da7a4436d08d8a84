// Public face of grid work (网格化管理).
export { gridworkModule } from './module.ts';
export { GridworkService, type AreaView, type DueItem, type IncidentView, type VisitView } from './service.ts';
export { INCIDENT_CATEGORIES, INCIDENT_STATUSES, VISIT_KINDS, type IncidentCategory, type IncidentStatus, type VisitKind } from './kinds.ts';
export { PHOTO_USE } from './module.ts';
export type * from './tables.ts';
