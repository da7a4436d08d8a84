// First fit: the first host (by code) in the zone with room, ignoring anti-affinity, balance and the N+1 reserve.
// The baseline that placement is measured against (bench), never used to place real VMs.
import type { HostSnapshot, PlacementDemand, PlacementResult } from './types.ts';

export function firstFit(hosts: readonly HostSnapshot[], demand: PlacementDemand): PlacementResult {
  for (const h of hosts) {
    if (h.state !== 'up' || !h.zones.includes(demand.zone)) continue;
    if (h.vcpusAllocated + demand.vcpus <= h.vcpus && h.memoryMbAllocated + demand.memoryMb <= h.memoryMb) return { hostId: h.id };
  }
  return { refused: 'insufficient_capacity', detail: 'no host in the zone has room' };
}
