// What a caller may do to an incident (abilities per row), from the state machine and the reach flags computed in SQL.
import { TRANSITIONS, type IncidentAction, type IncidentStatus } from './kinds.ts';

export type IncidentAbility = IncidentAction | 'attach';

export interface IncidentFlags {
  status: IncidentStatus;
  in_dispatch: boolean;
  in_handle: boolean;
  is_reporter: boolean;
}

/** Whether the caller's reach on this row allows the action (its state is checked separately: 409, not 403). */
export function reachAllows(row: Omit<IncidentFlags, 'status'>, action: IncidentAction): boolean {
  switch (action) {
    case 'dispatch':
      return row.in_dispatch;
    case 'conclude':
    case 'return':
      return row.in_handle;
    case 'resubmit':
      return row.is_reporter;
  }
}

export function incidentAbilities(row: IncidentFlags): IncidentAbility[] {
  const out: IncidentAbility[] = [];
  for (const action of Object.keys(TRANSITIONS) as IncidentAction[]) {
    if (TRANSITIONS[action].from.includes(row.status) && reachAllows(row, action)) out.push(action);
  }
  if (row.is_reporter && (row.status === 'reported' || row.status === 'returned')) out.push('attach');
  return out;
}
