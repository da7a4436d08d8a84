// Host-failure simulation (issue 10 §3): where each VM of the failed hosts would restart, and which would not fit.
// Pure. The VMs restart largest first (by weight, then id) on the up hosts that did not fail, through the same
// filters (zone, capacity, anti-affinity including the partners restarted before them) and the policy's weigher; the
// reserve is what a failure consumes, so it is not asked for.
import type { HostSnapshot, PlacementPolicy } from './types.ts';

export interface SimulatedVm {
  id: string;
  name?: string;
  hostId: string;
  vcpus: number;
  memoryMb: number;
  zone: string;
  haGroup?: string | null;
}

export type StrandedReason = 'no_host_in_zone' | 'insufficient_capacity' | 'anti_affinity';

export interface SimulatedMove {
  vmId: string;
  fromHostId: string;
  /** The host it restarts on; null: no room (see reason). */
  toHostId: string | null;
  reason: StrandedReason | null;
}

export interface FailureSimulation {
  moves: SimulatedMove[];
  /** Allocation of every host after the restarts (failed hosts at zero). */
  hosts: { hostId: string; vcpusAllocated: number; memoryMbAllocated: number }[];
  totals: { vms: number; restarted: number; stranded: number; vcpusStranded: number; memoryMbStranded: number };
}

export function simulateHostFailure(hosts: readonly HostSnapshot[], vms: readonly SimulatedVm[], failedHostIds: readonly string[], policy: PlacementPolicy): FailureSimulation {
  const failed = new Set(failedHostIds);
  let cpu = 0;
  let mem = 0;
  for (const h of hosts) {
    if (h.state !== 'up') continue;
    cpu += h.vcpus;
    mem += h.memoryMb;
  }
  const kappa = cpu > 0 && mem > 0 ? mem / cpu : 1;
  const weight = (v: { vcpus: number; memoryMb: number }) => Math.max(v.vcpus, v.memoryMb / kappa);

  const targets = hosts
    .filter((h) => h.state === 'up' && !failed.has(h.id))
    .map((h) => ({ id: h.id, code: h.code, zones: new Set(h.zones), cpuCap: h.vcpus, memCap: h.memoryMb, cpu: h.vcpusAllocated, mem: h.memoryMbAllocated, groups: new Set(h.haGroups) }));
  const byId = new Map(targets.map((t) => [t.id, t]));
  for (const v of vms) if (!failed.has(v.hostId) && v.haGroup) byId.get(v.hostId)?.groups.add(v.haGroup);
  const share = (t: (typeof targets)[number]) => Math.max(t.cpu / t.cpuCap, t.mem / t.memCap);
  const before = (a: (typeof targets)[number], b: (typeof targets)[number]) => {
    const sa = share(a);
    const sb = share(b);
    if (sa !== sb) return policy.weigher === 'spread' ? sa < sb : sa > sb;
    return a.code < b.code;
  };

  const moving = vms.filter((v) => failed.has(v.hostId)).sort((a, b) => weight(b) - weight(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const moves: SimulatedMove[] = [];
  let vcpusStranded = 0;
  let memoryMbStranded = 0;
  for (const v of moving) {
    let inZone = 0;
    let fits = 0;
    let best: (typeof targets)[number] | undefined;
    for (const t of targets) {
      if (!t.zones.has(v.zone)) continue;
      inZone++;
      if (t.cpu + v.vcpus > t.cpuCap || t.mem + v.memoryMb > t.memCap) continue;
      fits++;
      if (v.haGroup && t.groups.has(v.haGroup)) continue;
      if (!best || before(t, best)) best = t;
    }
    if (best) {
      best.cpu += v.vcpus;
      best.mem += v.memoryMb;
      if (v.haGroup) best.groups.add(v.haGroup);
      moves.push({ vmId: v.id, fromHostId: v.hostId, toHostId: best.id, reason: null });
    } else {
      vcpusStranded += v.vcpus;
      memoryMbStranded += v.memoryMb;
      moves.push({ vmId: v.id, fromHostId: v.hostId, toHostId: null, reason: inZone === 0 ? 'no_host_in_zone' : fits === 0 ? 'insufficient_capacity' : 'anti_affinity' });
    }
  }
  return {
    moves,
    hosts: hosts.map((h) => {
      const t = byId.get(h.id);
      return t ? { hostId: h.id, vcpusAllocated: t.cpu, memoryMbAllocated: t.mem } : { hostId: h.id, vcpusAllocated: failed.has(h.id) ? 0 : h.vcpusAllocated, memoryMbAllocated: failed.has(h.id) ? 0 : h.memoryMbAllocated };
    }),
    totals: { vms: moving.length, restarted: moving.length - moves.filter((m) => m.toHostId === null).length, stranded: moves.filter((m) => m.toHostId === null).length, vcpusStranded, memoryMbStranded },
  };
}
