// Public face of the regions module.
export { findRegion } from './repository.ts';
