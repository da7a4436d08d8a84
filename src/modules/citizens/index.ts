// Public face of the citizens module.
export { citizensModule } from './module.ts';
export { CitizenService } from './service.ts';
export type { CitizenProfile } from './http-schema.ts';
export { countyCodeExists } from './regions.ts';
