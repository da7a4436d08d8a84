// Table types of the calendar module (migration 20261127T0910_calendar_tables).
import type { ColumnType } from 'kysely';

export interface CalendarYearTable {
  year: number;
  /** 'package': shipped with chinese-days; 'admin': loaded by an administrator (never overwritten by the package). */
  source: 'package' | 'admin';
  holidays: number;
  workdays: number;
  loaded_at: ColumnType<Date, Date | string | undefined, Date | string>;
  loaded_by: string | null;
}

export interface CalendarDayTable {
  day: ColumnType<string, string, string>;
  year: number;
  kind: 'holiday' | 'workday';
  name: string;
}

/** One row: bumped by every load, so each node sees that its copy is stale. */
export interface CalendarStateTable {
  id: number;
  version: ColumnType<string, string | number | bigint, string | number | bigint>;
}

/** A year that computations reached without its schedule loaded: the coverage guard's visible alert. */
export interface CalendarCoverageAlertTable {
  year: number;
  first_at: ColumnType<Date, Date | string, Date | string>;
  last_at: ColumnType<Date, Date | string, Date | string>;
  computations: ColumnType<string, string | number, string | number>;
  furthest: ColumnType<string, string, string>;
  resolved_at: Date | null;
}

declare module '../../db/schema.ts' {
  interface Database {
    calendar_year: CalendarYearTable;
    calendar_day: CalendarDayTable;
    calendar_state: CalendarStateTable;
    calendar_coverage_alert: CalendarCoverageAlertTable;
  }
}
