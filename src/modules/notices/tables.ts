// Kysely types of the notices module's tables (created by its migrations), added to the one Database interface.
import type { ColumnType, Generated } from 'kysely';
import type { ResidentFilterInput } from './variables.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export const NOTICE_STATUSES = ['draft', 'sending', 'sent'] as const;
/** draft → sending (recipients frozen, the dispatch job under way) → sent (every recipient dispatched). */
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

export const CHANNELS = ['sms', 'inapp'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface NoticeTemplateTable {
  id: Generated<string>;
  name: string;
  body: string;
  /** The region the template belongs to: editable inside it, usable there and below. */
  region_code: string;
  region_path: string;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface NoticeTable {
  id: Generated<string>;
  title: string;
  template_id: string | null;
  /** The text with the sender's fields filled in; resident variables stay as canonical placeholders ({name}). */
  body: string;
  fields: ColumnType<Record<string, string>, string, string>;
  filter: ColumnType<ResidentFilterInput, string, string>;
  region_code: string;
  region_path: string;
  channels: Channel[];
  status: Generated<NoticeStatus>;
  recipient_count: Generated<number>;
  request_key: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  sent_by: string | null;
  sent_at: NullableTimestamp;
  dispatched_at: NullableTimestamp;
  /** The last recipient (by resident id) the dispatch job has queued; those up to it are dispatched (D107). */
  dispatch_cursor: string | null;
}

/** A recipient frozen at send. */
export interface NoticeRecipientTable {
  notice_id: string;
  resident_id: string;
  name: string;
  phone: string | null;
  /** The resident's citizen account, when they have one (站内信). */
  user_id: string | null;
  /** The text rendered for them, kept only for a 站内信 (an SMS's text is its SMS record's). */
  body: string | null;
  sms_message_id: string | null;
  inbox_sent: Generated<boolean>;
}

declare module '../../db/schema.ts' {
  interface Database {
    notice_template: NoticeTemplateTable;
    notice: NoticeTable;
    notice_recipient: NoticeRecipientTable;
  }
}
