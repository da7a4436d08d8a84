// Who may do what to an account, written once with permissions (never role names): the rule the services enforce
// and the per-row `abilities` the directory returns are the same functions.
import { dutyOf, heldPermissions, isAdministrativeDuty, isDelegable, permissionsOf, ROLES, scopeCovers, scopeOf, type Actor, type Role, type Scope } from '../../shared/access.ts';
import { DomainError, forbidden } from '../../shared/errors.ts';
import type { GrantRow } from './repository.ts';

export type UserAbility = 'update' | 'disable' | 'enable' | 'unlock' | 'reset_password' | 'grant_roles';

/**
 * Why the actor may not act (manage the account, or change its roles) on a user already known to lie in the actor's
 * scope for that action, or null when it may. Acting on an account (resetting its password above all) hands over
 * everything the account can do, so (D21) every grant it holds must be one the actor could have made: inside the
 * actor's scope, and without `wide` (users.manage_all, roles.grant_any) a delegable role in the actor's own department
 * tree. And (D41) for account management (`guardDuties`), the account may hold no administrative duty the actor
 * lacks: a system administrator cannot take over the audit administrator's account by resetting its password. Role
 * changes are not guarded so: the security administrator grants and withdraws every role. One's own account passes.
 */
export function whyNotActable(
  actor: Actor,
  scope: Scope,
  target: { id: string; dept_id: string | null },
  grants: readonly GrantRow[],
  options: { inTenant: boolean; wide: boolean; guardDuties: boolean },
): DomainError | null {
  if (target.id === actor.userId) return null;
  if (!options.wide) {
    if (target.dept_id === null) return forbidden('auth.other_department', 'Accounts outside a department are managed at platform level only.');
    if (!options.inTenant) return forbidden('auth.other_department', 'You manage accounts of your own department and its sub-departments only.');
    const senior = grants.find((g) => !isDelegable(g.role));
    if (senior) return forbidden('auth.role_not_delegable', `Only a platform-level administrator may manage a user who holds ${senior.role}.`);
  }
  const beyond = grants.find((g) => !scopeCovers(scope, g.regionPath));
  if (beyond) return forbidden('auth.grant_outside_jurisdiction', `The user holds ${beyond.role} over ${beyond.regionName} (${beyond.regionCode}), beyond your jurisdiction.`);
  if (!options.guardDuties) return null;
  const held = heldPermissions(actor);
  for (const grant of grants) {
    const lacking = permissionsOf(grant.role).find((p) => isAdministrativeDuty(p) && !held.has(p));
    if (lacking) return forbidden('auth.separation_of_duties', `The user holds ${grant.role}, which confers ${lacking} that you do not hold: the three-role separation keeps that account from you.`);
  }
  return null;
}

/** A role that confers an audit.* permission (audit_admin, auditor, supervisor, or a module's audit role). */
export function isAuditRole(role: Role): boolean {
  return permissionsOf(role).some((p) => dutyOf(p) === 'audit');
}

/** Whether the actor holds a permission of the security duty (granting roles or shares). */
function holdsSecurityDuty(actor: Actor): boolean {
  return [...heldPermissions(actor)].some((p) => dutyOf(p) === 'security');
}

/**
 * Three-role separation (D61): whoever hands out roles may not hold an audit account's credentials. So a holder of
 * the security duty may not set the password of an account holding an audit role (it would then sign in as the
 * auditor), and nobody may grant an audit role to itself or to an account whose current password it set.
 */
export function whyNotPasswordSetter(actor: Actor, target: { id: string }, grants: readonly GrantRow[]): DomainError | null {
  if (target.id === actor.userId || !holdsSecurityDuty(actor)) return null;
  const audit = grants.find((g) => isAuditRole(g.role));
  if (!audit) return null;
  return forbidden('auth.separation_of_duties', `The user holds ${audit.role}, an audit role: an administrator who grants roles may not set its password.`);
}

export function whyNotAuditGrant(actor: Actor, target: { id: string; password_set_by: string | null }, role: Role): DomainError | null {
  if (!isAuditRole(role)) return null;
  if (target.id === actor.userId) return forbidden('auth.self_grant', 'You cannot change your own roles.');
  if (target.password_set_by !== null && target.password_set_by === actor.userId) {
    return forbidden('auth.audit_role_controlled', `You set this account's current password, so you may not grant it ${role}, an audit role: the holder must change the password first.`);
  }
  return null;
}

/** What the actor may do with a role: hand out delegable roles (roles.grant) or any role (roles.grant_any). */
export function mayGrantRole(actor: Actor, role: GrantRow['role']): boolean {
  return isDelegable(role) || scopeOf(actor, 'roles.grant_any') !== null;
}

/** The roles the actor may hand out at all (none without roles.grant); the console offers exactly these. */
export function grantableRoles(actor: Actor): Role[] {
  if (scopeOf(actor, 'roles.grant') === null) return [];
  return ROLES.filter((role) => mayGrantRole(actor, role));
}

/** A directory row as the policy sees it. */
export interface UserPolicyRow {
  id: string;
  kind: string;
  dept_id: string | null;
  region_path: string;
  status: 'active' | 'disabled';
  locked: boolean;
}

/**
 * The abilities rule for one caller over a page of rows; `tenant` is the caller's department tree (ids), loaded
 * only when the caller lacks the wide permissions.
 */
export function userPolicy(actor: Actor, tenant: ReadonlySet<string>) {
  const manage = scopeOf(actor, 'users.manage');
  const grant = scopeOf(actor, 'roles.grant');
  const manageWide = scopeOf(actor, 'users.manage_all') !== null;
  const grantWide = scopeOf(actor, 'roles.grant_any') !== null;
  const may = (scope: Scope | null, wide: boolean, guardDuties: boolean, row: UserPolicyRow, grants: readonly GrantRow[]) =>
    scope !== null &&
    row.kind === 'staff' &&
    scopeCovers(scope, row.region_path) &&
    whyNotActable(actor, scope, row, grants, { wide, guardDuties, inTenant: row.dept_id !== null && tenant.has(row.dept_id) }) === null;
  return (row: UserPolicyRow, grants: readonly GrantRow[]): UserAbility[] => {
    const abilities: UserAbility[] = [];
    const self = row.id === actor.userId;
    if (may(manage, manageWide, true, row, grants)) {
      abilities.push('update');
      if (!self && row.status === 'active') abilities.push('disable');
      if (row.status === 'disabled') abilities.push('enable');
      if (row.locked) abilities.push('unlock');
      if (!self && whyNotPasswordSetter(actor, row, grants) === null) abilities.push('reset_password');
    }
    if (!self && may(grant, grantWide, false, row, grants)) abilities.push('grant_roles');
    return abilities;
  };
}

/** Whether the rule needs the caller's department tree (it lacks a wide permission it would otherwise use). */
export function policyNeedsTenant(actor: Actor): boolean {
  if (actor.departmentId === null) return false;
  const narrowManage = scopeOf(actor, 'users.manage') !== null && scopeOf(actor, 'users.manage_all') === null;
  const narrowGrant = scopeOf(actor, 'roles.grant') !== null && scopeOf(actor, 'roles.grant_any') === null;
  return narrowManage || narrowGrant;
}
