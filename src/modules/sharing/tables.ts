// Table types of the sharing module (client applications, data grants), added to the Database interface.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ClientAppTable {
  id: Generated<string>;
  department_id: string;
  name: string;
  description: Generated<string>;
  /** Public identifier the consuming system presents. */
  client_id: string;
  /** SHA-256 (hex) of the high-entropy secret; the secret itself is shown once. */
  secret_hash: string;
  secret_expires_at: Timestamp;
  /** The secret before the last rotation, valid until previous_expires_at (a grace period for the switch). */
  previous_secret_hash: string | null;
  previous_expires_at: Timestamp | null;
  rate_per_minute: Generated<number>;
  status: Generated<'active' | 'disabled'>;
  created_by: string | null;
  created_at: Generated<Date>;
  rotated_at: Timestamp | null;
}

/** The sharing side of a share grant on 'data:<code>': who consumes, through which system, where, how masked. */
export interface DataGrantTable {
  share_id: string;
  resource_id: string;
  request_id: string | null;
  provider_department_id: string;
  consumer_department_id: string;
  /** The consuming system; null: any client application of the consumer department. */
  client_app_id: string | null;
  /** Jurisdiction filter: only rows whose region item starts with this GB/T 2260 code prefix. */
  region_prefix: string | null;
  /** Item code → mask kind overriding the item's own ('none' reveals the value). */
  masks: Generated<unknown>;
  /** Hidden from the citizen access record (covert investigation); the marking is audited. */
  covert: Generated<boolean>;
  covert_marked_by: string | null;
  covert_marked_at: Timestamp | null;
  created_at: Generated<Date>;
}

/** 共享申请: a consumer department's application for items of a resource, answered on the legal clock. */
export type SharingRequestStatus = 'granted' | 'pending' | 'escalated' | 'approved' | 'partially_approved' | 'refused' | 'withdrawn';

export interface SharingRequestTable {
  id: Generated<string>;
  /** Human-readable number, e.g. GX-20261127-0001. */
  number: string;
  resource_id: string;
  provider_department_id: string;
  consumer_department_id: string;
  /** The consuming system (client application), when the request names one. */
  client_app_id: string | null;
  purpose: string;
  legal_basis: string;
  items: string[];
  approved_items: Generated<string[]>;
  region_prefix: string | null;
  period_from: ColumnType<string, string, string>;
  period_to: ColumnType<string, string, string>;
  /** granted: only unconditional items, granted at once; pending: conditional items await the provider. */
  status: SharingRequestStatus;
  submitted_at: Timestamp;
  /** The provider's answer is due by the end of this date (10 working days on the calendar). */
  deadline: ColumnType<string, string | undefined, string> | null;
  reminded_at: Timestamp | null;
  escalated_at: Timestamp | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
  decision_reason: string | null;
  unconditional_share_id: string | null;
  conditional_share_id: string | null;
  created_by: string | null;
  /** The consumer's Idempotency-Key of the submission (unique per consumer department). */
  idempotency_key: string | null;
  /** The deadline reached a year whose holidays are not loaded: computed on weekends only. */
  deadline_provisional: Generated<boolean>;
  /** The permission the answer was given under (sharing.decide, or sharing.authority after escalation). */
  decided_role: string | null;
}

export interface SharingRequestCounterTable {
  day: string;
  n: number;
}

declare module '../../db/schema.ts' {
  interface Database {
    client_app: ClientAppTable;
    data_grant: DataGrantTable;
    sharing_request: SharingRequestTable;
    sharing_request_counter: SharingRequestCounterTable;
  }
}
