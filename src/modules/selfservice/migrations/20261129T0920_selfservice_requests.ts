// Self-service (issue 10 §2): the request-number counter, the approval policy (auto-approval thresholds, whether the
// department step is required — a department's own row, else the default row) and each request's state timeline.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE selfservice_request_counter (
      prefix  varchar(32) PRIMARY KEY,
      last    integer NOT NULL CHECK (last > 0)
    )
  `,
  `
    CREATE TABLE selfservice_policy (
      id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id             uuid REFERENCES department(id),
      department_step_required  boolean NOT NULL DEFAULT true,
      auto_max_vcpus            integer NOT NULL DEFAULT 0 CHECK (auto_max_vcpus BETWEEN 0 AND 256),
      auto_max_memory_mb        integer NOT NULL DEFAULT 0 CHECK (auto_max_memory_mb BETWEEN 0 AND 4194304),
      auto_max_disk_gb          integer NOT NULL DEFAULT 0 CHECK (auto_max_disk_gb BETWEEN 0 AND 65536),
      updated_by                uuid REFERENCES app_user(id),
      updated_at                timestamptz NOT NULL DEFAULT now()
    )
  `,
  `CREATE UNIQUE INDEX selfservice_policy_department ON selfservice_policy (department_id) WHERE department_id IS NOT NULL`,
  `CREATE UNIQUE INDEX selfservice_policy_default ON selfservice_policy ((department_id IS NULL)) WHERE department_id IS NULL`,
  // the default: both steps by people; a department or the platform may lower the bar
  `INSERT INTO selfservice_policy (department_id, department_step_required, auto_max_vcpus, auto_max_memory_mb, auto_max_disk_gb) VALUES (NULL, true, 0, 0, 0)`,
  `
    CREATE TABLE selfservice_request_event (
      request_id  uuid NOT NULL REFERENCES cloud_vm_request(id) ON DELETE CASCADE,
      seq         integer NOT NULL,
      action      varchar(32) NOT NULL,
      from_state  varchar(24),
      to_state    varchar(24) NOT NULL,
      actor_id    uuid REFERENCES app_user(id),
      note        text NOT NULL DEFAULT '',
      at          timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (request_id, seq)
    )
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['selfservice_request_event', 'selfservice_policy', 'selfservice_request_counter']) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
}
