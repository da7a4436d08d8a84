// Kysely types of the public channels' own table, added to the Database interface by augmentation.
import type { Timestamp } from '../../db/schema.ts';

export type ApplicantSmsKind = 'accepted' | 'correction' | 'concluded';

export interface PublicitySmsSentTable {
  case_id: string;
  /** The approval_case_event.seq the message answers: the key that makes a redelivered event send nothing. */
  seq: number;
  kind: ApplicantSmsKind;
  message_id: string | null;
  sent_at: Timestamp;
}

export interface PublicityLookupMissTable {
  address: string;
  misses: number;
  window_start: Date;
}

declare module '../../db/schema.ts' {
  interface Database {
    publicity_sms_sent: PublicitySmsSentTable;
    publicity_lookup_miss: PublicityLookupMissTable;
  }
}
