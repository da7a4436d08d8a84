// The database's table types, assembled from the modules: each module's tables.ts adds its tables to `Database` by
// augmentation (`declare module '../../db/schema.ts' { interface Database { … } }`), and the registry imports every
// module, so the interface holds exactly the registered modules' tables.
import type { ColumnType } from 'kysely';

/** A timestamptz column: read as Date, written as Date or ISO text, defaulted by the database on insert. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A date column read as 'YYYY-MM-DD' text, defaulted by the database on insert. */
export type DateOnly = ColumnType<string, string | undefined, string>;

/** Every table, by name; filled in by the modules' tables.ts files. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- modules add members by augmentation
export interface Database {}
