// Kysely SQL of the extranet module. Jurisdiction lives here: nodes and connections by their region path (or, for a
// department's own staff, by the department tree), links through their endpoints.
import { sql, type Kysely, type Transaction } from 'kysely';
import { inRoleScope, inScope, inTenant } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { Scope } from '../../shared/access.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Every node and link (the analysis needs the whole graph; what is shown is cut to the scope afterwards). */
export async function wholeGraph(db: Db) {
  const [nodes, links] = await Promise.all([
    db.selectFrom('extranet_node').select(['id', 'kind', 'probe_enabled', 'last_state']).execute(),
    db.selectFrom('extranet_link').select(['id', 'a_id', 'b_id', 'admin_state']).execute(),
  ]);
  return { nodes, links };
}

const nodeColumns = [
  'n.id',
  'n.code',
  'n.name',
  'n.kind',
  'n.region_code',
  'r.name as region_name',
  'n.region_path',
  'n.probe_host',
  'n.probe_port',
  'n.probe_enabled',
  'n.last_state',
  'n.last_latency_ms',
  'n.last_error',
  'n.last_checked_at',
] as const;

/** Nodes in the scope's regions; for a department's own scope, the nodes its connections attach to. */
export function visibleNodes(db: Db, scope: Scope) {
  return db
    .selectFrom('extranet_node as n')
    .innerJoin('region as r', 'r.code', 'n.region_code')
    .select(nodeColumns)
    .where((eb) => {
      const parts = [];
      if (scope.paths.length > 0) parts.push(inScope(eb, eb.ref('n.region_code'), scope));
      if (scope.departments.length > 0)
        parts.push(eb('n.id', 'in', eb.selectFrom('extranet_connection as c').select('c.node_id').where(() => inTenant(sql.ref('c.department_id'), scope))));
      return parts.length === 0 ? sql<boolean>`false` : eb.or(parts);
    })
    .orderBy('n.code')
    .execute();
}

export type NodeRow = Awaited<ReturnType<typeof visibleNodes>>[number];

export function nodeById(db: Db, id: string, lock: 'update' | 'share' | null = null) {
  return db
    .selectFrom('extranet_node as n')
    .innerJoin('region as r', 'r.code', 'n.region_code')
    .select(nodeColumns)
    .where('n.id', '=', id)
    .$if(lock === 'update', (q) => q.forUpdate('n'))
    .$if(lock === 'share', (q) => q.forShare('n'))
    .executeTakeFirst();
}

const linkColumns = ['l.id', 'l.a_id', 'l.b_id', 'l.kind', 'l.ring', 'l.bandwidth_mbps', 'l.admin_state'] as const;

/** Links whose both endpoints lie in the scope's regions (none for a department's own scope). */
export function visibleLinks(db: Db, scope: Scope) {
  if (scope.paths.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('extranet_link as l')
    .innerJoin('extranet_node as a', 'a.id', 'l.a_id')
    .innerJoin('extranet_node as b', 'b.id', 'l.b_id')
    .select(linkColumns)
    .where((eb) => eb.and([inScope(eb, eb.ref('a.region_code'), scope), inScope(eb, eb.ref('b.region_code'), scope)]))
    .orderBy('l.kind')
    .orderBy('l.id')
    .execute();
}

export type LinkRow = Awaited<ReturnType<typeof visibleLinks>>[number];

export function linkById(db: Db, id: string, lock = false) {
  return db.selectFrom('extranet_link as l').select(linkColumns).where('l.id', '=', id).$if(lock, (q) => q.forUpdate('l')).executeTakeFirst();
}

const connectionColumns = ['c.id', 'c.department_id', 'd.name as department_name', 'c.node_id', 'c.bandwidth_mbps', 'c.connected_on', 'c.region_code', 'c.region_path'] as const;

export function connectionById(db: Db, id: string) {
  return db.selectFrom('extranet_connection as c').innerJoin('department as d', 'd.id', 'c.department_id').select(connectionColumns).where('c.id', '=', id).executeTakeFirstOrThrow();
}

/** Connections in the scope: their department's region in a subtree, or the department in the caller's own tree. */
export function visibleConnections(db: Db, scope: Scope) {
  return db
    .selectFrom('extranet_connection as c')
    .innerJoin('department as d', 'd.id', 'c.department_id')
    .select(connectionColumns)
    .where((eb) => inRoleScope(eb, { region: eb.ref('c.region_code'), department: eb.ref('c.department_id') }, scope))
    .orderBy('d.name')
    .orderBy('c.id')
    .execute();
}

export type ConnectionRow = Awaited<ReturnType<typeof visibleConnections>>[number];

/** Departments in the scope with their region's path and whether they have any connection. */
export function departmentsInScope(db: Db, scope: Scope) {
  return db
    .selectFrom('department as d')
    .innerJoin('region as r', 'r.code', 'd.region_code')
    .select((eb) => [
      'd.id',
      'd.name',
      'd.region_code',
      'r.path',
      eb.exists(eb.selectFrom('extranet_connection as c').select('c.id').whereRef('c.department_id', '=', 'd.id')).as('connected'),
    ])
    .where((eb) => inRoleScope(eb, { region: eb.ref('d.region_code'), department: eb.ref('d.id') }, scope))
    .execute();
}

export function regionNames(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('region').select(['code', 'name']).where('code', 'in', codes).execute();
}

export function regionByCode(db: Db, code: string) {
  return db.selectFrom('region').select(['code', 'name', 'path']).where('code', '=', code).executeTakeFirst();
}

export function departmentWithPath(db: Db, id: string) {
  return db.selectFrom('department as d').innerJoin('region as r', 'r.code', 'd.region_code').select(['d.id', 'd.name', 'd.region_code', 'r.path']).where('d.id', '=', id).executeTakeFirst();
}

/** Enabled probes in the scope (all of them for the schedule), optionally only some nodes. */
export function probeTargets(db: Db, scope: Scope | null, ids?: readonly string[]) {
  return db
    .selectFrom('extranet_node as n')
    .select(['n.id', 'n.probe_host', 'n.probe_port', 'n.region_code'])
    .where('n.probe_enabled', '=', true)
    .$if(scope !== null, (q) => q.where((eb) => inScope(eb, eb.ref('n.region_code'), scope!)))
    .$if(ids !== undefined, (q) => q.where('n.id', 'in', ids!))
    .orderBy('n.id')
    .execute();
}

/** A unique-constraint violation (SQLSTATE 23505), from PostgreSQL or PGlite. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
