// Kysely types of the cloud module's tables (issue 10), added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../db/schema.ts';
import type { HostState, PoolKind, RequestKind, RequestState, RoomKind, VmState } from './kinds.ts';

type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;
/** numeric: read as a string (exact), written as a number or string. */
type Numeric = ColumnType<string, number | string | undefined, number | string>;
type NullableNumeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;
/** bigint: read as a string by the drivers, written as a number. */
type Big = ColumnType<string, number | string | bigint | undefined, number | string | bigint>;
type Status = ColumnType<'active' | 'retired', 'active' | 'retired' | undefined, 'active' | 'retired'>;
type Json = ColumnType<Record<string, unknown>, string | undefined, string>;

export interface CloudRoomTable {
  id: Generated<string>;
  code: string;
  name: string;
  kind: RoomKind;
  /** The owning department of a pre-consolidation room; null for the shared data centre. */
  department_id: string | null;
  region_code: string;
  region_path: string;
  address: Generated<string>;
  area_m2: NullableNumeric;
  status: Status;
  retired_on: NullableDate;
  created_at: Timestamp;
}

/** A server of a pre-consolidation room, with what it used and cost; vm_id: the VM its workload moved to. */
export interface CloudLegacyServerTable {
  id: Generated<string>;
  room_id: string;
  name: string;
  model: Generated<string>;
  cpu_cores: number;
  memory_gb: number;
  disk_gb: Generated<number>;
  avg_cpu_utilisation: Numeric;
  power_watts: number;
  annual_cost_yuan: Numeric;
  retired_on: NullableDate;
  vm_id: string | null;
}

/** A network zone (政务内网 / 政务外网 / 互联网区 …); open_to_all, or granted per department. */
export interface CloudZoneTable {
  code: string;
  name: string;
  description: Generated<string>;
  open_to_all: Generated<boolean>;
}

export interface CloudZoneGrantTable {
  zone_code: string;
  department_id: string;
}

export interface CloudStoragePoolTable {
  id: Generated<string>;
  code: string;
  name: string;
  room_id: string;
  kind: PoolKind;
  capacity_gb: Big;
  /** Sum of the disks of VMs holding capacity on it, kept by the same conditional UPDATE as quotas. */
  allocated_gb: Big;
  used_gb: Big;
}

export interface CloudHostTable {
  id: Generated<string>;
  code: string;
  name: string;
  room_id: string;
  rack: Generated<string>;
  model: Generated<string>;
  cpu_cores: number;
  /** Over-commit ratios: capacity is floor(cores × cpu_ratio) vCPUs and floor(memory × memory_ratio) MB. */
  cpu_ratio: Numeric;
  memory_mb: Big;
  memory_ratio: Numeric;
  local_disk_gb: Big;
  zones: ColumnType<string[], string[] | undefined, string[]>;
  state: ColumnType<HostState, HostState | undefined, HostState>;
  power_watts: Generated<number>;
  /** libvirt connection URI (test:///default, qemu:///session, qemu+ssh://host/system); null: no hypervisor connected. */
  hypervisor_uri: string | null;
  /** Capacity held by VMs placed here, consumed and released by conditional UPDATEs (never over the capacity). */
  vcpus_allocated: Generated<number>;
  memory_mb_allocated: Big;
  reconciled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Timestamp;
}

export interface CloudFlavourTable {
  code: string;
  name: string;
  vcpus: number;
  memory_mb: number;
  active: Generated<boolean>;
  /** Deleted from the catalogue (D109): the row stays for the history that names it. */
  deleted_at: Timestamp | null;
}

export interface CloudImageTable {
  code: string;
  name: string;
  os: string;
  min_disk_gb: Generated<number>;
  active: Generated<boolean>;
  /** Deleted from the catalogue (D109): the row stays for the history that names it. */
  deleted_at: Timestamp | null;
}

/** A department's business system (业务系统), which its VMs run. protection_level: 等保 level 1–4. */
export interface CloudBusinessSystemTable {
  id: Generated<string>;
  department_id: string;
  region_code: string;
  region_path: string;
  code: string;
  name: string;
  description: Generated<string>;
  protection_level: Generated<number>;
  status: Status;
  created_at: Timestamp;
}

export interface CloudVmTable {
  id: Generated<string>;
  /** The libvirt domain name (unique, ASCII): `gc-` + the first 12 hex digits of the id unless given. */
  domain_name: string;
  name: string;
  department_id: string;
  region_code: string;
  region_path: string;
  business_system_id: string | null;
  flavour_code: string | null;
  image_code: string | null;
  vcpus: number;
  memory_mb: number;
  disk_gb: number;
  zone_code: string;
  /** VMs sharing an HA group are never placed on the same host (anti-affinity). */
  ha_group: string | null;
  host_id: string | null;
  storage_pool_id: string | null;
  state: ColumnType<VmState, VmState | undefined, VmState>;
  state_detail: Generated<string>;
  version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  decommissioned_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** A VM's lifecycle ledger: every step requested, started, succeeded, failed, rolled back or observed (reconciliation). */
export interface CloudVmEventTable {
  vm_id: string;
  seq: number;
  action: string;
  outcome: 'requested' | 'started' | 'succeeded' | 'failed' | 'rolled_back' | 'observed';
  state: VmState;
  actor_id: string | null;
  detail: Json;
  at: Timestamp;
}

export interface CloudQuotaTable {
  department_id: string;
  vcpus_limit: number;
  memory_mb_limit: Big;
  disk_gb_limit: Big;
  vms_limit: number;
  vcpus_used: Generated<number>;
  memory_mb_used: Big;
  disk_gb_used: Big;
  vms_used: Generated<number>;
  updated_at: Timestamp;
}

export interface CloudVmRequestTable {
  id: Generated<string>;
  request_no: string;
  kind: RequestKind;
  department_id: string;
  region_code: string;
  region_path: string;
  requested_by: string;
  vm_id: string | null;
  name: Generated<string>;
  business_system_id: string | null;
  flavour_code: string | null;
  image_code: string | null;
  vcpus: number;
  memory_mb: number;
  disk_gb: number;
  zone_code: string | null;
  ha_group: string | null;
  reason: string;
  state: RequestState;
  auto_approved: Generated<boolean>;
  quota_reserved: Generated<boolean>;
  department_decided_by: string | null;
  department_decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  platform_decided_by: string | null;
  platform_decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  decision_note: Generated<string>;
  failure: Generated<string>;
  request_key: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

declare module '../../db/schema.ts' {
  interface Database {
    cloud_room: CloudRoomTable;
    cloud_legacy_server: CloudLegacyServerTable;
    cloud_zone: CloudZoneTable;
    cloud_zone_grant: CloudZoneGrantTable;
    cloud_storage_pool: CloudStoragePoolTable;
    cloud_host: CloudHostTable;
    cloud_flavour: CloudFlavourTable;
    cloud_image: CloudImageTable;
    cloud_business_system: CloudBusinessSystemTable;
    cloud_vm: CloudVmTable;
    cloud_vm_event: CloudVmEventTable;
    cloud_quota: CloudQuotaTable;
    cloud_vm_request: CloudVmRequestTable;
  }
}

/** An assumption of the consolidation report (PUE, electricity price, upkeep), migration 20261129T0901. */
export interface CloudTariffTable {
  code: string;
  value: Numeric;
  unit: Generated<string>;
  description: Generated<string>;
  updated_at: Timestamp;
}

declare module '../../db/schema.ts' {
  interface Database {
    cloud_tariff: CloudTariffTable;
  }
}
