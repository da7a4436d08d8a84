// Table types of the citizens module (migrations/20261127T1010_citizens_tables.ts), added to the Database interface.
import type { ColumnType } from 'kysely';

/** A citizen's identity: the app_user row (kind 'citizen') holds name, password and sessions; this row the rest. */
export interface CitizenTable {
  user_id: string;
  /** 公民身份号码, upper-case X. */
  id_number: string;
  /** The confirmed mobile number. */
  phone: string;
  created_at: Date;
  updated_at: Date;
}

export type CodePurpose = 'register' | 'sign_in' | 'change_phone';

/** An SMS one-time code: stored hashed, single use, short-lived, a few attempts. */
export interface CitizenCodeTable {
  id: string;
  phone: string;
  purpose: CodePurpose;
  /** For change_phone: the citizen asking; for sign_in: the account of the number, when there is one. */
  user_id: string | null;
  code_hash: string;
  expires_at: Date;
  attempts: ColumnType<number, number | undefined, number>;
  consumed_at: Date | null;
  /** False when no SMS went out (a sign-in code for a number without an account: answered alike, sent nowhere). */
  sent: boolean;
  client_addr: string | null;
  created_at: Date;
}

/** Code requests counted per fixed window: 'phone-minute:…', 'phone-day:…', 'addr-hour:…'. */
export interface CitizenSendCounterTable {
  key: string;
  sends: number;
  window_start: Date;
}

declare module '../../db/schema.ts' {
  interface Database {
    citizen: CitizenTable;
    citizen_code: CitizenCodeTable;
    citizen_send_counter: CitizenSendCounterTable;
  }
}
