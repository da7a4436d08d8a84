// Table types of the files module, added to the Database type.
import type { ColumnType } from 'kysely';

export interface FileRecordTable {
  id: ColumnType<string, string | undefined, never>;
  /** SHA-256 of the content (hex): the blob's name in the store; equal contents share one blob. */
  sha256: string;
  size: string;
  /** The media type detected from the content (magic bytes), never taken from the name or the client. */
  media_type: string;
  /** The name the uploader gave, for Content-Disposition. */
  original_name: string;
  /** What the file is for, as the owning module declared it ('avatar', 'material' …): fixes size and type limits. */
  use: string;
  /** The object the file belongs to: its kind (registered by the owning module) and id. */
  owner_kind: string;
  owner_id: string;
  uploaded_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

declare module '../../db/schema.ts' {
  interface Database {
    file_record: FileRecordTable;
  }
}
