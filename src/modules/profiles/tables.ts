// Table types of the profiles module, added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { Fact } from '../community/index.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** The one consumer whose grants the digital community system reads through (D67). */
export interface ProfileConsumerTable {
  id: Generated<boolean>;
  department_id: string;
  client_app_id: string | null;
  /** The purpose recorded with every profile read. */
  purpose: string;
  updated_at: Timestamp;
}

/** A person-keyed resource a fact flag is derived from (a row for the person there ⇒ the fact holds). */
export interface ProfileFactSourceTable {
  fact: Fact;
  resource_id: string;
}

declare module '../../db/schema.ts' {
  interface Database {
    profile_consumer: ProfileConsumerTable;
    profile_fact_source: ProfileFactSourceTable;
  }
}
