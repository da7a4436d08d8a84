// Public face of the quality module.
export { qualityModule } from './module.ts';
