// The hypervisor module's service (issue 10 §4): lifecycle actions from the outbox topic `cloud.vm_action` run as steps
// with compensation against the host's libvirt (D93), reconciliation of libvirt with the database (D94), and the
// connection check and statistics the console and metering read.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { inScope } from '../../db/jurisdiction.ts';
import { authorize, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { systemActorContext } from '../../shared/context.ts';
import { notFound } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import {
  appendVmEvent,
  HypervisorError,
  releaseHostCapacity,
  releasePoolCapacity,
  releaseQuota,
  VM_ACTIONS,
  type DomainSpec,
  type DomainStats,
  type Hypervisor,
  type VmAction,
  type VmActionMessage,
  type VmState,
} from '../cloud/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import type { HypervisorConfig } from './config.ts';
import { connect, LibvirtHypervisor } from './libvirt.ts';
import { reconcileHost, type HostReconciliation } from './reconcile.ts';

/** The outbox topic announcing that an action settled: payload {@link VmActionSettled}. */
export const VM_ACTION_SETTLED_TOPIC = 'cloud.vm_action_settled';
export interface VmActionSettled {
  vmId: string;
  action: VmAction;
  requestId: string | null;
  outcome: 'succeeded' | 'failed';
  error?: string;
}

export interface HypervisorDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditService;
  outbox: OutboxService;
  config: HypervisorConfig;
  /** The driver for a URI (default: the libvirt driver, one per URI). */
  connect?: (uri: string) => Hypervisor;
}

/** What one action came to. */
export interface ActionResult {
  outcome: 'succeeded' | 'failed' | 'skipped';
  state: VmState | null;
  error?: string;
}

interface VmRow {
  id: string;
  domain_name: string;
  department_id: string;
  region_code: string;
  vcpus: number;
  memory_mb: number;
  disk_gb: number;
  host_id: string | null;
  storage_pool_id: string | null;
  state: VmState;
  hypervisor_uri: string | null;
}

/** The VM state a successful action leaves. */
const SUCCESS_STATE: Record<VmAction, VmState | null> = {
  provision: 'running',
  start: 'running',
  stop: 'stopped',
  suspend: 'suspended',
  resume: 'running',
  resize: null,
  snapshot: null,
  decommission: 'decommissioned',
};

/** States from which an action may run (anything else: the message is stale, or settled already). */
const FROM: Record<VmAction, readonly VmState[]> = {
  provision: ['placing', 'provisioning'],
  start: ['stopped', 'running'],
  stop: ['running', 'suspended', 'stopped'],
  suspend: ['running', 'suspended'],
  resume: ['suspended', 'running'],
  resize: ['stopped', 'running'],
  snapshot: ['running', 'stopped', 'suspended'],
  decommission: ['running', 'stopped', 'suspended', 'error', 'missing', 'decommissioning'],
};

const codeOf = (e: unknown) => (e instanceof HypervisorError ? `hypervisor.${e.code}` : 'hypervisor.failed');
const textOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class HypervisorService {
  private readonly connectTo: (uri: string) => Hypervisor;

  constructor(readonly deps: HypervisorDeps) {
    this.connectTo = deps.connect ?? ((uri) => connect(uri, { timeoutMs: deps.config.timeoutMs }));
  }

  /** The driver for a host's URI. */
  hypervisorOf(uri: string): Hypervisor {
    return this.connectTo(uri);
  }

  private async vm(db: Kysely<Database> | Transaction<Database>, vmId: string, lock: boolean): Promise<VmRow | undefined> {
    let q = db
      .selectFrom('cloud_vm as v')
      .leftJoin('cloud_host as h', 'h.id', 'v.host_id')
      .select(['v.id', 'v.domain_name', 'v.department_id', 'v.region_code', 'v.vcpus', 'v.memory_mb', 'v.disk_gb', 'v.host_id', 'v.storage_pool_id', 'v.state', 'h.hypervisor_uri'])
      .where('v.id', '=', vmId);
    if (lock) q = q.forUpdate('v');
    return (await q.executeTakeFirst()) as VmRow | undefined;
  }

  private spec(vm: VmRow): DomainSpec {
    return { name: vm.domain_name, uuid: vm.id, vcpus: vm.vcpus, memoryMb: vm.memory_mb, diskGb: this.deps.config.disks ? vm.disk_gb : 0 };
  }

  /**
   * Handles one `cloud.vm_action` message (delivered at least once; `key` is its outbox key). Hypervisor errors settle
   * the action as failed (a provisioning rolls back); only database errors throw, so the outbox delivers again and
   * the steps resume where they stopped (each step recognises its own finished work).
   */
  async handle(message: VmActionMessage, key: string): Promise<ActionResult> {
    if (!VM_ACTIONS.includes(message.action)) return { outcome: 'skipped', state: null, error: `unknown action ${String(message.action)}` };
    const vm = await this.vm(this.deps.db, message.vmId, false);
    if (!vm) return { outcome: 'skipped', state: null, error: 'no such VM' };
    if (!FROM[message.action].includes(vm.state) || (await this.settledAlready(vm.id, key))) {
      // settled by an earlier delivery of this message (or overtaken by another action): its settled event exists
      return { outcome: 'skipped', state: vm.state };
    }
    await this.deps.db.transaction().execute(async (trx) => {
      const locked = await this.vm(trx, vm.id, true);
      if (!locked) return;
      const state = message.action === 'provision' ? 'provisioning' : message.action === 'decommission' ? 'decommissioning' : locked.state;
      if (state !== locked.state) await trx.updateTable('cloud_vm').set({ state, updated_at: sql`now()` }).where('id', '=', vm.id).execute();
      await appendVmEvent(trx, { vmId: vm.id, action: message.action, outcome: 'started', state, actorId: message.actorId ?? null, detail: { key } });
      if (message.requestId) {
        await trx.updateTable('cloud_vm_request').set({ state: 'provisioning', updated_at: sql`now()` }).where('id', '=', message.requestId).where('state', '=', 'approved').execute();
      }
    });
    if (!vm.hypervisor_uri) {
      const error = vm.host_id ? 'The host has no hypervisor connected (hypervisor_uri is not set).' : 'The VM has no host.';
      return this.settleFailure(vm, message, key, 'cloud.no_hypervisor', error, false);
    }
    const hv = this.hypervisorOf(vm.hypervisor_uri);
    let defined = false;
    try {
      if (message.action !== 'provision' && message.action !== 'decommission') {
        const owner = await this.ownership(hv, vm);
        // never act on a domain that only shares our name
        if (owner !== 'ours') throw new HypervisorError('no_domain', owner === 'absent' ? `No domain "${vm.domain_name}" on ${hv.uri}.` : `The domain "${vm.domain_name}" on ${hv.uri} is not this VM's (another uuid).`);
      }
      switch (message.action) {
        case 'provision':
          defined = await this.defineStep(hv, vm);
          await this.startStep(hv, vm.domain_name);
          break;
        case 'decommission':
          // gone already (a redelivery, or deleted behind our back), or the name now belongs to someone else: our
          // domain is not there, which is the goal
          {
            const owner = await this.ownership(hv, vm);
            if (owner === 'ours') await hv.undefine(vm.domain_name);
            // no domain of the name: a disk volume it left (undefined behind our back, a crash mid-provisioning) goes too
            else if (owner === 'absent' && this.deps.config.disks && vm.disk_gb > 0 && hv instanceof LibvirtHypervisor) await hv.removeOrphanVolume(vm.domain_name);
          }
          break;
        case 'start':
          await this.startStep(hv, vm.domain_name);
          break;
        case 'stop':
          await hv.stop(vm.domain_name, this.deps.config.stopGraceMs);
          break;
        case 'suspend':
          await this.tolerate(hv, vm.domain_name, () => hv.suspend(vm.domain_name), 'paused');
          break;
        case 'resume':
          await this.tolerate(hv, vm.domain_name, () => hv.resume(vm.domain_name), 'running');
          break;
        case 'resize':
          // a disk of its own only where the driver makes volumes (config.disks); diskless domains just record the size
          if (this.deps.config.disks && vm.disk_gb > 0 && message.diskGb !== undefined && message.diskGb > vm.disk_gb) await hv.resize(vm.domain_name, message.vcpus ?? vm.vcpus, message.memoryMb ?? vm.memory_mb, message.diskGb);
          else await hv.resize(vm.domain_name, message.vcpus ?? vm.vcpus, message.memoryMb ?? vm.memory_mb);
          break;
        case 'snapshot':
          await hv.snapshot(vm.domain_name, message.snapshot ?? `snap-${key.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 40)}`);
          break;
      }
    } catch (e) {
      let rollback = '';
      if (message.action === 'provision') rollback = await this.undoDefine(hv, vm, defined);
      return this.settleFailure(vm, message, key, codeOf(e), textOf(e) + rollback, true);
    }
    return this.settleSuccess(vm, message, key);
  }

  /** Whether the domain of the VM's name on the host is the VM's own (same uuid), absent, or someone else's. */
  private async ownership(hv: Hypervisor, vm: VmRow): Promise<'ours' | 'absent' | 'foreign'> {
    const found = (await hv.list()).find((d) => d.name === vm.domain_name);
    if (!found) return 'absent';
    return found.uuid === vm.id.toLowerCase() ? 'ours' : 'foreign';
  }

  /** Whether this message (by its outbox key) settled already: a redelivery after the commit does nothing twice. */
  private async settledAlready(vmId: string, key: string): Promise<boolean> {
    const row = await this.deps.db
      .selectFrom('cloud_vm_event')
      .select('seq')
      .where('vm_id', '=', vmId)
      .where('outcome', 'in', ['succeeded', 'failed'])
      .where(sql<boolean>`detail->>'key' = ${key}`)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** define, or recognise our own definition from an earlier delivery (same name and our uuid). */
  private async defineStep(hv: Hypervisor, vm: VmRow): Promise<boolean> {
    try {
      await hv.define(this.spec(vm));
      return true;
    } catch (e) {
      if (!(e instanceof HypervisorError && e.code === 'domain_exists')) throw e;
      const ours = (await hv.list()).find((d) => d.name === vm.domain_name);
      if (ours && ours.uuid === vm.id.toLowerCase()) return true;
      // someone else's domain holds the name: not ours to undo
      throw e;
    }
  }

  private async startStep(hv: Hypervisor, name: string): Promise<void> {
    await this.tolerate(hv, name, () => hv.start(name), 'running');
  }

  /** Runs a step; `invalid_state` is success when the domain is in the wanted state already (a redelivery). */
  private async tolerate(hv: Hypervisor, name: string, step: () => Promise<void>, wanted: string): Promise<void> {
    try {
      await step();
    } catch (e) {
      if (e instanceof HypervisorError && e.code === 'invalid_state') {
        const found = (await hv.list()).find((d) => d.name === name);
        if (found?.state === wanted) return;
      }
      throw e;
    }
  }

  /** Compensation of a provisioning: whatever of ours is defined goes (forced off first). Returns a note for the reason. */
  private async undoDefine(hv: Hypervisor, vm: VmRow, defined: boolean): Promise<string> {
    try {
      const found = (await hv.list()).find((d) => d.name === vm.domain_name);
      if (!found || found.uuid !== vm.id.toLowerCase()) return defined ? ' (rolled back: nothing left defined)' : '';
      await hv.undefine(vm.domain_name);
      return ' (rolled back: the domain was undefined)';
    } catch (e) {
      return ` (rollback could not undefine the domain: ${textOf(e)}; reconciliation will report it)`;
    }
  }

  private async finish(trx: Transaction<Database>, vm: VmRow, message: VmActionMessage, key: string, settled: VmActionSettled, detail: Record<string, unknown>): Promise<void> {
    const ctx = systemActorContext();
    await this.deps.audit.record(trx, ctx, {
      action: 'hypervisor.vm_action',
      outcome: settled.outcome === 'succeeded' ? 'success' : 'failure',
      objectType: 'cloud_vm',
      objectId: vm.id,
      regionCode: vm.region_code,
      detail: { action: message.action, domain: vm.domain_name, requestId: message.requestId ?? null, actorId: message.actorId ?? null, ...detail },
    });
    await this.deps.outbox.enqueue(trx, { topic: VM_ACTION_SETTLED_TOPIC, key: `settled:${key}`, payload: settled });
  }

  private async settleSuccess(vm: VmRow, message: VmActionMessage, key: string): Promise<ActionResult> {
    return this.deps.db.transaction().execute(async (trx) => {
      const locked = (await this.vm(trx, vm.id, true))!;
      const state = SUCCESS_STATE[message.action] ?? (locked.state === 'decommissioning' || locked.state === 'provisioning' ? 'running' : locked.state);
      const patch: Record<string, unknown> = { state, state_detail: '', updated_at: sql`now()`, version: sql`version + 1` };
      if (message.action === 'resize') {
        const vcpus = message.vcpus ?? vm.vcpus;
        const memoryMb = message.memoryMb ?? vm.memory_mb;
        patch.vcpus = vcpus;
        patch.memory_mb = memoryMb;
        // the disk's growth was claimed (quota and pool) beforehand; a disk never shrinks
        if (message.diskGb !== undefined && message.diskGb > vm.disk_gb) patch.disk_gb = message.diskGb;
        // the requester claimed an increase beforehand; a decrease is given back here (D93)
        const less = { vcpus: Math.max(0, vm.vcpus - vcpus), memoryMb: Math.max(0, vm.memory_mb - memoryMb) };
        if (less.vcpus || less.memoryMb) {
          if (vm.host_id) await releaseHostCapacity(trx, vm.host_id, less.vcpus, less.memoryMb);
          await releaseQuota(trx, vm.department_id, { vcpus: less.vcpus, memoryMb: less.memoryMb, diskGb: 0, vms: 0 });
        }
      }
      if (message.action === 'decommission') {
        patch.decommissioned_at = sql`now()`;
        // a VM whose provisioning was rolled back gave its reservation back then
        if (await this.holdsReservation(trx, vm.id)) await this.releaseAll(trx, vm);
      }
      await trx.updateTable('cloud_vm').set(patch).where('id', '=', vm.id).execute();
      await appendVmEvent(trx, { vmId: vm.id, action: message.action, outcome: 'succeeded', state, actorId: message.actorId ?? null, detail: { key } });
      if (message.requestId) {
        await trx.updateTable('cloud_vm_request').set({ state: 'done', failure: '', updated_at: sql`now()` }).where('id', '=', message.requestId).where('state', 'in', ['approved', 'provisioning']).execute();
      }
      await this.finish(trx, vm, message, key, { vmId: vm.id, action: message.action, requestId: message.requestId ?? null, outcome: 'succeeded' }, { state });
      return { outcome: 'succeeded' as const, state };
    });
  }

  /** False when the VM's last provisioning ended rolled back (its reservation is released already). */
  private async holdsReservation(trx: Transaction<Database>, vmId: string): Promise<boolean> {
    const last = await trx
      .selectFrom('cloud_vm_event')
      .select('outcome')
      .where('vm_id', '=', vmId)
      .where('action', '=', 'provision')
      .where('outcome', 'in', ['succeeded', 'rolled_back'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return last?.outcome !== 'rolled_back';
  }

  private async releaseAll(trx: Transaction<Database>, vm: VmRow): Promise<void> {
    if (vm.host_id) await releaseHostCapacity(trx, vm.host_id, vm.vcpus, vm.memory_mb);
    if (vm.storage_pool_id) await releasePoolCapacity(trx, vm.storage_pool_id, vm.disk_gb);
    await releaseQuota(trx, vm.department_id, { vcpus: vm.vcpus, memoryMb: vm.memory_mb, diskGb: vm.disk_gb, vms: 1 });
  }

  private async settleFailure(vm: VmRow, message: VmActionMessage, key: string, code: string, error: string, reachedHypervisor: boolean): Promise<ActionResult> {
    return this.deps.db.transaction().execute(async (trx) => {
      const locked = (await this.vm(trx, vm.id, true))!;
      let state: VmState = locked.state;
      if (message.action === 'provision') {
        // compensation: the reservation is given back, the VM shows why
        state = 'error';
        await this.releaseAll(trx, vm);
      } else if (message.action === 'resize') {
        const more = { vcpus: Math.max(0, (message.vcpus ?? vm.vcpus) - vm.vcpus), memoryMb: Math.max(0, (message.memoryMb ?? vm.memory_mb) - vm.memory_mb), diskGb: Math.max(0, (message.diskGb ?? vm.disk_gb) - vm.disk_gb) };
        if (more.vcpus || more.memoryMb) {
          if (vm.host_id) await releaseHostCapacity(trx, vm.host_id, more.vcpus, more.memoryMb);
        }
        if (more.diskGb && vm.storage_pool_id) await releasePoolCapacity(trx, vm.storage_pool_id, more.diskGb);
        if (more.vcpus || more.memoryMb || more.diskGb) await releaseQuota(trx, vm.department_id, { vcpus: more.vcpus, memoryMb: more.memoryMb, diskGb: more.diskGb, vms: 0 });
      }
      await trx.updateTable('cloud_vm').set({ state, state_detail: `${code}: ${error}`.slice(0, 2000), updated_at: sql`now()`, version: sql`version + 1` }).where('id', '=', vm.id).execute();
      await appendVmEvent(trx, { vmId: vm.id, action: message.action, outcome: 'failed', state, actorId: message.actorId ?? null, detail: { key, code, error } });
      if (message.action === 'provision') {
        await appendVmEvent(trx, { vmId: vm.id, action: message.action, outcome: 'rolled_back', state, actorId: message.actorId ?? null, detail: { key, released: { vcpus: vm.vcpus, memoryMb: vm.memory_mb, diskGb: vm.disk_gb }, reachedHypervisor } });
      }
      if (message.requestId) {
        await trx.updateTable('cloud_vm_request').set({ state: 'failed', failure: `${code}: ${error}`.slice(0, 2000), updated_at: sql`now()` }).where('id', '=', message.requestId).where('state', 'in', ['approved', 'provisioning']).execute();
      }
      await this.finish(trx, vm, message, key, { vmId: vm.id, action: message.action, requestId: message.requestId ?? null, outcome: 'failed', error: `${code}: ${error}` }, { state, code, error });
      return { outcome: 'failed' as const, state, error: `${code}: ${error}` };
    });
  }

  /** The domain's live statistics for metering; null when its host has no hypervisor or the domain cannot be read. */
  async statsOf(vmId: string): Promise<DomainStats | null> {
    const vm = await this.vm(this.deps.db, vmId, false);
    if (!vm?.hypervisor_uri || vm.state === 'decommissioned') return null;
    try {
      return await this.hypervisorOf(vm.hypervisor_uri).stats(vm.domain_name);
    } catch {
      return null;
    }
  }

  /** POST /api/cloud/hosts/:id/hypervisor/check: connects to the host's libvirt (cloud.manage). */
  async check(ctx: RequestContext, hostId: string): Promise<HostCheck> {
    const { scope } = authorize(ctx, 'cloud.manage', this.deps.clock);
    // a host is the region's through its machine room
    const host = await this.deps.db
      .selectFrom('cloud_host as h')
      .innerJoin('cloud_room as r', 'r.id', 'h.room_id')
      .select(['h.id', 'h.code', 'h.hypervisor_uri', 'r.region_code'])
      .where('h.id', '=', hostId)
      .where((eb) => inScope(eb, eb.ref('r.region_code'), scope))
      .executeTakeFirst();
    if (!host) throw notFound('cloud.not_found', 'No such host that you may manage.', 'id');
    const base = { hostId: host.id, code: host.code, uri: host.hypervisor_uri };
    let result: HostCheck;
    if (!host.hypervisor_uri) result = { ...base, connected: false, error: { code: 'cloud.no_hypervisor', message: 'The host has no hypervisor URI: nothing can be provisioned on it.' } };
    else {
      const hv = this.hypervisorOf(host.hypervisor_uri);
      try {
        const version = hv instanceof LibvirtHypervisor ? await hv.version() : { library: '', hypervisor: '' };
        const domains = await hv.list();
        result = { ...base, connected: true, library: version.library, hypervisor: version.hypervisor, domains: domains.length, running: domains.filter((d) => d.state === 'running').length };
      } catch (e) {
        result = { ...base, connected: false, error: { code: codeOf(e), message: textOf(e) } };
      }
    }
    await this.deps.audit.recordNow(ctx, { action: 'hypervisor.check', objectType: 'cloud_host', objectId: host.id, regionCode: host.region_code, detail: { uri: host.hypervisor_uri, connected: result.connected } });
    return result;
  }

  /** Every host with a URI compared with its libvirt (start-up, the schedule, and POST /api/cloud/reconcile). */
  async reconcileAll(scope?: Scope): Promise<HostReconciliation[]> {
    const hosts = await this.deps.db
      .selectFrom('cloud_host as h')
      .innerJoin('cloud_room as r', 'r.id', 'h.room_id')
      .select(['h.id', 'h.code', 'h.hypervisor_uri'])
      .where('h.hypervisor_uri', 'is not', null)
      .$if(scope !== undefined, (q) => q.where((eb) => inScope(eb, eb.ref('r.region_code'), scope!)))
      .orderBy('h.code')
      .execute();
    const out: HostReconciliation[] = [];
    for (const h of hosts) out.push(await reconcileHost(this.deps, this.hypervisorOf(h.hypervisor_uri!), { id: h.id, code: h.code }));
    return out;
  }

  /** One host compared with its libvirt (null: no such host or no URI). */
  async reconcileHostById(hostId: string): Promise<HostReconciliation | null> {
    const h = await this.deps.db.selectFrom('cloud_host').select(['id', 'code', 'hypervisor_uri']).where('id', '=', hostId).executeTakeFirst();
    if (!h?.hypervisor_uri) return null;
    return reconcileHost(this.deps, this.hypervisorOf(h.hypervisor_uri), { id: h.id, code: h.code });
  }

  /** POST /api/cloud/reconcile (cloud.manage): runs now and says what changed. */
  async reconcile(ctx: RequestContext): Promise<HostReconciliation[]> {
    const { scope } = authorize(ctx, 'cloud.manage', this.deps.clock);
    // the hosts of the caller's region (the schedule runs over all of them)
    const result = await this.reconcileAll(scope);
    await this.deps.audit.recordNow(ctx, {
      action: 'hypervisor.reconcile',
      detail: { hosts: result.length, changed: result.reduce((n, h) => n + h.changes.length, 0), unreachable: result.filter((h) => !h.reachable).map((h) => h.code) },
    });
    return result;
  }
}

export interface HostCheck {
  hostId: string;
  code: string;
  uri: string | null;
  connected: boolean;
  library?: string;
  hypervisor?: string;
  domains?: number;
  running?: number;
  error?: { code: string; message: string };
}
