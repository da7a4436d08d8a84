// Kysely table types for every table the migrations create.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string | undefined, string>;

export interface RegionTable {
  code: string;
  name: string;
  /** 1 prefecture (地级) · 2 county (县级) · 3 township/street (乡镇/街道) · 4 community/village (社区/村) */
  level: number;
  parent_code: string | null;
  path: string;
  valid_from: DateOnly;
  valid_to: string | null;
  successor_code: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RegionHistoryTable {
  id: Generated<string>;
  code: string;
  name: string;
  parent_code: string | null;
  valid_from: string;
  valid_to: string;
  change: 'rename' | 'merge' | 'retire' | 'reparent';
  note: string | null;
  recorded_at: Timestamp;
}

export interface DepartmentTable {
  id: Generated<string>;
  code: string;
  name: string;
  short_name: string | null;
  kind: string;
  region_code: string;
  parent_id: string | null;
  credit_code: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AppUserTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  kind: 'staff' | 'citizen';
  department_id: string | null;
  region_code: string | null;
  phone: string | null;
  email: string | null;
  password_hash: string | null;
  status: ColumnType<'active' | 'disabled', 'active' | 'disabled' | undefined>;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: Date | null;
  password_changed_at: Date | null;
  last_login_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RoleGrantTable {
  id: Generated<string>;
  user_id: string;
  role: string;
  region_code: string;
  granted_by: string | null;
  granted_at: Timestamp;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
  client_addr: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  scopes: string[];
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Timestamp;
}

export interface AuditLogTable {
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  role: string | null;
  department_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  region_code: string | null;
  outcome: 'success' | 'failure' | 'denied';
  client_addr: string | null;
  request_id: string | null;
  detail: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: string;
  hash: string;
}

export interface SignInCounterTable {
  /** 'name:<SHA-256 of the NFKC lower-case user name>' or 'addr:<client address>' */
  key: string;
  failures: number;
  window_start: Date;
  locked_until: Date | null;
}

export interface SignInCaptchaTable {
  id: Generated<string>;
  answer_hash: string;
  expires_at: Date;
}

/** An SMS code sent to a user who gave the right password; signing in completes when the code comes back. */
export interface LoginChallengeTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  phone: string;
  expires_at: Date;
  attempts: ColumnType<number, number | undefined, number>;
  sends: ColumnType<number, number | undefined, number>;
  last_sent_at: Timestamp;
  consumed_at: Date | null;
  client_addr: string | null;
  created_at: Timestamp;
}

export interface Database {
  region: RegionTable;
  region_history: RegionHistoryTable;
  department: DepartmentTable;
  app_user: AppUserTable;
  role_grant: RoleGrantTable;
  user_session: SessionTable;
  api_token: ApiTokenTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  sign_in_counter: SignInCounterTable;
  sign_in_captcha: SignInCaptchaTable;
  login_challenge: LoginChallengeTable;
}
