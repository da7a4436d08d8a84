// Who is asking (Actor), what each role may do (permissions) and where: a scope is the union of region subtrees,
// department trees (tenancy) and share grants. Rules elsewhere ask for permissions, never for role names.
import { systemClock, type Clock } from '../platform/clock.ts';
import type { RequestContext } from './context.ts';
import { forbidden, unauthenticated } from './errors.ts';

export const ROLES = [
  'platform_admin', // 系统管理员 (platform administrator): regions, departments, account lifecycle
  'security_admin', // 安全管理员: role grants, share grants, sensitive data
  'audit_admin', // 审计管理员: the audit trail, its verification
  'department_admin', // 部门管理员
  'department_staff', // 部门工作人员
  'community_worker', // 社区网格员
  'supervisor', // 纪检监察
  'auditor', // 审计员
  'leader', // 领导
] as const;
export type Role = (typeof ROLES)[number];

export const CORE_PERMISSIONS = [
  'dashboard.read',
  'regions.read',
  'regions.manage',
  'departments.read',
  'departments.manage',
  'users.read',
  /** Unmasked phone and e-mail in the user directory (every such read is recorded). */
  'users.read_sensitive',
  /** Account lifecycle: create, update, disable, enable, unlock, reset password. */
  'users.manage',
  /** Manage accounts in any department of the jurisdiction, and accounts holding any role (else: own department tree, delegable roles). */
  'users.manage_all',
  /** Grant and revoke the delegable roles (department staff, community worker). */
  'roles.grant',
  /** Grant and revoke any role. */
  'roles.grant_any',
  /** Create, list and revoke share grants. */
  'shares.manage',
  'audit.read',
  /** Audit records tied to no region (platform events: sign-ins of unknown names, system work). */
  'audit.read_platform',
  'audit.verify',
] as const;

/**
 * Every permission, as keys. A module adds its own by augmentation from its manifest's folder:
 * `declare module '../../shared/access.ts' { interface PermissionRegistry { 'calendar.manage': true } }`
 * and declares them (with the roles that hold them) in its manifest; the registry registers them at start.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- modules add members by augmentation
export interface PermissionRegistry extends Record<(typeof CORE_PERMISSIONS)[number], true> {}
export type Permission = keyof PermissionRegistry & string;

/** All permissions known to this process: the core's, then those registered by modules. */
export const PERMISSIONS: Permission[] = [...CORE_PERMISSIONS];

/**
 * Three-role separation (MLPS level 3, 等保三级): system, security and audit duties. No role may hold permissions of
 * both the security duty and the audit duty, nor manage accounts and read the audit trail.
 */
export type Duty = 'system' | 'security' | 'audit';
export const DUTY_ADMIN: Readonly<Record<Duty, Role>> = { system: 'platform_admin', security: 'security_admin', audit: 'audit_admin' };

/** The duty a permission belongs to: audit.* is the audit duty; granting roles and data is the security duty. */
export function dutyOf(permission: string): Duty {
  if (permission.startsWith('audit.')) return 'audit';
  if (permission.startsWith('roles.') || permission.startsWith('shares.')) return 'security';
  return 'system';
}

/** Permissions that change who may do what: a role holding one of them may not also hold an audit.* permission. */
const ACCOUNT_CONTROL: readonly string[] = ['users.manage', 'users.manage_all', 'roles.grant', 'roles.grant_any', 'shares.manage'];

const READ_BASICS: Permission[] = ['dashboard.read', 'regions.read', 'departments.read'];

/** Permissions a role confers over the region subtree of each of its grants. */
const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  platform_admin: [...READ_BASICS, 'regions.manage', 'departments.manage', 'users.read', 'users.read_sensitive', 'users.manage', 'users.manage_all'],
  security_admin: [...READ_BASICS, 'users.read', 'users.manage', 'users.manage_all', 'roles.grant', 'roles.grant_any', 'shares.manage'],
  audit_admin: [...READ_BASICS, 'users.read', 'audit.read', 'audit.read_platform', 'audit.verify'],
  department_admin: [...READ_BASICS, 'users.read', 'users.manage', 'roles.grant'],
  department_staff: [...READ_BASICS],
  community_worker: [...READ_BASICS],
  supervisor: [...READ_BASICS, 'users.read', 'audit.read', 'audit.verify'],
  auditor: [...READ_BASICS, 'users.read', 'audit.read', 'audit.verify'],
  leader: [...READ_BASICS, 'users.read'],
};

/** Permissions a role confers over the holder's own department and its sub-departments (tenancy), wherever they lie. */
const TENANT_PERMISSIONS: Record<Role, Permission[]> = {
  platform_admin: [],
  security_admin: [],
  audit_admin: [],
  department_admin: ['users.read_sensitive'],
  department_staff: ['users.read'],
  community_worker: [],
  supervisor: [],
  auditor: [],
  leader: [],
};

/** Roles a holder of roles.grant (without roles.grant_any) may hand out and manage. */
const DELEGABLE: readonly Role[] = ['department_staff', 'community_worker'];

export function isDelegable(role: Role): boolean {
  return DELEGABLE.includes(role);
}

/**
 * A permission only the security or audit administrator holds (not shared with a business role such as auditor or
 * department admin): an account holding one is out of reach of anyone lacking it (no takeover across duties).
 */
export function isAdministrativeDuty(permission: Permission): boolean {
  if (dutyOf(permission) === 'system') return false;
  const admins = Object.values(DUTY_ADMIN) as Role[];
  return !ROLES.some((role) => !admins.includes(role) && permissionsOf(role).includes(permission));
}

/** Throws when a role would break the three-role separation (checked for built-in roles and for every registration). */
export function assertSeparation(role: Role): void {
  const held = [...ROLE_PERMISSIONS[role], ...TENANT_PERMISSIONS[role]];
  const control = held.find((p) => ACCOUNT_CONTROL.includes(p));
  const audit = held.find((p) => dutyOf(p) === 'audit');
  if (control && audit) throw new Error(`Role ${role} would hold both ${control} and ${audit}: the three-role separation forbids it.`);
}

/**
 * Adds a module's permission (idempotent): the named roles hold it, and so does the administrator of its duty
 * (audit.* → audit_admin; roles.*, shares.* → security_admin; the rest → platform_admin).
 */
export function registerPermission(name: Permission, roles: readonly Role[], tenantRoles: readonly Role[] = []): void {
  if (!PERMISSIONS.includes(name)) PERMISSIONS.push(name);
  const add = (table: Record<Role, Permission[]>, role: Role) => {
    if (table[role].includes(name)) return;
    table[role].push(name);
    try {
      assertSeparation(role);
    } catch (error) {
      table[role].pop();
      throw error;
    }
  };
  // roles holding it over the holder's own department tree only (e.g. a department administrator's own resources)
  for (const role of tenantRoles) add(TENANT_PERMISSIONS, role);
  for (const role of new Set<Role>([DUTY_ADMIN[dutyOf(name)], ...roles])) add(ROLE_PERMISSIONS, role);
}

/** Every permission a role confers, over its region or over the holder's department tree. */
/** The permissions a role confers over the region subtree of its grant (not those over the holder's department tree). */
export function regionPermissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

export function permissionsOf(role: Role): readonly Permission[] {
  return [...new Set([...ROLE_PERMISSIONS[role], ...TENANT_PERMISSIONS[role]])];
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export interface Grant {
  role: Role;
  regionCode: string;
  /** Materialized path of the grant's region, e.g. '/6505/650502/'. */
  regionPath: string;
}

/** A share grant the actor may use: named fields of a resource's rows in the owner's department tree, until expiry. */
export interface ShareAccess {
  id: string;
  resource: string;
  fields: readonly string[];
  ownerDepartmentId: string;
  purpose: string;
  expiresAt: string;
  /** Granted to the actor's department, or to the client application (API token) itself. */
  grantee: 'department' | 'client';
}

export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'citizen';
  departmentId: string | null;
  grants: Grant[];
  /** How the request authenticated; 'system' is the platform itself (SYSTEM_ACTOR). */
  via: 'session' | 'token' | 'system';
  /** For token clients: the permissions the token was limited to. */
  tokenScopes?: readonly Permission[];
  /** For token clients: the token (the client application) itself, a possible share grantee. */
  tokenId?: string;
  /** Share grants made to the actor's department or to its token (expired ones are ignored by authorize). */
  shares?: readonly ShareAccess[];
}

/**
 * The platform itself acting (CLI, demo seed, test factories): it holds every permission everywhere and is recorded
 * in the audit trail as 'system', never as a user. Nothing that arrives over HTTP is ever this actor.
 */
export const SYSTEM_ACTOR: Actor = Object.freeze({
  userId: '',
  username: 'system',
  displayName: '系统',
  kind: 'staff',
  departmentId: null,
  grants: Object.freeze([Object.freeze({ role: 'platform_admin', regionCode: '', regionPath: '/' })]) as Grant[],
  via: 'system',
});

export function isSystemActor(actor: Actor | undefined): boolean {
  return actor?.via === 'system';
}

/** The user to name as the author of a write (granted_by): none when the platform itself writes. */
export function authorOf(actor: Actor): string | null {
  return actor.via === 'system' ? null : actor.userId;
}

/** Where an actor holds a permission: region subtrees ∪ department trees ∪ share grants; never all empty. */
export interface Scope {
  permission: Permission;
  /** Region subtrees (materialized paths). */
  paths: string[];
  /** Roots of department trees (the actor's own department for tenant permissions). */
  departments: string[];
  /** Share grants opening `<resource>.read` (named fields only). */
  shares: ShareAccess[];
}

/** Drops paths already covered by a shorter one: ['/65/', '/65/6505/'] -> ['/65/']. */
export function minimalPaths(paths: Iterable<string>): string[] {
  const sorted = [...new Set(paths)].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const kept: string[] = [];
  for (const path of sorted) if (!kept.some((root) => path.startsWith(root))) kept.push(path);
  return kept.sort();
}

export function requireActor(actor: Actor | undefined): Actor {
  if (!actor) throw unauthenticated('auth.required', 'Sign in or present an API token.');
  return actor;
}

/** The resource a share grant on `<resource>.read` opens, or null for permissions shares cannot open. */
function shareResource(permission: Permission): string | null {
  return permission.endsWith('.read') ? permission.slice(0, -'.read'.length) : null;
}

/** The actor's scope for a permission, or null when it holds the permission nowhere. */
export function scopeOf(actor: Actor, permission: Permission, clock: Clock = systemClock): Scope | null {
  // the platform itself (CLI, seed, factories) holds every permission everywhere
  if (actor.via === 'system') return { permission, paths: ['/'], departments: [], shares: [] };
  // a grant made to the client application itself needs no token scope: it names this very token
  if (actor.tokenScopes && !actor.tokenScopes.includes(permission)) return clientSharesOnly(actor, permission, clock);
  const paths = minimalPaths(actor.grants.filter((g) => ROLE_PERMISSIONS[g.role].includes(permission)).map((g) => g.regionPath));
  const tenant = actor.departmentId !== null && actor.grants.some((g) => TENANT_PERMISSIONS[g.role].includes(permission));
  const resource = shareResource(permission);
  const now = clock.now().toISOString();
  const shares = resource === null ? [] : (actor.shares ?? []).filter((s) => s.resource === resource && s.expiresAt > now);
  if (paths.length === 0 && !tenant && shares.length === 0) return null;
  return { permission, paths, departments: tenant ? [actor.departmentId!] : [], shares };
}

function clientSharesOnly(actor: Actor, permission: Permission, clock: Clock): Scope | null {
  const resource = shareResource(permission);
  const now = clock.now().toISOString();
  const shares = resource === null ? [] : (actor.shares ?? []).filter((s) => s.grantee === 'client' && s.resource === resource && s.expiresAt > now);
  return shares.length === 0 ? null : { permission, paths: [], departments: [], shares };
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return scopeOf(actor, permission) !== null;
}

/** The jurisdiction in which the actor may exercise a permission; throws `auth.required` / `auth.forbidden`. */
export function requireScope(actor: Actor | undefined, permission: Permission, clock: Clock = systemClock): Scope {
  const who = requireActor(actor);
  const scope = scopeOf(who, permission, clock);
  if (!scope && who.tokenScopes && !who.tokenScopes.includes(permission)) {
    throw forbidden('auth.token_scope', `This API token is not scoped for ${permission}.`);
  }
  if (!scope) throw forbidden('auth.forbidden', `Your roles do not include ${permission}.`);
  return scope;
}

/** The first line of a service method: who asks, and where they may exercise the permission. */
export function authorize(ctx: RequestContext, permission: Permission, clock: Clock = systemClock): { actor: Actor; scope: Scope } {
  const actor = requireActor(ctx.actor);
  return { actor, scope: requireScope(actor, permission, clock) };
}

/** Whether the scope's region part covers a region (department trees and shares need the database: see db/jurisdiction.ts). */
export function scopeCovers(scope: Scope, regionPath: string): boolean {
  return scope.paths.some((root) => regionPath.startsWith(root));
}

/** The role an actor acted under for a permission, for the audit record. */
export function roleFor(actor: Actor, permission: Permission): Role | null {
  return actor.grants.find((g) => permissionsOf(g.role).includes(permission))?.role ?? null;
}

/** Every permission the actor holds somewhere (limited by a token's scopes). */
export function heldPermissions(actor: Actor): Set<Permission> {
  const held = new Set<Permission>();
  for (const grant of actor.grants) for (const p of permissionsOf(grant.role)) if (!actor.tokenScopes || actor.tokenScopes.includes(p)) held.add(p);
  return held;
}
