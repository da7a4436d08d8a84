// Public face of the residents module (resident 360 view): ResidentService.view(ctx, idNumber) for other modules.
export { residentsModule } from './module.ts';
export { ResidentService, RESIDENT_THEMES, type ViewAs } from './service.ts';
export { ResidentSourceSchema, type ResidentSource, type ResidentView } from './schema.ts';
