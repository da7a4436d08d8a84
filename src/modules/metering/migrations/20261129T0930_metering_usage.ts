// Metering (issue 10 §5): hourly usage per VM (allocated and, when the hypervisor reports it, used), a monthly roll-up
// per VM kept in step with it (the reports group it by department and business system), the hours already metered,
// the last CPU-time sample per VM (the "used" CPU fraction is a difference of cumulative CPU time), and the tariffs
// (append-only: a month is charged by the newest row effective on or before it, so a change never rewrites the past).
// The hourly table is the big one (N VMs × 8,760 rows a year): no foreign keys (rows are written by one INSERT … SELECT
// FROM cloud_vm, and VMs are decommissioned, never deleted) and no index beyond its key, so writing an hour stays cheap.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE metering_usage_hour (
      vm_id               uuid NOT NULL,
      hour                timestamptz NOT NULL,
      department_id       uuid NOT NULL,
      region_path         text NOT NULL,
      business_system_id  uuid,
      state               varchar(16) NOT NULL,
      vcpus               integer NOT NULL CHECK (vcpus >= 0),
      memory_mb           integer NOT NULL CHECK (memory_mb >= 0),
      disk_gb             integer NOT NULL CHECK (disk_gb >= 0),
      cpu_used            numeric(6, 4) CHECK (cpu_used IS NULL OR cpu_used BETWEEN 0 AND 1),
      memory_used_mb      integer CHECK (memory_used_mb IS NULL OR memory_used_mb >= 0),
      disk_used_gb        integer CHECK (disk_used_gb IS NULL OR disk_used_gb >= 0),
      PRIMARY KEY (vm_id, hour)
    )
  `,
  `
    CREATE TABLE metering_usage_month (
      month               date NOT NULL,
      vm_id               uuid NOT NULL REFERENCES cloud_vm(id) ON DELETE CASCADE,
      department_id       uuid NOT NULL REFERENCES department(id),
      region_path         text NOT NULL,
      business_system_id  uuid,
      hours               integer NOT NULL DEFAULT 0,
      running_hours       integer NOT NULL DEFAULT 0,
      vcpu_h_running      numeric NOT NULL DEFAULT 0,
      vcpu_h_idle         numeric NOT NULL DEFAULT 0,
      mem_gbh_running     numeric NOT NULL DEFAULT 0,
      mem_gbh_idle        numeric NOT NULL DEFAULT 0,
      disk_gbh            numeric NOT NULL DEFAULT 0,
      cpu_known_vcpu_h    numeric NOT NULL DEFAULT 0,
      cpu_used_vcpu_h     numeric NOT NULL DEFAULT 0,
      mem_known_gbh       numeric NOT NULL DEFAULT 0,
      mem_used_gbh        numeric NOT NULL DEFAULT 0,
      disk_known_gbh      numeric NOT NULL DEFAULT 0,
      disk_used_gbh       numeric NOT NULL DEFAULT 0,
      PRIMARY KEY (month, vm_id)
    )
  `,
  `CREATE INDEX metering_usage_month_path ON metering_usage_month (month, region_path text_pattern_ops)`,
  `CREATE INDEX metering_usage_month_department ON metering_usage_month (department_id)`,
  `
    CREATE TABLE metering_run (
      hour        timestamptz PRIMARY KEY,
      vms         integer NOT NULL,
      source      varchar(16) NOT NULL DEFAULT 'schedule' CHECK (source IN ('schedule', 'demo')),
      at          timestamptz NOT NULL DEFAULT now()
    )
  `,
  `
    CREATE TABLE metering_cpu_sample (
      vm_id        uuid PRIMARY KEY REFERENCES cloud_vm(id) ON DELETE CASCADE,
      cpu_time_ns  bigint NOT NULL CHECK (cpu_time_ns >= 0),
      sampled_at   timestamptz NOT NULL
    )
  `,
  `
    CREATE TABLE metering_tariff (
      id                bigserial PRIMARY KEY,
      effective_month   date NOT NULL CHECK (extract(day FROM effective_month) = 1),
      vcpu_hour         numeric(12, 6) NOT NULL CHECK (vcpu_hour >= 0),
      memory_gb_hour    numeric(12, 6) NOT NULL CHECK (memory_gb_hour >= 0),
      storage_gb_hour   numeric(12, 6) NOT NULL CHECK (storage_gb_hour >= 0),
      stopped_discount  numeric(5, 4) NOT NULL CHECK (stopped_discount BETWEEN 0 AND 1),
      note              text NOT NULL DEFAULT '',
      created_by        uuid REFERENCES app_user(id),
      created_at        timestamptz NOT NULL DEFAULT now()
    )
  `,
  `CREATE INDEX metering_tariff_effective ON metering_tariff (effective_month, id)`,
  // the platform's opening tariff, effective from the beginning: yuan per vCPU-hour, per GB-hour of memory and of
  // storage; a VM not running pays half its compute price (storage in full)
  `INSERT INTO metering_tariff (effective_month, vcpu_hour, memory_gb_hour, storage_gb_hour, stopped_discount, note)
   VALUES ('2000-01-01', 0.05, 0.02, 0.0003, 0.5, '初始资费')`,
];

const DOWN = ['metering_tariff', 'metering_cpu_sample', 'metering_run', 'metering_usage_month', 'metering_usage_hour'];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of DOWN) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
}
