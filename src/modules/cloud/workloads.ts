// Department-owned inventory (issue 10 §1): business systems (CRUD by cloud.systems.manage within its scope), the VMs
// they run (list with filters, detail with the lifecycle ledger) and department quotas (read; set by cloud.manage,
// never below what is in use — one conditional UPDATE, so a concurrent reservation cannot slip under it).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { escapeLike } from '../../db/jurisdiction.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, DomainError } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { cloudNotFound, isUuid, manager, reader, scopeSql, visibleSql } from './access.ts';
import { pct } from './inventory.ts';
import type * as s from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export class Workloads {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  // ---- business systems

  private systemsQuery(ctx: RequestContext, db: Db = this.db) {
    const r = reader(ctx, this.clock);
    return db
      .selectFrom('cloud_business_system as b')
      .innerJoin('department as d', 'd.id', 'b.department_id')
      .where(visibleSql(r, { path: 'b.region_path', department: 'b.department_id' }));
  }

  async systems(ctx: RequestContext, q: s.SystemQuery): Promise<{ items: s.SystemView[]; total: number }> {
    const base = this.systemsQuery(ctx)
      .$if(q.departmentId !== undefined, (qb) => qb.where('b.department_id', '=', q.departmentId!))
      .$if(q.status !== undefined, (qb) => qb.where('b.status', '=', q.status!))
      .$if(q.q !== undefined, (qb) => qb.where((eb) => eb.or([eb('b.name', 'ilike', `%${escapeLike(q.q!)}%`), eb('b.code', 'ilike', `%${escapeLike(q.q!)}%`)])));
    const [rows, total] = await Promise.all([
      base.select(SYSTEM_COLS).orderBy('d.name').orderBy('b.code').offset(q.offset ?? 0).limit(q.limit ?? 50).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(systemOf), total: Number(total.n) };
  }

  async system(ctx: RequestContext, id: string): Promise<s.SystemView> {
    if (!isUuid(id)) throw cloudNotFound();
    const row = await this.systemsQuery(ctx).select(SYSTEM_COLS).where('b.id', '=', id).executeTakeFirst();
    if (!row) throw cloudNotFound();
    return systemOf(row);
  }

  /** The department, if the caller manages business systems there; else 400 / 403. */
  private async systemsDepartment(trx: Db, ctx: RequestContext, departmentId: string, field: string) {
    const { scope } = authorize(ctx, 'cloud.systems.manage', this.clock);
    const dept = await trx
      .selectFrom('department as d')
      .innerJoin('region as g', 'g.code', 'd.region_code')
      .select(['d.id', 'd.region_code', 'g.path', sql<boolean>`${scopeSql(scope, { path: 'g.path', department: 'd.id' })}`.as('in_scope')])
      .where('d.id', '=', departmentId)
      .executeTakeFirst();
    if (!dept) throw new DomainError('cloud.unknown_department', 'invalid', 'No such department.', field);
    if (!dept.in_scope) throw new DomainError('cloud.department_out_of_scope', 'forbidden', 'The department lies outside your scope (cloud.systems.manage).', field);
    return { scope, dept };
  }

  async createSystem(ctx: RequestContext, input: s.NewSystem): Promise<s.SystemView> {
    const id = await this.db.transaction().execute(async (trx) => {
      const { scope, dept } = await this.systemsDepartment(trx, ctx, input.departmentId, 'departmentId');
      const row = await trx
        .insertInto('cloud_business_system')
        .values({ department_id: dept.id, region_code: dept.region_code, region_path: dept.path, code: input.code, name: input.name.trim(), description: input.description ?? '', protection_level: input.protectionLevel ?? 2 })
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) throw conflict('cloud.duplicate_code', 'A business system with this code exists already.', 'code');
      await this.audit.record(trx, ctx, { action: 'cloud.system.create', objectType: 'cloud_business_system', objectId: row.id, regionCode: dept.region_code, detail: { code: input.code, name: input.name, permission: scope.permission } });
      return row.id;
    });
    return this.system(ctx, id);
  }

  /** Change a system; retiring one refuses while VMs of it still hold resources. */
  async updateSystem(ctx: RequestContext, id: string, input: s.UpdateSystem): Promise<s.SystemView> {
    if (!isUuid(id)) throw cloudNotFound();
    await this.db.transaction().execute(async (trx) => {
      const system = await trx.selectFrom('cloud_business_system').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!system) throw cloudNotFound();
      const visible = await this.systemsQuery(ctx, trx).select('b.id').where('b.id', '=', id).executeTakeFirst();
      if (!visible) throw cloudNotFound();
      const { scope } = await this.systemsDepartment(trx, ctx, system.department_id, 'id');
      if (input.status === 'retired' && system.status !== 'retired') {
        const vm = await trx.selectFrom('cloud_vm').select('id').where('business_system_id', '=', id).where('state', '<>', 'decommissioned').limit(1).executeTakeFirst();
        if (vm) throw conflict('cloud.system_in_use', 'The business system still has VMs.', 'status');
      }
      await trx
        .updateTable('cloud_business_system')
        .set({
          ...(input.name !== undefined ? { name: input.name.trim() } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.protectionLevel !== undefined ? { protection_level: input.protectionLevel } : {}),
          ...(input.status !== undefined ? { status: input.status } : {}),
        })
        .where('id', '=', id)
        .execute();
      await this.audit.record(trx, ctx, { action: 'cloud.system.update', objectType: 'cloud_business_system', objectId: id, regionCode: system.region_code, detail: { code: system.code, fields: Object.keys(input), permission: scope.permission } });
    });
    return this.system(ctx, id);
  }

  // ---- VMs

  private vmsQuery(ctx: RequestContext) {
    const r = reader(ctx, this.clock);
    return this.db
      .selectFrom('cloud_vm as v')
      .innerJoin('department as d', 'd.id', 'v.department_id')
      .leftJoin('cloud_business_system as b', 'b.id', 'v.business_system_id')
      .leftJoin('cloud_host as h', 'h.id', 'v.host_id')
      .where(visibleSql(r, { path: 'v.region_path', department: 'v.department_id' }));
  }

  async vms(ctx: RequestContext, q: s.VmQuery): Promise<{ items: s.VmView[]; total: number }> {
    const base = this.vmsQuery(ctx)
      .$if(q.departmentId !== undefined, (qb) => qb.where('v.department_id', '=', q.departmentId!))
      .$if(q.systemId !== undefined, (qb) => qb.where('v.business_system_id', '=', q.systemId!))
      .$if(q.hostId !== undefined, (qb) => qb.where('v.host_id', '=', q.hostId!))
      .$if(q.state !== undefined, (qb) => qb.where('v.state', '=', q.state!))
      .$if(q.state === undefined, (qb) => qb.where('v.state', '<>', 'decommissioned'))
      .$if(q.zone !== undefined, (qb) => qb.where('v.zone_code', '=', q.zone!))
      .$if(q.q !== undefined, (qb) => qb.where((eb) => eb.or([eb('v.name', 'ilike', `%${escapeLike(q.q!)}%`), eb('v.domain_name', 'ilike', `%${escapeLike(q.q!)}%`)])));
    const [rows, total] = await Promise.all([
      base.select(VM_COLS).orderBy('d.name').orderBy('v.name').orderBy('v.id').offset(q.offset ?? 0).limit(q.limit ?? 50).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(vmOf), total: Number(total.n) };
  }

  async vm(ctx: RequestContext, id: string): Promise<s.VmDetail> {
    if (!isUuid(id)) throw cloudNotFound();
    const row = await this.vmsQuery(ctx)
      .leftJoin('cloud_storage_pool as p', 'p.id', 'v.storage_pool_id')
      .select([...VM_COLS, 'p.id as pool_id', 'p.code as pool_code', 'p.name as pool_name'])
      .where('v.id', '=', id)
      .executeTakeFirst();
    if (!row) throw cloudNotFound();
    const [events, legacy] = await Promise.all([
      this.db.selectFrom('cloud_vm_event').selectAll().where('vm_id', '=', id).orderBy('seq').execute(),
      this.db.selectFrom('cloud_legacy_server as s').innerJoin('cloud_room as r', 'r.id', 's.room_id').select(['s.id', 's.name', 'r.name as room_name']).where('s.vm_id', '=', id).orderBy('s.name').execute(),
    ]);
    return {
      ...vmOf(row),
      storagePool: row.pool_id ? { id: row.pool_id, code: row.pool_code!, name: row.pool_name! } : null,
      events: events.map((e) => ({ seq: e.seq, action: e.action, outcome: e.outcome, state: e.state, actorId: e.actor_id, detail: e.detail, at: new Date(e.at).toISOString() })),
      legacyServers: legacy.map((l) => ({ id: l.id, name: l.name, roomName: l.room_name })),
    };
  }

  // ---- quotas

  private quotasQuery(ctx: RequestContext) {
    const r = reader(ctx, this.clock);
    return this.db
      .selectFrom('cloud_quota as q')
      .innerJoin('department as d', 'd.id', 'q.department_id')
      .innerJoin('region as g', 'g.code', 'd.region_code')
      .where(visibleSql(r, { path: 'g.path', department: 'q.department_id' }));
  }

  async quotas(ctx: RequestContext, query: s.QuotaQuery): Promise<{ items: s.QuotaView[]; total: number }> {
    const base = this.quotasQuery(ctx).$if(query.q !== undefined, (qb) => qb.where('d.name', 'ilike', `%${escapeLike(query.q!)}%`));
    const [rows, total] = await Promise.all([
      base.select(QUOTA_COLS).orderBy(sql`q.vcpus_used::float / greatest(q.vcpus_limit, 1)`, 'desc').orderBy('d.name').orderBy('d.id').offset(query.offset ?? 0).limit(query.limit ?? 50).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(quotaOf), total: Number(total.n) };
  }

  async quota(ctx: RequestContext, departmentId: string): Promise<s.QuotaView> {
    if (!isUuid(departmentId)) throw cloudNotFound('departmentId');
    const row = await this.quotasQuery(ctx).select(QUOTA_COLS).where('q.department_id', '=', departmentId).executeTakeFirst();
    if (!row) throw cloudNotFound('departmentId');
    return quotaOf(row);
  }

  /**
   * Set a department's limits (creating its quota). One conditional upsert: it writes only if every new limit is at
   * least what is in use at that instant, so a reservation committing meanwhile is either seen or waits on the row.
   */
  async setQuota(ctx: RequestContext, departmentId: string, input: s.QuotaInput): Promise<s.QuotaView> {
    if (!isUuid(departmentId)) throw cloudNotFound('departmentId');
    await this.db.transaction().execute(async (trx) => {
      const scope = manager(ctx, this.clock);
      const dept = await trx
        .selectFrom('department as d')
        .innerJoin('region as g', 'g.code', 'd.region_code')
        .select(['d.id', 'd.region_code', sql<boolean>`${scopeSql(scope, { path: 'g.path', department: 'd.id' })}`.as('in_scope')])
        .where('d.id', '=', departmentId)
        .executeTakeFirst();
      if (!dept || !dept.in_scope) throw cloudNotFound('departmentId');
      const row = await trx
        .insertInto('cloud_quota')
        .values({ department_id: departmentId, vcpus_limit: input.vcpusLimit, memory_mb_limit: input.memoryMbLimit, disk_gb_limit: input.diskGbLimit, vms_limit: input.vmsLimit, updated_at: this.clock.now() })
        .onConflict((oc) =>
          oc
            .column('department_id')
            .doUpdateSet({ vcpus_limit: input.vcpusLimit, memory_mb_limit: input.memoryMbLimit, disk_gb_limit: input.diskGbLimit, vms_limit: input.vmsLimit, updated_at: this.clock.now() })
            .where(sql<boolean>`cloud_quota.vcpus_used <= ${input.vcpusLimit} AND cloud_quota.memory_mb_used <= ${input.memoryMbLimit} AND cloud_quota.disk_gb_used <= ${input.diskGbLimit} AND cloud_quota.vms_used <= ${input.vmsLimit}`),
        )
        .returning(['vcpus_used'])
        .executeTakeFirst();
      if (!row) {
        const used = await trx.selectFrom('cloud_quota').selectAll().where('department_id', '=', departmentId).executeTakeFirstOrThrow();
        const dims = [
          ['vcpusLimit', used.vcpus_used, input.vcpusLimit],
          ['memoryMbLimit', Number(used.memory_mb_used), input.memoryMbLimit],
          ['diskGbLimit', Number(used.disk_gb_used), input.diskGbLimit],
          ['vmsLimit', used.vms_used, input.vmsLimit],
        ] as const;
        const [field, inUse] = dims.find(([, u, l]) => u > l) ?? dims[0];
        throw new DomainError('cloud.quota_below_use', 'conflict', `The department uses ${inUse} of ${field.replace('Limit', '')} now; the limit may not be lower.`, field, { used: inUse });
      }
      await this.audit.record(trx, ctx, { action: 'cloud.quota.set', objectType: 'cloud_quota', objectId: departmentId, regionCode: dept.region_code, detail: { ...input, permission: scope.permission } });
    });
    return this.quota(ctx, departmentId);
  }
}

const SYSTEM_COLS = [
  'b.id',
  'b.code',
  'b.name',
  'b.description',
  'b.department_id',
  'd.name as department_name',
  'b.region_code',
  'b.protection_level',
  'b.status',
  'b.created_at',
  sql<string>`(SELECT count(*) FROM cloud_vm v WHERE v.business_system_id = b.id AND v.state <> 'decommissioned')::text`.as('vms'),
  sql<string>`(SELECT coalesce(sum(v.vcpus), 0) FROM cloud_vm v WHERE v.business_system_id = b.id AND v.state <> 'decommissioned')::text`.as('vcpus'),
  sql<string>`(SELECT coalesce(sum(v.memory_mb), 0) FROM cloud_vm v WHERE v.business_system_id = b.id AND v.state <> 'decommissioned')::text`.as('memory_mb'),
] as const;

function systemOf(b: { id: string; code: string; name: string; description: string; department_id: string; department_name: string; region_code: string; protection_level: number; status: 'active' | 'retired'; created_at: Date; vms: string; vcpus: string; memory_mb: string }): s.SystemView {
  return {
    id: b.id,
    code: b.code,
    name: b.name,
    description: b.description,
    department: { id: b.department_id, name: b.department_name },
    regionCode: b.region_code,
    protectionLevel: b.protection_level,
    status: b.status,
    vms: Number(b.vms),
    vcpus: Number(b.vcpus),
    memoryMb: Number(b.memory_mb),
    createdAt: new Date(b.created_at).toISOString(),
  };
}

const VM_COLS = [
  'v.id',
  'v.domain_name',
  'v.name',
  'v.department_id',
  'd.name as department_name',
  'v.region_code',
  'b.id as system_id',
  'b.code as system_code',
  'b.name as system_name',
  'v.flavour_code',
  'v.image_code',
  'v.vcpus',
  'v.memory_mb',
  'v.disk_gb',
  'v.zone_code',
  'v.ha_group',
  'h.id as host_id',
  'h.code as host_code',
  'h.name as host_name',
  'v.state',
  'v.state_detail',
  'v.version',
  'v.created_at',
  'v.updated_at',
] as const;

function vmOf(v: {
  id: string;
  domain_name: string;
  name: string;
  department_id: string;
  department_name: string;
  region_code: string;
  system_id: string | null;
  system_code: string | null;
  system_name: string | null;
  flavour_code: string | null;
  image_code: string | null;
  vcpus: number;
  memory_mb: number;
  disk_gb: number;
  zone_code: string;
  ha_group: string | null;
  host_id: string | null;
  host_code: string | null;
  host_name: string | null;
  state: s.VmView['state'];
  state_detail: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}): s.VmView {
  return {
    id: v.id,
    domainName: v.domain_name,
    name: v.name,
    department: { id: v.department_id, name: v.department_name },
    regionCode: v.region_code,
    system: v.system_id ? { id: v.system_id, code: v.system_code!, name: v.system_name! } : null,
    flavourCode: v.flavour_code,
    imageCode: v.image_code,
    vcpus: v.vcpus,
    memoryMb: v.memory_mb,
    diskGb: v.disk_gb,
    zoneCode: v.zone_code,
    haGroup: v.ha_group,
    host: v.host_id ? { id: v.host_id, code: v.host_code!, name: v.host_name! } : null,
    state: v.state,
    stateDetail: v.state_detail,
    version: v.version,
    createdAt: new Date(v.created_at).toISOString(),
    updatedAt: new Date(v.updated_at).toISOString(),
  };
}

const QUOTA_COLS = ['q.department_id', 'd.name as department_name', 'd.region_code', 'q.vcpus_limit', 'q.vcpus_used', 'q.memory_mb_limit', 'q.memory_mb_used', 'q.disk_gb_limit', 'q.disk_gb_used', 'q.vms_limit', 'q.vms_used', 'q.updated_at'] as const;

function quotaOf(q: { department_id: string; department_name: string; region_code: string; vcpus_limit: number; vcpus_used: number; memory_mb_limit: string; memory_mb_used: string; disk_gb_limit: string; disk_gb_used: string; vms_limit: number; vms_used: number; updated_at: Date }): s.QuotaView {
  const dim = (used: number | string, limit: number | string) => ({ used: Number(used), limit: Number(limit), pct: pct(Number(used), Number(limit)) });
  return {
    department: { id: q.department_id, name: q.department_name },
    regionCode: q.region_code,
    vcpus: dim(q.vcpus_used, q.vcpus_limit),
    memoryMb: dim(q.memory_mb_used, q.memory_mb_limit),
    diskGb: dim(q.disk_gb_used, q.disk_gb_limit),
    vms: dim(q.vms_used, q.vms_limit),
    updatedAt: new Date(q.updated_at).toISOString(),
  };
}
