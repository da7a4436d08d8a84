// Kysely types of the SMS module's tables (created by its migrations), added to the one Database interface.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** queued → sent → delivered | failed; opted_out when the number unsubscribed (退订) and the message was not urgent. */
export const MESSAGE_STATUSES = ['queued', 'sent', 'delivered', 'failed', 'opted_out'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface SmsMessageTable {
  id: Generated<string>;
  to_number: string;
  body: string;
  template_code: string | null;
  /** Why it is sent (e.g. 'approval.notice'): the history's filter and the audit's reason. */
  purpose: string;
  /** Urgent / security messages (sign-in codes) ignore quiet hours and the opt-out register. */
  urgent: boolean;
  status: MessageStatus;
  segments: number;
  /** Non-urgent messages queued in quiet hours wait until then. */
  hold_until: NullableTimestamp;
  error: string | null;
  created_by: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  done_at: NullableTimestamp;
}

/** One segment handed to the SMS centre: `smsc_id` is the centre's id, matched by its delivery receipt. */
export interface SmsSegmentTable {
  message_id: string;
  seq: number;
  smsc_id: string | null;
  status: 'sent' | 'delivered' | 'failed';
  error: string | null;
  sent_at: Timestamp;
  done_at: NullableTimestamp;
}

/** A receipt whose segment is not written yet (receipts may overtake the write of the centre's id). */
export interface SmsReceiptTable {
  smsc_id: string;
  delivered: boolean;
  error: string | null;
  received_at: Timestamp;
}

export interface SmsTemplateTable {
  code: string;
  name: string;
  body: string;
  variables: string[];
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** 退订: a number that asked for no more (non-urgent) messages. */
export interface SmsOptOutTable {
  number: string;
  /** 'reply' (the handset answered TD) or 'admin'. */
  source: 'reply' | 'admin';
  note: string | null;
  created_at: Timestamp;
}

declare module '../../db/schema.ts' {
  interface Database {
    sms_message: SmsMessageTable;
    sms_segment: SmsSegmentTable;
    sms_receipt: SmsReceiptTable;
    sms_template: SmsTemplateTable;
    sms_opt_out: SmsOptOutTable;
  }
}
