// Who is asking (Actor), what each role may do (permissions) and where (jurisdiction = region subtrees).
import { forbidden, unauthenticated } from './errors.ts';

export const ROLES = [
  'platform_admin', // 平台管理员
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
  'users.manage',
  'audit.read',
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

const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  platform_admin: [...CORE_PERMISSIONS],
  department_admin: ['dashboard.read', 'regions.read', 'departments.read', 'users.read', 'users.manage'],
  department_staff: ['dashboard.read', 'regions.read', 'departments.read'],
  community_worker: ['dashboard.read', 'regions.read', 'departments.read'],
  supervisor: ['dashboard.read', 'regions.read', 'departments.read', 'users.read', 'audit.read'],
  auditor: ['dashboard.read', 'regions.read', 'departments.read', 'users.read', 'audit.read'],
  leader: ['dashboard.read', 'regions.read', 'departments.read', 'users.read'],
};

/** Adds a module's permission (idempotent): platform administrators hold every permission, the named roles too. */
export function registerPermission(name: Permission, roles: readonly Role[]): void {
  if (!PERMISSIONS.includes(name)) PERMISSIONS.push(name);
  for (const role of new Set<Role>(['platform_admin', ...roles])) if (!ROLE_PERMISSIONS[role].includes(name)) ROLE_PERMISSIONS[role].push(name);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
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

/** The region subtrees (paths) in which an actor holds a permission; never empty. */
export interface Scope {
  permission: Permission;
  paths: string[];
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

export function hasPermission(actor: Actor, permission: Permission): boolean {
  if (actor.via === 'system') return true;
  if (actor.tokenScopes && !actor.tokenScopes.includes(permission)) return false;
  return actor.grants.some((grant) => permissionsOf(grant.role).includes(permission));
}

/** The jurisdiction in which the actor may exercise a permission; throws `auth.forbidden` when there is none. */
export function requireScope(actor: Actor | undefined, permission: Permission): Scope {
  const who = requireActor(actor);
  if (who.via === 'system') return { permission, paths: ['/'] };
  if (who.tokenScopes && !who.tokenScopes.includes(permission)) {
    throw forbidden('auth.token_scope', `This API token is not scoped for ${permission}.`);
  }
  const paths = minimalPaths(who.grants.filter((g) => permissionsOf(g.role).includes(permission)).map((g) => g.regionPath));
  if (paths.length === 0) throw forbidden('auth.forbidden', `Your roles do not include ${permission}.`);
  return { permission, paths };
}

export function scopeCovers(scope: Scope, regionPath: string): boolean {
  return scope.paths.some((root) => regionPath.startsWith(root));
}

/** The role an actor acted under for a permission, for the audit record. */
export function roleFor(actor: Actor, permission: Permission): Role | null {
  return actor.grants.find((g) => permissionsOf(g.role).includes(permission))?.role ?? null;
}
