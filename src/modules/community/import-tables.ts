// Table types of resident imports (files and the sharing platform's population resource).
import type { ColumnType, Generated } from 'kysely';

type BigCount = ColumnType<string, string | number | bigint | undefined, string | number | bigint>;

export type ImportStatus = 'queued' | 'receiving' | 'validating' | 'committing' | 'committed' | 'rejected' | 'failed';

/** What an import registers: residents (by ID number) or households (by household number, D113). */
export type ImportKind = 'residents' | 'households';

export interface CommunityImportTable {
  id: Generated<string>;
  kind: ColumnType<ImportKind, ImportKind | undefined, ImportKind>;
  source: 'file' | 'sharing';
  file_name: string | null;
  format: string | null;
  encoding: string | null;
  /** The population resource pulled (source 'sharing'). */
  resource_id: string | null;
  all_or_nothing: Generated<boolean>;
  status: ImportStatus;
  bytes_total: BigCount | null;
  bytes_read: BigCount;
  total_rows: Generated<number>;
  accepted_rows: Generated<number>;
  rejected_rows: Generated<number>;
  inserted_rows: Generated<number>;
  updated_rows: Generated<number>;
  error: string | null;
  /** The importer's community.manage region subtrees when the import began: the job checks rows against them. */
  scope_paths: string[];
  department_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
}

export interface CommunityImportRejectionTable {
  import_id: string;
  /** 1-based data row (header not counted); 0 for the header itself. */
  row_no: number;
  /** The column at fault (its header as written); '' for the whole row. */
  item: Generated<string>;
  value: string | null;
  code: string;
  message: string;
}

declare module '../../db/schema.ts' {
  interface Database {
    community_import: CommunityImportTable;
    community_import_rejection: CommunityImportRejectionTable;
  }
}
