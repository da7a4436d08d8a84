// Link states from probes and operators, and the graph's single-link failure against the brute-force BFS of graph.ts
// on random graphs (seeded PRNG) with several core nodes, links set down and probes failed.
import { describe, expect, it } from 'vitest';
import { prng } from '../../seed/prng.ts';
import { ExtranetGraph, departmentsCutOff, linkState, type GraphLink, type GraphNode } from './analysis.ts';
import { cutOffBy } from './graph.ts';

const n = (id: string, kind: GraphNode['kind'] = 'aggregation', last_state: GraphNode['last_state'] = null, probe_enabled = last_state !== null): GraphNode => ({ id, kind, probe_enabled, last_state });

describe('link state', () => {
  it('follows an operator, then the probes of its endpoints', () => {
    expect(linkState('down', n('a', 'core', 'up'), n('b', 'core', 'up'))).toBe('down');
    expect(linkState('up', n('a', 'core', 'down'), n('b'))).toBe('up');
    expect(linkState('auto', n('a', 'core', 'up'), n('b', 'core', 'down'))).toBe('down');
    expect(linkState('auto', n('a', 'core', 'up'), n('b'))).toBe('up');
    expect(linkState('auto', n('a'), n('b'))).toBe('unknown');
    // a probe switched off says nothing, whatever it said last
    expect(linkState('auto', n('a', 'core', 'down', false), n('b'))).toBe('unknown');
  });
});

describe('departments cut off', () => {
  it('spares a department with another connection that still reaches the core', () => {
    const connections = [
      { department_id: 'd1', node_id: 'x' },
      { department_id: 'd2', node_id: 'x' },
      { department_id: 'd2', node_id: 'y' },
      { department_id: 'd3', node_id: 'island' },
    ];
    expect(departmentsCutOff(connections, new Set(['x', 'y']), new Set(['x']))).toEqual(new Set(['d1']));
  });
});

describe('single-link failure against brute force', () => {
  it('agrees with cutOffBy on 300 seeded graphs with several cores, links down and failed probes', () => {
    const rng = prng('extranet-analysis');
    for (let round = 0; round < 300; round++) {
      const size = rng.int(2, 30);
      const nodes: GraphNode[] = Array.from({ length: size }, (_, i) =>
        n(`n${i}`, i === 0 || rng.next() < 0.08 ? 'core' : 'aggregation', rng.next() < 0.1 ? 'down' : rng.next() < 0.3 ? 'up' : null),
      );
      const links: GraphLink[] = Array.from({ length: rng.int(1, size * 2) }, (_, i) => ({
        id: `e${i}`,
        a_id: rng.pick(nodes).id,
        b_id: rng.pick(nodes).id,
        admin_state: rng.next() < 0.1 ? 'down' : rng.next() < 0.05 ? 'up' : 'auto',
      }));
      const graph = new ExtranetGraph(nodes, links);
      for (const l of links) {
        const expected = graph.states.get(l.id) === 'down' ? new Set() : cutOffBy(graph.roots, graph.working, l.id);
        expect(graph.lostWithout(l.id), `round ${round} link ${l.id}`).toEqual(expected);
      }
    }
  });
});
