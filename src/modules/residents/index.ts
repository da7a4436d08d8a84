// Public face of the residents module (resident 360 view): ResidentService.view(ctx, idNumber) for other modules.
export { residentsModule } from './module.ts';
export { ResidentService, RESIDENT_THEMES } from './service.ts';
export type { ResidentSource, ResidentView } from './schema.ts';
