// What a caller may do to a region (abilities), written once with permissions: effective-dated changes need
// regions.manage over the region, and only a current region can change.
import { scopeCovers, scopeOf, type Actor } from '../../shared/access.ts';

export type RegionAbility = 'rename' | 'merge' | 'retire';

export function regionPolicy(actor: Actor) {
  const manage = scopeOf(actor, 'regions.manage');
  return (region: { path: string; validTo: string | null }): RegionAbility[] =>
    manage && region.validTo === null && scopeCovers(manage, region.path) ? ['rename', 'merge', 'retire'] : [];
}
