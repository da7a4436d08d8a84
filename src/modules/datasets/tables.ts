// Table types of the datasets module (loads and rows), added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type BigCount = ColumnType<string, number | string | bigint | undefined, number | string | bigint>;

export type LoadStatus = 'receiving' | 'validating' | 'committing' | 'committed' | 'rejected' | 'failed';

export interface DataLoadTable {
  id: Generated<string>;
  resource_id: string;
  department_id: string;
  /** The resource's data version this load made (set when it commits). */
  version: number | null;
  source: 'file' | 'api';
  file_name: string | null;
  format: 'csv' | 'xlsx' | 'json' | null;
  encoding: string | null;
  /** upsert: rows by key are inserted or replaced; replace: rows the load does not name are deleted (tombstones). */
  mode: Generated<'upsert' | 'replace'>;
  status: Generated<LoadStatus>;
  bytes_total: BigCount | null;
  bytes_read: ColumnType<string, number | string | bigint | undefined, number | string | bigint>;
  total_rows: Generated<number>;
  accepted_rows: Generated<number>;
  rejected_rows: Generated<number>;
  inserted_rows: Generated<number>;
  updated_rows: Generated<number>;
  /** Per-item completeness and other figures of the load (quality). */
  stats: unknown;
  error: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  finished_at: Timestamp | null;
  /** Last sign of life of the process receiving the load; loads silent too long are failed (a crash or kill). */
  heartbeat_at: Timestamp | null;
  /** Any rejection rejects the whole load. */
  all_or_nothing: Generated<boolean>;
}

/** A load's accepted rows until its commit merges them into data_row (then deleted). */
export interface DataLoadStagingTable {
  load_id: string;
  row_no: number;
  key: string;
  data: unknown;
  region_code: string | null;
  person_id: string | null;
}

export interface DataLoadRejectionTable {
  load_id: string;
  /** 1-based data row number in the file (header not counted) or index+1 in the pushed batch. */
  row_no: number;
  /** The item (column) at fault; '' for the whole row. */
  item: Generated<string>;
  value: string | null;
  code: string;
  message: string;
}

export interface DataRowTable {
  resource_id: string;
  /** The key items' values joined by U+001F. */
  key: string;
  /** Item code → value (strings, numbers, booleans; dates as ISO strings). */
  data: unknown;
  region_code: string | null;
  person_id: string | null;
  load_id: string;
  seq: Generated<BigCount>;
  deleted: Generated<boolean>;
  updated_at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface Database {
    data_load: DataLoadTable;
    data_load_rejection: DataLoadRejectionTable;
    data_row: DataRowTable;
    data_load_staging: DataLoadStagingTable;
  }
}
