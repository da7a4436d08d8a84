// The extranet analysis on small graphs (a ring, a line, a ring with a spur, parallel links) and against brute force
// on random graphs from a seeded PRNG.
import { describe, expect, it } from 'vitest';
import { prng } from '../../seed/prng.ts';
import { bridges, cutOffBy, reachable, type Edge } from './graph.ts';

const edge = (a: string, b: string, id = `${a}-${b}`): Edge => ({ id, a, b });

describe('bridges', () => {
  it('finds none in a ring', () => {
    const ring = [edge('a', 'b'), edge('b', 'c'), edge('c', 'd'), edge('d', 'a')];
    expect(bridges(['a', 'b', 'c', 'd'], ring)).toEqual(new Set());
  });

  it('finds every link of a line', () => {
    const line = [edge('a', 'b'), edge('b', 'c'), edge('c', 'd')];
    expect(bridges(['a', 'b', 'c', 'd'], line)).toEqual(new Set(['a-b', 'b-c', 'c-d']));
  });

  it('finds the spur of a ring, not the ring', () => {
    const graph = [edge('core', 'x'), edge('x', 'y'), edge('y', 'core'), edge('y', 'acc'), edge('acc', 'dept')];
    expect(bridges(['core', 'x', 'y', 'acc', 'dept'], graph)).toEqual(new Set(['y-acc', 'acc-dept']));
  });

  it('does not take a doubled link for a bridge', () => {
    expect(bridges(['a', 'b'], [edge('a', 'b', '1'), edge('a', 'b', '2')])).toEqual(new Set());
    expect(bridges(['a', 'b', 'c'], [edge('a', 'b', '1'), edge('a', 'b', '2'), edge('b', 'c', '3')])).toEqual(new Set(['3']));
  });

  it('walks a line of 100,000 nodes without overflowing the stack', () => {
    const nodes = Array.from({ length: 100_000 }, (_, i) => `n${i}`);
    const line = nodes.slice(1).map((n, i) => edge(nodes[i]!, n));
    expect(bridges(nodes, line).size).toBe(99_999);
  });
});

describe('cut off by one link', () => {
  const graph = [edge('core', 'x'), edge('x', 'y'), edge('y', 'core'), edge('y', 'acc'), edge('acc', 'leaf'), edge('island', 'far')];
  it('loses nothing when a ring link fails', () => {
    expect(cutOffBy(['core'], graph, 'x-y')).toEqual(new Set());
    expect(cutOffBy(['core'], graph, 'core-x')).toEqual(new Set());
  });
  it('loses the far side of an access link', () => {
    expect(cutOffBy(['core'], graph, 'y-acc')).toEqual(new Set(['acc', 'leaf']));
    expect(cutOffBy(['core'], graph, 'acc-leaf')).toEqual(new Set(['leaf']));
  });
  it('loses nothing on a link already cut off from the core', () => {
    expect(cutOffBy(['core'], graph, 'island-far')).toEqual(new Set());
    expect(reachable(['core'], graph).has('island')).toBe(false);
  });
});

/** Brute force: an edge is a bridge when, without it, its endpoints no longer reach each other. */
function bruteBridges(nodes: string[], edges: Edge[]): Set<string> {
  return new Set(edges.filter((e) => e.a !== e.b && !reachable([e.a], edges, new Set([e.id])).has(e.b)).map((e) => e.id));
}

describe('against brute force on random graphs', () => {
  it('agrees on 300 seeded graphs (bridges, and the set cut off by each link)', () => {
    const rng = prng('extranet-bridges');
    for (let round = 0; round < 300; round++) {
      const size = rng.int(1, 25);
      const nodes = Array.from({ length: size }, (_, i) => `n${i}`);
      const count = rng.int(0, size * 2);
      const edges: Edge[] = Array.from({ length: count }, (_, i) => edge(rng.pick(nodes), rng.pick(nodes), `e${i}`));
      const found = bridges(nodes, edges);
      expect(found, `round ${round}`).toEqual(bruteBridges(nodes, edges));
      const roots = [nodes[0]!];
      const before = reachable(roots, edges);
      for (const e of edges) {
        const lost = cutOffBy(roots, edges, e.id);
        // only a bridge of the core's component cuts anything off, and then exactly one endpoint's side
        if (!found.has(e.id) || !before.has(e.a)) expect(lost.size).toBe(0);
        else {
          expect(lost.size).toBeGreaterThan(0);
          const far = reachable(roots, edges, new Set([e.id])).has(e.a) ? e.b : e.a;
          expect(lost).toEqual(reachable([far], edges, new Set([e.id])));
        }
      }
    }
  });
});
