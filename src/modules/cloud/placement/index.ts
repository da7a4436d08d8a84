// Placement (issue 10 §3): filters and weighers with an N+k reserve, the host-failure simulation, and the first-fit
// baseline. Pure functions; see types.ts for the contract.
export { firstFit } from './first-fit.ts';
export { place, Placer, type ReserveState } from './place.ts';
export { simulateHostFailure, type FailureSimulation, type SimulatedMove, type SimulatedVm, type StrandedReason } from './simulate.ts';
export type * from './types.ts';
