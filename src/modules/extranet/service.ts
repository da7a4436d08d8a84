// 电子政务外网 — the government extranet (issue 10 §6): topology, coverage, single-link-failure analysis, probes.
// Reads are cut to the caller's jurisdiction in SQL; the analysis runs over the whole graph (a county's path to the
// core runs through the prefecture's links) and its results are cut to the same jurisdiction.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize, roleFor, scopeCovers, type Actor, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, conflict, invalid, notFound } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { ExtranetGraph, departmentsCutOff } from './analysis.ts';
import { isProbeHost, probeTcp, withLimit, type ProbeResult } from './probe.ts';
import * as repo from './repository.ts';
import type {
  Bridges,
  ConnectionInput,
  ConnectionView,
  Coverage,
  CoverageRowView,
  Failure,
  LinkInput,
  LinkUpdate,
  LinkView,
  NodeInput,
  NodeUpdate,
  NodeView,
  ProbeRun,
  ProbeSettings,
  Topology,
} from './schema.ts';
import './permissions.ts';

export interface ExtranetDeps {
  db: Kysely<Database>;
  audit: AuditService;
  clock: Clock;
  /** Milliseconds a probe waits for the connection. */
  probeTimeoutMs?: number;
  /** Probes in flight at once. */
  probeConcurrency?: number;
}

const MANAGE = 'extranet.manage';
const READ = 'extranet.read';

export class ExtranetService {
  private readonly probeTimeoutMs: number;
  private readonly probeConcurrency: number;

  constructor(private readonly deps: ExtranetDeps) {
    this.probeTimeoutMs = deps.probeTimeoutMs ?? 2000;
    this.probeConcurrency = deps.probeConcurrency ?? 16;
  }

  private get db() {
    return this.deps.db;
  }

  private async graph(): Promise<ExtranetGraph> {
    const { nodes, links } = await repo.wholeGraph(this.db);
    return new ExtranetGraph(nodes, links);
  }

  // ---- reads ------------------------------------------------------------------------------------------------------

  /** Nodes, links and connections of the caller's jurisdiction, with link states and single points of failure. */
  async topology(ctx: RequestContext): Promise<Topology> {
    const { scope } = authorize(ctx, READ, this.deps.clock);
    const [graph, nodes, links, connections] = await Promise.all([this.graph(), repo.visibleNodes(this.db, scope), repo.visibleLinks(this.db, scope), repo.visibleConnections(this.db, scope)]);
    return { nodes: nodes.map((n) => toNode(n, graph)), links: links.map((l) => toLink(l, graph)), connections: connections.map(toConnection) };
  }

  /** Share of the jurisdiction's departments connected, and reaching the core now, per county-level unit. */
  async coverage(ctx: RequestContext): Promise<Coverage> {
    const { scope } = authorize(ctx, READ, this.deps.clock);
    const [graph, departments, connections] = await Promise.all([this.graph(), repo.departmentsInScope(this.db, scope), repo.visibleConnections(this.db, scope)]);
    const reaching = new Set(connections.filter((c) => graph.reach.has(c.node_id)).map((c) => c.department_id));
    const counties = new Map<string, { departments: number; connected: number; reaching: number }>();
    const total = { departments: 0, connected: 0, reaching: 0 };
    for (const d of departments) {
      // '/6505/650502/650502001/' → 650502; the prefecture's own departments count under the prefecture
      const segments = d.path.split('/').filter(Boolean);
      const county = segments[1] ?? segments[0] ?? d.region_code;
      const row = counties.get(county) ?? { departments: 0, connected: 0, reaching: 0 };
      counties.set(county, row);
      for (const r of [row, total]) {
        r.departments++;
        if (d.connected) r.connected++;
        if (reaching.has(d.id)) r.reaching++;
      }
    }
    const names = new Map((await repo.regionNames(this.db, [...counties.keys()])).map((r) => [r.code, r.name]));
    const rootCode = scope.paths.length === 1 ? scope.paths[0]!.split('/').filter(Boolean).at(-1)! : '';
    const rootName = rootCode ? ((await repo.regionNames(this.db, [rootCode]))[0]?.name ?? '') : '';
    const rowOf = (code: string, name: string, r: { departments: number; connected: number; reaching: number }): CoverageRowView => ({
      regionCode: code,
      regionName: name,
      ...r,
      share: r.departments === 0 ? 0 : Math.round((r.connected / r.departments) * 10000) / 10000,
    });
    return {
      total: rowOf(rootCode, rootName || '合计', total),
      counties: [...counties.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, r]) => rowOf(code, names.get(code) ?? code, r)),
    };
  }

  /** What one link's failure cuts off the core: nodes and departments of the jurisdiction. */
  async failure(ctx: RequestContext, linkId: string): Promise<Failure> {
    const { scope } = authorize(ctx, READ, this.deps.clock);
    const [graph, links, nodes, connections] = await Promise.all([this.graph(), repo.visibleLinks(this.db, scope), repo.visibleNodes(this.db, scope), repo.visibleConnections(this.db, scope)]);
    const link = links.find((l) => l.id === linkId);
    if (!link) throw notFound('extranet.not_found', 'No such link in your jurisdiction.', 'id');
    const lost = graph.lostWithout(link.id);
    const cut = departmentsCutOff(connections, graph.reach, lost);
    const departments = new Map<string, { id: string; name: string; regionCode: string }>();
    for (const c of connections) if (cut.has(c.department_id)) departments.set(c.department_id, { id: c.department_id, name: c.department_name, regionCode: c.region_code });
    return {
      link: toLink(link, graph),
      lostNodeIds: nodes.filter((n) => lost.has(n.id)).map((n) => n.id),
      departments: [...departments.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
    };
  }

  /** The jurisdiction's single points of failure, those cutting most departments off first. */
  async bridges(ctx: RequestContext): Promise<Bridges> {
    const { scope } = authorize(ctx, READ, this.deps.clock);
    const [graph, links, nodes, connections] = await Promise.all([this.graph(), repo.visibleLinks(this.db, scope), repo.visibleNodes(this.db, scope), repo.visibleConnections(this.db, scope)]);
    const visible = new Set(nodes.map((n) => n.id));
    const items = links
      .filter((l) => graph.bridges.has(l.id))
      .map((l) => {
        const lost = graph.lostWithout(l.id);
        return { link: toLink(l, graph), lostNodes: [...lost].filter((n) => visible.has(n)).length, departments: departmentsCutOff(connections, graph.reach, lost).size };
      });
    items.sort((a, b) => b.departments - a.departments || b.lostNodes - a.lostNodes || a.link.id.localeCompare(b.link.id));
    return { items };
  }

  // ---- nodes ------------------------------------------------------------------------------------------------------

  async createNode(ctx: RequestContext, input: NodeInput): Promise<NodeView> {
    const { actor, scope } = authorize(ctx, MANAGE, this.deps.clock);
    const region = await this.regionIn(scope, input.regionCode);
    const probe = checkProbe({ probeHost: input.probeHost ?? null, probePort: input.probePort ?? null, probeEnabled: input.probeEnabled ?? false });
    const id = await this.write(ctx, actor, async (trx) => {
      const row = await trx
        .insertInto('extranet_node')
        .values({
          code: input.code,
          name: input.name.trim(),
          kind: input.kind,
          region_code: region.code,
          region_path: region.path,
          probe_host: probe.probeHost,
          probe_port: probe.probePort,
          probe_enabled: probe.probeEnabled,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
        .catch(rethrowUnique(duplicateCode));
      return { id: row.id, action: 'extranet.node.create', objectType: 'extranet_node', regionCode: region.code, detail: { ...input } };
    });
    return this.nodeView(id);
  }

  async updateNode(ctx: RequestContext, id: string, input: NodeUpdate): Promise<NodeView> {
    const { actor, scope } = authorize(ctx, MANAGE, this.deps.clock);
    const region = await this.regionIn(scope, input.regionCode);
    await this.write(ctx, actor, async (trx) => {
      const before = await this.managedNode(trx, scope, id);
      await trx.updateTable('extranet_node').set({ name: input.name.trim(), kind: input.kind, region_code: region.code, region_path: region.path, updated_at: this.deps.clock.now() }).where('id', '=', id).execute();
      return { id, action: 'extranet.node.update', objectType: 'extranet_node', regionCode: region.code, detail: { before: { name: before.name, kind: before.kind, regionCode: before.region_code }, after: input } };
    });
    return this.nodeView(id);
  }

  /** Sets where a node is probed and whether; a node's probe stays off until an operator enables it. */
  async setProbe(ctx: RequestContext, id: string, input: ProbeSettings): Promise<NodeView> {
    const { actor, scope } = authorize(ctx, MANAGE, this.deps.clock);
    const probe = checkProbe(input);
    await this.write(ctx, actor, async (trx) => {
      const before = await this.managedNode(trx, scope, id);
      const moved = before.probe_host !== probe.probeHost || before.probe_port !== probe.probePort;
      await trx
        .updateTable('extranet_node')
        .set({
          probe_host: probe.probeHost,
          probe_port: probe.probePort,
          probe_enabled: probe.probeEnabled,
          updated_at: this.deps.clock.now(),
          // a result of another address, or of a probe now off, says nothing any more
          ...(moved || !probe.probeEnabled ? { last_state: null, last_latency_ms: null, last_error: null, last_checked_at: null } : {}),
        })
        .where('id', '=', id)
        .execute();
      return {
        id,
        action: 'extranet.node.probe_settings',
        objectType: 'extranet_node',
        regionCode: before.region_code,
        detail: { before: { probeHost: before.probe_host, probePort: before.probe_port, probeEnabled: before.probe_enabled }, after: probe },
      };
    });
    return this.nodeView(id);
  }

  async deleteNode(ctx: RequestContext, id: string): Promise<void> {
    const { actor, scope } = authorize(ctx, MANAGE, this.deps.clock);
    await this.write(ctx, actor, async (trx) => {
      const before = await this.managedNode(trx, scope, id);
      const used = await trx
        .selectFrom('extranet_link')
        .select('id')
        .where((eb) => eb.or([eb('a_id', '=', id), eb('b_id', '=', id)]))
        .unionAll(trx.selectFrom('extranet_connection').select('id').where('node_id', '=', id))
        .limit(1)
        .executeTakeFirst();
      if (used) throw conflict('extranet.node_in_use', 'The node still has links or department connections: delete them first.', 'id');
      await trx.deleteFrom('extranet_node').where('id', '=', id).execute();
      return { id, action: 'extranet.node.delete', objectType: 'extranet_node', regionCode: before.region_code, detail: { code: before.code, name: before.name } };
    });
  }

  // ---- links ------------------------------------------------------------------------------------------------------

  async createLink(ctx: RequestContext, input: LinkInput): Promise<LinkView> {
    const { actor, scope } = authorize(ctx, MANAGE, this.deps.clock);
    if (input.aId === input.bId) throw invalid('extranet.self_link', 'bId', 'A link joins two different nodes.');
    const id = await this.write(ctx, actor, async (trx) => {
      const a = await this.endpoint(trx, scope, input.aId, 'aId');
      await this.endpoint(trx, scope, input.bId, 'bId');
      const existing = await trx
        .selectFrom('extranet_link')
        .select('id')
        .where((eb) => eb.or([eb.and([eb('a_id', '=', input.aId), eb('b_id', '=', input.bId)]), eb.and([eb('a_id', '=', input.bId), eb('b_id', '=', input.aId)])]))
        .executeTakeFirst();
      if (existing) throw duplicateLink();
      const row = await trx
        .insertInto('extranet_link')
        .values({ a_id: input.aId, b_id: input.bId, kind: input.kind, ring: input.ring?.trim() || null, bandwidth_mbps: input.bandwidthMbps, admin_state: input.adminState ?? 'auto' })
        .returning('id')
        .executeTakeFirstOrThrow()
        .catch(rethrowUnique(duplicateLink));
      return { id: row.id, action: 'extranet.link.create', objectType: 'extranet_link', regionCode: a.region_code, detail: { ...input } };
    });
    return this.linkView(id);
  }

  async updateLink(ctx: RequestContext, id: string, input: LinkUpdate): Promise<LinkView> {
    const { actor, scope } = authorize(ctx, MANAGE, this.deps.clock);
    await this.write(ctx, actor, async (trx) => {
      const before = await this.managedLink(trx, scope, id);
      await trx
        .updateTable('extranet_link')
        .set({ kind: input.kind, ring: input.ring?.trim() || null, bandwidth_mbps: input.bandwidthMbps, admin_state: input.adminState, updated_at: this.deps.clock.now() })
        .where('id', '=', id)
        .execute();
      return {
        id,
        action: 'extranet.link.update',
        objectType: 'extranet_link',
        regionCode: before.regionCode,
        detail: { before: { kind: before.kind, ring: before.ring, bandwidthMbps: before.bandwidth_mbps, adminState: before.admin_state }, after: input },
      };
    });
    return this.linkView(id);
  }

  async deleteLink(ctx: RequestContext, id: string): Promise<void> {
    const { actor, scope } = authorize(ctx, MANAGE, this.deps.clock);
    await this.write(ctx, actor, async (trx) => {
      const before = await this.managedLink(trx, scope, id);
      await trx.deleteFrom('extranet_link').where('id', '=', id).execute();
      return { id, action: 'extranet.link.delete', objectType: 'extranet_link', regionCode: before.regionCode, detail: { aId: before.a_id, bId: before.b_id, kind: before.kind } };
    });
  }

  // ---- connections ------------------------------------------------------------------------------------------------

  async createConnection(ctx: RequestContext, input: ConnectionInput): Promise<ConnectionView> {
    const { actor, scope } = authorize(ctx, MANAGE, this.deps.clock);
    const id = await this.write(ctx, actor, async (trx) => {
      const department = await repo.departmentWithPath(trx, input.departmentId);
      if (!department || !scopeCovers(scope, department.path)) throw invalid('extranet.unknown_department', 'departmentId', 'No such department in your jurisdiction.');
      await this.endpoint(trx, scope, input.nodeId, 'nodeId');
      const row = await trx
        .insertInto('extranet_connection')
        .values({ department_id: department.id, node_id: input.nodeId, bandwidth_mbps: input.bandwidthMbps, connected_on: input.connectedOn, region_code: department.region_code, region_path: department.path })
        .onConflict((oc) => oc.columns(['department_id', 'node_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) throw conflict('extranet.duplicate_connection', 'The department is connected to this node already.', 'nodeId');
      return { id: row.id, action: 'extranet.connection.create', objectType: 'extranet_connection', regionCode: department.region_code, detail: { ...input, department: department.name } };
    });
    return toConnection(await repo.connectionById(this.db, id));
  }

  async deleteConnection(ctx: RequestContext, id: string): Promise<void> {
    const { actor, scope } = authorize(ctx, MANAGE, this.deps.clock);
    await this.write(ctx, actor, async (trx) => {
      const before = await trx.selectFrom('extranet_connection').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before || !scopeCovers(scope, before.region_path)) throw notFound('extranet.not_found', 'No such connection in your jurisdiction.', 'id');
      await trx.deleteFrom('extranet_connection').where('id', '=', id).execute();
      return { id, action: 'extranet.connection.delete', objectType: 'extranet_connection', regionCode: before.region_code, detail: { departmentId: before.department_id, nodeId: before.node_id } };
    });
  }

  // ---- probes -----------------------------------------------------------------------------------------------------

  /** Probes the enabled nodes of the jurisdiction now (or only `nodeIds` of them) and records what they answered. */
  async probe(ctx: RequestContext, input: { nodeIds?: string[] }): Promise<ProbeRun> {
    const { actor, scope } = authorize(ctx, MANAGE, this.deps.clock);
    const targets = await repo.probeTargets(this.db, scope, input.nodeIds);
    const results = await this.probeAndRecord(targets);
    await this.deps.audit.recordNow(ctx, {
      action: 'extranet.probe.run',
      objectType: 'extranet_node',
      role: roleFor(actor, MANAGE),
      detail: { probed: results.length, down: results.filter((r) => r.state === 'down').map((r) => r.nodeId) },
    });
    return { probed: results.length, results };
  }

  /** The schedule's run: every enabled node, whoever's jurisdiction it lies in. */
  async probeAll(): Promise<number> {
    return (await this.probeAndRecord(await repo.probeTargets(this.db, null))).length;
  }

  private async probeAndRecord(targets: { id: string; probe_host: string | null; probe_port: number | null }[]) {
    const answered = await withLimit(targets, this.probeConcurrency, async (t) => ({ nodeId: t.id, ...(await probeTcp({ host: t.probe_host!, port: t.probe_port! }, this.probeTimeoutMs)) }));
    const at = this.deps.clock.now();
    // each answer is one UPDATE of its own row: probes of two nodes never wait on each other, and a probe whose node
    // was switched off meanwhile records nothing
    await Promise.all(answered.map((r) => this.record(r, at)));
    return answered.map((r) => ({ nodeId: r.nodeId, state: r.state, latencyMs: r.latencyMs, error: r.error }));
  }

  private async record(r: ProbeResult & { nodeId: string }, at: Date): Promise<void> {
    await this.db
      .updateTable('extranet_node')
      .set({ last_state: r.state, last_latency_ms: r.latencyMs, last_error: r.error, last_checked_at: at })
      .where('id', '=', r.nodeId)
      .where('probe_enabled', '=', true)
      .execute();
  }

  // ---- demo import ------------------------------------------------------------------------------------------------

  /**
   * Writes a whole topology in one transaction with one audit record (the demo's ~600 nodes, links and connections
   * would otherwise be as many transactions). Nodes are named by code; existing codes are left as they are.
   */
  async importTopology(
    ctx: RequestContext,
    input: {
      nodes: (Omit<NodeInput, 'probeHost' | 'probePort' | 'probeEnabled'> & { probeHost?: string | null; probePort?: number | null; probeEnabled?: boolean })[];
      links: { a: string; b: string; kind: LinkInput['kind']; ring?: string | null; bandwidthMbps: number }[];
      connections: { departmentId: string; node: string; bandwidthMbps: number; connectedOn: string }[];
    },
  ): Promise<{ nodes: number; links: number; connections: number }> {
    const { actor, scope } = authorize(ctx, MANAGE, this.deps.clock);
    return this.inTransaction(async (trx) => {
      const regions = new Map((await trx.selectFrom('region').select(['code', 'path']).where('code', 'in', [...new Set(input.nodes.map((n) => n.regionCode))]).execute()).map((r) => [r.code, r.path]));
      const nodes = input.nodes.map((n) => {
        const path = regions.get(n.regionCode);
        if (!path || !scopeCovers(scope, path)) throw invalid('extranet.unknown_region', 'regionCode', `No region ${n.regionCode} in your jurisdiction.`);
        const probe = checkProbe({ probeHost: n.probeHost ?? null, probePort: n.probePort ?? null, probeEnabled: n.probeEnabled ?? false });
        return { code: n.code, name: n.name, kind: n.kind, region_code: n.regionCode, region_path: path, probe_host: probe.probeHost, probe_port: probe.probePort, probe_enabled: probe.probeEnabled };
      });
      for (let i = 0; i < nodes.length; i += 500) await trx.insertInto('extranet_node').values(nodes.slice(i, i + 500)).onConflict((oc) => oc.column('code').doNothing()).execute();
      const ids = new Map((await trx.selectFrom('extranet_node').select(['id', 'code']).where('code', 'in', input.nodes.map((n) => n.code)).execute()).map((n) => [n.code, n.id]));
      const idOf = (code: string, field: string) => ids.get(code) ?? invalidNode(field);
      const links = input.links.map((l) => ({ a_id: idOf(l.a, 'links/a'), b_id: idOf(l.b, 'links/b'), kind: l.kind, ring: l.ring ?? null, bandwidth_mbps: l.bandwidthMbps }));
      let linked = 0;
      for (let i = 0; i < links.length; i += 500) {
        const written = await trx.insertInto('extranet_link').values(links.slice(i, i + 500)).onConflict((oc) => oc.doNothing()).returning('id').execute();
        linked += written.length;
      }
      const departments = new Map(
        input.connections.length === 0
          ? []
          : (
              await trx
                .selectFrom('department as d')
                .innerJoin('region as r', 'r.code', 'd.region_code')
                .select(['d.id', 'd.region_code', 'r.path'])
                .where('d.id', 'in', input.connections.map((c) => c.departmentId))
                .execute()
            ).map((d) => [d.id, d]),
      );
      const connections = input.connections.map((c) => {
        const d = departments.get(c.departmentId);
        if (!d || !scopeCovers(scope, d.path)) throw invalid('extranet.unknown_department', 'connections/departmentId', 'No such department in your jurisdiction.');
        return { department_id: d.id, node_id: idOf(c.node, 'connections/node'), bandwidth_mbps: c.bandwidthMbps, connected_on: c.connectedOn, region_code: d.region_code, region_path: d.path };
      });
      let connected = 0;
      for (let i = 0; i < connections.length; i += 500) {
        const written = await trx.insertInto('extranet_connection').values(connections.slice(i, i + 500)).onConflict((oc) => oc.columns(['department_id', 'node_id']).doNothing()).returning('id').execute();
        connected += written.length;
      }
      const counts = { nodes: nodes.length, links: linked, connections: connected };
      await this.deps.audit.record(trx, ctx, { action: 'extranet.import', objectType: 'extranet_node', role: roleFor(actor, MANAGE), detail: counts });
      return counts;
    });
  }

  // ---- helpers ----------------------------------------------------------------------------------------------------

  /** One transaction with its audit record inside; `work` returns what the record names. */
  private write(
    ctx: RequestContext,
    actor: Actor,
    work: (trx: Transaction<Database>) => Promise<{ id: string; action: string; objectType: string; regionCode: string; detail: Record<string, unknown> }>,
  ): Promise<string> {
    return this.inTransaction(async (trx) => {
      const done = await work(trx);
      await this.deps.audit.record(trx, ctx, { action: done.action, objectType: done.objectType, objectId: done.id, regionCode: done.regionCode, role: roleFor(actor, MANAGE), detail: done.detail });
      return done.id;
    });
  }

  /** A transaction of its own, or the caller's when the service was built over one (the demo's rolled-back test). */
  private inTransaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? work(this.db as Transaction<Database>) : this.db.transaction().execute(work);
  }

  private async regionIn(scope: Scope, code: string) {
    const region = await repo.regionByCode(this.db, code);
    if (!region) throw invalid('extranet.unknown_region', 'regionCode', `No region ${code}.`);
    if (!scopeCovers(scope, region.path)) throw new DomainError('extranet.region_out_of_scope', 'forbidden', `Region ${code} lies outside your jurisdiction.`, 'regionCode');
    return region;
  }

  private async managedNode(trx: Transaction<Database>, scope: Scope, id: string) {
    const node = await repo.nodeById(trx, id, 'update');
    if (!node || !scopeCovers(scope, node.region_path)) throw notFound('extranet.not_found', 'No such node in your jurisdiction.', 'id');
    return node;
  }

  /** A link's endpoint named in a request: unknown or outside the jurisdiction is the request's fault (400). */
  private async endpoint(trx: Transaction<Database>, scope: Scope, id: string, field: string) {
    // shared: links and connections to one node may be made at once; only its deletion waits
    const node = await repo.nodeById(trx, id, 'share');
    if (!node || !scopeCovers(scope, node.region_path)) throw invalid('extranet.unknown_node', field, `No node ${id} in your jurisdiction.`);
    return node;
  }

  private async managedLink(trx: Transaction<Database>, scope: Scope, id: string) {
    const link = await repo.linkById(trx, id, true);
    if (!link) throw notFound('extranet.not_found', 'No such link in your jurisdiction.', 'id');
    const [a, b] = await Promise.all([repo.nodeById(trx, link.a_id), repo.nodeById(trx, link.b_id)]);
    if (!a || !b || !scopeCovers(scope, a.region_path) || !scopeCovers(scope, b.region_path)) throw notFound('extranet.not_found', 'No such link in your jurisdiction.', 'id');
    return { ...link, regionCode: a.region_code };
  }

  private async nodeView(id: string): Promise<NodeView> {
    const [graph, node] = await Promise.all([this.graph(), repo.nodeById(this.db, id)]);
    return toNode(node!, graph);
  }

  private async linkView(id: string): Promise<LinkView> {
    const [graph, link] = await Promise.all([this.graph(), repo.linkById(this.db, id)]);
    return toLink(link!, graph);
  }
}

function checkProbe(input: ProbeSettings): ProbeSettings {
  const host = input.probeHost?.trim() || null;
  if (host !== null && !isProbeHost(host)) throw invalid('extranet.invalid_probe_host', 'probeHost', 'The probe host is an IP address or a hostname, without scheme, port or path.');
  if (input.probeEnabled && (host === null || input.probePort === null)) throw invalid('extranet.probe_not_configured', host === null ? 'probeHost' : 'probePort', 'Set the probe host and port before enabling it.');
  return { probeHost: host, probePort: input.probePort, probeEnabled: input.probeEnabled };
}

const duplicateLink = () => conflict('extranet.duplicate_link', 'These two nodes are linked already.', 'bId');

function invalidNode(field: string): never {
  throw invalid('extranet.unknown_node', field, 'No such node.');
}

const duplicateCode = () => conflict('extranet.duplicate_code', 'A node with this code exists already.', 'code');

/** Two requests racing past the existence check: the unique index decides, and the loser hears 409. */
function rethrowUnique(duplicate: () => DomainError): (error: unknown) => never {
  return (error) => {
    throw repo.isUniqueViolation(error) ? duplicate() : error;
  };
}

function toNode(n: repo.NodeRow, graph: ExtranetGraph): NodeView {
  return {
    id: n.id,
    code: n.code,
    name: n.name,
    kind: n.kind,
    regionCode: n.region_code,
    regionName: n.region_name,
    probeHost: n.probe_host,
    probePort: n.probe_port,
    probeEnabled: n.probe_enabled,
    lastState: n.last_state,
    lastLatencyMs: n.last_latency_ms,
    lastError: n.last_error,
    lastCheckedAt: n.last_checked_at ? new Date(n.last_checked_at).toISOString() : null,
    reachesCore: graph.reach.has(n.id),
  };
}

function toLink(l: repo.LinkRow, graph: ExtranetGraph): LinkView {
  return {
    id: l.id,
    aId: l.a_id,
    bId: l.b_id,
    kind: l.kind,
    ring: l.ring,
    bandwidthMbps: l.bandwidth_mbps,
    adminState: l.admin_state,
    state: graph.states.get(l.id) ?? 'unknown',
    bridge: graph.bridges.has(l.id),
  };
}

function toConnection(c: repo.ConnectionRow): ConnectionView {
  return { id: c.id, departmentId: c.department_id, departmentName: c.department_name, nodeId: c.node_id, bandwidthMbps: c.bandwidth_mbps, connectedOn: String(c.connected_on), regionCode: c.region_code };
}
