// The shared pool's inventory (issue 10 §1): machine rooms with their legacy servers, hosts with capacity, allocation
// and utilisation, storage pools, network zones with their grants, flavours and images. Reads for cloud.read; writes
// for cloud.manage, each audited in its transaction.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { escapeLike } from '../../db/jurisdiction.ts';
import type { Clock } from '../../platform/clock.ts';
import { scopeCovers } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { chinaDate } from '../../shared/id-number.ts';
import { conflict, DomainError, invalid } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { cloudNotFound, isUuid, manager, reader, scopeSql, visibleSql } from './access.ts';
import type { HostState, RequestState } from './kinds.ts';
import type * as s from './schema.ts';

/** Requests still waiting on a person or the hypervisor (they hold what they name). */
const OPEN_REQUEST_STATES: readonly RequestState[] = ['pending_department', 'pending_platform', 'approved', 'provisioning'];
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);
const roomVisible = (r: ReturnType<typeof reader>) => sql<SqlBool>`(r.kind = 'datacenter' OR ${visibleSql(r, { path: 'r.region_path', department: 'r.department_id' })})`;

export class Inventory {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  // ---- rooms

  private roomsQuery(ctx: RequestContext) {
    const r = reader(ctx, this.clock);
    return this.db
      .selectFrom('cloud_room as r')
      .innerJoin('region as g', 'g.code', 'r.region_code')
      .leftJoin('department as d', 'd.id', 'r.department_id')
      .where(roomVisible(r));
  }

  async rooms(ctx: RequestContext, q: s.RoomQuery): Promise<{ items: s.RoomView[]; total: number }> {
    const base = this.roomsQuery(ctx)
      .$if(q.kind !== undefined, (qb) => qb.where('r.kind', '=', q.kind!))
      .$if(q.status !== undefined, (qb) => qb.where('r.status', '=', q.status!))
      .$if(q.q !== undefined, (qb) => qb.where((eb) => eb.or([eb('r.name', 'ilike', `%${escapeLike(q.q!)}%`), eb('r.code', '=', q.q!)])));
    const [rows, total] = await Promise.all([
      base.select(ROOM_COLS).orderBy(sql`CASE r.kind WHEN 'datacenter' THEN 0 WHEN 'legacy_department' THEN 1 ELSE 2 END`).orderBy('r.code').offset(q.offset ?? 0).limit(q.limit ?? 50).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(roomOf), total: Number(total.n) };
  }

  async room(ctx: RequestContext, id: string): Promise<s.RoomDetail> {
    if (!isUuid(id)) throw cloudNotFound();
    const row = await this.roomsQuery(ctx).select(ROOM_COLS).where('r.id', '=', id).executeTakeFirst();
    if (!row) throw cloudNotFound();
    const servers = await this.db
      .selectFrom('cloud_legacy_server as s')
      .leftJoin('cloud_vm as v', 'v.id', 's.vm_id')
      .select(['s.id', 's.name', 's.model', 's.cpu_cores', 's.memory_gb', 's.disk_gb', 's.avg_cpu_utilisation', 's.power_watts', 's.annual_cost_yuan', 's.retired_on', 'v.id as vm_id', 'v.name as vm_name'])
      .where('s.room_id', '=', id)
      .orderBy('s.name')
      .execute();
    return {
      ...roomOf(row),
      legacyServers: servers.map((x) => ({
        id: x.id,
        name: x.name,
        model: x.model,
        cpuCores: x.cpu_cores,
        memoryGb: x.memory_gb,
        diskGb: x.disk_gb,
        avgCpuUtilisation: Number(x.avg_cpu_utilisation),
        powerWatts: x.power_watts,
        annualCostYuan: Number(x.annual_cost_yuan),
        retiredOn: x.retired_on,
        vm: x.vm_id ? { id: x.vm_id, name: x.vm_name ?? '' } : null,
      })),
    };
  }

  /** 机房 create (cloud.manage over its region): the data centre or a community room in a region, a department room in its department's. */
  async createRoom(ctx: RequestContext, input: s.NewRoom): Promise<s.RoomDetail> {
    const id = await this.db.transaction().execute(async (trx) => {
      const scope = manager(ctx, this.clock);
      let region: { code: string; path: string };
      let departmentId: string | null = null;
      if (input.kind === 'legacy_department') {
        if (!input.departmentId) throw invalid('request.invalid', 'departmentId', 'A department room names its department.');
        const dept = await trx.selectFrom('department as d').innerJoin('region as g', 'g.code', 'd.region_code').select(['d.id', 'g.code', 'g.path']).where('d.id', '=', input.departmentId).executeTakeFirst();
        if (!dept) throw invalid('cloud.unknown_department', 'departmentId', 'No such department.');
        if (input.regionCode !== undefined && input.regionCode !== dept.code) throw invalid('request.invalid', 'regionCode', 'A department room lies in its department’s region: leave regionCode out.');
        region = dept;
        departmentId = dept.id;
      } else {
        if (input.departmentId !== undefined) throw invalid('request.invalid', 'departmentId', 'Only a department room (legacy_department) names a department.');
        if (!input.regionCode) throw invalid('request.invalid', 'regionCode', 'Name the room’s region.');
        const found = await trx.selectFrom('region').select(['code', 'path']).where('code', '=', input.regionCode).executeTakeFirst();
        if (!found) throw invalid('cloud.unknown_region', 'regionCode', `No region has code "${input.regionCode}".`);
        region = found;
      }
      if (!scopeCovers(scope, region.path)) throw new DomainError('cloud.department_out_of_scope', 'forbidden', 'The room’s region lies outside your scope (cloud.manage).', departmentId ? 'departmentId' : 'regionCode');
      const { status, retiredOn } = this.roomStatus(input.status ?? 'active', input.retiredOn);
      const row = await trx
        .insertInto('cloud_room')
        .values({ code: input.code, name: input.name.trim(), kind: input.kind, department_id: departmentId, region_code: region.code, region_path: region.path, address: input.address?.trim() ?? '', area_m2: input.areaM2 ?? null, status, retired_on: retiredOn })
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) throw conflict('cloud.duplicate_code', 'A room with this code exists already.', 'code');
      await this.audit.record(trx, ctx, { action: 'cloud.room.create', objectType: 'cloud_room', objectId: row.id, regionCode: region.code, detail: { code: input.code, kind: input.kind, departmentId, status, permission: scope.permission } });
      return row.id;
    });
    return this.room(ctx, id);
  }

  /** 机房 change: name, address, area, status; a room holding hosts stays active. */
  async updateRoom(ctx: RequestContext, id: string, input: s.UpdateRoom): Promise<s.RoomDetail> {
    if (!isUuid(id)) throw cloudNotFound();
    await this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('cloud_room').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!current) throw cloudNotFound();
      const { scope, room } = await this.managedRoom(trx, ctx, id, 'id');
      const nextStatus = input.status ?? current.status;
      const { status, retiredOn } = this.roomStatus(nextStatus, input.retiredOn !== undefined ? input.retiredOn : nextStatus === current.status ? dateOf(current.retired_on) : undefined);
      if (status === 'retired' && current.status !== 'retired') {
        const host = await trx.selectFrom('cloud_host').select('id').where('room_id', '=', id).limit(1).executeTakeFirst();
        if (host) throw conflict('cloud.in_use', 'Hosts are still in the room: move or remove them before retiring it.', 'status');
      }
      const patch = {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.address !== undefined ? { address: input.address.trim() } : {}),
        ...(input.areaM2 !== undefined ? { area_m2: input.areaM2 } : {}),
        status,
        retired_on: retiredOn,
      };
      await trx.updateTable('cloud_room').set(patch).where('id', '=', id).execute();
      await this.audit.record(trx, ctx, {
        action: 'cloud.room.update',
        objectType: 'cloud_room',
        objectId: id,
        regionCode: room.region_code,
        detail: { code: current.code, ...input, before: { name: current.name, status: current.status, retiredOn: dateOf(current.retired_on) }, permission: scope.permission },
      });
    });
    return this.room(ctx, id);
  }

  /** A retired room has a retirement day (today in Beijing unless given); an active one has none. */
  private roomStatus(status: 'active' | 'retired', retiredOn: string | null | undefined): { status: 'active' | 'retired'; retiredOn: string | null } {
    if (status === 'active') {
      if (retiredOn) throw invalid('request.invalid', 'retiredOn', 'An active room has no retirement day.');
      return { status, retiredOn: null };
    }
    return { status, retiredOn: retiredOn ?? chinaDate(this.clock.now()) };
  }

  // ---- hosts

  private hostsQuery() {
    return this.db.selectFrom('cloud_host as h').innerJoin('cloud_room as r', 'r.id', 'h.room_id').select(HOST_COLS);
  }

  async hosts(ctx: RequestContext, q: s.HostQuery): Promise<{ items: s.HostView[]; total: number }> {
    reader(ctx, this.clock);
    const base = this.db
      .selectFrom('cloud_host as h')
      .innerJoin('cloud_room as r', 'r.id', 'h.room_id')
      .$if(q.roomId !== undefined, (qb) => qb.where('h.room_id', '=', q.roomId!))
      .$if(q.state !== undefined, (qb) => qb.where('h.state', '=', q.state!))
      .$if(q.zone !== undefined, (qb) => qb.where(sql<SqlBool>`${q.zone!} = ANY(h.zones)`))
      .$if(q.q !== undefined, (qb) => qb.where((eb) => eb.or([eb('h.name', 'ilike', `%${escapeLike(q.q!)}%`), eb('h.code', 'ilike', `%${escapeLike(q.q!)}%`)])));
    const [rows, total] = await Promise.all([
      base.select(HOST_COLS).orderBy('h.code').offset(q.offset ?? 0).limit(q.limit ?? 50).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(hostOf), total: Number(total.n) };
  }

  async host(ctx: RequestContext, id: string): Promise<s.HostView> {
    reader(ctx, this.clock);
    if (!isUuid(id)) throw cloudNotFound();
    const row = await this.hostsQuery().where('h.id', '=', id).executeTakeFirst();
    if (!row) throw cloudNotFound();
    return hostOf(row);
  }

  private async managedRoom(trx: Kysely<Database>, ctx: RequestContext, roomId: string, field: string) {
    const scope = manager(ctx, this.clock);
    const room = await trx.selectFrom('cloud_room').select(['id', 'region_code', 'region_path', 'kind']).where('id', '=', roomId).executeTakeFirst();
    if (!room) throw invalid('cloud.unknown_room', field, 'No such machine room.');
    if (!scopeCovers(scope, room.region_path)) throw new DomainError('cloud.department_out_of_scope', 'forbidden', 'The room lies outside your scope (cloud.manage).', field);
    return { scope, room };
  }

  private async checkZones(trx: Kysely<Database>, zones: readonly string[]): Promise<void> {
    const known = new Set((await trx.selectFrom('cloud_zone').select('code').where('code', 'in', [...zones]).execute()).map((z) => z.code));
    const i = zones.findIndex((z) => !known.has(z));
    if (i >= 0) throw invalid('cloud.unknown_zone', `zones/${i}`, `No such network zone: ${zones[i]}.`);
  }

  async createHost(ctx: RequestContext, input: s.NewHost): Promise<s.HostView> {
    const id = await this.db.transaction().execute(async (trx) => {
      const { scope, room } = await this.managedRoom(trx, ctx, input.roomId, 'roomId');
      await this.checkZones(trx, input.zones);
      const row = await trx
        .insertInto('cloud_host')
        .values({
          code: input.code,
          name: input.name.trim(),
          room_id: room.id,
          rack: input.rack ?? '',
          model: input.model ?? '',
          cpu_cores: input.cpuCores,
          cpu_ratio: input.cpuRatio ?? 4,
          memory_mb: input.memoryMb,
          memory_ratio: input.memoryRatio ?? 1,
          local_disk_gb: input.localDiskGb ?? 0,
          zones: input.zones,
          power_watts: input.powerWatts ?? 500,
          hypervisor_uri: input.hypervisorUri ?? null,
        })
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) throw conflict('cloud.duplicate_code', 'A host with this code exists already.', 'code');
      await this.audit.record(trx, ctx, { action: 'cloud.host.create', objectType: 'cloud_host', objectId: row.id, regionCode: room.region_code, detail: { code: input.code, name: input.name, cpuCores: input.cpuCores, memoryMb: input.memoryMb, permission: scope.permission } });
      return row.id;
    });
    return this.host(ctx, id);
  }

  async updateHost(ctx: RequestContext, id: string, input: s.UpdateHost): Promise<s.HostView> {
    if (!isUuid(id)) throw cloudNotFound();
    await this.db.transaction().execute(async (trx) => {
      const host = await trx.selectFrom('cloud_host').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!host) throw cloudNotFound();
      const { scope, room } = await this.managedRoom(trx, ctx, host.room_id, 'id');
      if (input.zones) await this.checkZones(trx, input.zones);
      const cores = input.cpuCores ?? host.cpu_cores;
      const ratio = input.cpuRatio ?? Number(host.cpu_ratio);
      const memory = input.memoryMb ?? Number(host.memory_mb);
      const memoryRatio = input.memoryRatio ?? Number(host.memory_ratio);
      if (Math.floor(cores * ratio) < host.vcpus_allocated) throw new DomainError('cloud.capacity_below_allocation', 'conflict', `VMs hold ${host.vcpus_allocated} vCPUs on the host.`, input.cpuCores !== undefined ? 'cpuCores' : 'cpuRatio', { allocated: host.vcpus_allocated });
      if (Math.floor(memory * memoryRatio) < Number(host.memory_mb_allocated)) throw new DomainError('cloud.capacity_below_allocation', 'conflict', `VMs hold ${host.memory_mb_allocated} MB on the host.`, input.memoryMb !== undefined ? 'memoryMb' : 'memoryRatio', { allocated: Number(host.memory_mb_allocated) });
      await trx
        .updateTable('cloud_host')
        .set({
          ...(input.name !== undefined ? { name: input.name.trim() } : {}),
          ...(input.rack !== undefined ? { rack: input.rack } : {}),
          ...(input.model !== undefined ? { model: input.model } : {}),
          ...(input.localDiskGb !== undefined ? { local_disk_gb: input.localDiskGb } : {}),
          ...(input.zones !== undefined ? { zones: input.zones } : {}),
          ...(input.powerWatts !== undefined ? { power_watts: input.powerWatts } : {}),
          ...(input.hypervisorUri !== undefined ? { hypervisor_uri: input.hypervisorUri } : {}),
          cpu_cores: cores,
          cpu_ratio: ratio,
          memory_mb: memory,
          memory_ratio: memoryRatio,
        })
        .where('id', '=', id)
        .execute();
      await this.audit.record(trx, ctx, { action: 'cloud.host.update', objectType: 'cloud_host', objectId: id, regionCode: room.region_code, detail: { code: host.code, fields: Object.keys(input), permission: scope.permission } });
    });
    return this.host(ctx, id);
  }

  /** up / maintenance / down: a host out of service takes no placements (claimHostCapacity asks for 'up'). */
  async setHostState(ctx: RequestContext, id: string, state: HostState, reason: string | undefined): Promise<s.HostView> {
    if (!isUuid(id)) throw cloudNotFound();
    await this.db.transaction().execute(async (trx) => {
      const host = await trx.selectFrom('cloud_host').select(['id', 'code', 'room_id', 'state']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!host) throw cloudNotFound();
      const { scope, room } = await this.managedRoom(trx, ctx, host.room_id, 'id');
      if (host.state === state) return;
      await trx.updateTable('cloud_host').set({ state }).where('id', '=', id).execute();
      await this.audit.record(trx, ctx, { action: 'cloud.host.state', objectType: 'cloud_host', objectId: id, regionCode: room.region_code, detail: { code: host.code, from: host.state, to: state, reason: reason ?? '', permission: scope.permission } });
    });
    return this.host(ctx, id);
  }

  /** Only a host no VM holds capacity on (allocation zero and no VM row pointing at it). */
  async deleteHost(ctx: RequestContext, id: string): Promise<void> {
    if (!isUuid(id)) throw cloudNotFound();
    await this.db.transaction().execute(async (trx) => {
      const host = await trx.selectFrom('cloud_host').select(['id', 'code', 'room_id', 'vcpus_allocated']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!host) throw cloudNotFound();
      const { scope, room } = await this.managedRoom(trx, ctx, host.room_id, 'id');
      const vm = await trx.selectFrom('cloud_vm').select('id').where('host_id', '=', id).limit(1).executeTakeFirst();
      if (vm || host.vcpus_allocated > 0) throw conflict('cloud.host_in_use', 'VMs still hold capacity on the host.', 'id');
      await trx.deleteFrom('cloud_host').where('id', '=', id).execute();
      await this.audit.record(trx, ctx, { action: 'cloud.host.delete', objectType: 'cloud_host', objectId: id, regionCode: room.region_code, detail: { code: host.code, permission: scope.permission } });
    });
  }

  // ---- storage pools

  async pools(ctx: RequestContext): Promise<{ items: s.PoolView[] }> {
    reader(ctx, this.clock);
    const rows = await this.db
      .selectFrom('cloud_storage_pool as p')
      .innerJoin('cloud_room as r', 'r.id', 'p.room_id')
      .select(['p.id', 'p.code', 'p.name', 'r.id as room_id', 'r.name as room_name', 'p.kind', 'p.capacity_gb', 'p.allocated_gb', 'p.used_gb'])
      .orderBy('p.code')
      .execute();
    return {
      items: rows.map((p) => ({ id: p.id, code: p.code, name: p.name, room: { id: p.room_id, name: p.room_name }, kind: p.kind, capacityGb: Number(p.capacity_gb), allocatedGb: Number(p.allocated_gb), usedGb: Number(p.used_gb), allocatedPct: pct(Number(p.allocated_gb), Number(p.capacity_gb)) })),
    };
  }

  // ---- zones

  async zones(ctx: RequestContext): Promise<{ items: s.ZoneView[] }> {
    const r = reader(ctx, this.clock);
    const [zones, grants] = await Promise.all([
      this.db
        .selectFrom('cloud_zone as z')
        .select(['z.code', 'z.name', 'z.description', 'z.open_to_all', sql<number>`(SELECT count(*)::int FROM cloud_host h WHERE z.code = ANY(h.zones))`.as('hosts')])
        .orderBy('z.code')
        .execute(),
      this.db
        .selectFrom('cloud_zone_grant as zg')
        .innerJoin('department as d', 'd.id', 'zg.department_id')
        .innerJoin('region as g', 'g.code', 'd.region_code')
        .select(['zg.zone_code', 'd.id', 'd.name'])
        .where(visibleSql(r, { path: 'g.path', department: 'd.id' }))
        .orderBy('d.name')
        .execute(),
    ]);
    return {
      items: zones.map((z) => ({ code: z.code, name: z.name, description: z.description, openToAll: z.open_to_all, hosts: Number(z.hosts), grants: grants.filter((g) => g.zone_code === z.code).map((g) => ({ id: g.id, name: g.name })) })),
    };
  }

  async createZone(ctx: RequestContext, input: s.NewZone): Promise<s.ZoneView> {
    await this.db.transaction().execute(async (trx) => {
      const scope = manager(ctx, this.clock);
      const row = await trx
        .insertInto('cloud_zone')
        .values({ code: input.code, name: input.name.trim(), description: input.description ?? '', open_to_all: input.openToAll ?? false })
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('code')
        .executeTakeFirst();
      if (!row) throw conflict('cloud.duplicate_code', 'A zone with this code exists already.', 'code');
      await this.audit.record(trx, ctx, { action: 'cloud.zone.create', objectType: 'cloud_zone', objectId: input.code, detail: { code: input.code, name: input.name, permission: scope.permission } });
    });
    return (await this.zones(ctx)).items.find((z) => z.code === input.code)!;
  }

  /** Grant (or revoke) a department the use of a zone; idempotent. */
  async setZoneGrant(ctx: RequestContext, zoneCode: string, departmentId: string, granted: boolean): Promise<s.ZoneView> {
    await this.db.transaction().execute(async (trx) => {
      const scope = manager(ctx, this.clock);
      const zone = await trx.selectFrom('cloud_zone').select('code').where('code', '=', zoneCode).executeTakeFirst();
      if (!zone) throw cloudNotFound('code');
      const dept = await trx
        .selectFrom('department as d')
        .innerJoin('region as g', 'g.code', 'd.region_code')
        .select(['d.id', 'd.region_code', sql<boolean>`${scopeSql(scope, { path: 'g.path', department: 'd.id' })}`.as('in_scope')])
        .where('d.id', '=', departmentId)
        .executeTakeFirst();
      if (!dept) throw cloudNotFound('departmentId');
      if (!dept.in_scope) throw new DomainError('cloud.department_out_of_scope', 'forbidden', 'The department lies outside your scope (cloud.manage).', 'departmentId');
      const changed = granted
        ? await trx.insertInto('cloud_zone_grant').values({ zone_code: zoneCode, department_id: departmentId }).onConflict((oc) => oc.doNothing()).returning('zone_code').executeTakeFirst()
        : await trx.deleteFrom('cloud_zone_grant').where('zone_code', '=', zoneCode).where('department_id', '=', departmentId).returning('zone_code').executeTakeFirst();
      if (changed) await this.audit.record(trx, ctx, { action: granted ? 'cloud.zone.grant' : 'cloud.zone.revoke', objectType: 'cloud_zone', objectId: zoneCode, regionCode: dept.region_code, detail: { zone: zoneCode, departmentId, permission: scope.permission } });
    });
    return (await this.zones(ctx)).items.find((z) => z.code === zoneCode)!;
  }

  // ---- flavours and images

  async flavours(ctx: RequestContext): Promise<{ items: s.FlavourView[] }> {
    reader(ctx, this.clock);
    const rows = await this.db.selectFrom('cloud_flavour').selectAll().where('deleted_at', 'is', null).orderBy('vcpus').orderBy('memory_mb').orderBy('code').execute();
    return { items: rows.map(flavourOf) };
  }

  async createFlavour(ctx: RequestContext, input: s.NewFlavour): Promise<s.FlavourView> {
    return this.db.transaction().execute(async (trx) => {
      const scope = manager(ctx, this.clock);
      const row = await trx
        .insertInto('cloud_flavour')
        .values({ code: input.code, name: input.name.trim(), vcpus: input.vcpus, memory_mb: input.memoryMb, active: input.active ?? true })
        .onConflict((oc) => oc.column('code').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw conflict('cloud.duplicate_code', 'A flavour with this code exists already.', 'code');
      await this.audit.record(trx, ctx, { action: 'cloud.flavour.create', objectType: 'cloud_flavour', objectId: input.code, detail: { code: input.code, vcpus: input.vcpus, memoryMb: input.memoryMb, permission: scope.permission } });
      return flavourOf(row);
    });
  }

  /** Rename or (de)activate; the shape of a flavour never changes (VMs made from it keep their own copy). */
  async updateFlavour(ctx: RequestContext, code: string, input: s.UpdateFlavour): Promise<s.FlavourView> {
    return this.db.transaction().execute(async (trx) => {
      const scope = manager(ctx, this.clock);
      const row = await trx
        .updateTable('cloud_flavour')
        .set({ ...(input.name !== undefined ? { name: input.name.trim() } : {}), ...(input.active !== undefined ? { active: input.active } : {}) })
        .where('code', '=', code)
        .where('deleted_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw cloudNotFound('code');
      await this.audit.record(trx, ctx, { action: 'cloud.flavour.update', objectType: 'cloud_flavour', objectId: code, detail: { code, ...input, permission: scope.permission } });
      return flavourOf(row);
    });
  }

  deleteFlavour(ctx: RequestContext, code: string): Promise<void> {
    return this.deleteFromCatalogue(ctx, 'flavour', code);
  }

  deleteImage(ctx: RequestContext, code: string): Promise<void> {
    return this.deleteFromCatalogue(ctx, 'image', code);
  }

  /**
   * Deletes a flavour or image from the catalogue (D109): refused with cloud.in_use while a VM that is not
   * decommissioned or an open request names it. The row is locked first, so a request being submitted with it (which
   * takes a share lock on it) either commits before and is seen, or waits and finds it gone. The row stays, marked
   * deleted and inactive, for the history that names it.
   */
  private async deleteFromCatalogue(ctx: RequestContext, what: 'flavour' | 'image', code: string): Promise<void> {
    const table = what === 'flavour' ? 'cloud_flavour' : 'cloud_image';
    const column = what === 'flavour' ? 'flavour_code' : 'image_code';
    await this.db.transaction().execute(async (trx) => {
      const scope = manager(ctx, this.clock);
      const row = await trx.selectFrom(table).select(['code', 'name']).where('code', '=', code).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
      if (!row) throw cloudNotFound('code');
      const [vms, requests] = await Promise.all([
        trx.selectFrom('cloud_vm').select((eb) => eb.fn.countAll<string>().as('n')).where(column, '=', code).where('state', '<>', 'decommissioned').executeTakeFirstOrThrow(),
        trx.selectFrom('cloud_vm_request').select((eb) => eb.fn.countAll<string>().as('n')).where(column, '=', code).where('state', 'in', OPEN_REQUEST_STATES).executeTakeFirstOrThrow(),
      ]);
      if (Number(vms.n) > 0 || Number(requests.n) > 0) {
        throw new DomainError('cloud.in_use', 'conflict', `The ${what} is in use by ${vms.n} VM(s) and ${requests.n} open request(s).`, 'code', { vms: Number(vms.n), requests: Number(requests.n) });
      }
      await trx.updateTable(table).set({ active: false, deleted_at: this.clock.now() }).where('code', '=', code).execute();
      await this.audit.record(trx, ctx, { action: what === 'flavour' ? 'cloud.flavour.delete' : 'cloud.image.delete', objectType: table, objectId: code, detail: { code, name: row.name, permission: scope.permission } });
    });
  }

  async images(ctx: RequestContext): Promise<{ items: s.ImageView[] }> {
    reader(ctx, this.clock);
    const rows = await this.db.selectFrom('cloud_image').selectAll().where('deleted_at', 'is', null).orderBy('code').execute();
    return { items: rows.map(imageOf) };
  }

  async createImage(ctx: RequestContext, input: s.NewImage): Promise<s.ImageView> {
    return this.db.transaction().execute(async (trx) => {
      const scope = manager(ctx, this.clock);
      const row = await trx
        .insertInto('cloud_image')
        .values({ code: input.code, name: input.name.trim(), os: input.os, min_disk_gb: input.minDiskGb ?? 1, active: input.active ?? true })
        .onConflict((oc) => oc.column('code').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw conflict('cloud.duplicate_code', 'An image with this code exists already.', 'code');
      await this.audit.record(trx, ctx, { action: 'cloud.image.create', objectType: 'cloud_image', objectId: input.code, detail: { code: input.code, os: input.os, permission: scope.permission } });
      return imageOf(row);
    });
  }

  async updateImage(ctx: RequestContext, code: string, input: s.UpdateImage): Promise<s.ImageView> {
    return this.db.transaction().execute(async (trx) => {
      const scope = manager(ctx, this.clock);
      const row = await trx
        .updateTable('cloud_image')
        .set({ ...(input.name !== undefined ? { name: input.name.trim() } : {}), ...(input.minDiskGb !== undefined ? { min_disk_gb: input.minDiskGb } : {}), ...(input.active !== undefined ? { active: input.active } : {}) })
        .where('code', '=', code)
        .where('deleted_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw cloudNotFound('code');
      await this.audit.record(trx, ctx, { action: 'cloud.image.update', objectType: 'cloud_image', objectId: code, detail: { code, ...input, permission: scope.permission } });
      return imageOf(row);
    });
  }
}

const ROOM_COLS = [
  'r.id',
  'r.code',
  'r.name',
  'r.kind',
  'r.department_id',
  'd.name as department_name',
  'r.region_code',
  'g.name as region_name',
  'r.address',
  'r.area_m2',
  'r.status',
  'r.retired_on',
  sql<number>`(SELECT count(*)::int FROM cloud_legacy_server s WHERE s.room_id = r.id)`.as('servers'),
  sql<number>`(SELECT count(*)::int FROM cloud_host h WHERE h.room_id = r.id)`.as('hosts'),
  sql<string>`(coalesce((SELECT sum(s.power_watts) FROM cloud_legacy_server s WHERE s.room_id = r.id), 0) + coalesce((SELECT sum(h.power_watts) FROM cloud_host h WHERE h.room_id = r.id), 0))::text`.as('power_watts'),
] as const;

function roomOf(r: {
  id: string;
  code: string;
  name: string;
  kind: s.RoomView['kind'];
  department_id: string | null;
  department_name: string | null;
  region_code: string;
  region_name: string;
  address: string;
  area_m2: string | null;
  status: 'active' | 'retired';
  retired_on: string | Date | null;
  servers: number;
  hosts: number;
  power_watts: string;
}): s.RoomView {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    department: r.department_id ? { id: r.department_id, name: r.department_name ?? '' } : null,
    regionCode: r.region_code,
    regionName: r.region_name,
    address: r.address,
    areaM2: r.area_m2 === null ? null : Number(r.area_m2),
    status: r.status,
    retiredOn: dateOf(r.retired_on),
    servers: Number(r.servers),
    hosts: Number(r.hosts),
    powerKw: Number(r.power_watts) / 1000,
  };
}

export function dateOf(d: string | Date | null): string | null {
  if (d === null) return null;
  return typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);
}

const HOST_COLS = [
  'h.id',
  'h.code',
  'h.name',
  'r.id as room_id',
  'r.name as room_name',
  'h.rack',
  'h.model',
  'h.cpu_cores',
  'h.cpu_ratio',
  'h.memory_mb',
  'h.memory_ratio',
  'h.local_disk_gb',
  'h.zones',
  'h.state',
  'h.power_watts',
  'h.hypervisor_uri',
  'h.vcpus_allocated',
  'h.memory_mb_allocated',
  'h.reconciled_at',
  sql<number>`floor(h.cpu_cores * h.cpu_ratio)::int`.as('vcpus_capacity'),
  sql<string>`floor(h.memory_mb * h.memory_ratio)::bigint::text`.as('memory_capacity'),
  sql<number>`(SELECT count(*)::int FROM cloud_vm v WHERE v.host_id = h.id AND v.state <> 'decommissioned')`.as('vms'),
] as const;

function hostOf(h: {
  id: string;
  code: string;
  name: string;
  room_id: string;
  room_name: string;
  rack: string;
  model: string;
  cpu_cores: number;
  cpu_ratio: string;
  memory_mb: string;
  memory_ratio: string;
  local_disk_gb: string;
  zones: string[];
  state: HostState;
  power_watts: number;
  hypervisor_uri: string | null;
  vcpus_allocated: number;
  memory_mb_allocated: string;
  reconciled_at: Date | null;
  vcpus_capacity: number;
  memory_capacity: string;
  vms: number;
}): s.HostView {
  const vcpus = Number(h.vcpus_capacity);
  const memory = Number(h.memory_capacity);
  return {
    id: h.id,
    code: h.code,
    name: h.name,
    room: { id: h.room_id, name: h.room_name },
    rack: h.rack,
    model: h.model,
    cpuCores: h.cpu_cores,
    cpuRatio: Number(h.cpu_ratio),
    memoryMb: Number(h.memory_mb),
    memoryRatio: Number(h.memory_ratio),
    localDiskGb: Number(h.local_disk_gb),
    zones: h.zones,
    state: h.state,
    powerWatts: h.power_watts,
    hypervisorUri: h.hypervisor_uri,
    vcpusCapacity: vcpus,
    memoryMbCapacity: memory,
    vcpusAllocated: h.vcpus_allocated,
    memoryMbAllocated: Number(h.memory_mb_allocated),
    cpuAllocatedPct: pct(h.vcpus_allocated, vcpus),
    memoryAllocatedPct: pct(Number(h.memory_mb_allocated), memory),
    vms: Number(h.vms),
    reconciledAt: h.reconciled_at ? new Date(h.reconciled_at).toISOString() : null,
  };
}

const flavourOf = (f: { code: string; name: string; vcpus: number; memory_mb: number; active: boolean }): s.FlavourView => ({ code: f.code, name: f.name, vcpus: f.vcpus, memoryMb: f.memory_mb, active: f.active });
const imageOf = (i: { code: string; name: string; os: string; min_disk_gb: number; active: boolean }): s.ImageView => ({ code: i.code, name: i.name, os: i.os, minDiskGb: i.min_disk_gb, active: i.active });
export { pct };
