// Public face of the tracker module (citizen access record).
export { trackerModule } from './module.ts';
export { TrackerService } from './service.ts';
export type { AuditedDataUse, DataUse, TrackedGrant } from './schema.ts';
export { DEMO_CITIZEN_PHONE, DEMO_CITIZEN_PASSWORD } from './demo.ts';
