// Cloud resource pool (issue 10): machine rooms (the consolidated data centre and the pre-consolidation rooms with their
// servers), network zones and which departments may use them, storage pools, hosts with their allocated capacity,
// flavours and images, business systems, VMs with their lifecycle ledger, department quotas, self-service requests.
// Capacity and quota counters are consumed by one conditional UPDATE each (`… SET used = used + n WHERE used + n <=
// limit`), and CHECK constraints hold the same bound, so concurrent requests can never over-admit.
// Department-owned rows carry the department's region path: jurisdiction is a prefix range scan, region (or
// department) the distribution column.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE cloud_room (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code            varchar(40) NOT NULL UNIQUE,
      name            varchar(200) NOT NULL,
      kind            varchar(24) NOT NULL CHECK (kind IN ('datacenter', 'legacy_department', 'legacy_community')),
      department_id   uuid REFERENCES department(id),
      region_code     varchar(12) NOT NULL REFERENCES region(code),
      region_path     text NOT NULL,
      address         text NOT NULL DEFAULT '',
      area_m2         numeric(10, 1) CHECK (area_m2 IS NULL OR area_m2 >= 0),
      status          varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
      retired_on      date,
      created_at      timestamptz NOT NULL DEFAULT now()
    )
  `,
  `CREATE INDEX cloud_room_path ON cloud_room (region_path text_pattern_ops)`,
  `CREATE INDEX cloud_room_department ON cloud_room (department_id)`,
  `
    CREATE TABLE cloud_legacy_server (
      id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      room_id             uuid NOT NULL REFERENCES cloud_room(id) ON DELETE CASCADE,
      name                varchar(200) NOT NULL,
      model               varchar(200) NOT NULL DEFAULT '',
      cpu_cores           integer NOT NULL CHECK (cpu_cores BETWEEN 1 AND 1024),
      memory_gb           integer NOT NULL CHECK (memory_gb BETWEEN 1 AND 65536),
      disk_gb             integer NOT NULL DEFAULT 0 CHECK (disk_gb >= 0),
      avg_cpu_utilisation numeric(5, 2) NOT NULL CHECK (avg_cpu_utilisation BETWEEN 0 AND 100),
      power_watts         integer NOT NULL CHECK (power_watts BETWEEN 1 AND 100000),
      annual_cost_yuan    numeric(12, 2) NOT NULL DEFAULT 0 CHECK (annual_cost_yuan >= 0),
      retired_on          date,
      vm_id               uuid
    )
  `,
  `CREATE INDEX cloud_legacy_server_room ON cloud_legacy_server (room_id)`,
  `
    CREATE TABLE cloud_zone (
      code          varchar(40) PRIMARY KEY,
      name          varchar(100) NOT NULL,
      description   text NOT NULL DEFAULT '',
      open_to_all   boolean NOT NULL DEFAULT false
    )
  `,
  `
    CREATE TABLE cloud_zone_grant (
      zone_code       varchar(40) NOT NULL REFERENCES cloud_zone(code) ON DELETE CASCADE,
      department_id   uuid NOT NULL REFERENCES department(id),
      PRIMARY KEY (zone_code, department_id)
    )
  `,
  `CREATE INDEX cloud_zone_grant_department ON cloud_zone_grant (department_id)`,
  `
    CREATE TABLE cloud_storage_pool (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code            varchar(40) NOT NULL UNIQUE,
      name            varchar(200) NOT NULL,
      room_id         uuid NOT NULL REFERENCES cloud_room(id),
      kind            varchar(16) NOT NULL CHECK (kind IN ('fc_san', 'local')),
      capacity_gb     bigint NOT NULL CHECK (capacity_gb > 0),
      allocated_gb    bigint NOT NULL DEFAULT 0 CHECK (allocated_gb >= 0),
      used_gb         bigint NOT NULL DEFAULT 0 CHECK (used_gb >= 0),
      CHECK (allocated_gb <= capacity_gb)
    )
  `,
  `
    CREATE TABLE cloud_host (
      id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code                  varchar(40) NOT NULL UNIQUE,
      name                  varchar(200) NOT NULL,
      room_id               uuid NOT NULL REFERENCES cloud_room(id),
      rack                  varchar(40) NOT NULL DEFAULT '',
      model                 varchar(200) NOT NULL DEFAULT '',
      cpu_cores             integer NOT NULL CHECK (cpu_cores BETWEEN 1 AND 4096),
      cpu_ratio             numeric(4, 2) NOT NULL DEFAULT 4 CHECK (cpu_ratio BETWEEN 1 AND 16),
      memory_mb             bigint NOT NULL CHECK (memory_mb > 0),
      memory_ratio          numeric(4, 2) NOT NULL DEFAULT 1 CHECK (memory_ratio BETWEEN 1 AND 2),
      local_disk_gb         bigint NOT NULL DEFAULT 0 CHECK (local_disk_gb >= 0),
      zones                 text[] NOT NULL DEFAULT ARRAY[]::text[],
      state                 varchar(16) NOT NULL DEFAULT 'up' CHECK (state IN ('up', 'maintenance', 'down')),
      power_watts           integer NOT NULL DEFAULT 500 CHECK (power_watts BETWEEN 1 AND 100000),
      hypervisor_uri        text,
      vcpus_allocated       integer NOT NULL DEFAULT 0 CHECK (vcpus_allocated >= 0),
      memory_mb_allocated   bigint NOT NULL DEFAULT 0 CHECK (memory_mb_allocated >= 0),
      reconciled_at         timestamptz,
      created_at            timestamptz NOT NULL DEFAULT now(),
      CHECK (vcpus_allocated <= floor(cpu_cores * cpu_ratio)),
      CHECK (memory_mb_allocated <= floor(memory_mb * memory_ratio))
    )
  `,
  `CREATE INDEX cloud_host_room ON cloud_host (room_id)`,
  `
    CREATE TABLE cloud_flavour (
      code        varchar(40) PRIMARY KEY,
      name        varchar(100) NOT NULL,
      vcpus       integer NOT NULL CHECK (vcpus BETWEEN 1 AND 256),
      memory_mb   integer NOT NULL CHECK (memory_mb BETWEEN 64 AND 4194304),
      active      boolean NOT NULL DEFAULT true
    )
  `,
  `
    CREATE TABLE cloud_image (
      code          varchar(40) PRIMARY KEY,
      name          varchar(100) NOT NULL,
      os            varchar(100) NOT NULL,
      min_disk_gb   integer NOT NULL DEFAULT 1 CHECK (min_disk_gb BETWEEN 0 AND 65536),
      active        boolean NOT NULL DEFAULT true
    )
  `,
  `
    CREATE TABLE cloud_business_system (
      id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id     uuid NOT NULL REFERENCES department(id),
      region_code       varchar(12) NOT NULL REFERENCES region(code),
      region_path       text NOT NULL,
      code              varchar(60) NOT NULL UNIQUE,
      name              varchar(200) NOT NULL,
      description       text NOT NULL DEFAULT '',
      protection_level  smallint NOT NULL DEFAULT 2 CHECK (protection_level BETWEEN 1 AND 4),
      status            varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
      created_at        timestamptz NOT NULL DEFAULT now()
    )
  `,
  `CREATE INDEX cloud_business_system_path ON cloud_business_system (region_path text_pattern_ops)`,
  `CREATE INDEX cloud_business_system_department ON cloud_business_system (department_id)`,
  `
    CREATE TABLE cloud_vm (
      id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      domain_name         varchar(64) NOT NULL UNIQUE,
      name                varchar(200) NOT NULL,
      department_id       uuid NOT NULL REFERENCES department(id),
      region_code         varchar(12) NOT NULL REFERENCES region(code),
      region_path         text NOT NULL,
      business_system_id  uuid REFERENCES cloud_business_system(id),
      flavour_code        varchar(40) REFERENCES cloud_flavour(code),
      image_code          varchar(40) REFERENCES cloud_image(code),
      vcpus               integer NOT NULL CHECK (vcpus BETWEEN 1 AND 256),
      memory_mb           integer NOT NULL CHECK (memory_mb BETWEEN 64 AND 4194304),
      disk_gb             integer NOT NULL CHECK (disk_gb BETWEEN 1 AND 65536),
      zone_code           varchar(40) NOT NULL REFERENCES cloud_zone(code),
      ha_group            varchar(60),
      host_id             uuid REFERENCES cloud_host(id),
      storage_pool_id     uuid REFERENCES cloud_storage_pool(id),
      state               varchar(16) NOT NULL DEFAULT 'placing'
                          CHECK (state IN ('placing', 'provisioning', 'running', 'stopped', 'suspended', 'error', 'missing', 'decommissioning', 'decommissioned')),
      state_detail        text NOT NULL DEFAULT '',
      version             integer NOT NULL DEFAULT 1,
      created_by          uuid REFERENCES app_user(id),
      created_at          timestamptz NOT NULL DEFAULT now(),
      updated_at          timestamptz NOT NULL DEFAULT now(),
      decommissioned_at   timestamptz
    )
  `,
  `CREATE INDEX cloud_vm_path ON cloud_vm (region_path text_pattern_ops)`,
  `CREATE INDEX cloud_vm_department ON cloud_vm (department_id)`,
  `CREATE INDEX cloud_vm_host ON cloud_vm (host_id) WHERE state <> 'decommissioned'`,
  `CREATE INDEX cloud_vm_business_system ON cloud_vm (business_system_id)`,
  `CREATE INDEX cloud_vm_ha_group ON cloud_vm (ha_group) WHERE ha_group IS NOT NULL`,
  `
    CREATE TABLE cloud_vm_event (
      vm_id       uuid NOT NULL REFERENCES cloud_vm(id) ON DELETE CASCADE,
      seq         integer NOT NULL,
      action      varchar(32) NOT NULL,
      outcome     varchar(16) NOT NULL CHECK (outcome IN ('requested', 'started', 'succeeded', 'failed', 'rolled_back', 'observed')),
      state       varchar(16) NOT NULL,
      actor_id    uuid REFERENCES app_user(id),
      detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
      at          timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (vm_id, seq)
    )
  `,
  `
    CREATE TABLE cloud_quota (
      department_id     uuid PRIMARY KEY REFERENCES department(id),
      vcpus_limit       integer NOT NULL CHECK (vcpus_limit >= 0),
      memory_mb_limit   bigint NOT NULL CHECK (memory_mb_limit >= 0),
      disk_gb_limit     bigint NOT NULL CHECK (disk_gb_limit >= 0),
      vms_limit         integer NOT NULL CHECK (vms_limit >= 0),
      vcpus_used        integer NOT NULL DEFAULT 0 CHECK (vcpus_used >= 0),
      memory_mb_used    bigint NOT NULL DEFAULT 0 CHECK (memory_mb_used >= 0),
      disk_gb_used      bigint NOT NULL DEFAULT 0 CHECK (disk_gb_used >= 0),
      vms_used          integer NOT NULL DEFAULT 0 CHECK (vms_used >= 0),
      updated_at        timestamptz NOT NULL DEFAULT now(),
      CHECK (vcpus_used <= vcpus_limit AND memory_mb_used <= memory_mb_limit AND disk_gb_used <= disk_gb_limit AND vms_used <= vms_limit)
    )
  `,
  `
    CREATE TABLE cloud_vm_request (
      id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      request_no          varchar(32) NOT NULL UNIQUE,
      kind                varchar(16) NOT NULL CHECK (kind IN ('create', 'resize', 'decommission')),
      department_id       uuid NOT NULL REFERENCES department(id),
      region_code         varchar(12) NOT NULL REFERENCES region(code),
      region_path         text NOT NULL,
      requested_by        uuid NOT NULL REFERENCES app_user(id),
      vm_id               uuid REFERENCES cloud_vm(id),
      name                varchar(200) NOT NULL DEFAULT '',
      business_system_id  uuid REFERENCES cloud_business_system(id),
      flavour_code        varchar(40) REFERENCES cloud_flavour(code),
      image_code          varchar(40) REFERENCES cloud_image(code),
      vcpus               integer NOT NULL CHECK (vcpus BETWEEN 0 AND 256),
      memory_mb           integer NOT NULL CHECK (memory_mb BETWEEN 0 AND 4194304),
      disk_gb             integer NOT NULL CHECK (disk_gb BETWEEN 0 AND 65536),
      zone_code           varchar(40) REFERENCES cloud_zone(code),
      ha_group            varchar(60),
      reason              text NOT NULL,
      state               varchar(24) NOT NULL
                          CHECK (state IN ('pending_department', 'pending_platform', 'approved', 'rejected', 'cancelled', 'provisioning', 'done', 'failed')),
      auto_approved       boolean NOT NULL DEFAULT false,
      quota_reserved      boolean NOT NULL DEFAULT false,
      department_decided_by  uuid REFERENCES app_user(id),
      department_decided_at  timestamptz,
      platform_decided_by    uuid REFERENCES app_user(id),
      platform_decided_at    timestamptz,
      decision_note       text NOT NULL DEFAULT '',
      failure             text NOT NULL DEFAULT '',
      request_key         varchar(100),
      created_at          timestamptz NOT NULL DEFAULT now(),
      updated_at          timestamptz NOT NULL DEFAULT now(),
      UNIQUE (requested_by, request_key)
    )
  `,
  `CREATE INDEX cloud_vm_request_path ON cloud_vm_request (region_path text_pattern_ops)`,
  `CREATE INDEX cloud_vm_request_open ON cloud_vm_request (state, created_at) WHERE state IN ('pending_department', 'pending_platform', 'approved', 'provisioning')`,
  `CREATE INDEX cloud_vm_request_department ON cloud_vm_request (department_id, created_at)`,
  `CREATE INDEX cloud_vm_request_vm ON cloud_vm_request (vm_id)`,
];

const DOWN = [
  'cloud_vm_request', 'cloud_quota', 'cloud_vm_event', 'cloud_vm', 'cloud_business_system', 'cloud_image', 'cloud_flavour',
  'cloud_host', 'cloud_storage_pool', 'cloud_zone_grant', 'cloud_zone', 'cloud_legacy_server', 'cloud_room',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of DOWN) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
}
