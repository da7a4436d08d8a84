// Request writes: submission (create, resize, decommission) with the quota reserved atomically in the same
// transaction, the department and platform decisions (auto-approval under the policy's thresholds), cancellation, and
// the execution of an approved request (placement, the VM row, its ledger, the hypervisor message). Each runs under
// the request's row lock in one transaction with its timeline row and its audit record.
import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorOf, roleFor, scopeCovers, type Permission } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, DomainError, forbidden, invalid } from '../../shared/errors.ts';
import { chinaDate } from '../../shared/id-number.ts';
import type { AuditService } from '../audit/index.ts';
import {
  appendVmEvent,
  claimHostCapacity,
  claimPoolCapacity,
  releaseHostCapacity,
  releaseQuota,
  reserveQuota,
  VM_ACTION_TOPIC,
  type Amounts,
  type CloudVmRequestTable,
  type RequestKind,
  type RequestState,
  type VmActionMessage,
} from '../cloud/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import { cloudAccess, isUuid, requestNotFound, scopeSql, vmNotFound, type CloudAccess } from './access.ts';
import type { Notifier } from './notify.ts';
import { placeVm } from './placing.ts';
import { policyFor, withinAutoApproval } from './policy.ts';
import type { DecisionInput, DecommissionInput, NewRequest, ResizeInput } from './schema.ts';

type Trx = Transaction<Database>;
type RequestRow = Selectable<CloudVmRequestTable>;

export interface WriterDeps {
  db: Kysely<Database>;
  audit: AuditService;
  outbox: OutboxService;
  notifier: Notifier;
  clock: Clock;
}

/** States in which a request still holds (or may hold) its quota and waits on a person. */
export const OPEN_STATES: readonly RequestState[] = ['pending_department', 'pending_platform', 'approved', 'provisioning'];
const NOT_REQUESTER = () => forbidden('selfservice.not_requester', 'Only the requester may cancel the request.');
const invalidTransition = (state: string, what: string) => conflict('selfservice.invalid_transition', `A request in state ${state} cannot be ${what}.`, 'state');
const quotaExceeded = (dimension: string) => new DomainError('cloud.quota_exceeded', 'conflict', `The department’s ${dimension} quota would be exceeded.`, dimension, { dimension });

/** What a request holds of its department's quota while it is open (resize: only the growth). */
export function reservedAmounts(r: Pick<RequestRow, 'kind' | 'vcpus' | 'memory_mb' | 'disk_gb'>, vm: { vcpus: number; memory_mb: number; disk_gb: number } | null): Amounts {
  if (r.kind === 'create') return { vcpus: r.vcpus, memoryMb: r.memory_mb, diskGb: r.disk_gb, vms: 1 };
  if (r.kind === 'resize' && vm) return { vcpus: Math.max(0, r.vcpus - vm.vcpus), memoryMb: Math.max(0, r.memory_mb - vm.memory_mb), diskGb: Math.max(0, r.disk_gb - vm.disk_gb), vms: 0 };
  return { vcpus: 0, memoryMb: 0, diskGb: 0, vms: 0 };
}
/** The timeline note of a placement made without the N+k reserve (D108). */
export const RESERVE_NOT_KEPT = 'cloud.reserve_not_kept';
const isZero = (a: Amounts) => a.vcpus === 0 && a.memoryMb === 0 && a.diskGb === 0 && a.vms === 0;

/**
 * Share-locks the flavour (and image) a request names, still active: a concurrent delete from the catalogue (D109)
 * either committed before (the request is refused) or waits for this transaction and then sees the open request.
 */
async function lockCatalogue(trx: Trx, flavourCode: string, imageCode: string | null): Promise<void> {
  const flavour = await trx.selectFrom('cloud_flavour').select('code').where('code', '=', flavourCode).where('active', '=', true).forShare().executeTakeFirst();
  if (!flavour) throw invalid('cloud.unknown_flavour', 'flavourCode', `No active flavour has code "${flavourCode}".`);
  if (imageCode === null) return;
  const image = await trx.selectFrom('cloud_image').select('code').where('code', '=', imageCode).where('active', '=', true).forShare().executeTakeFirst();
  if (!image) throw invalid('cloud.unknown_image', 'imageCode', `No active image has code "${imageCode}".`);
}

export class RequestWriter {
  constructor(private readonly deps: WriterDeps) {}

  private requester(ctx: RequestContext): { a: CloudAccess; departmentId: string } {
    const a = cloudAccess(ctx, this.deps.clock);
    if (!a.request) throw forbidden('auth.forbidden', 'Your roles do not include cloud.request.');
    if (!a.actor.departmentId) throw forbidden('selfservice.no_department', 'Your account belongs to no department: it cannot request cloud resources.');
    return { a, departmentId: a.actor.departmentId };
  }

  private async existing(userId: string, key: string | undefined): Promise<string | null> {
    if (!key) return null;
    const row = await this.deps.db.selectFrom('cloud_vm_request').select('id').where('requested_by', '=', userId).where('request_key', '=', key).executeTakeFirst();
    return row?.id ?? null;
  }

  /** 申请云主机: validated, numbered, its quota reserved, then as far as the policy lets it go by itself. */
  async create(ctx: RequestContext, input: NewRequest): Promise<{ id: string; created: boolean }> {
    const { a, departmentId } = this.requester(ctx);
    const { db } = this.deps;
    const known = await this.existing(a.actor.userId, input.requestKey);
    if (known) return { id: known, created: false };
    const department = await db
      .selectFrom('department as d')
      .innerJoin('region as g', 'g.code', 'd.region_code')
      .select(['d.id', 'd.region_code', 'g.path'])
      .where('d.id', '=', departmentId)
      .executeTakeFirstOrThrow();
    if (a.request!.departments.length === 0 && !scopeCovers(a.request!, department.path)) throw forbidden('auth.forbidden', 'Your cloud.request grant does not cover your department.');
    const flavour = await db.selectFrom('cloud_flavour').selectAll().where('code', '=', input.flavourCode).where('active', '=', true).executeTakeFirst();
    if (!flavour) throw invalid('cloud.unknown_flavour', 'flavourCode', `No active flavour has code "${input.flavourCode}".`);
    const image = await db.selectFrom('cloud_image').selectAll().where('code', '=', input.imageCode).where('active', '=', true).executeTakeFirst();
    if (!image) throw invalid('cloud.unknown_image', 'imageCode', `No active image has code "${input.imageCode}".`);
    if (input.diskGb < image.min_disk_gb) throw invalid('selfservice.disk_too_small', 'diskGb', `The image ${image.code} needs a disk of at least ${image.min_disk_gb} GB.`, { minDiskGb: image.min_disk_gb });
    const zone = await db
      .selectFrom('cloud_zone as z')
      .select(['z.code', sql<boolean>`z.open_to_all OR EXISTS (SELECT 1 FROM cloud_zone_grant zg WHERE zg.zone_code = z.code AND zg.department_id = ${departmentId})`.as('allowed')])
      .where('z.code', '=', input.zoneCode)
      .executeTakeFirst();
    if (!zone) throw invalid('selfservice.unknown_zone', 'zoneCode', `No network zone has code "${input.zoneCode}".`);
    if (!zone.allowed) throw new DomainError('cloud.zone_not_allowed', 'forbidden', `Your department may not use the network zone ${input.zoneCode}.`, 'zoneCode');
    const system = await db
      .selectFrom('cloud_business_system as b')
      .select('b.id')
      .where('b.id', '=', input.businessSystemId)
      .where('b.status', '=', 'active')
      .where(scopeSql({ permission: 'cloud.request', paths: [], departments: [departmentId], shares: [] }, { path: 'b.region_path', department: 'b.department_id' }))
      .executeTakeFirst();
    if (!system) throw invalid('selfservice.unknown_business_system', 'businessSystemId', 'No active business system of your department tree has this id.');

    return db.transaction().execute(async (trx) => {
      await lockCatalogue(trx, flavour.code, image.code);
      const inserted = await this.insertRequest(trx, {
        kind: 'create',
        department_id: departmentId,
        region_code: department.region_code,
        region_path: department.path,
        requested_by: a.actor.userId,
        vm_id: null,
        name: input.name.trim(),
        business_system_id: system.id,
        flavour_code: flavour.code,
        image_code: image.code,
        vcpus: flavour.vcpus,
        memory_mb: flavour.memory_mb,
        disk_gb: input.diskGb,
        zone_code: zone.code,
        ha_group: input.haGroup ?? null,
        reason: input.reason.trim(),
        request_key: input.requestKey ?? null,
      });
      if (typeof inserted === 'string') return { id: inserted, created: false };
      return { id: await this.submitted(trx, ctx, a, inserted, null), created: true };
    });
  }

  /**
   * 变更规格: a request to change a VM's flavour, grow its disk, or both; it reserves only the growth. A disk never
   * shrinks (D110): a smaller size is refused on `diskGb` before anything is written.
   */
  async resize(ctx: RequestContext, vmId: string, input: ResizeInput): Promise<{ id: string; created: boolean }> {
    const { a } = this.requester(ctx);
    if (input.flavourCode === undefined && input.diskGb === undefined) throw invalid('selfservice.nothing_to_change', 'flavourCode', 'Name a new flavour (flavourCode) or a larger disk (diskGb).');
    const known = await this.existing(a.actor.userId, input.requestKey);
    if (known) return { id: known, created: false };
    const flavour = input.flavourCode === undefined ? null : await this.deps.db.selectFrom('cloud_flavour').selectAll().where('code', '=', input.flavourCode).where('active', '=', true).executeTakeFirst();
    if (flavour === undefined) throw invalid('cloud.unknown_flavour', 'flavourCode', `No active flavour has code "${input.flavourCode}".`);
    return this.forVm(ctx, a, vmId, 'resize', input.reason, input.requestKey, (vm) => {
      if (!['running', 'stopped'].includes(vm.state)) throw conflict('cloud.invalid_state', `A VM in state ${vm.state} cannot be resized.`, 'state');
      const diskGb = input.diskGb ?? vm.disk_gb;
      if (diskGb < vm.disk_gb) throw invalid('selfservice.disk_shrink', 'diskGb', `A disk is never shrunk: the VM has ${vm.disk_gb} GB, asked ${diskGb} GB.`, { diskGb: vm.disk_gb });
      const sameShape = flavour === null || (vm.vcpus === flavour.vcpus && vm.memory_mb === flavour.memory_mb);
      if (sameShape && diskGb === vm.disk_gb) {
        if (flavour) throw invalid('selfservice.same_flavour', 'flavourCode', 'The new flavour is the VM’s present shape.');
        throw invalid('selfservice.nothing_to_change', 'diskGb', `The VM's disk has ${vm.disk_gb} GB already.`, { diskGb: vm.disk_gb });
      }
      return flavour
        ? { flavour_code: flavour.code, vcpus: flavour.vcpus, memory_mb: flavour.memory_mb, disk_gb: diskGb }
        : { flavour_code: vm.flavour_code, vcpus: vm.vcpus, memory_mb: vm.memory_mb, disk_gb: diskGb };
    });
  }

  /** 退役: a request to decommission a VM. */
  async decommission(ctx: RequestContext, vmId: string, input: DecommissionInput): Promise<{ id: string; created: boolean }> {
    const { a } = this.requester(ctx);
    const known = await this.existing(a.actor.userId, input.requestKey);
    if (known) return { id: known, created: false };
    return this.forVm(ctx, a, vmId, 'decommission', input.reason, input.requestKey, (vm) => {
      if (vm.state === 'decommissioning' || vm.state === 'decommissioned') throw conflict('cloud.invalid_state', `A VM in state ${vm.state} cannot be decommissioned again.`, 'state');
      return { flavour_code: vm.flavour_code, vcpus: vm.vcpus, memory_mb: vm.memory_mb };
    });
  }

  private async forVm(
    ctx: RequestContext,
    a: CloudAccess,
    vmId: string,
    kind: RequestKind,
    reason: string,
    requestKey: string | undefined,
    shape: (vm: Selectable<Database['cloud_vm']>) => { flavour_code: string | null; vcpus: number; memory_mb: number; disk_gb?: number },
  ): Promise<{ id: string; created: boolean }> {
    if (!isUuid(vmId)) throw vmNotFound();
    return this.deps.db.transaction().execute(async (trx) => {
      const vm = await trx
        .selectFrom('cloud_vm as v')
        .selectAll('v')
        .where('v.id', '=', vmId)
        .where(scopeSql(a.request, { path: 'v.region_path', department: 'v.department_id' }))
        .forUpdate()
        .executeTakeFirst();
      if (!vm) throw vmNotFound();
      const next = shape(vm);
      if (kind === 'resize' && next.flavour_code && next.flavour_code !== vm.flavour_code) await lockCatalogue(trx, next.flavour_code, null);
      const open = await trx.selectFrom('cloud_vm_request').select('request_no').where('vm_id', '=', vm.id).where('state', 'in', OPEN_STATES).executeTakeFirst();
      if (open) throw conflict('selfservice.vm_busy', `The VM has an open request already (${open.request_no}).`, 'vmId');
      const inserted = await this.insertRequest(trx, {
        kind,
        department_id: vm.department_id,
        region_code: vm.region_code,
        region_path: vm.region_path,
        requested_by: a.actor.userId,
        vm_id: vm.id,
        name: vm.name,
        business_system_id: vm.business_system_id,
        flavour_code: next.flavour_code,
        image_code: vm.image_code,
        vcpus: next.vcpus,
        memory_mb: next.memory_mb,
        disk_gb: next.disk_gb ?? vm.disk_gb,
        zone_code: vm.zone_code,
        ha_group: vm.ha_group,
        reason: reason.trim(),
        request_key: requestKey ?? null,
      });
      if (typeof inserted === 'string') return { id: inserted, created: false };
      return { id: await this.submitted(trx, ctx, a, inserted, vm), created: true };
    });
  }

  /** Numbers and inserts a request; an id string when the same request key committed first (a double click). */
  private async insertRequest(trx: Trx, values: Omit<Insertable<CloudVmRequestTable>, 'request_no' | 'state'> & { requested_by: string; request_key: string | null }): Promise<RequestRow | string> {
    const prefix = `CR${chinaDate(this.deps.clock.now()).replaceAll('-', '')}`;
    const { last } = await trx
      .insertInto('selfservice_request_counter')
      .values({ prefix, last: 1 })
      .onConflict((oc) => oc.column('prefix').doUpdateSet({ last: sql<number>`selfservice_request_counter.last + 1` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    const now = this.deps.clock.now();
    const row = await trx
      .insertInto('cloud_vm_request')
      .values({ ...values, request_no: `${prefix}${String(last).padStart(5, '0')}`, state: 'pending_department', created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['requested_by', 'request_key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) return row;
    const first = await trx.selectFrom('cloud_vm_request').select('id').where('requested_by', '=', values.requested_by).where('request_key', '=', values.request_key!).executeTakeFirstOrThrow();
    return first.id;
  }

  /** After the insert: reserve the quota, then let the policy skip what it may. */
  private async submitted(trx: Trx, ctx: RequestContext, a: CloudAccess, r: RequestRow, vm: { vcpus: number; memory_mb: number; disk_gb: number } | null): Promise<string> {
    const amounts = reservedAmounts(r, vm);
    if (!isZero(amounts)) {
      const dimension = await reserveQuota(trx, r.department_id, amounts);
      if (dimension) throw quotaExceeded(dimension);
      await trx.updateTable('cloud_vm_request').set({ quota_reserved: true }).where('id', '=', r.id).execute();
      r = { ...r, quota_reserved: true };
    }
    await this.event(trx, r.id, 'submit', null, 'pending_department', a.actor.userId, r.reason);
    const policy = await policyFor(trx, r.department_id);
    let state: RequestState = 'pending_department';
    if (!policy.departmentStepRequired) state = await this.afterDepartment(trx, ctx, { ...r, state }, null, 'department_auto');
    await this.audit(trx, ctx, a, 'cloud.request', 'selfservice.submit', r, { kind: r.kind, state, vcpus: r.vcpus, memoryMb: r.memory_mb, diskGb: r.disk_gb, zone: r.zone_code, vmId: r.vm_id });
    return r.id;
  }

  /** The department step is done (by a person or by the policy): the platform step, automatic under the thresholds. */
  private async afterDepartment(trx: Trx, ctx: RequestContext, r: RequestRow, actorId: string | null, action: string): Promise<RequestState> {
    await this.move(trx, r, 'pending_platform', action, actorId, '');
    const policy = await policyFor(trx, r.department_id);
    if (!withinAutoApproval(r, policy)) return 'pending_platform';
    await trx.updateTable('cloud_vm_request').set({ auto_approved: true }).where('id', '=', r.id).execute();
    await this.move(trx, { ...r, state: 'pending_platform' }, 'approved', 'platform_auto', null, '');
    return this.execute(trx, ctx, { ...r, state: 'approved', auto_approved: true });
  }

  /** 部门审批 (cloud.approve_department over the request's department tree). */
  async decideDepartment(ctx: RequestContext, id: string, input: DecisionInput): Promise<void> {
    await this.decide(ctx, id, input, 'department');
  }

  /** 平台审批 (cloud.approve_platform over the request's region). */
  async decidePlatform(ctx: RequestContext, id: string, input: DecisionInput): Promise<void> {
    await this.decide(ctx, id, input, 'platform');
  }

  private async decide(ctx: RequestContext, id: string, input: DecisionInput, step: 'department' | 'platform'): Promise<void> {
    const a = cloudAccess(ctx, this.deps.clock);
    const permission: Permission = step === 'department' ? 'cloud.approve_department' : 'cloud.approve_platform';
    const scope = step === 'department' ? a.approveDepartment : a.approvePlatform;
    if (!scope) throw forbidden('auth.forbidden', `Your roles do not include ${permission}.`);
    const note = (input.note ?? '').trim();
    if (input.decision === 'reject' && note.length === 0) throw invalid('selfservice.note_required', 'note', 'Give a note when rejecting.');
    await this.deps.db.transaction().execute(async (trx) => {
      const r = await this.locked(trx, a, id, scope);
      if (!r.may) throw forbidden('auth.forbidden', `Your ${permission} grant does not cover this request.`);
      const waiting: RequestState = step === 'department' ? 'pending_department' : 'pending_platform';
      if (r.state !== waiting) throw invalidTransition(r.state, `decided at the ${step} step`);
      const now = this.deps.clock.now();
      const who = authorOf(a.actor);
      await trx
        .updateTable('cloud_vm_request')
        .set(step === 'department' ? { department_decided_by: who, department_decided_at: now, decision_note: note } : { platform_decided_by: who, platform_decided_at: now, decision_note: note })
        .where('id', '=', r.id)
        .execute();
      let state: RequestState;
      if (input.decision === 'reject') {
        await this.release(trx, r);
        state = await this.move(trx, r, 'rejected', `${step}_reject`, who, note);
        await this.deps.notifier.decided(trx, r, 'rejected', note);
      } else if (step === 'department') {
        state = await this.afterDepartment(trx, ctx, r, who, 'department_approve');
      } else {
        await this.move(trx, r, 'approved', 'platform_approve', who, note);
        state = await this.execute(trx, ctx, { ...r, state: 'approved' });
      }
      await this.audit(trx, ctx, a, permission, step === 'department' ? 'selfservice.department_decide' : 'selfservice.platform_decide', r, { decision: input.decision, note: note || null, state });
    });
  }

  /** 撤销 by the requester while nobody has executed it yet; the quota goes back. */
  async cancel(ctx: RequestContext, id: string): Promise<void> {
    const a = cloudAccess(ctx, this.deps.clock);
    await this.deps.db.transaction().execute(async (trx) => {
      const r = await this.locked(trx, a, id, null);
      if (r.requested_by !== a.actor.userId) throw NOT_REQUESTER();
      if (r.state !== 'pending_department' && r.state !== 'pending_platform') throw invalidTransition(r.state, 'cancelled');
      await this.release(trx, r);
      await this.move(trx, r, 'cancelled', 'cancel', a.actor.userId, '');
      await this.audit(trx, ctx, a, 'cloud.request', 'selfservice.cancel', r, { state: 'cancelled' });
    });
  }

  /** The request under its row lock, if the caller may see it; `may`: the given scope covers it. */
  private async locked(trx: Trx, a: CloudAccess, id: string, scope: CloudAccess['approveDepartment']): Promise<RequestRow & { may: boolean }> {
    if (!isUuid(id)) throw requestNotFound();
    const cols = { path: 'r.region_path', department: 'r.department_id' };
    const r = await trx
      .selectFrom('cloud_vm_request as r')
      .selectAll('r')
      .select([
        sql<boolean>`${scopeSql(scope, cols)}`.as('may'),
        sql<boolean>`(r.requested_by = ${a.actor.userId} OR ${scopeSql(a.approveDepartment, cols)} OR ${scopeSql(a.approvePlatform, cols)} OR ${scopeSql(a.read, cols)})`.as('visible'),
      ])
      .where('r.id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!r || !r.visible) throw requestNotFound();
    const { visible: _, ...row } = r;
    return row;
  }

  /** Gives back what an open request holds of the quota (once: the flag is cleared in the same statement's transaction). */
  private async release(trx: Trx, r: RequestRow): Promise<void> {
    if (!r.quota_reserved) return;
    const vm = r.vm_id ? await trx.selectFrom('cloud_vm').select(['vcpus', 'memory_mb', 'disk_gb']).where('id', '=', r.vm_id).executeTakeFirst() : null;
    const amounts = reservedAmounts(r, vm ?? null);
    if (!isZero(amounts)) await releaseQuota(trx, r.department_id, amounts);
    await trx.updateTable('cloud_vm_request').set({ quota_reserved: false }).where('id', '=', r.id).execute();
  }

  /**
   * Carries out an approved request in the approving transaction: create places the VM (host and pool claimed) and
   * inserts it `provisioning`; resize claims the growth on the VM's host; decommission marks it `decommissioning`.
   * Each appends to the VM's ledger and queues the hypervisor's message. No room: the request fails `cloud.no_capacity`
   * and its quota goes back — committed, so the requester sees why.
   */
  private async execute(trx: Trx, ctx: RequestContext, r: RequestRow): Promise<RequestState> {
    const actorId = authorOf(ctx.actor!) ?? null;
    const fail = async (code: string, note = code) => {
      await this.release(trx, r);
      await trx.updateTable('cloud_vm_request').set({ failure: code }).where('id', '=', r.id).execute();
      const state = await this.move(trx, r, 'failed', 'place', null, note);
      await this.deps.notifier.decided(trx, r, 'failed', code);
      return state;
    };
    let vmId: string;
    let message: VmActionMessage;
    let placeNote = '';
    if (r.kind === 'create') {
      const placed = await placeVm(trx, { vcpus: r.vcpus, memoryMb: r.memory_mb, diskGb: r.disk_gb, zone: r.zone_code!, haGroup: r.ha_group });
      if ('refused' in placed) return fail('cloud.no_capacity', `cloud.no_capacity: ${placed.refused}`);
      // D108: the pool's policy let it go where the N+k reserve no longer holds — flagged on the ledger and the timeline
      if (!placed.reserveKept) placeNote = RESERVE_NOT_KEPT;
      vmId = randomUUID();
      await trx
        .insertInto('cloud_vm')
        .values({
          id: vmId,
          domain_name: `gc-${vmId.replaceAll('-', '').slice(0, 12)}`,
          name: r.name,
          department_id: r.department_id,
          region_code: r.region_code,
          region_path: r.region_path,
          business_system_id: r.business_system_id,
          flavour_code: r.flavour_code,
          image_code: r.image_code,
          vcpus: r.vcpus,
          memory_mb: r.memory_mb,
          disk_gb: r.disk_gb,
          zone_code: r.zone_code!,
          ha_group: r.ha_group,
          host_id: placed.hostId,
          storage_pool_id: placed.poolId,
          state: 'provisioning',
          created_by: r.requested_by,
          created_at: this.deps.clock.now(),
          updated_at: this.deps.clock.now(),
        })
        .execute();
      await trx.updateTable('cloud_vm_request').set({ vm_id: vmId }).where('id', '=', r.id).execute();
      await appendVmEvent(trx, { vmId, action: 'provision', outcome: 'requested', state: 'provisioning', actorId: r.requested_by, detail: { requestId: r.id, requestNo: r.request_no, hostId: placed.hostId, poolId: placed.poolId, reserveKept: placed.reserveKept } });
      message = { vmId, action: 'provision', requestId: r.id, actorId: r.requested_by };
    } else {
      vmId = r.vm_id!;
      const vm = await trx.selectFrom('cloud_vm').selectAll().where('id', '=', vmId).forUpdate().executeTakeFirstOrThrow();
      if (r.kind === 'resize') {
        const grow = reservedAmounts(r, vm);
        if ((grow.vcpus > 0 || grow.memoryMb > 0) && vm.host_id && !(await claimHostCapacity(trx, vm.host_id, grow.vcpus, grow.memoryMb))) return fail('cloud.no_capacity');
        // the disk's growth on its storage pool; none left: the host's claim goes back with the rest of the transaction
        if (grow.diskGb > 0 && vm.storage_pool_id && !(await claimPoolCapacity(trx, vm.storage_pool_id, grow.diskGb))) {
          if (vm.host_id && (grow.vcpus > 0 || grow.memoryMb > 0)) await releaseHostCapacity(trx, vm.host_id, grow.vcpus, grow.memoryMb);
          return fail('cloud.no_capacity', 'cloud.no_capacity: storage');
        }
        await appendVmEvent(trx, { vmId, action: 'resize', outcome: 'requested', state: vm.state, actorId: r.requested_by, detail: { requestId: r.id, requestNo: r.request_no, vcpus: r.vcpus, memoryMb: r.memory_mb, diskGb: r.disk_gb } });
        message = { vmId, action: 'resize', requestId: r.id, vcpus: r.vcpus, memoryMb: r.memory_mb, ...(r.disk_gb > vm.disk_gb ? { diskGb: r.disk_gb } : {}), actorId: r.requested_by };
      } else {
        if (vm.state === 'decommissioning' || vm.state === 'decommissioned') return fail('cloud.invalid_state');
        await trx.updateTable('cloud_vm').set({ state: 'decommissioning', version: sql`version + 1`, updated_at: this.deps.clock.now() }).where('id', '=', vmId).execute();
        await appendVmEvent(trx, { vmId, action: 'decommission', outcome: 'requested', state: 'decommissioning', actorId: r.requested_by, detail: { requestId: r.id, requestNo: r.request_no } });
        message = { vmId, action: 'decommission', requestId: r.id, actorId: r.requested_by };
      }
    }
    await this.deps.outbox.enqueue(trx, { topic: VM_ACTION_TOPIC, key: `${vmId}:${message.action}:${r.id}`, payload: message });
    const state = await this.move(trx, { ...r, state: 'approved' }, 'provisioning', 'place', actorId, placeNote);
    await this.deps.notifier.decided(trx, r, 'approved', '');
    return state;
  }

  /** Moves the request's state (the caller holds its row lock) with one timeline row. */
  private async move(trx: Trx, r: Pick<RequestRow, 'id' | 'state'>, to: RequestState, action: string, actorId: string | null, note: string): Promise<RequestState> {
    await trx.updateTable('cloud_vm_request').set({ state: to, updated_at: this.deps.clock.now() }).where('id', '=', r.id).execute();
    await this.event(trx, r.id, action, r.state, to, actorId, note);
    r.state = to;
    return to;
  }

  private async event(trx: Trx, requestId: string, action: string, from: RequestState | null, to: RequestState, actorId: string | null, note: string): Promise<void> {
    await sql`
      INSERT INTO selfservice_request_event (request_id, seq, action, from_state, to_state, actor_id, note, at)
      SELECT ${requestId}, coalesce(max(seq), 0) + 1, ${action}, ${from}, ${to}, ${actorId || null}, ${note}, ${this.deps.clock.now()}
      FROM selfservice_request_event WHERE request_id = ${requestId}
    `.execute(trx);
  }

  private async audit(trx: Trx, ctx: RequestContext, a: CloudAccess, permission: Permission, code: string, r: RequestRow, detail: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record(trx, ctx, { action: code, objectType: 'cloud_vm_request', objectId: r.id, regionCode: r.region_code, role: roleFor(a.actor, permission), detail: { requestNo: r.request_no, permission, ...detail } });
  }
}
