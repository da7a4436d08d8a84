// Kysely types of the accounts module's tables, added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../db/schema.ts';

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
  /** The administrator who set the current password (reset, activation, creation); null when the holder chose it. */
  password_set_by: ColumnType<string | null, string | null | undefined, string | null>;
  last_login_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The department's place in the directory order (kind rank, sort number, code), copied by trigger (0007); citizens 99, 0, ''. */
  dept_kind_rank: Generated<number>;
  dept_sort_order: Generated<number>;
  dept_code: Generated<string>;
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

declare module '../../db/schema.ts' {
  interface Database {
    app_user: AppUserTable;
    role_grant: RoleGrantTable;
    user_session: SessionTable;
    api_token: ApiTokenTable;
    sign_in_counter: SignInCounterTable;
    sign_in_captcha: SignInCaptchaTable;
    login_challenge: LoginChallengeTable;
  }
}
