// Public face of the access module (share grants).
export { AccessService, type NewShare, type ShareView } from './service.ts';
export { accessModule } from './module.ts';
export { activeSharesFor, unrevokedShareIds } from './repository.ts';
