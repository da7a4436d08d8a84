// Placement's contract (issue 10 §3): pure functions over a snapshot of hosts, no database. The placing service takes
// a snapshot, asks `place`, then claims the chosen host's capacity with a conditional UPDATE (hosts.ts
// `claimHostCapacity`); if another placement took the room first it asks again without that host.

export interface HostSnapshot {
  id: string;
  code: string;
  state: 'up' | 'maintenance' | 'down';
  zones: readonly string[];
  /** Capacity after over-commit: floor(cores × cpu_ratio), floor(memory × memory_ratio). */
  vcpus: number;
  memoryMb: number;
  vcpusAllocated: number;
  memoryMbAllocated: number;
  /** HA groups of the VMs already on this host (anti-affinity). */
  haGroups: readonly string[];
  /**
   * The VMs holding capacity here (placement's N+k reserve and the failure simulation need their sizes). Optional: a
   * snapshot without it is treated as one VM the size of the allocation (conservative for the reserve).
   */
  vms?: readonly HostVm[];
}

/** A VM as placement sees it: its size, zone and HA group. */
export interface HostVm {
  id: string;
  name?: string;
  vcpus: number;
  memoryMb: number;
  zone?: string;
  haGroup?: string | null;
}

export interface PlacementDemand {
  vcpus: number;
  memoryMb: number;
  zone: string;
  haGroup?: string | null;
}

export interface PlacementPolicy {
  /** spread: least-loaded host first (HA, headroom); stack: most-loaded host that fits (fewer hosts powered). */
  weigher: 'spread' | 'stack';
  /**
   * N+k reserve: after this placement, the pool must still be able to absorb the failure of any `reserveHosts`
   * hosts (their VMs restarted on the others). 1 = N+1; 0 = no reserve.
   */
  reserveHosts: number;
}

/**
 * What a chooser does when the N+k reserve cannot be kept (D108): `refuse` with cloud.no_capacity (reason `reserve`), or
 * `place` the VM without the reserve (same weigher, anti-affinity kept) and flag the placement.
 */
export type ReserveShortfall = 'refuse' | 'place';

export type PlacementRefusal = 'no_host_in_zone' | 'insufficient_capacity' | 'anti_affinity' | 'reserve';

export type PlacementResult = { hostId: string } | { refused: PlacementRefusal; detail: string };

export type Place = (hosts: readonly HostSnapshot[], demand: PlacementDemand, policy: PlacementPolicy) => PlacementResult;
