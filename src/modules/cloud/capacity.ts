// Atomic capacity and quota accounting (issue 10 §2–3): every claim is one conditional UPDATE that succeeds only if the
// result stays within the limit (and CHECK constraints hold the same bound), so concurrent requests never over-admit.
// Callers run these inside the transaction that also writes the VM / request row, so a rollback returns the capacity.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { HostSnapshot } from './placement/types.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Amounts {
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  vms: number;
}

export type QuotaDimension = 'vcpus' | 'memory_mb' | 'disk_gb' | 'vms';

/**
 * Consume a department's quota. Returns null when granted, else the first dimension that would exceed its limit
 * ('vms' also when the department has no quota row at all: no quota means no VMs).
 */
export async function reserveQuota(db: Db, departmentId: string, a: Amounts): Promise<QuotaDimension | null> {
  const claimed = await db
    .updateTable('cloud_quota')
    .set({
      vcpus_used: sql`vcpus_used + ${a.vcpus}`,
      memory_mb_used: sql`memory_mb_used + ${a.memoryMb}`,
      disk_gb_used: sql`disk_gb_used + ${a.diskGb}`,
      vms_used: sql`vms_used + ${a.vms}`,
      updated_at: sql`now()`,
    })
    .where('department_id', '=', departmentId)
    .where(sql<boolean>`vcpus_used + ${a.vcpus} <= vcpus_limit`)
    .where(sql<boolean>`memory_mb_used + ${a.memoryMb} <= memory_mb_limit`)
    .where(sql<boolean>`disk_gb_used + ${a.diskGb} <= disk_gb_limit`)
    .where(sql<boolean>`vms_used + ${a.vms} <= vms_limit`)
    .returning('department_id')
    .executeTakeFirst();
  if (claimed) return null;
  const row = await db.selectFrom('cloud_quota').selectAll().where('department_id', '=', departmentId).executeTakeFirst();
  if (!row) return 'vms';
  if (row.vcpus_used + a.vcpus > row.vcpus_limit) return 'vcpus';
  if (Number(row.memory_mb_used) + a.memoryMb > Number(row.memory_mb_limit)) return 'memory_mb';
  if (Number(row.disk_gb_used) + a.diskGb > Number(row.disk_gb_limit)) return 'disk_gb';
  return 'vms';
}

/** Give quota back (decommission, failed provisioning, refused request); never below zero. */
export async function releaseQuota(db: Db, departmentId: string, a: Amounts): Promise<void> {
  await db
    .updateTable('cloud_quota')
    .set({
      vcpus_used: sql`greatest(0, vcpus_used - ${a.vcpus})`,
      memory_mb_used: sql`greatest(0, memory_mb_used - ${a.memoryMb})`,
      disk_gb_used: sql`greatest(0, disk_gb_used - ${a.diskGb})`,
      vms_used: sql`greatest(0, vms_used - ${a.vms})`,
      updated_at: sql`now()`,
    })
    .where('department_id', '=', departmentId)
    .execute();
}

/** Claim room on a host for a VM; false if another placement took it meanwhile (ask placement again without it). */
export async function claimHostCapacity(db: Db, hostId: string, vcpus: number, memoryMb: number): Promise<boolean> {
  const row = await db
    .updateTable('cloud_host')
    .set({ vcpus_allocated: sql`vcpus_allocated + ${vcpus}`, memory_mb_allocated: sql`memory_mb_allocated + ${memoryMb}` })
    .where('id', '=', hostId)
    .where('state', '=', 'up')
    .where(sql<boolean>`vcpus_allocated + ${vcpus} <= floor(cpu_cores * cpu_ratio)`)
    .where(sql<boolean>`memory_mb_allocated + ${memoryMb} <= floor(memory_mb * memory_ratio)`)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function releaseHostCapacity(db: Db, hostId: string, vcpus: number, memoryMb: number): Promise<void> {
  await db
    .updateTable('cloud_host')
    .set({
      vcpus_allocated: sql`greatest(0, vcpus_allocated - ${vcpus})`,
      memory_mb_allocated: sql`greatest(0, memory_mb_allocated - ${memoryMb})`,
    })
    .where('id', '=', hostId)
    .execute();
}

/** Claim disk on a storage pool; false if it would exceed its capacity. */
export async function claimPoolCapacity(db: Db, poolId: string, diskGb: number): Promise<boolean> {
  const row = await db
    .updateTable('cloud_storage_pool')
    .set({ allocated_gb: sql`allocated_gb + ${diskGb}` })
    .where('id', '=', poolId)
    .where(sql<boolean>`allocated_gb + ${diskGb} <= capacity_gb`)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function releasePoolCapacity(db: Db, poolId: string, diskGb: number): Promise<void> {
  await db.updateTable('cloud_storage_pool').set({ allocated_gb: sql`greatest(0, allocated_gb - ${diskGb})` }).where('id', '=', poolId).execute();
}

/** Every host with its capacity, allocation and the HA groups of its VMs, for placement and the failure simulation. */
export async function hostSnapshots(db: Db): Promise<HostSnapshot[]> {
  const rows = await db
    .selectFrom('cloud_host as h')
    .select([
      'h.id',
      'h.code',
      'h.state',
      'h.zones',
      sql<number>`floor(h.cpu_cores * h.cpu_ratio)::int`.as('vcpus'),
      sql<number>`floor(h.memory_mb * h.memory_ratio)::bigint`.as('memory_mb'),
      'h.vcpus_allocated',
      'h.memory_mb_allocated',
      sql<string[]>`coalesce((SELECT array_agg(DISTINCT v.ha_group) FROM cloud_vm v WHERE v.host_id = h.id AND v.ha_group IS NOT NULL AND v.state <> 'decommissioned'), ARRAY[]::text[])`.as('ha_groups'),
    ])
    .orderBy('h.code')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    state: r.state,
    zones: r.zones,
    vcpus: Number(r.vcpus),
    memoryMb: Number(r.memory_mb),
    vcpusAllocated: r.vcpus_allocated,
    memoryMbAllocated: Number(r.memory_mb_allocated),
    haGroups: r.ha_groups,
  }));
}

/**
 * Append to a VM's lifecycle ledger. The caller holds the VM row locked (SELECT … FOR UPDATE) in `trx`, so seq is
 * race-free.
 */
export async function appendVmEvent(
  trx: Db,
  e: { vmId: string; action: string; outcome: 'requested' | 'started' | 'succeeded' | 'failed' | 'rolled_back' | 'observed'; state: string; actorId?: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  await sql`
    INSERT INTO cloud_vm_event (vm_id, seq, action, outcome, state, actor_id, detail)
    SELECT ${e.vmId}, coalesce(max(seq), 0) + 1, ${e.action}, ${e.outcome}, ${e.state}, ${e.actorId ?? null}, ${JSON.stringify(e.detail ?? {})}::jsonb
    FROM cloud_vm_event WHERE vm_id = ${e.vmId}
  `.execute(trx);
}
