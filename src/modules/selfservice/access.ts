// Who may see and act on requests and VMs, as SQL: region subtrees (path prefix) ∪ department trees, per permission.
// Every query of the module takes its jurisdiction from here.
import { sql, type Expression, type SqlBool } from 'kysely';
import { inTenant, likePrefix } from '../../db/jurisdiction.ts';
import type { Clock } from '../../platform/clock.ts';
import { requireActor, scopeOf, type Actor, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { forbidden, notFound } from '../../shared/errors.ts';
import './permissions.ts';

/** A scope's region subtrees (prefix ranges over a materialized path column) ∪ its department trees; false for none. */
export function scopeSql(scope: Scope | null, columns: { path: string; department: string }): Expression<SqlBool> {
  if (!scope) return sql<SqlBool>`false`;
  const parts: Expression<SqlBool>[] = scope.paths.map((p) => sql<SqlBool>`${sql.ref(columns.path)} LIKE ${likePrefix(p)}`);
  if (scope.departments.length > 0) parts.push(inTenant(sql.ref(columns.department), scope));
  return parts.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

/** The caller's scopes for every self-service permission (null where it holds none). */
export interface CloudAccess {
  actor: Actor;
  request: Scope | null;
  approveDepartment: Scope | null;
  approvePlatform: Scope | null;
  operate: Scope | null;
  read: Scope | null;
}

export function cloudAccess(ctx: RequestContext, clock: Clock): CloudAccess {
  const actor = requireActor(ctx.actor);
  if (actor.kind !== 'staff') throw forbidden('auth.forbidden', 'Staff accounts only.');
  return {
    actor,
    request: scopeOf(actor, 'cloud.request', clock),
    approveDepartment: scopeOf(actor, 'cloud.approve_department', clock),
    approvePlatform: scopeOf(actor, 'cloud.approve_platform', clock),
    operate: scopeOf(actor, 'cloud.operate', clock),
    read: scopeOf(actor, 'cloud.read', clock),
  };
}

/** Requests (alias r) the caller may see: their own ∪ approvable ∪ readable. */
export function requestVisibleSql(a: CloudAccess): Expression<SqlBool> {
  const cols = { path: 'r.region_path', department: 'r.department_id' };
  return sql<SqlBool>`(r.requested_by = ${a.actor.userId} OR ${scopeSql(a.approveDepartment, cols)} OR ${scopeSql(a.approvePlatform, cols)} OR ${scopeSql(a.read, cols)})`;
}

/** VMs (alias v) the caller may see: operable ∪ readable ∪ requested by them. */
export function vmVisibleSql(a: CloudAccess): Expression<SqlBool> {
  const cols = { path: 'v.region_path', department: 'v.department_id' };
  return sql<SqlBool>`(${scopeSql(a.operate, cols)} OR ${scopeSql(a.read, cols)} OR ${scopeSql(a.request, cols)} OR EXISTS (SELECT 1 FROM cloud_vm_request q WHERE q.vm_id = v.id AND q.requested_by = ${a.actor.userId}))`;
}

export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
export const requestNotFound = () => notFound('selfservice.not_found', 'No such request that you may see.', 'id');
export const vmNotFound = () => notFound('cloud.not_found', 'No such VM that you may see.', 'id');
