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
  /** The resource's highest row seq the last full derivation saw. */
  derived_seq: ColumnType<string | null, string | null | undefined, string | null>;
}

/** What each fact's flags were last derived from (the sweep re-derives a fact when its usable sources change). */
export interface ProfileFactStateTable {
  fact: Fact;
  fingerprint: string;
  derived_at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface Database {
    profile_consumer: ProfileConsumerTable;
    profile_fact_source: ProfileFactSourceTable;
    profile_fact_state: ProfileFactStateTable;
  }
}
