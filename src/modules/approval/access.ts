// Who may see and act on items and cases, as SQL: readers by region-path prefix, handlers over their department tree,
// citizens their own cases only. Every query of the module takes its jurisdiction from here.
import { sql, type Expression, type SqlBool } from 'kysely';
import { inTenant, likePrefix } from '../../db/jurisdiction.ts';
import type { Clock } from '../../platform/clock.ts';
import { requireActor, scopeOf, type Actor, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { forbidden } from '../../shared/errors.ts';
import './permissions.ts';

/** A scope's region subtrees (prefix ranges over a materialized path column) ∪ its department trees. */
export function scopeSql(scope: Scope | null, columns: { path: string; department: string }): Expression<SqlBool> {
  if (!scope) return sql<SqlBool>`false`;
  const parts: Expression<SqlBool>[] = scope.paths.map((p) => sql<SqlBool>`${sql.ref(columns.path)} LIKE ${likePrefix(p)}`);
  if (scope.departments.length > 0) parts.push(inTenant(sql.ref(columns.department), scope));
  return parts.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

/** The staff member's scopes for reading and handling (either may be null). */
export interface StaffAccess {
  actor: Actor;
  read: Scope | null;
  handle: Scope | null;
  extend: Scope | null;
}

/** A staff member who may read or handle cases at all; else 403. */
export function staffAccess(ctx: RequestContext, clock: Clock): StaffAccess {
  const actor = requireActor(ctx.actor);
  if (actor.kind !== 'staff') throw forbidden('auth.forbidden', 'Staff accounts only.');
  const read = scopeOf(actor, 'approval.read', clock);
  const handle = scopeOf(actor, 'approval.handle', clock);
  const extend = scopeOf(actor, 'approval.extend', clock);
  if (!read && !handle) throw forbidden('auth.forbidden', 'Your roles do not include approval.read.');
  return { actor, read, handle, extend };
}

/** Cases (alias c) the staff member may see: readable ∪ handled. */
export function caseVisibleSql(access: StaffAccess): Expression<SqlBool> {
  const cols = { path: 'c.region_path', department: 'c.department_id' };
  return sql<SqlBool>`(${scopeSql(access.read, cols)} OR ${scopeSql(access.handle, cols)})`;
}

export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
