// Digital community registry (issue 8): grids and their workers, buildings, households, residents with their
// residence history (effective-dated: a move closes one interval and opens another), 重点人群 labels, and the fact
// flags derived through sharing grants (for statistics and targeting; the profile reads the grants live).
// Every row carries the community's region code and materialized path: jurisdiction is one prefix range scan, and
// region is the distribution column on the Citus path.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `
    CREATE TABLE community_grid (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code            varchar(32) NOT NULL UNIQUE,
      name            varchar(100) NOT NULL,
      community_code  varchar(12) NOT NULL REFERENCES region(code),
      region_path     text NOT NULL,
      created_at      timestamptz NOT NULL DEFAULT now()
    )
  `,
  `CREATE INDEX community_grid_path ON community_grid (region_path text_pattern_ops)`,
  `
    CREATE TABLE community_grid_worker (
      grid_id     uuid NOT NULL REFERENCES community_grid(id) ON DELETE CASCADE,
      user_id     uuid NOT NULL REFERENCES app_user(id),
      assigned_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (grid_id, user_id)
    )
  `,
  `CREATE INDEX community_grid_worker_user ON community_grid_worker (user_id)`,
  `
    CREATE TABLE community_building (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      community_code  varchar(12) NOT NULL REFERENCES region(code),
      region_path     text NOT NULL,
      grid_id         uuid REFERENCES community_grid(id),
      name            varchar(100) NOT NULL,
      address         varchar(200) NOT NULL DEFAULT '',
      floors          integer CHECK (floors IS NULL OR floors BETWEEN 1 AND 200),
      created_at      timestamptz NOT NULL DEFAULT now()
    )
  `,
  `CREATE INDEX community_building_path ON community_building (region_path text_pattern_ops)`,
  `CREATE INDEX community_building_grid ON community_building (grid_id)`,
  `
    CREATE TABLE community_household (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      household_no    varchar(32) NOT NULL UNIQUE,
      community_code  varchar(12) NOT NULL REFERENCES region(code),
      region_path     text NOT NULL,
      grid_id         uuid REFERENCES community_grid(id),
      building_id     uuid REFERENCES community_building(id),
      address         varchar(200) NOT NULL DEFAULT '',
      member_count    integer NOT NULL DEFAULT 0 CHECK (member_count >= 0),
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now()
    )
  `,
  `CREATE INDEX community_household_path ON community_household (region_path text_pattern_ops)`,
  `CREATE INDEX community_household_grid ON community_household (grid_id)`,
  `
    CREATE TABLE community_resident (
      id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      id_number         varchar(18) NOT NULL UNIQUE,
      name              varchar(50) NOT NULL,
      sex               char(1) NOT NULL CHECK (sex IN ('M', 'F')),
      birth_date        date NOT NULL,
      ethnicity         char(2) NOT NULL,
      phone             varchar(20),
      household_id      uuid REFERENCES community_household(id),
      relation          varchar(12) CHECK (relation IS NULL OR relation IN ('head', 'spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling', 'other')),
      building_id       uuid REFERENCES community_building(id),
      grid_id           uuid REFERENCES community_grid(id),
      community_code    varchar(12) NOT NULL REFERENCES region(code),
      region_path       text NOT NULL,
      address           varchar(200) NOT NULL DEFAULT '',
      residence_status  varchar(12) NOT NULL CHECK (residence_status IN ('registered', 'resident', 'floating')),
      status            varchar(12) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'moved_out', 'deceased')),
      moved_in_on       date NOT NULL,
      version           integer NOT NULL DEFAULT 1,
      created_at        timestamptz NOT NULL DEFAULT now(),
      updated_at        timestamptz NOT NULL DEFAULT now()
    )
  `,
  `CREATE INDEX community_resident_path ON community_resident (region_path text_pattern_ops, name)`,
  `CREATE INDEX community_resident_grid ON community_resident (grid_id)`,
  `CREATE INDEX community_resident_household ON community_resident (household_id)`,
  `CREATE INDEX community_resident_name_trgm ON community_resident USING gin (name gin_trgm_ops)`,
  `CREATE INDEX community_resident_id_trgm ON community_resident USING gin (id_number gin_trgm_ops)`,
  `
    CREATE TABLE community_residence (
      id                bigserial PRIMARY KEY,
      resident_id       uuid NOT NULL REFERENCES community_resident(id),
      community_code    varchar(12) NOT NULL REFERENCES region(code),
      region_path       text NOT NULL,
      grid_id           uuid REFERENCES community_grid(id),
      residence_status  varchar(12) NOT NULL CHECK (residence_status IN ('registered', 'resident', 'floating')),
      valid_from        date NOT NULL,
      valid_to          date,
      reason            varchar(200) NOT NULL DEFAULT '',
      CHECK (valid_to IS NULL OR valid_to > valid_from)
    )
  `,
  `CREATE INDEX community_residence_resident ON community_residence (resident_id, valid_from)`,
  `CREATE INDEX community_residence_path ON community_residence (region_path text_pattern_ops, valid_from)`,
  `CREATE UNIQUE INDEX community_residence_open ON community_residence (resident_id) WHERE valid_to IS NULL`,
  `
    CREATE TABLE community_label (
      code                varchar(32) PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
      name                varchar(50) NOT NULL,
      name_en             varchar(80) NOT NULL DEFAULT '',
      color               varchar(16) NOT NULL DEFAULT 'blue',
      visit_interval_days integer CHECK (visit_interval_days IS NULL OR visit_interval_days BETWEEN 1 AND 366),
      sort_order          integer NOT NULL DEFAULT 0
    )
  `,
  `
    CREATE TABLE community_resident_label (
      resident_id  uuid NOT NULL REFERENCES community_resident(id) ON DELETE CASCADE,
      label_code   varchar(32) NOT NULL REFERENCES community_label(code),
      note         varchar(200) NOT NULL DEFAULT '',
      added_by     uuid REFERENCES app_user(id),
      added_at     timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (resident_id, label_code)
    )
  `,
  // the customary 重点人群 (key groups); visits every 30/90 days where a visit is due
  `
    INSERT INTO community_label (code, name, name_en, color, visit_interval_days, sort_order) VALUES
      ('elderly_alone', '独居老人', 'Elderly living alone', 'orange', 30, 10),
      ('disabled', '残疾人', 'Person with disability', 'purple', 90, 20),
      ('low_income', '低保户', 'Minimum-living allowance', 'gold', 90, 30),
      ('veteran', '退役军人', 'Veteran', 'green', NULL, 40),
      ('left_behind_child', '留守儿童', 'Left-behind child', 'cyan', 30, 50),
      ('community_correction', '社区矫正人员', 'Under community correction', 'red', 30, 60),
      ('released_prisoner', '刑满释放人员', 'Released prisoner', 'volcano', 90, 70),
      ('mental_illness', '严重精神障碍患者', 'Severe mental disorder', 'magenta', 30, 80)
  `,
  `CREATE INDEX community_resident_label_code ON community_resident_label (label_code, resident_id)`,
  `
    CREATE TABLE community_resident_fact (
      resident_id           uuid NOT NULL REFERENCES community_resident(id) ON DELETE CASCADE,
      fact                  varchar(32) NOT NULL,
      value                 boolean NOT NULL,
      source_resource_code  varchar(64) NOT NULL,
      source_updated_at     timestamptz,
      refreshed_at          timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (resident_id, fact)
    )
  `,
  `CREATE INDEX community_resident_fact_value ON community_resident_fact (fact, value, resident_id)`,
];

const DOWN = [
  'community_resident_fact',
  'community_resident_label',
  'community_label',
  'community_residence',
  'community_resident',
  'community_household',
  'community_building',
  'community_grid_worker',
  'community_grid',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of DOWN) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
}
