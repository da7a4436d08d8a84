// Table types of grid work, added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { IncidentAction, IncidentCategory, IncidentStatus, VisitKind } from './kinds.ts';

type DateOnly = ColumnType<string, string, string>;

/** 走访记录: one visit to one resident. */
export interface GridworkVisitTable {
  id: Generated<string>;
  resident_id: string;
  community_code: string;
  /** The resident's community path at the time of the visit (jurisdiction). */
  region_path: string;
  grid_id: string | null;
  visitor_id: string | null;
  kind: VisitKind;
  visited_at: Date;
  notes: Generated<string>;
  latitude: number | null;
  longitude: number | null;
  /** The client's submission key: a retried POST finds the visit it created. */
  client_key: string;
  created_at: Generated<Date>;
}

/** 事件: reported by a grid worker, dispatched by the street, handled by a department. */
export interface GridworkIncidentTable {
  id: Generated<string>;
  number: string;
  category: IncidentCategory;
  description: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  community_code: string;
  region_path: string;
  /** The community's street (level-3 region), whose dispatchers accept the incident. */
  street_code: string;
  street_path: string;
  grid_id: string | null;
  reporter_id: string | null;
  client_key: string;
  status: Generated<IncidentStatus>;
  department_id: string | null;
  deadline: DateOnly | null;
  deadline_provisional: Generated<boolean>;
  dispatched_at: Date | null;
  dispatched_by: string | null;
  concluded_at: Date | null;
  conclusion: string | null;
  return_reason: string | null;
  version: Generated<number>;
  reported_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface GridworkIncidentEventTable {
  id: Generated<string>;
  incident_id: string;
  action: IncidentAction | 'report';
  from_status: IncidentStatus | null;
  to_status: IncidentStatus;
  actor_id: string | null;
  department_id: string | null;
  note: Generated<string>;
  at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface Database {
    gridwork_visit: GridworkVisitTable;
    gridwork_incident: GridworkIncidentTable;
    gridwork_incident_event: GridworkIncidentEventTable;
  }
}
