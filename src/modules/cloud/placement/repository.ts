// Placement's SQL (issue 10 §3): the policy row, and a snapshot of the hosts with the VMs holding capacity on them —
// the whole pool for decisions and simulations, with a per-row visibility flag from the caller's scope for the view.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { inRoleScope, inScope, inTenant } from '../../../db/jurisdiction.ts';
import type { Scope } from '../../../shared/access.ts';
import { VM_HOLDING_STATES } from '../kinds.ts';
import type { HostSnapshot, PlacementPolicy, ReserveShortfall } from './types.ts';
import './tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface PolicyRow extends PlacementPolicy {
  reserveShortfall: ReserveShortfall;
  version: number;
  updatedBy: string | null;
  updatedAt: string;
}

export async function readPolicy(db: Db, forUpdate = false): Promise<PolicyRow> {
  const row = await db
    .selectFrom('cloud_placement_policy')
    .select(['weigher', 'reserve_hosts', 'reserve_shortfall', 'version', 'updated_by', 'updated_at'])
    .where('id', '=', true)
    .$if(forUpdate, (q) => q.forUpdate())
    .executeTakeFirst();
  // the migration inserts the row; a missing one means the defaults
  if (!row) return { weigher: 'spread', reserveHosts: 1, reserveShortfall: 'place', version: 0, updatedBy: null, updatedAt: new Date(0).toISOString() };
  return { weigher: row.weigher, reserveHosts: row.reserve_hosts, reserveShortfall: row.reserve_shortfall, version: row.version, updatedBy: row.updated_by, updatedAt: new Date(row.updated_at).toISOString() };
}

export interface SnapshotVm {
  id: string;
  name: string;
  hostId: string;
  vcpus: number;
  memoryMb: number;
  zone: string;
  haGroup: string | null;
  state: string;
  departmentName: string | null;
  /** Inside the caller's scope (always true without a scope). */
  visible: boolean;
}

export interface SnapshotHost extends HostSnapshot {
  name: string;
  roomName: string;
  visible: boolean;
}

/** Every host with its VMs holding capacity; with a scope, which hosts and VMs the caller may see. */
export async function readSnapshot(db: Db, scope?: Scope): Promise<{ hosts: SnapshotHost[]; vms: SnapshotVm[] }> {
  const [hostRows, vmRows] = await Promise.all([
    db
      .selectFrom('cloud_host as h')
      .innerJoin('cloud_room as r', 'r.id', 'h.room_id')
      .select((eb) => [
        'h.id',
        'h.code',
        'h.name',
        'r.name as room_name',
        'h.state',
        'h.zones',
        sql<number>`floor(h.cpu_cores * h.cpu_ratio)::int`.as('vcpus'),
        sql<string>`floor(h.memory_mb * h.memory_ratio)::bigint`.as('memory_mb'),
        'h.vcpus_allocated',
        'h.memory_mb_allocated',
        // a host is visible where its room's region lies in the caller's region subtrees, or where it holds a VM of the
        // caller's department tree (tenant readers see the hosts their VMs run on)
        scope ? sql<boolean>`(${hostVisible(eb, scope)})`.as('visible') : sql<boolean>`true`.as('visible'),
      ])
      .orderBy('h.code')
      .execute(),
    db
      .selectFrom('cloud_vm as v')
      .leftJoin('department as d', 'd.id', 'v.department_id')
      .select((eb) => [
        'v.id',
        'v.name',
        'v.host_id',
        'v.vcpus',
        'v.memory_mb',
        'v.zone_code',
        'v.ha_group',
        'v.state',
        'd.name as department_name',
        scope ? sql<boolean>`(${inRoleScope(eb, { region: eb.ref('v.region_code'), department: eb.ref('v.department_id') }, scope)})`.as('visible') : sql<boolean>`true`.as('visible'),
      ])
      .where('v.host_id', 'is not', null)
      .where('v.state', 'in', VM_HOLDING_STATES)
      .orderBy('v.id')
      .execute(),
  ]);
  const vms: SnapshotVm[] = vmRows.map((v) => ({
    id: v.id,
    name: v.name,
    hostId: v.host_id!,
    vcpus: v.vcpus,
    memoryMb: v.memory_mb,
    zone: v.zone_code,
    haGroup: v.ha_group,
    state: v.state,
    departmentName: v.department_name,
    visible: Boolean(v.visible),
  }));
  const byHost = new Map<string, SnapshotVm[]>();
  for (const v of vms) {
    const list = byHost.get(v.hostId);
    if (list) list.push(v);
    else byHost.set(v.hostId, [v]);
  }
  const hosts = hostRows.map((h) => {
    const own = byHost.get(h.id) ?? [];
    return {
      id: h.id,
      code: h.code,
      name: h.name,
      roomName: h.room_name,
      state: h.state,
      zones: h.zones,
      vcpus: Number(h.vcpus),
      memoryMb: Number(h.memory_mb),
      vcpusAllocated: h.vcpus_allocated,
      memoryMbAllocated: Number(h.memory_mb_allocated),
      haGroups: [...new Set(own.flatMap((v) => (v.haGroup ? [v.haGroup] : [])))],
      vms: own.map((v) => ({ id: v.id, name: v.name, vcpus: v.vcpus, memoryMb: v.memoryMb, zone: v.zone, haGroup: v.haGroup })),
      visible: Boolean(h.visible),
    };
  });
  return { hosts, vms };
}

function hostVisible(eb: ExpressionBuilder<Database & { h: Database['cloud_host']; r: Database['cloud_room'] }, 'h' | 'r'>, scope: Scope): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (scope.paths.length > 0) parts.push(inScope(eb, eb.ref('r.region_code'), scope));
  if (scope.departments.length > 0) {
    parts.push(sql<SqlBool>`EXISTS (SELECT 1 FROM cloud_vm tv WHERE tv.host_id = h.id AND tv.state <> 'decommissioned' AND ${inTenant(sql.ref('tv.department_id'), scope)})`);
  }
  return parts.length === 0 ? sql<SqlBool>`false` : eb.or(parts);
}

/** Rooms holding hosts that lie outside the scope's region subtrees (the policy governs the whole pool). */
export async function roomsOutside(db: Db, scope: Scope): Promise<number> {
  const row = await db
    .selectFrom('cloud_room as r')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where((eb) => eb.exists(eb.selectFrom('cloud_host as h').select('h.id').whereRef('h.room_id', '=', 'r.id')))
    .$if(scope.paths.length > 0, (q) => q.where((eb) => eb.not(inScope(eb, eb.ref('r.region_code'), scope))))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
