// What a caller may do to a department (abilities), written once with permissions.
import { scopeCovers, scopeOf, type Actor } from '../../shared/access.ts';

export type DepartmentAbility = 'update' | 'add_user';

/**
 * The rules for a set of rows, decided with what was loaded once: `tenant` is the caller's own department tree
 * (ids), needed when the caller manages accounts only there.
 */
export function departmentPolicy(actor: Actor, tenant: ReadonlySet<string>) {
  const manage = scopeOf(actor, 'departments.manage');
  const users = scopeOf(actor, 'users.manage');
  const anyDepartment = scopeOf(actor, 'users.manage_all') !== null;
  return (row: { id: string; region_path: string }): DepartmentAbility[] => {
    const abilities: DepartmentAbility[] = [];
    if (manage && scopeCovers(manage, row.region_path)) abilities.push('update');
    if (users && scopeCovers(users, row.region_path) && (anyDepartment || tenant.has(row.id))) abilities.push('add_user');
    return abilities;
  };
}

/** Whether the policy needs the caller's department tree (it manages accounts only there). */
export function needsTenant(actor: Actor): boolean {
  return actor.departmentId !== null && scopeOf(actor, 'users.manage') !== null && scopeOf(actor, 'users.manage_all') === null;
}
