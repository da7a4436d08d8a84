// Placement (issue 10 §3): filters (up, zone, capacity, anti-affinity), weighers (spread or stack) and the N+k reserve
// over a snapshot of hosts. Pure. `Placer` keeps the reserve's aggregates between decisions (the benchmark places
// 10,000 VMs through one); `place` is the one-shot form of the contract.
//
// The reserve rule (D90). Sizes are compared in one dimension, the weight w(v) = max(vCPUs, memory / κ) with κ the
// pool's memory per vCPU; a host's spare weight is σ = min(spare vCPUs, spare memory / κ). A set of VMs whose weights
// sum to at most σ fits the host in both dimensions, so packing weights is sound for the real two-dimensional problem.
// Within a component (hosts linked by sharing a zone) the restart targets counted are the up hosts carrying every zone
// of the component (all of them when each host carries one zone, the usual case), each contributing
// c(h) = max(0, σ(h) − w*), w* the largest VM weight in the component: greedy first fit leaves less than w* unused on a
// host only when the VM that does not fit is at most w*. A failure of the hosts F is then absorbable when
//   Σ_{h∉F, h not holding an HA partner of F} c(h) − (k−1)·max c·[HA VMs exist] ≥ Σ_{f∈F} load(f),
// the last term because a restarted VM of a group can be kept off at most k−1 hosts by its own restarted partners.
// With own(f) = load(f) + c(f) + Σ c(partners of f) the check over every F of k hosts is one comparison:
//   G = Σ c(h) ≥ Σ top-k own(f) + (k−1)·max c·[HA].
// A decision changes one host (and the own() of its HA partners), so a candidate is checked in O(k + partners) from
// the stored aggregates, never by simulating failures.
import type { HostSnapshot, HostVm, PlacementDemand, PlacementPolicy, PlacementResult } from './types.ts';

/** How many of the largest own() values a component keeps beyond k (a candidate changes a few hosts' values). */
const TOP_EXTRA = 16;
const NONE: ReadonlyMap<number, number> = new Map();
/** A component's aggregates are rebuilt from scratch after this many incremental commits. */
const FULL_EVERY = 256;
/** Rounding of sums of weights: a check passes only with this margin. */
const EPSILON = 1e-9;

interface HostState {
  index: number;
  id: string;
  code: string;
  up: boolean;
  zones: readonly string[];
  cpuCap: number;
  memCap: number;
  cpuAlloc: number;
  memAlloc: number;
  /** Σ weights of the VMs here. */
  load: number;
  /** The largest VM weight here. */
  maxWeight: number;
  /** HA group → VMs of it here. */
  groups: Map<string, number>;
  component: number;
  /** Carries every zone of its component: counted as a restart target. */
  full: boolean;
  contrib: number;
  own: number;
}

interface Component {
  hosts: number[];
  wStar: number;
  total: number;
  maxContrib: number;
  ha: boolean;
  /** Hosts by own() descending, the first k + TOP_EXTRA; every host outside has own() ≤ floor. */
  top: number[];
  floor: number;
  holds: boolean;
  /** Commits since the last full recompute (the stored max contribution only bounds the true one meanwhile). */
  commits: number;
}

export interface ReserveState {
  /** Every component holds its N+k reserve. */
  holds: boolean;
  components: { zones: string[]; hosts: number; total: number; need: number; holds: boolean }[];
}

export class Placer {
  private readonly hosts: HostState[];
  private readonly byId = new Map<string, HostState>();
  private readonly byZone = new Map<string, number[]>();
  private readonly components: Component[] = [];
  /** HA group → host index → VMs of the group there. */
  private readonly holders = new Map<string, Map<number, number>>();
  private readonly kappa: number;
  private readonly k: number;
  private stamp = 0;
  private readonly marks: number[];

  constructor(
    snapshot: readonly HostSnapshot[],
    readonly policy: PlacementPolicy,
  ) {
    this.k = Math.max(0, Math.floor(policy.reserveHosts));
    let cpu = 0;
    let mem = 0;
    for (const h of snapshot) {
      if (h.state !== 'up') continue;
      cpu += h.vcpus;
      mem += h.memoryMb;
    }
    this.kappa = cpu > 0 && mem > 0 ? mem / cpu : 1;
    this.hosts = snapshot.map((h, index) => this.stateOf(h, index));
    this.marks = this.hosts.map(() => 0);
    for (const h of this.hosts) {
      this.byId.set(h.id, h);
      if (!h.up) continue;
      for (const z of h.zones) {
        const list = this.byZone.get(z);
        if (list) list.push(h.index);
        else this.byZone.set(z, [h.index]);
      }
      for (const [g, n] of h.groups) this.addHolder(g, h.index, n);
    }
    this.buildComponents();
  }

  /** Weight of a VM (vCPU-equivalents): max(vCPUs, memory / κ). */
  weight(vcpus: number, memoryMb: number): number {
    return Math.max(vcpus, memoryMb / this.kappa);
  }

  private stateOf(h: HostSnapshot, index: number): HostState {
    const s: HostState = {
      index,
      id: h.id,
      code: h.code,
      up: h.state === 'up',
      zones: h.zones,
      cpuCap: h.vcpus,
      memCap: h.memoryMb,
      cpuAlloc: h.vcpusAllocated,
      memAlloc: h.memoryMbAllocated,
      load: 0,
      maxWeight: 0,
      groups: new Map(),
      component: -1,
      full: false,
      contrib: 0,
      own: 0,
    };
    const vms: readonly HostVm[] = h.vms ?? [];
    let cpu = 0;
    let mem = 0;
    for (const v of vms) {
      const w = this.weight(v.vcpus, v.memoryMb);
      s.load += w;
      s.maxWeight = Math.max(s.maxWeight, w);
      cpu += v.vcpus;
      mem += v.memoryMb;
      if (v.haGroup) s.groups.set(v.haGroup, (s.groups.get(v.haGroup) ?? 0) + 1);
    }
    // allocation the VM list does not explain (or no list at all): one VM of that size
    const rest = this.weight(Math.max(0, h.vcpusAllocated - cpu), Math.max(0, h.memoryMbAllocated - mem));
    if (rest > 0) {
      s.load += rest;
      s.maxWeight = Math.max(s.maxWeight, rest);
    }
    for (const g of h.haGroups) if (!s.groups.has(g)) s.groups.set(g, 1);
    return s;
  }

  private addHolder(group: string, host: number, n: number): void {
    let m = this.holders.get(group);
    if (!m) this.holders.set(group, (m = new Map()));
    m.set(host, (m.get(host) ?? 0) + n);
  }

  /** Components: up hosts linked by a shared zone (union-find over zones). */
  private buildComponents(): void {
    const parent = new Map<string, string>();
    const find = (z: string): string => {
      let r = z;
      while (parent.get(r) !== r) r = parent.get(r)!;
      parent.set(z, r);
      return r;
    };
    for (const z of this.byZone.keys()) parent.set(z, z);
    for (const h of this.hosts) {
      if (!h.up || h.zones.length === 0) continue;
      const a = find(h.zones[0]!);
      for (const z of h.zones.slice(1)) parent.set(find(z), a);
    }
    const index = new Map<string, number>();
    const zonesOf: Set<string>[] = [];
    for (const h of this.hosts) {
      if (!h.up) continue;
      const root = h.zones.length === 0 ? `\u0000${h.id}` : find(h.zones[0]!);
      let c = index.get(root);
      if (c === undefined) {
        c = this.components.length;
        index.set(root, c);
        this.components.push({ hosts: [], wStar: 0, total: 0, maxContrib: 0, ha: false, top: [], floor: -Infinity, holds: true, commits: 0 });
        zonesOf.push(new Set());
      }
      h.component = c;
      this.components[c]!.hosts.push(h.index);
      for (const z of h.zones) zonesOf[c]!.add(z);
    }
    for (const h of this.hosts) if (h.up) h.full = h.zones.length > 0 && h.zones.length >= zonesOf[h.component]!.size;
    for (let c = 0; c < this.components.length; c++) this.recompute(c);
  }

  private sigma(h: HostState, dCpu = 0, dMem = 0): number {
    return Math.min(h.cpuCap - h.cpuAlloc - dCpu, (h.memCap - h.memAlloc - dMem) / this.kappa);
  }

  /** Σ contrib of the hosts sharing an HA group with `h` (same component), optionally counting `extra`'s holders too. */
  private partnerLoss(h: HostState, extra?: string | null): number {
    const stamp = ++this.stamp;
    this.marks[h.index] = stamp;
    let sum = 0;
    const visit = (g: string) => {
      const m = this.holders.get(g);
      if (!m) return;
      for (const p of m.keys()) {
        if (this.marks[p] === stamp) continue;
        this.marks[p] = stamp;
        const ph = this.hosts[p]!;
        if (ph.component === h.component) sum += ph.contrib;
      }
    };
    for (const g of h.groups.keys()) visit(g);
    if (extra) visit(extra);
    return sum;
  }

  private recompute(c: number): void {
    const comp = this.components[c]!;
    let wStar = 0;
    let ha = false;
    for (const i of comp.hosts) {
      const h = this.hosts[i]!;
      wStar = Math.max(wStar, h.maxWeight);
      if (h.groups.size > 0) ha = true;
    }
    let total = 0;
    let maxContrib = 0;
    for (const i of comp.hosts) {
      const h = this.hosts[i]!;
      h.contrib = h.full ? Math.max(0, this.sigma(h) - wStar) : 0;
      total += h.contrib;
      maxContrib = Math.max(maxContrib, h.contrib);
    }
    for (const i of comp.hosts) {
      const h = this.hosts[i]!;
      h.own = h.load + h.contrib + (h.groups.size > 0 ? this.partnerLoss(h) : 0);
    }
    comp.wStar = wStar;
    comp.total = total;
    comp.maxContrib = maxContrib;
    comp.ha = ha;
    const sorted = [...comp.hosts].sort((a, b) => this.hosts[b]!.own - this.hosts[a]!.own);
    const m = this.k + TOP_EXTRA;
    comp.top = sorted.slice(0, m);
    comp.floor = sorted.length > m ? this.hosts[sorted[m]!]!.own : -Infinity;
    comp.commits = 0;
    comp.holds = this.holdsWith(total, this.topSum(comp, NONE), ha, maxContrib);
  }

  private holdsWith(total: number, topSum: number, ha: boolean, maxContrib: number): boolean {
    if (this.k === 0) return true;
    const need = topSum + (ha ? (this.k - 1) * maxContrib : 0);
    return total + EPSILON * (1 + total) >= need;
  }

  /** Σ of the k largest own() values, with `changed` hosts' values replaced. */
  private topSum(comp: Component, changed: ReadonlyMap<number, number>): number {
    const picked: number[] = [];
    let taken = 0;
    for (const i of comp.top) {
      if (taken === this.k) break;
      if (changed.has(i)) continue;
      picked.push(this.hosts[i]!.own);
      taken++;
    }
    if (taken < this.k && comp.floor !== -Infinity) {
      // the stored list ran out: the full list
      picked.length = 0;
      for (const i of comp.hosts) if (!changed.has(i)) picked.push(this.hosts[i]!.own);
    }
    for (const v of changed.values()) picked.push(v);
    picked.sort((a, b) => b - a);
    let sum = 0;
    for (let j = 0; j < Math.min(this.k, picked.length); j++) sum += picked[j]!;
    return sum;
  }

  /**
   * What placing `demand` on `h` (w ≤ w*) changes: h's contribution, and the own() of h and of the hosts holding the
   * demand's HA group (they become partners: each counts the other's contribution). Two shortcuts, both conservative
   * (own() only overestimated): h's old partners keep the own() that counted h's larger contribution until the next
   * full recompute, and a new partner that already was one counts twice.
   */
  private effects(h: HostState, comp: Component, demand: PlacementDemand, w: number): { contrib: number; dContrib: number; changed: Map<number, number> } {
    const contrib = h.full ? Math.max(0, this.sigma(h, demand.vcpus, demand.memoryMb) - comp.wStar) : 0;
    const dContrib = contrib - h.contrib;
    let own = h.own + w + dContrib;
    const changed = new Map<number, number>();
    if (demand.haGroup) {
      for (const p of this.holders.get(demand.haGroup)?.keys() ?? []) {
        const ph = this.hosts[p]!;
        if (p === h.index || ph.component !== h.component) continue;
        own += ph.contrib;
        changed.set(p, ph.own + contrib);
      }
    }
    changed.set(h.index, own);
    return { contrib, dContrib, changed };
  }

  /** Whether placing `demand` on host `t` keeps the reserve of t's component. */
  reserveAllows(t: number, demand: PlacementDemand): boolean {
    if (this.k === 0) return true;
    const h = this.hosts[t]!;
    const comp = this.components[h.component]!;
    // a component whose reserve is broken already takes no more VMs
    if (!comp.holds) return false;
    const w = this.weight(demand.vcpus, demand.memoryMb);
    if (w > comp.wStar) return this.reserveAllowsSlow(t, demand);
    const { dContrib, changed } = this.effects(h, comp, demand, w);
    // the largest contribution can only have shrunk: the stored one bounds it
    return this.holdsWith(comp.total + dContrib, this.topSum(comp, changed), comp.ha || !!demand.haGroup, comp.maxContrib);
  }

  /** The demand is the largest VM of its component yet: w* moves, every contribution with it. */
  private reserveAllowsSlow(t: number, demand: PlacementDemand): boolean {
    const h = this.hosts[t]!;
    const maxWeight = h.maxWeight;
    this.apply(h, demand, 1);
    this.recompute(h.component);
    const holds = this.components[h.component]!.holds;
    this.apply(h, demand, -1);
    h.maxWeight = maxWeight;
    this.recompute(h.component);
    return holds;
  }

  private apply(h: HostState, demand: PlacementDemand, sign: 1 | -1): void {
    const w = this.weight(demand.vcpus, demand.memoryMb);
    h.cpuAlloc += sign * demand.vcpus;
    h.memAlloc += sign * demand.memoryMb;
    h.load += sign * w;
    if (sign === 1) h.maxWeight = Math.max(h.maxWeight, w);
    if (demand.haGroup) {
      const n = (h.groups.get(demand.haGroup) ?? 0) + sign;
      if (n > 0) h.groups.set(demand.haGroup, n);
      else h.groups.delete(demand.haGroup);
      let m = this.holders.get(demand.haGroup);
      if (!m) this.holders.set(demand.haGroup, (m = new Map()));
      const hn = (m.get(h.index) ?? 0) + sign;
      if (hn > 0) m.set(h.index, hn);
      else m.delete(h.index);
    }
  }

  /** Load share of a host: max(vCPU share, memory share) of its capacity. */
  private share(h: HostState): number {
    return Math.max(h.cpuAlloc / h.cpuCap, h.memAlloc / h.memCap);
  }

  /** True when `a` comes before `b` under the weigher (ties by code). */
  private better(a: HostState, b: HostState): boolean {
    const sa = this.share(a);
    const sb = this.share(b);
    if (sa !== sb) return this.policy.weigher === 'spread' ? sa < sb : sa > sb;
    return a.code < b.code;
  }

  /** Filters, weigher, reserve: the host to place the demand on, or why none. Does not change the state. */
  place(demand: PlacementDemand): PlacementResult {
    const inZone = this.byZone.get(demand.zone) ?? [];
    if (inZone.length === 0) return { refused: 'no_host_in_zone', detail: `no host in service carries zone ${demand.zone}` };
    let fits = 0;
    let best: HostState | undefined;
    for (const i of inZone) {
      const h = this.hosts[i]!;
      if (h.cpuAlloc + demand.vcpus > h.cpuCap || h.memAlloc + demand.memoryMb > h.memCap) continue;
      fits++;
      if (demand.haGroup && h.groups.has(demand.haGroup)) continue;
      if (!best || this.better(h, best)) best = h;
    }
    if (fits === 0) return { refused: 'insufficient_capacity', detail: `no host in zone ${demand.zone} has ${demand.vcpus} vCPUs and ${demand.memoryMb} MB free` };
    if (!best) return { refused: 'anti_affinity', detail: `every host with room already holds a VM of HA group ${demand.haGroup}` };
    if (this.reserveAllows(best.index, demand)) return { hostId: best.id };
    if (!this.components[best.component]!.holds) return { refused: 'reserve', detail: `the pool of zone ${demand.zone} no longer holds its N+${this.k} reserve` };
    // the best would break the reserve: the others in weigher order. A host whose lost contribution alone exceeds the
    // component's slack cannot pass (its own() only grows, unless partners shrink: leaving those out is conservative).
    const comp = this.components[best.component]!;
    const slack = comp.total - this.topSum(comp, NONE) - (comp.ha || demand.haGroup ? (this.k - 1) * comp.maxContrib : 0);
    const rest: HostState[] = [];
    for (const i of inZone) {
      const h = this.hosts[i]!;
      if (h === best || h.cpuAlloc + demand.vcpus > h.cpuCap || h.memAlloc + demand.memoryMb > h.memCap) continue;
      if (demand.haGroup && h.groups.has(demand.haGroup)) continue;
      const contrib = h.full ? Math.max(0, this.sigma(h, demand.vcpus, demand.memoryMb) - comp.wStar) : 0;
      if (slack + contrib - h.contrib < -EPSILON * (1 + comp.total)) continue;
      rest.push(h);
    }
    rest.sort((a, b) => (this.better(a, b) ? -1 : this.better(b, a) ? 1 : 0));
    for (const h of rest) if (this.reserveAllows(h.index, demand)) return { hostId: h.id };
    return { refused: 'reserve', detail: `placing it on any host with room would leave the pool unable to absorb the failure of ${this.k} host(s)` };
  }

  /** Records a placement (the caller's claim succeeded): the host's allocation, load and groups, then the aggregates. */
  commit(hostId: string, demand: PlacementDemand): void {
    const h = this.byId.get(hostId);
    if (!h) throw new Error(`unknown host ${hostId}`);
    if (!h.up) return this.apply(h, demand, 1);
    const comp = this.components[h.component]!;
    const w = this.weight(demand.vcpus, demand.memoryMb);
    if (w > comp.wStar || comp.commits >= FULL_EVERY) {
      this.apply(h, demand, 1);
      return this.recompute(h.component);
    }
    const { contrib, dContrib, changed } = this.effects(h, comp, demand, w);
    this.apply(h, demand, 1);
    h.contrib = contrib;
    comp.total += dContrib;
    comp.ha ||= !!demand.haGroup;
    comp.commits++;
    // the stored top list: changed hosts leave it and come back if still above its floor
    const top = comp.top.filter((i) => !changed.has(i));
    for (const [i, own] of changed) {
      this.hosts[i]!.own = own;
      if (own >= comp.floor) top.push(i);
    }
    top.sort((a, b) => this.hosts[b]!.own - this.hosts[a]!.own);
    const m = this.k + TOP_EXTRA;
    if (top.length > m) {
      comp.floor = this.hosts[top[m]!]!.own;
      top.length = m;
    }
    comp.top = top;
    if (top.length < this.k && comp.floor !== -Infinity) return this.recompute(h.component);
    comp.holds = this.holdsWith(comp.total, this.topSum(comp, NONE), comp.ha, comp.maxContrib);
  }

  /** Leaves a host out of further decisions (its claim was lost to a concurrent placement). */
  exclude(hostId: string): void {
    const h = this.byId.get(hostId);
    if (!h) return;
    for (const z of h.zones) {
      const list = this.byZone.get(z);
      if (list) this.byZone.set(z, list.filter((i) => i !== h.index));
    }
  }

  /** Place and commit: the bench's and the sequential caller's loop. */
  placeAndCommit(demand: PlacementDemand): PlacementResult {
    const result = this.place(demand);
    if ('hostId' in result) this.commit(result.hostId, demand);
    return result;
  }

  /** Whether the pool as it stands holds its reserve, per component. */
  reserve(): ReserveState {
    const components = this.components.map((c) => {
      const need = this.topSum(c, NONE) + (c.ha ? (this.k - 1) * c.maxContrib : 0);
      const zones = [...new Set(c.hosts.flatMap((i) => this.hosts[i]!.zones))].sort();
      return { zones, hosts: c.hosts.length, total: c.total, need: this.k === 0 ? 0 : need, holds: c.holds };
    });
    return { holds: components.every((c) => c.holds), components };
  }
}

/** The contract's `Place`: one decision over a snapshot. */
export function place(hosts: readonly HostSnapshot[], demand: PlacementDemand, policy: PlacementPolicy): PlacementResult {
  return new Placer(hosts, policy).place(demand);
}
