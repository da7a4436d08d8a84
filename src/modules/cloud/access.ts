// Who may see what of the cloud inventory, as SQL. The shared pool (the data centre, its hosts, pools, flavours and
// images) is visible to every holder of cloud.read; department-owned rows (pre-consolidation rooms, business systems,
// VMs, quotas, zone grants) only inside the reader's region subtrees ∪ department tree (D88).
import { sql, type Expression, type SqlBool } from 'kysely';
import { inTenant, likePrefix } from '../../db/jurisdiction.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize, requireActor, scopeOf, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { forbidden, notFound } from '../../shared/errors.ts';
import './permissions.ts';

/** A scope's region subtrees (prefix ranges over a materialized path column) ∪ its department trees. */
export function scopeSql(scope: Scope | null, columns: { path: string; department: string }): Expression<SqlBool> {
  if (!scope) return sql<SqlBool>`false`;
  const parts: Expression<SqlBool>[] = scope.paths.map((p) => sql<SqlBool>`${sql.ref(columns.path)} LIKE ${likePrefix(p)}`);
  if (scope.departments.length > 0) parts.push(inTenant(sql.ref(columns.department), scope));
  return parts.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

/** The reader's scopes: cloud.read, and the write permissions (whoever may change a row may see it). */
export interface CloudReader {
  read: Scope | null;
  manage: Scope | null;
  systems: Scope | null;
}

export function reader(ctx: RequestContext, clock: Clock): CloudReader {
  const actor = requireActor(ctx.actor);
  const read = scopeOf(actor, 'cloud.read', clock);
  const manage = scopeOf(actor, 'cloud.manage', clock);
  const systems = scopeOf(actor, 'cloud.systems.manage', clock);
  if (!read && !manage && !systems) throw forbidden('auth.forbidden', 'Your roles do not include cloud.read.');
  return { read, manage, systems };
}

/** Department-owned rows the reader may see, by their region path and department columns. */
export function visibleSql(r: CloudReader, columns: { path: string; department: string }): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.join([r.read, r.manage, r.systems].map((s) => scopeSql(s, columns)), sql` OR `)})`;
}

/** cloud.manage: platform operators (inventory, flavours, images, zones, quotas). */
export function manager(ctx: RequestContext, clock: Clock): Scope {
  return authorize(ctx, 'cloud.manage', clock).scope;
}

export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
export const cloudNotFound = (field = 'id') => notFound('cloud.not_found', 'No such resource that you may see.', field);
