// Public face of the tracker module.
export { trackerModule } from './module.ts';
