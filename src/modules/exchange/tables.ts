// Table types of the exchange module (access tokens, statistics), added to the Database interface by augmentation.
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type BigCount = ColumnType<string, number | string | bigint | undefined, number | string | bigint>;

/** An access token of a client application: only its SHA-256 digest is kept. */
export interface ExchangeTokenTable {
  token_hash: string;
  client_app_id: string;
  issued_at: Timestamp;
  expires_at: Timestamp;
}

/** Calls, rows handed out and refusals per day (Asia/Shanghai) × client application × resource. */
export interface ExchangeStatTable {
  day: ColumnType<string, string, string>;
  client_app_id: string;
  resource_id: string;
  provider_department_id: string;
  consumer_department_id: string;
  calls: BigCount;
  rows: BigCount;
  refusals: BigCount;
}

declare module '../../db/schema.ts' {
  interface Database {
    exchange_token: ExchangeTokenTable;
    exchange_stat: ExchangeStatTable;
  }
}
