// Reading requests (mine, waiting on me, all I may see), one request with its timeline and its VM's ledger, a VM's
// ledger, the request form's options (flavours, images, the zones my department may use, its business systems and
// quota), the to-do items of approvers, and the approval policy.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { TodoItem } from '../../platform/module.ts';
import { authorOf, roleFor } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { forbidden, invalid } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { cloudAccess, isUuid, requestNotFound, requestVisibleSql, scopeSql, vmNotFound, vmVisibleSql, type CloudAccess } from './access.ts';
import { ACTION_FROM } from './lifecycle.ts';
import { policyFor } from './policy.ts';
import type { VmState } from '../cloud/index.ts';
import { DIRECT_ACTIONS, type PolicyInput, type PolicyView, type RequestList, type RequestOptions, type RequestQuery, type RequestSummary, type RequestView, type VM_ABILITIES, type VmEventView } from './schema.ts';

type VmAbility = (typeof VM_ABILITIES)[number];

const COLS = { path: 'r.region_path', department: 'r.department_id' };
const VM_COLS = { path: 'v.region_path', department: 'v.department_id' };

/** The VM's abilities for the caller: direct actions from its state, requests when nothing else is open. */
function vmAbilities(vm: { state: VmState; may_operate: boolean; may_request: boolean; busy: boolean }): VmAbility[] {
  const out: VmAbility[] = vm.may_operate ? DIRECT_ACTIONS.filter((verb) => ACTION_FROM[verb].includes(vm.state)) : [];
  if (vm.may_request && !vm.busy && (vm.state === 'running' || vm.state === 'stopped')) out.push('resize');
  if (vm.may_request && !vm.busy && vm.state !== 'decommissioning' && vm.state !== 'decommissioned') out.push('decommission');
  return out;
}

/** Requests (alias r) waiting on the caller: the department step over their tree, the platform step over their region. */
function waitingOnSql(a: CloudAccess): Expression<SqlBool> {
  return sql<SqlBool>`((r.state = 'pending_department' AND ${scopeSql(a.approveDepartment, COLS)}) OR (r.state = 'pending_platform' AND ${scopeSql(a.approvePlatform, COLS)}))`;
}

export class RequestReader {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private base(a: CloudAccess) {
    return this.db
      .selectFrom('cloud_vm_request as r')
      .innerJoin('department as d', 'd.id', 'r.department_id')
      .innerJoin('app_user as u', 'u.id', 'r.requested_by')
      .where(requestVisibleSql(a))
      .select([
        'r.id',
        'r.request_no',
        'r.kind',
        'r.state',
        'r.name',
        'r.department_id',
        'd.name as department_name',
        'r.requested_by',
        'u.display_name as requester_name',
        'r.vm_id',
        'r.flavour_code',
        'r.image_code',
        'r.zone_code',
        'r.vcpus',
        'r.memory_mb',
        'r.disk_gb',
        'r.auto_approved',
        'r.failure',
        'r.created_at',
        'r.updated_at',
        sql<boolean>`${scopeSql(a.approveDepartment, COLS)}`.as('can_department'),
        sql<boolean>`${scopeSql(a.approvePlatform, COLS)}`.as('can_platform'),
      ]);
  }

  private summary(a: CloudAccess, r: SummaryRow): RequestSummary {
    const abilities: RequestSummary['abilities'] = [];
    if (r.requested_by === a.actor.userId && (r.state === 'pending_department' || r.state === 'pending_platform')) abilities.push('cancel');
    if (r.state === 'pending_department' && r.can_department) abilities.push('approve_department');
    if (r.state === 'pending_platform' && r.can_platform) abilities.push('approve_platform');
    return {
      id: r.id,
      requestNo: r.request_no,
      kind: r.kind,
      state: r.state,
      name: r.name,
      department: { id: r.department_id, name: r.department_name },
      requestedBy: { id: r.requested_by, name: r.requester_name },
      vmId: r.vm_id,
      flavourCode: r.flavour_code,
      imageCode: r.image_code,
      zoneCode: r.zone_code,
      vcpus: r.vcpus,
      memoryMb: r.memory_mb,
      diskGb: r.disk_gb,
      autoApproved: r.auto_approved,
      failure: r.failure,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
      abilities,
    };
  }

  async list(ctx: RequestContext, query: RequestQuery): Promise<RequestList> {
    const a = cloudAccess(ctx, this.clock);
    const scope = query.scope ?? 'mine';
    const limit = query.limit ?? 50;
    const where: Expression<SqlBool> = scope === 'mine' ? sql<SqlBool>`r.requested_by = ${a.actor.userId}` : scope === 'approvals' ? waitingOnSql(a) : sql<SqlBool>`true`;
    const q = this.base(a)
      .where(where)
      .$if(query.state !== undefined, (qb) => qb.where('r.state', '=', query.state!))
      .$if(query.vmId !== undefined, (qb) => qb.where('r.vm_id', '=', query.vmId!));
    const [rows, total] = await Promise.all([
      q.orderBy('r.created_at', scope === 'approvals' ? 'asc' : 'desc').orderBy('r.id').offset(query.offset ?? 0).limit(limit).execute(),
      q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map((r) => this.summary(a, r)), total: Number(total.n) };
  }

  async get(ctx: RequestContext, id: string): Promise<RequestView> {
    const a = cloudAccess(ctx, this.clock);
    if (!isUuid(id)) throw requestNotFound();
    const r = await this.base(a)
      .leftJoin('cloud_business_system as b', 'b.id', 'r.business_system_id')
      .select(['b.id as system_id', 'b.name as system_name', 'r.ha_group', 'r.reason', 'r.decision_note'])
      .where('r.id', '=', id)
      .executeTakeFirst();
    if (!r) throw requestNotFound();
    const timeline = await this.db
      .selectFrom('selfservice_request_event as e')
      .leftJoin('app_user as u', 'u.id', 'e.actor_id')
      .selectAll('e')
      .select('u.display_name')
      .where('e.request_id', '=', id)
      .orderBy('e.seq')
      .execute();
    const vm = r.vm_id
      ? await this.db
          .selectFrom('cloud_vm as v')
          .leftJoin('cloud_host as h', 'h.id', 'v.host_id')
          .select(['v.id', 'v.name', 'v.domain_name', 'v.state', 'v.state_detail', 'v.vcpus', 'v.memory_mb', 'v.disk_gb', 'h.code as host_code'])
          .select([
            sql<boolean>`${scopeSql(a.operate, VM_COLS)}`.as('may_operate'),
            sql<boolean>`${scopeSql(a.request, VM_COLS)}`.as('may_request'),
            sql<boolean>`EXISTS (SELECT 1 FROM cloud_vm_request q WHERE q.vm_id = v.id AND q.state IN ('pending_department', 'pending_platform', 'approved', 'provisioning'))`.as('busy'),
          ])
          .where('v.id', '=', r.vm_id)
          .executeTakeFirst()
      : undefined;
    return {
      ...this.summary(a, r),
      businessSystem: r.system_id ? { id: r.system_id, name: r.system_name! } : null,
      haGroup: r.ha_group,
      reason: r.reason,
      decisionNote: r.decision_note,
      timeline: timeline.map((e) => ({ seq: e.seq, action: e.action, fromState: e.from_state, toState: e.to_state, actor: e.actor_id ? { id: e.actor_id, name: e.display_name ?? '' } : null, note: e.note, at: new Date(e.at).toISOString() })),
      vm: vm ? { id: vm.id, name: vm.name, domainName: vm.domain_name, state: vm.state, stateDetail: vm.state_detail, hostCode: vm.host_code, vcpus: vm.vcpus, memoryMb: vm.memory_mb, diskGb: vm.disk_gb, abilities: vmAbilities(vm) } : null,
      vmEvents: r.vm_id ? await this.events(r.vm_id) : [],
    };
  }

  /** A VM's lifecycle ledger, for whoever may see the VM (its operators, readers, and whoever requested it). */
  async vmEvents(ctx: RequestContext, vmId: string): Promise<{ items: VmEventView[] }> {
    const a = cloudAccess(ctx, this.clock);
    if (!isUuid(vmId)) throw vmNotFound();
    const vm = await this.db.selectFrom('cloud_vm as v').select('v.id').where('v.id', '=', vmId).where(vmVisibleSql(a)).executeTakeFirst();
    if (!vm) throw vmNotFound();
    return { items: await this.events(vmId) };
  }

  private async events(vmId: string): Promise<VmEventView[]> {
    const rows = await this.db
      .selectFrom('cloud_vm_event as e')
      .leftJoin('app_user as u', 'u.id', 'e.actor_id')
      .selectAll('e')
      .select('u.display_name')
      .where('e.vm_id', '=', vmId)
      .orderBy('e.seq')
      .execute();
    return rows.map((e) => ({ seq: e.seq, action: e.action, outcome: e.outcome, state: e.state, actor: e.actor_id ? { id: e.actor_id, name: e.display_name ?? '' } : null, detail: e.detail, at: new Date(e.at).toISOString() }));
  }

  /** What the request form offers the caller's department, with its quota and policy. */
  async options(ctx: RequestContext): Promise<RequestOptions> {
    const a = cloudAccess(ctx, this.clock);
    if (!a.request) throw forbidden('auth.forbidden', 'Your roles do not include cloud.request.');
    const departmentId = a.actor.departmentId;
    const [flavours, images, department, zones, systems, quota, policy] = await Promise.all([
      this.db.selectFrom('cloud_flavour').select(['code', 'name', 'vcpus', 'memory_mb']).where('active', '=', true).orderBy('vcpus').orderBy('memory_mb').orderBy('code').execute(),
      this.db.selectFrom('cloud_image').select(['code', 'name', 'os', 'min_disk_gb']).where('active', '=', true).orderBy('code').execute(),
      departmentId ? this.db.selectFrom('department').select(['id', 'name']).where('id', '=', departmentId).executeTakeFirst() : undefined,
      this.db
        .selectFrom('cloud_zone as z')
        .select(['z.code', 'z.name'])
        .where((eb) => eb.or([eb('z.open_to_all', '=', true), ...(departmentId ? [eb.exists(eb.selectFrom('cloud_zone_grant as g').select('g.zone_code').whereRef('g.zone_code', '=', 'z.code').where('g.department_id', '=', departmentId))] : [])]))
        .orderBy('z.code')
        .execute(),
      departmentId
        ? this.db
            .selectFrom('cloud_business_system as b')
            .select(['b.id', 'b.code', 'b.name'])
            .where('b.status', '=', 'active')
            .where(scopeSql({ permission: 'cloud.request', paths: [], departments: [departmentId], shares: [] }, { path: 'b.region_path', department: 'b.department_id' }))
            .orderBy('b.code')
            .limit(500)
            .execute()
        : [],
      departmentId ? this.db.selectFrom('cloud_quota').selectAll().where('department_id', '=', departmentId).executeTakeFirst() : undefined,
      policyFor(this.db, departmentId),
    ]);
    return {
      department: department ? { id: department.id, name: department.name } : null,
      flavours: flavours.map((f) => ({ code: f.code, name: f.name, vcpus: f.vcpus, memoryMb: f.memory_mb })),
      images: images.map((i) => ({ code: i.code, name: i.name, os: i.os, minDiskGb: i.min_disk_gb })),
      zones,
      businessSystems: systems,
      quota: quota
        ? {
            vcpus: { limit: quota.vcpus_limit, used: quota.vcpus_used },
            memoryMb: { limit: Number(quota.memory_mb_limit), used: Number(quota.memory_mb_used) },
            diskGb: { limit: Number(quota.disk_gb_limit), used: Number(quota.disk_gb_used) },
            vms: { limit: quota.vms_limit, used: quota.vms_used },
          }
        : null,
      policy: { departmentStepRequired: policy.departmentStepRequired, autoMaxVcpus: policy.autoMaxVcpus, autoMaxMemoryMb: policy.autoMaxMemoryMb, autoMaxDiskGb: policy.autoMaxDiskGb },
    };
  }

  /** 待办: requests waiting on the caller's decision, oldest first. */
  async todo(ctx: RequestContext, limit: number): Promise<TodoItem[]> {
    const a = cloudAccess(ctx, this.clock);
    if (!a.approveDepartment && !a.approvePlatform) return [];
    const rows = await this.db.selectFrom('cloud_vm_request as r').select(['r.id', 'r.request_no', 'r.kind', 'r.name', 'r.state', 'r.created_at']).where(waitingOnSql(a)).orderBy('r.created_at').orderBy('r.id').limit(limit).execute();
    const KIND = { create: '云主机申请', resize: '规格变更', decommission: '退役申请' } as const;
    return rows.map((r) => ({
      module: 'selfservice',
      kind: `cloud.request.${r.state}`,
      id: r.id,
      title: `${r.state === 'pending_department' ? '部门审批' : '平台审批'}：${KIND[r.kind]} ${r.request_no}「${r.name}」`,
      deadline: null,
      link: `/cloud/approvals?request=${r.id}`,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }

  async todoCount(ctx: RequestContext): Promise<number> {
    const a = cloudAccess(ctx, this.clock);
    if (!a.approveDepartment && !a.approvePlatform) return 0;
    const { n } = await this.db.selectFrom('cloud_vm_request as r').select(sql<number>`count(*)::int`.as('n')).where(waitingOnSql(a)).executeTakeFirstOrThrow();
    return Number(n);
  }

  /** The policy a department (or the default) follows; platform approvers only. */
  async policy(ctx: RequestContext, departmentId: string | undefined): Promise<PolicyView> {
    const a = cloudAccess(ctx, this.clock);
    if (!a.approvePlatform) throw forbidden('auth.forbidden', 'Your roles do not include cloud.approve_platform.');
    if (departmentId) await this.departmentInScope(a, departmentId);
    const p = await policyFor(this.db, departmentId ?? null);
    return { departmentId: departmentId ?? null, departmentStepRequired: p.departmentStepRequired, autoMaxVcpus: p.autoMaxVcpus, autoMaxMemoryMb: p.autoMaxMemoryMb, autoMaxDiskGb: p.autoMaxDiskGb, inherited: departmentId ? p.inherited : false };
  }

  /** Sets the default policy (region-wide approvers at the root only) or a department's own. */
  async setPolicy(ctx: RequestContext, input: PolicyInput): Promise<PolicyView> {
    const a = cloudAccess(ctx, this.clock);
    if (!a.approvePlatform) throw forbidden('auth.forbidden', 'Your roles do not include cloud.approve_platform.');
    let regionCode: string | null = null;
    if (input.departmentId) regionCode = await this.departmentInScope(a, input.departmentId);
    else if (!a.approvePlatform.paths.includes('/') && !a.approvePlatform.paths.some((p) => p.split('/').length <= 3)) {
      throw forbidden('auth.forbidden', 'Only approvers over the whole prefecture set the default policy.');
    }
    const values = {
      department_step_required: input.departmentStepRequired,
      auto_max_vcpus: input.autoMaxVcpus,
      auto_max_memory_mb: input.autoMaxMemoryMb,
      auto_max_disk_gb: input.autoMaxDiskGb,
      updated_by: authorOf(a.actor),
      updated_at: this.clock.now(),
    };
    await this.db.transaction().execute(async (trx) => {
      const changed = await trx
        .updateTable('selfservice_policy')
        .set(values)
        .where((eb) => (input.departmentId ? eb('department_id', '=', input.departmentId) : eb('department_id', 'is', null)))
        .returning('id')
        .executeTakeFirst();
      if (!changed) await trx.insertInto('selfservice_policy').values({ department_id: input.departmentId, ...values }).onConflict((oc) => oc.column('department_id').where('department_id', 'is not', null).doUpdateSet(values)).execute();
      await this.audit.record(trx, ctx, { action: 'selfservice.policy_set', objectType: 'department', objectId: input.departmentId, regionCode, role: roleFor(a.actor, 'cloud.approve_platform'), detail: { ...input } });
    });
    return this.policy(ctx, input.departmentId ?? undefined);
  }

  private async departmentInScope(a: CloudAccess, departmentId: string): Promise<string> {
    const d = await this.db
      .selectFrom('department as d')
      .innerJoin('region as g', 'g.code', 'd.region_code')
      .select(['d.region_code', sql<boolean>`${scopeSql(a.approvePlatform, { path: 'g.path', department: 'd.id' })}`.as('ok')])
      .where('d.id', '=', departmentId)
      .executeTakeFirst();
    if (!d || !d.ok) throw invalid('cloud.department_out_of_scope', 'departmentId', 'The department lies outside your scope.');
    return d.region_code;
  }
}

type SummaryRow = {
  id: string;
  request_no: string;
  kind: RequestSummary['kind'];
  state: RequestSummary['state'];
  name: string;
  department_id: string;
  department_name: string;
  requested_by: string;
  requester_name: string;
  vm_id: string | null;
  flavour_code: string | null;
  image_code: string | null;
  zone_code: string | null;
  vcpus: number;
  memory_mb: number;
  disk_gb: number;
  auto_approved: boolean;
  failure: string;
  created_at: Date | string;
  updated_at: Date | string;
  can_department: boolean;
  can_platform: boolean;
};
