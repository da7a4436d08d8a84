// Kysely types of the metering module's tables (issue 10 §5), added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../db/schema.ts';

type Numeric = ColumnType<string, number | string | undefined, number | string>;
type NullableNumeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;

export interface MeteringUsageHourTable {
  vm_id: string;
  hour: Timestamp;
  department_id: string;
  region_path: string;
  business_system_id: string | null;
  state: string;
  vcpus: number;
  memory_mb: number;
  disk_gb: number;
  /** Fraction of the allocated vCPUs busy over the hour; null: unknown (no hypervisor sample). */
  cpu_used: NullableNumeric;
  memory_used_mb: number | null;
  /** The disk volume's allocation on the host, MiB (numeric: a sparse volume holds far less than a GB). */
  disk_used_mb: NullableNumeric;
}

export interface MeteringUsageMonthTable {
  month: ColumnType<string, string, string>;
  vm_id: string;
  department_id: string;
  region_path: string;
  business_system_id: string | null;
  hours: Generated<number>;
  running_hours: Generated<number>;
  vcpu_h_running: Numeric;
  vcpu_h_idle: Numeric;
  mem_gbh_running: Numeric;
  mem_gbh_idle: Numeric;
  disk_gbh: Numeric;
  cpu_known_vcpu_h: Numeric;
  cpu_used_vcpu_h: Numeric;
  mem_known_gbh: Numeric;
  mem_used_gbh: Numeric;
  disk_known_gbh: Numeric;
  disk_used_gbh: Numeric;
}

export interface MeteringRunTable {
  hour: Timestamp;
  vms: number;
  source: ColumnType<'schedule' | 'demo', 'schedule' | 'demo' | undefined, 'schedule' | 'demo'>;
  at: Timestamp;
}

export interface MeteringCpuSampleTable {
  vm_id: string;
  cpu_time_ns: ColumnType<string, number | string | bigint, number | string | bigint>;
  sampled_at: Timestamp;
}

export interface MeteringTariffTable {
  id: Generated<string>;
  effective_month: ColumnType<string, string, string>;
  vcpu_hour: Numeric;
  memory_gb_hour: Numeric;
  storage_gb_hour: Numeric;
  stopped_discount: Numeric;
  note: Generated<string>;
  created_by: string | null;
  created_at: Timestamp;
}

declare module '../../db/schema.ts' {
  interface Database {
    metering_usage_hour: MeteringUsageHourTable;
    metering_usage_month: MeteringUsageMonthTable;
    metering_run: MeteringRunTable;
    metering_cpu_sample: MeteringCpuSampleTable;
    metering_tariff: MeteringTariffTable;
  }
}
