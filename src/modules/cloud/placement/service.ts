// Placement's service (issue 10 §3): the policy (read by cloud.read, changed by cloud.manage over the whole pool,
// audited), the placement view, the host-failure simulation, and `choosePlacement` for the modules that create VMs.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { authorize, authorOf } from '../../../shared/access.ts';
import type { RequestContext } from '../../../shared/context.ts';
import { conflict, DomainError, forbidden, invalid } from '../../../shared/errors.ts';
import { claimHostCapacity } from '../capacity.ts';
import type { CloudDeps } from '../service.ts';
import { Placer } from './place.ts';
import { readPolicy, readSnapshot, roomsOutside, type PolicyRow } from './repository.ts';
import { simulateHostFailure } from './simulate.ts';
import type { HostSnapshot, PlacementDemand, PlacementPolicy, PlacementRefusal, PlacementResult, ReserveShortfall } from './types.ts';

/** The advisory lock key of placement decisions (any fixed bigint; 'PLACE' in ASCII). */
const PLACEMENT_LOCK = 0x504c414345;
/** How often a chooser asks again after losing a claim to a concurrent placement. */
const CLAIM_ATTEMPTS = 5;

export interface PolicyInput {
  weigher: 'spread' | 'stack';
  reserveHosts: number;
  /** Absent: unchanged. */
  reserveShortfall?: ReserveShortfall;
  /** The version read; a concurrent change gives cloud.stale. */
  version?: number;
}

export interface ViewVm {
  id: string | null;
  name: string | null;
  departmentName: string | null;
  vcpus: number;
  memoryMb: number;
  zone: string;
  haGroup: string | null;
  state: string;
}

export interface ViewHost {
  id: string;
  code: string;
  name: string;
  roomName: string;
  state: 'up' | 'maintenance' | 'down';
  zones: string[];
  vcpus: number;
  memoryMb: number;
  vcpusAllocated: number;
  memoryMbAllocated: number;
  vms: ViewVm[];
}

export interface PlacementView {
  policy: PolicyRow;
  /** Whether the pool as it stands holds its N+k reserve, per group of hosts sharing zones. */
  reserve: { holds: boolean; components: { zones: string[]; hosts: number; holds: boolean }[] };
  hosts: ViewHost[];
}

export interface SimulationMove {
  /** null: a VM outside your scope (its size still counts). */
  vmId: string | null;
  vmName: string | null;
  vcpus: number;
  memoryMb: number;
  fromHostId: string;
  outcome: 'restarted' | 'stranded';
  /** The host it restarts on; null when stranded, or when that host lies outside your scope. */
  toHostId: string | null;
  toHostCode: string | null;
  reason: 'no_host_in_zone' | 'insufficient_capacity' | 'anti_affinity' | null;
}

export interface SimulationResult {
  failedHostIds: string[];
  moves: SimulationMove[];
  hosts: { hostId: string; vcpusAllocated: number; memoryMbAllocated: number }[];
  totals: { vms: number; restarted: number; stranded: number; vcpusStranded: number; memoryMbStranded: number };
}

const REFUSALS: Record<PlacementRefusal, string> = {
  no_host_in_zone: '该网络区域没有在用的宿主机',
  insufficient_capacity: '没有剩余容量足够的宿主机',
  anti_affinity: '有容量的宿主机都已运行同一高可用组的虚拟机',
  reserve: '放置后资源池将无法承受宿主机故障（N+k 冗余）',
};

export class PlacementService {
  constructor(private readonly deps: CloudDeps) {}

  async policy(ctx: RequestContext): Promise<PolicyRow> {
    authorize(ctx, 'cloud.read', this.deps.clock);
    return readPolicy(this.deps.db);
  }

  /** Changes the pool's policy: cloud.manage over every room holding hosts; one transaction with its audit record. */
  async setPolicy(ctx: RequestContext, input: PolicyInput): Promise<PolicyRow> {
    const { actor, scope } = authorize(ctx, 'cloud.manage', this.deps.clock);
    if (!Number.isInteger(input.reserveHosts) || input.reserveHosts < 0 || input.reserveHosts > 2) throw invalid('request.invalid', 'reserveHosts', 'reserveHosts is 0, 1 or 2.');
    if ((await roomsOutside(this.deps.db, scope)) > 0) throw forbidden('cloud.placement_out_of_scope', 'The placement policy governs the whole pool: your cloud.manage scope does not cover every room holding hosts.');
    await this.deps.db.transaction().execute(async (trx) => {
      const current = await readPolicy(trx, true);
      if (input.version !== undefined && input.version !== current.version) throw conflict('cloud.stale', 'The policy changed meanwhile; reload and retry.', 'version');
      const reserveShortfall = input.reserveShortfall ?? current.reserveShortfall;
      await trx
        .updateTable('cloud_placement_policy')
        .set({ weigher: input.weigher, reserve_hosts: input.reserveHosts, reserve_shortfall: reserveShortfall, version: current.version + 1, updated_by: authorOf(actor), updated_at: this.deps.clock.now() })
        .where('id', '=', true)
        .execute();
      await this.deps.audit.record(trx, ctx, {
        action: 'cloud.placement_policy.update',
        objectType: 'cloud_placement_policy',
        objectId: 'pool',
        detail: {
          weigher: input.weigher,
          reserveHosts: input.reserveHosts,
          reserveShortfall,
          before: { weigher: current.weigher, reserveHosts: current.reserveHosts, reserveShortfall: current.reserveShortfall },
          permission: scope.permission,
        },
      });
    });
    return readPolicy(this.deps.db);
  }

  /** Hosts the caller may see with their VMs (others' VMs by size only), and whether the pool holds its reserve. */
  async view(ctx: RequestContext): Promise<PlacementView> {
    const { scope } = authorize(ctx, 'cloud.read', this.deps.clock);
    const [policy, { hosts, vms }] = await Promise.all([readPolicy(this.deps.db), readSnapshot(this.deps.db, scope)]);
    const reserve = new Placer(hosts, policy).reserve();
    const byHost = new Map<string, ViewVm[]>();
    for (const v of vms) {
      const item: ViewVm = v.visible
        ? { id: v.id, name: v.name, departmentName: v.departmentName, vcpus: v.vcpus, memoryMb: v.memoryMb, zone: v.zone, haGroup: v.haGroup, state: v.state }
        : { id: null, name: null, departmentName: null, vcpus: v.vcpus, memoryMb: v.memoryMb, zone: v.zone, haGroup: null, state: v.state };
      const list = byHost.get(v.hostId);
      if (list) list.push(item);
      else byHost.set(v.hostId, [item]);
    }
    return {
      policy,
      reserve: { holds: reserve.holds, components: reserve.components.map((c) => ({ zones: c.zones, hosts: c.hosts, holds: c.holds })) },
      hosts: hosts
        .filter((h) => h.visible)
        .map((h) => ({
          id: h.id,
          code: h.code,
          name: h.name,
          roomName: h.roomName,
          state: h.state,
          zones: [...h.zones],
          vcpus: h.vcpus,
          memoryMb: h.memoryMb,
          vcpusAllocated: h.vcpusAllocated,
          memoryMbAllocated: h.memoryMbAllocated,
          vms: byHost.get(h.id) ?? [],
        })),
    };
  }

  /** Where each VM of the failed hosts (hosts the caller may see) would restart, over the whole pool. */
  async simulate(ctx: RequestContext, hostIds: readonly string[]): Promise<SimulationResult> {
    const { scope } = authorize(ctx, 'cloud.read', this.deps.clock);
    const ids = [...new Set(hostIds)];
    if (ids.length === 0) throw invalid('request.invalid', 'hostIds', 'Name at least one host to fail.');
    const [policy, { hosts, vms }] = await Promise.all([readPolicy(this.deps.db), readSnapshot(this.deps.db, scope)]);
    const visibleHosts = new Map(hosts.filter((h) => h.visible).map((h) => [h.id, h]));
    const unknown = ids.filter((id) => !visibleHosts.has(id));
    if (unknown.length > 0) throw invalid('cloud.unknown_host', 'hostIds', `No such host that you may see: ${unknown.join(', ')}.`, { unknown });
    const sim = simulateHostFailure(hosts, vms, ids, policy);
    const vmById = new Map(vms.map((v) => [v.id, v]));
    return {
      failedHostIds: ids,
      moves: sim.moves.map((m) => {
        const v = vmById.get(m.vmId)!;
        const to = m.toHostId === null ? undefined : visibleHosts.get(m.toHostId);
        return {
          vmId: v.visible ? v.id : null,
          vmName: v.visible ? v.name : null,
          vcpus: v.vcpus,
          memoryMb: v.memoryMb,
          fromHostId: m.fromHostId,
          outcome: m.toHostId === null ? ('stranded' as const) : ('restarted' as const),
          toHostId: to?.id ?? null,
          toHostCode: to?.code ?? null,
          reason: m.reason,
        };
      }),
      hosts: sim.hosts.filter((h) => visibleHosts.has(h.hostId)),
      totals: sim.totals,
    };
  }

  choosePlacement(trx: Transaction<Database>, demand: PlacementDemand, options: ChooseOptions = {}): Promise<string> {
    return choosePlacement(trx, demand, options);
  }
}

export interface ChooseOptions {
  /** Overrides the pool's policy (tests; what-if callers); without `reserveShortfall` a broken reserve refuses. */
  policy?: PlacementPolicy & { reserveShortfall?: ReserveShortfall };
  /**
   * Claims the chosen host (default: its capacity by conditional UPDATE). A caller needing more than the host (a storage
   * pool of its room) claims it here and answers false, having undone its own claims, to have the host left out.
   */
  claim?: (hostId: string) => Promise<boolean>;
}

export interface Chosen {
  hostId: string;
  /** false: placed without the N+k reserve (the policy's reserveShortfall is `place`) — flag it where the VM is recorded. */
  reserveKept: boolean;
}

/** One decision over a snapshot, leaving out the hosts lost to concurrent placements. */
function decide(hosts: readonly HostSnapshot[], policy: PlacementPolicy, lost: readonly string[], demand: PlacementDemand): PlacementResult {
  const placer = new Placer(hosts, policy);
  for (const id of lost) placer.exclude(id);
  return placer.place(demand);
}

/**
 * For the modules that create VMs (self-service, the demo): inside the caller's transaction, take a snapshot, ask
 * placement, and claim the chosen host's capacity with a conditional UPDATE; when a concurrent placement took the room
 * first, ask again without that host (a bounded number of times). Choosers are serialised by a transaction-scoped
 * advisory lock (D91), so keep the caller's transaction short after this call. When the reserve cannot be kept the
 * policy's reserveShortfall decides (D108): refuse, or place without the reserve (`reserveKept: false`). Throws
 * cloud.no_capacity (409, `details.reason` the refusal).
 */
export async function placeAndClaim(trx: Transaction<Database>, demand: PlacementDemand, options: ChooseOptions = {}): Promise<Chosen> {
  // choosers queue one behind the other until their transactions end: each decides on a snapshot that includes every
  // earlier placement, so the reserve holds under concurrency too (a claim can still lose to a writer that does not
  // queue, hence the retry)
  await sql`SELECT pg_advisory_xact_lock(${PLACEMENT_LOCK})`.execute(trx);
  const policy = options.policy ?? (await readPolicy(trx));
  const shortfall: ReserveShortfall = policy.reserveShortfall ?? 'refuse';
  const claim = options.claim ?? ((hostId: string) => claimHostCapacity(trx, hostId, demand.vcpus, demand.memoryMb));
  const lost: string[] = [];
  let last: PlacementRefusal = 'insufficient_capacity';
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const { hosts } = await readSnapshot(trx);
    let result = decide(hosts, policy, lost, demand);
    let reserveKept = true;
    if ('refused' in result && result.refused === 'reserve' && shortfall === 'place') {
      result = decide(hosts, { weigher: policy.weigher, reserveHosts: 0 }, lost, demand);
      reserveKept = false;
    }
    if (!('hostId' in result)) {
      last = result.refused;
      break;
    }
    if (await claim(result.hostId)) return { hostId: result.hostId, reserveKept };
    lost.push(result.hostId);
  }
  throw new DomainError('cloud.no_capacity', 'conflict', `No host can take this VM: ${REFUSALS[last]}.`, undefined, { reason: last });
}

/** `placeAndClaim` for callers that need only the host id. */
export async function choosePlacement(trx: Transaction<Database>, demand: PlacementDemand, options: ChooseOptions = {}): Promise<string> {
  return (await placeAndClaim(trx, demand, options)).hostId;
}
