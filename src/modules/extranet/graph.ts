// Analysis of the extranet graph (issue 10 §6), pure functions over a few hundred nodes: which links are single
// points of failure (bridges, Tarjan's low-link, iterative so a long line cannot overflow the stack), which nodes
// reach the core (a BFS over the links that are up), and which nodes lose the core when one link fails.

export interface Edge {
  id: string;
  a: string;
  b: string;
}

/** Adjacency lists; parallel edges are kept apart by their ids (two links between a pair are not a bridge). */
function adjacency(nodes: readonly string[], edges: readonly Edge[]): Map<string, { to: string; edge: string }[]> {
  const adj = new Map<string, { to: string; edge: string }[]>();
  for (const n of nodes) adj.set(n, []);
  for (const e of edges) {
    if (e.a === e.b) continue;
    if (!adj.has(e.a)) adj.set(e.a, []);
    if (!adj.has(e.b)) adj.set(e.b, []);
    adj.get(e.a)!.push({ to: e.b, edge: e.id });
    adj.get(e.b)!.push({ to: e.a, edge: e.id });
  }
  return adj;
}

/** The ids of the bridges: edges whose removal disconnects their endpoints. */
export function bridges(nodes: readonly string[], edges: readonly Edge[]): Set<string> {
  const adj = adjacency(nodes, edges);
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const found = new Set<string>();
  let counter = 0;
  for (const start of adj.keys()) {
    if (order.has(start)) continue;
    // frames: node, the edge it was entered by, the next neighbour index to look at
    const stack: { node: string; via: string | null; next: number }[] = [{ node: start, via: null, next: 0 }];
    order.set(start, counter);
    low.set(start, counter++);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const neighbours = adj.get(frame.node)!;
      if (frame.next < neighbours.length) {
        const { to, edge } = neighbours[frame.next++]!;
        if (edge === frame.via) continue;
        if (order.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, order.get(to)!));
        } else {
          order.set(to, counter);
          low.set(to, counter++);
          stack.push({ node: to, via: edge, next: 0 });
        }
        continue;
      }
      stack.pop();
      const parent = stack[stack.length - 1];
      if (!parent) continue;
      low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node)! > order.get(parent.node)!) found.add(frame.via!);
    }
  }
  return found;
}

/** Nodes reachable from `roots` over `edges` (a BFS), leaving out the edges in `without`. */
export function reachable(roots: readonly string[], edges: readonly Edge[], without: ReadonlySet<string> = new Set()): Set<string> {
  const adj = adjacency(roots, edges.filter((e) => !without.has(e.id)));
  const seen = new Set<string>(roots);
  const queue = [...roots];
  for (let i = 0; i < queue.length; i++) {
    for (const { to } of adj.get(queue[i]!) ?? []) {
      if (seen.has(to)) continue;
      seen.add(to);
      queue.push(to);
    }
  }
  return seen;
}

/**
 * The nodes that reach a root over `edges` now and would not once `failed` fails. Empty for a link that is not a
 * bridge, and for a link already cut off from the roots.
 */
export function cutOffBy(roots: readonly string[], edges: readonly Edge[], failed: string): Set<string> {
  const before = reachable(roots, edges);
  const after = reachable(roots, edges, new Set([failed]));
  const lost = new Set<string>();
  for (const n of before) if (!after.has(n)) lost.add(n);
  return lost;
}
