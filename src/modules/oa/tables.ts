// Kysely types of the OA module's tables, added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../db/schema.ts';
import type { OaKind, OaMarking, OaStatus, OaUrgency, RecipientSpec } from './kinds.ts';

export interface OaDocumentTable {
  id: Generated<string>;
  kind: OaKind;
  title: string;
  number: string | null;
  number_year: number | null;
  urgency: OaUrgency;
  marking: OaMarking;
  body: string;
  sender_department_id: string;
  sender_region_code: string;
  sender_region_path: string;
  created_by: string | null;
  status: ColumnType<OaStatus, OaStatus | undefined, OaStatus>;
  recipients: ColumnType<RecipientSpec, string, string>;
  sign_deadline: Date | null;
  supersedes_id: string | null;
  superseded_by_id: string | null;
  recipient_count: ColumnType<number, number | undefined, number>;
  sent_at: Date | null;
  sent_by: string | null;
  withdrawn_at: Date | null;
  archived_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OaDeliveryTable {
  document_id: string;
  department_id: string;
}

export interface OaReceiptTable {
  document_id: string;
  user_id: string;
  department_id: string;
  read_at: Date | null;
  signed_at: Date | null;
}

export interface OaReminderTable {
  document_id: string;
  user_id: string;
  rung: number;
  sent_at: Timestamp;
  sms_id: string | null;
}

declare module '../../db/schema.ts' {
  interface Database {
    oa_document: OaDocumentTable;
    oa_delivery: OaDeliveryTable;
    oa_receipt: OaReceiptTable;
    oa_reminder: OaReminderTable;
  }
}
