// Table types of the feeds module (change-feed subscriptions), added to the Database interface.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A bigint column: read as text, written from a number or text. */
type BigCursor = ColumnType<string, number | string | undefined, number | string>;

export const WEBHOOK_ALGORITHMS = ['hmac-sha256', 'sm3-hmac'] as const;
export type WebhookAlgorithm = (typeof WEBHOOK_ALGORITHMS)[number];

/**
 * active: delivered / pulled; paused: by the subscriber; failing: webhook deliveries keep failing (still retried,
 * cursor kept); suspended: the grant was revoked or expired (nothing more leaves).
 */
export const SUBSCRIPTION_STATUSES = ['active', 'paused', 'failing', 'suspended'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export interface FeedSubscriptionTable {
  id: Generated<string>;
  client_app_id: string;
  /** The data grant (share grant id) the changes are read through: its items, masks and region filter. */
  share_id: string;
  resource_id: string;
  provider_department_id: string;
  consumer_department_id: string;
  /** null: a pull subscription. */
  webhook_url: string | null;
  algorithm: WebhookAlgorithm | null;
  /** The HMAC key, kept to sign with (shown to the subscriber once). */
  signing_secret: string | null;
  /** The last data_row seq delivered (webhooks) or acknowledged by a pull with that cursor. */
  cursor: BigCursor;
  status: Generated<SubscriptionStatus>;
  failure_count: Generated<number>;
  last_error: string | null;
  last_error_at: Timestamp | null;
  last_delivered_at: Timestamp | null;
  last_pulled_at: Timestamp | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface Database {
    feed_subscription: FeedSubscriptionTable;
  }
}
