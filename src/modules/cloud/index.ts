// Public face of the cloud resource pool (issue 10): inventory, kinds, capacity and quota accounting, placement and
// hypervisor contracts.
export { cloudModule } from './module.ts';
export * from './kinds.ts';
export {
  appendVmEvent,
  claimHostCapacity,
  claimPoolCapacity,
  hostSnapshots,
  releaseHostCapacity,
  releasePoolCapacity,
  releaseQuota,
  reserveQuota,
  type Amounts,
  type QuotaDimension,
} from './capacity.ts';
export * from './placement/index.ts';
export { choosePlacement, placeAndClaim, PlacementService, type ChooseOptions, type Chosen } from './placement/service.ts';
export { HypervisorError, type DomainInfo, type DomainSpec, type DomainState, type DomainStats, type Hypervisor, type HypervisorErrorCode } from './hypervisor/types.ts';
export { CloudService } from './service.ts';
export type * from './tables.ts';
