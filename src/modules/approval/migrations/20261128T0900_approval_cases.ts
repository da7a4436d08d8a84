// Administrative approval (issue 9): the service item catalogue (事项目录) with its materials and steps, and cases with
// their action ledger, pause ledger (补正 / 特别程序), per-step clocks and uploaded materials.
// The clock columns on approval_case (statutory_due, promised_due, due_provisional, paused_since) are maintained from
// the ledgers in the same transaction as every change to them (see docs/architecture.md, "Legal clock"); "overdue" is
// never stored: it is derived at query time from them and the date (approval/clock-sql.ts).
// Every case carries its department's region path: jurisdiction is a prefix range scan, region the distribution column.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `
    CREATE TABLE approval_item (
      id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code              varchar(40) NOT NULL UNIQUE,
      name              varchar(200) NOT NULL,
      department_id     uuid NOT NULL REFERENCES department(id),
      region_code       varchar(12) NOT NULL REFERENCES region(code),
      region_path       text NOT NULL,
      kind              varchar(16) NOT NULL CHECK (kind IN ('licence', 'confirmation', 'payment', 'levy', 'other')),
      legal_basis       text NOT NULL,
      statutory_days    integer NOT NULL CHECK (statutory_days BETWEEN 1 AND 365),
      promised_days     integer NOT NULL CHECK (promised_days BETWEEN 1 AND 365),
      fee_lawful        boolean NOT NULL DEFAULT false,
      fee_yuan          numeric(12, 2) NOT NULL DEFAULT 0 CHECK (fee_yuan >= 0),
      fee_basis         text NOT NULL DEFAULT '',
      online            boolean NOT NULL DEFAULT true,
      status            varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
      version           integer NOT NULL DEFAULT 1,
      created_at        timestamptz NOT NULL DEFAULT now(),
      updated_at        timestamptz NOT NULL DEFAULT now(),
      CHECK (promised_days <= statutory_days),
      CHECK (fee_lawful OR fee_yuan = 0)
    )
  `,
  `CREATE INDEX approval_item_path ON approval_item (region_path text_pattern_ops)`,
  `CREATE INDEX approval_item_department ON approval_item (department_id)`,
  `CREATE INDEX approval_item_name_trgm ON approval_item USING gin (name gin_trgm_ops)`,
  `
    CREATE TABLE approval_item_material (
      item_id     uuid NOT NULL REFERENCES approval_item(id) ON DELETE CASCADE,
      seq         smallint NOT NULL CHECK (seq BETWEEN 1 AND 99),
      name        varchar(200) NOT NULL,
      required    boolean NOT NULL DEFAULT true,
      mime_types  text[] NOT NULL DEFAULT ARRAY['application/pdf', 'image/jpeg', 'image/png']::text[],
      max_bytes   integer NOT NULL DEFAULT 10485760 CHECK (max_bytes BETWEEN 1 AND 104857600),
      PRIMARY KEY (item_id, seq)
    )
  `,
  `
    CREATE TABLE approval_item_step (
      item_id     uuid NOT NULL REFERENCES approval_item(id) ON DELETE CASCADE,
      seq         smallint NOT NULL CHECK (seq BETWEEN 1 AND 20),
      step        varchar(16) NOT NULL CHECK (step IN ('accept', 'review', 'decide', 'conclude', 'deliver')),
      name        varchar(100) NOT NULL,
      limit_days  integer CHECK (limit_days IS NULL OR limit_days BETWEEN 0 AND 365),
      required    boolean NOT NULL DEFAULT true,
      PRIMARY KEY (item_id, seq),
      UNIQUE (item_id, step)
    )
  `,
  `
    CREATE TABLE approval_case (
      id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_no             varchar(40) NOT NULL UNIQUE,
      item_id             uuid NOT NULL REFERENCES approval_item(id),
      department_id       uuid NOT NULL REFERENCES department(id),
      region_code         varchar(12) NOT NULL REFERENCES region(code),
      region_path         text NOT NULL,
      channel             varchar(16) NOT NULL CHECK (channel IN ('online', 'counter')),
      applicant_kind      varchar(16) NOT NULL CHECK (applicant_kind IN ('citizen', 'enterprise')),
      applicant_name      varchar(200) NOT NULL,
      applicant_id_number varchar(32) NOT NULL,
      applicant_phone     varchar(20),
      citizen_id          uuid REFERENCES citizen(user_id),
      request_key         varchar(100),
      state               varchar(16) NOT NULL DEFAULT 'submitted'
                          CHECK (state IN ('submitted', 'accepted', 'rejected', 'reviewing', 'decided', 'concluded', 'delivered', 'withdrawn')),
      decision            varchar(8) CHECK (decision IN ('approve', 'deny')),
      reason              text,
      applied_on          date NOT NULL,
      registered_at       timestamptz NOT NULL DEFAULT now(),
      registered_by       uuid REFERENCES app_user(id),
      handler_id          uuid REFERENCES app_user(id),
      accepted_on         date,
      concluded_on        date,
      delivered_on        date,
      fee_yuan            numeric(12, 2) NOT NULL DEFAULT 0 CHECK (fee_yuan >= 0),
      statutory_days      integer NOT NULL,
      promised_days       integer NOT NULL,
      extension_days      integer NOT NULL DEFAULT 0 CHECK (extension_days >= 0),
      extension_state     varchar(16) CHECK (extension_state IN ('requested', 'approved', 'refused')),
      corrections         integer NOT NULL DEFAULT 0,
      statutory_due       date,
      promised_due        date,
      due_provisional     boolean NOT NULL DEFAULT false,
      paused_since        date,
      version             integer NOT NULL DEFAULT 1,
      updated_at          timestamptz NOT NULL DEFAULT now(),
      CHECK ((state IN ('submitted', 'rejected', 'withdrawn')) OR accepted_on IS NOT NULL)
    )
  `,
  // the workbench and the sweep: open cases by jurisdiction, by department and by due date
  `CREATE INDEX approval_case_path ON approval_case (region_path text_pattern_ops, state)`,
  `CREATE INDEX approval_case_department ON approval_case (department_id, state)`,
  `CREATE INDEX approval_case_open_due ON approval_case (statutory_due) WHERE state IN ('accepted', 'reviewing', 'decided')`,
  `CREATE INDEX approval_case_handler ON approval_case (handler_id) WHERE state IN ('submitted', 'accepted', 'reviewing', 'decided')`,
  `CREATE INDEX approval_case_citizen ON approval_case (citizen_id) WHERE citizen_id IS NOT NULL`,
  `CREATE INDEX approval_case_item ON approval_case (item_id)`,
  `CREATE UNIQUE INDEX approval_case_request_key ON approval_case (applicant_id_number, request_key) WHERE request_key IS NOT NULL`,
  `CREATE INDEX approval_case_concluded ON approval_case (concluded_on) WHERE concluded_on IS NOT NULL`,
  `
    CREATE TABLE approval_case_event (
      case_id     uuid NOT NULL REFERENCES approval_case(id) ON DELETE CASCADE,
      seq         integer NOT NULL,
      action      varchar(32) NOT NULL,
      from_state  varchar(16),
      to_state    varchar(16) NOT NULL,
      actor_id    uuid REFERENCES app_user(id),
      citizen_id  uuid REFERENCES citizen(user_id),
      on_date     date NOT NULL,
      at          timestamptz NOT NULL DEFAULT now(),
      note        text NOT NULL DEFAULT '',
      detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
      PRIMARY KEY (case_id, seq)
    )
  `,
  `
    CREATE TABLE approval_case_pause (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id       uuid NOT NULL REFERENCES approval_case(id) ON DELETE CASCADE,
      kind          varchar(16) NOT NULL CHECK (kind IN ('correction', 'special')),
      special_kind  varchar(16) CHECK (special_kind IN ('hearing', 'tendering', 'auction', 'inspection', 'testing', 'quarantine', 'appraisal', 'expert_review')),
      reason        text NOT NULL,
      started_on    date NOT NULL,
      ended_on      date,
      started_by    uuid REFERENCES app_user(id),
      created_at    timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'special') = (special_kind IS NOT NULL)),
      CHECK (ended_on IS NULL OR ended_on >= started_on)
    )
  `,
  // at most one open pause per case
  `CREATE UNIQUE INDEX approval_case_pause_open ON approval_case_pause (case_id) WHERE ended_on IS NULL`,
  `CREATE INDEX approval_case_pause_case ON approval_case_pause (case_id, started_on)`,
  `
    CREATE TABLE approval_case_step (
      case_id       uuid NOT NULL REFERENCES approval_case(id) ON DELETE CASCADE,
      step          varchar(16) NOT NULL CHECK (step IN ('accept', 'review', 'decide', 'conclude', 'deliver')),
      started_on    date NOT NULL,
      due_on        date,
      completed_on  date,
      actor_id      uuid REFERENCES app_user(id),
      PRIMARY KEY (case_id, step)
    )
  `,
  `
    CREATE TABLE approval_case_material (
      case_id       uuid NOT NULL REFERENCES approval_case(id) ON DELETE CASCADE,
      material_seq  smallint NOT NULL,
      file_id       uuid NOT NULL,
      uploaded_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (case_id, material_seq, file_id)
    )
  `,
];

const DOWN = ['approval_case_material', 'approval_case_step', 'approval_case_pause', 'approval_case_event', 'approval_case', 'approval_item_step', 'approval_item_material', 'approval_item'];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of DOWN) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
}
