// The extranet graph as it stands now: each link's state from its administrative state and its endpoints' probes,
// the nodes that reach the core over links that are not down, and the single points of failure among those links.
import { bridges, reachable, type Edge } from './graph.ts';
import type { AdminState, NodeKind, ProbeState } from './tables.ts';

export type LinkState = 'up' | 'down' | 'unknown';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  probe_enabled: boolean;
  last_state: ProbeState | null;
}

export interface GraphLink {
  id: string;
  a_id: string;
  b_id: string;
  admin_state: AdminState;
}

/**
 * An operator's up/down wins; otherwise down when a probed endpoint failed its last probe, up when some endpoint is
 * probed and every probed endpoint answered, unknown when neither is probed.
 */
export function linkState(adminState: AdminState, a: GraphNode | undefined, b: GraphNode | undefined): LinkState {
  if (adminState !== 'auto') return adminState;
  const probed = [a, b].filter((n): n is GraphNode => n !== undefined && n.probe_enabled && n.last_state !== null);
  if (probed.some((n) => n.last_state === 'down')) return 'down';
  return probed.length > 0 ? 'up' : 'unknown';
}

export class ExtranetGraph {
  readonly states = new Map<string, LinkState>();
  /** The links not down (unknown counts as working: an unprobed link is presumed to carry traffic). */
  readonly working: Edge[];
  readonly roots: string[];
  readonly reach: Set<string>;
  readonly bridges: Set<string>;
  private readonly nodeIds: string[];

  constructor(nodes: readonly GraphNode[], links: readonly GraphLink[]) {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    for (const l of links) this.states.set(l.id, linkState(l.admin_state, byId.get(l.a_id), byId.get(l.b_id)));
    this.working = links.filter((l) => this.states.get(l.id) !== 'down').map((l) => ({ id: l.id, a: l.a_id, b: l.b_id }));
    this.nodeIds = nodes.map((n) => n.id);
    // the core is the city's core nodes; a network without one is judged from its upstream nodes
    const core = nodes.filter((n) => n.kind === 'core').map((n) => n.id);
    this.roots = core.length > 0 ? core : nodes.filter((n) => n.kind === 'upstream').map((n) => n.id);
    this.reach = reachable(this.roots, this.working);
    this.bridges = bridges(this.nodeIds, this.working);
  }

  /**
   * Nodes that reach the core now and would not if `linkId` failed (empty for a link already down). Only a bridge
   * cuts anything off; its two sides are walked at once, one node each in turn, so the cost is the smaller side's
   * (an access link's is one node), not the network's.
   */
  lostWithout(linkId: string): Set<string> {
    this.byId ??= new Map(this.working.map((e) => [e.id, e]));
    const edge = this.byId.get(linkId);
    if (!edge || !this.bridges.has(linkId) || !this.reach.has(edge.a)) return new Set();
    const small = this.smallerSide(edge);
    const roots = new Set(this.roots);
    if (![...small].some((n) => roots.has(n))) return small;
    // the core lies on the small side: the other side is lost unless it holds a core node too
    const other = reachable([small.has(edge.a) ? edge.b : edge.a], this.working, new Set([linkId]));
    return [...other].some((n) => roots.has(n)) ? new Set() : other;
  }

  private byId: Map<string, Edge> | undefined;
  private adjacencyCache: Map<string, { to: string; edge: string }[]> | undefined;

  private get adjacency(): Map<string, { to: string; edge: string }[]> {
    if (!this.adjacencyCache) {
      const adj = new Map<string, { to: string; edge: string }[]>();
      for (const e of this.working) {
        if (e.a === e.b) continue;
        adj.set(e.a, [...(adj.get(e.a) ?? []), { to: e.b, edge: e.id }]);
        adj.set(e.b, [...(adj.get(e.b) ?? []), { to: e.a, edge: e.id }]);
      }
      this.adjacencyCache = adj;
    }
    return this.adjacencyCache;
  }

  /** The nodes on the smaller side of a bridge: BFS from both endpoints without it, a step each in turn. */
  private smallerSide(bridge: Edge): Set<string> {
    const adj = this.adjacency;
    const sides = [bridge.a, bridge.b].map((start) => ({ seen: new Set([start]), queue: [start], next: 0 }));
    for (;;) {
      for (const side of sides) {
        if (side.next === side.queue.length) return side.seen;
        const at = side.queue[side.next++]!;
        for (const { to, edge } of adj.get(at) ?? []) {
          if (edge === bridge.id || side.seen.has(to)) continue;
          side.seen.add(to);
          side.queue.push(to);
        }
      }
    }
  }
}

/**
 * Departments that reach the core now through some connection and would reach it through none once `lost` is cut
 * off (a department connected to two access nodes keeps its path if either does).
 */
export function departmentsCutOff(connections: readonly { department_id: string; node_id: string }[], reach: ReadonlySet<string>, lost: ReadonlySet<string>): Set<string> {
  const before = new Set<string>();
  const after = new Set<string>();
  for (const c of connections) {
    if (!reach.has(c.node_id)) continue;
    before.add(c.department_id);
    if (!lost.has(c.node_id)) after.add(c.department_id);
  }
  return new Set([...before].filter((d) => !after.has(d)));
}
