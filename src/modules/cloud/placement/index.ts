// Placement (issue 10 §3): filters and weighers with an N+k reserve, the host-failure simulation, and the first-fit
// baseline. Pure functions; see types.ts for the contract.
export { firstFit } from './first-fit.ts';
export type * from './types.ts';
