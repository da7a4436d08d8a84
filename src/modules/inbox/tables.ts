// Table types of the inbox module (migration 20261127T0912_inbox_messages).
import type { ColumnType, Generated } from 'kysely';

/** 站内信 — an in-app message to one user. */
export interface InboxMessageTable {
  id: Generated<string>;
  recipient_id: string;
  /** The module that sent it, e.g. 'calendar'. */
  module: string;
  /** What it is about within the module, e.g. 'calendar.coverage'. */
  kind: string;
  title: string;
  body: string;
  /** Console path to act on it. */
  link: string | null;
  /** Idempotency key: a message resent with the same key (outbox redelivery) is stored once per recipient. */
  dedupe_key: string | null;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  read_at: Date | null;
}

declare module '../../db/schema.ts' {
  interface Database {
    inbox_message: InboxMessageTable;
  }
}
