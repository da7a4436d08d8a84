// What a caller may do with the audit trail, written once with permissions (the three-role separation decides who
// holds them, D41).
import { scopeOf, type Actor } from '../../shared/access.ts';

/** Records tied to no region (sign-ins of unknown names, system work) are the audit administrator's, not a region's. */
export function readsPlatformRecords(actor: Actor): boolean {
  return scopeOf(actor, 'audit.read_platform') !== null;
}
