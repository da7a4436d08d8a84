// Public face of the citizens module.
export { citizensModule } from './module.ts';
export { CitizenService, type CitizenProfile } from './service.ts';
