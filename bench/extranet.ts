// The extranet analysis at size, in memory: a network shaped like the demo's (core, a city ring, counties with
// township rings, one access node per department) with D departments; the whole analysis a topology read runs (link
// states, BFS from the core, Tarjan's bridges) and the bridges list (one BFS per single point of failure). Run alone
// with `npx tsx bench/extranet.ts`; `npm run bench` adds the rows.
import { ExtranetGraph, type GraphLink, type GraphNode } from '../src/modules/extranet/analysis.ts';

export interface ExtranetRow {
  figure: string;
  value: number;
  unit: string;
  target?: string;
}

function network(departments: number): { nodes: GraphNode[]; links: GraphLink[] } {
  const nodes: GraphNode[] = [];
  const links: GraphLink[] = [];
  const node = (id: string, kind: GraphNode['kind']) => nodes.push({ id, kind, probe_enabled: kind === 'core', last_state: kind === 'core' ? 'up' : null });
  const link = (a: string, b: string) => links.push({ id: `${a}~${b}`, a_id: a, b_id: b, admin_state: 'auto' });
  node('up', 'upstream');
  node('core', 'core');
  link('up', 'core');
  const areas: string[] = [];
  const ring = (members: string[]) => members.forEach((m, i) => link(m, members[(i + 1) % members.length]!));
  const city = ['c1', 'c2', 'c3', 'c4'];
  city.forEach((c) => node(c, 'aggregation'));
  ring(['core', ...city]);
  areas.push(...city);
  for (let county = 0; county < 10; county++) {
    const hub = `h${county}`;
    node(hub, 'aggregation');
    link('core', hub);
    const towns = Array.from({ length: 6 }, (_, t) => `t${county}.${t}`);
    towns.forEach((t) => node(t, 'aggregation'));
    ring([hub, ...towns]);
    areas.push(hub, ...towns);
  }
  for (let d = 0; d < departments; d++) {
    node(`a${d}`, 'access');
    link(areas[d % areas.length]!, `a${d}`);
  }
  return { nodes, links };
}

function time(run: () => void, rounds: number): number {
  const started = performance.now();
  for (let i = 0; i < rounds; i++) run();
  return (performance.now() - started) / rounds;
}

export async function extranetFigures(): Promise<ExtranetRow[]> {
  const rows: ExtranetRow[] = [];
  for (const departments of [250, 2_000]) {
    const { nodes, links } = network(departments);
    const graph = new ExtranetGraph(nodes, links);
    const analysis = time(() => new ExtranetGraph(nodes, links), 20);
    const bridges = [...graph.bridges];
    const everyBridge = time(() => bridges.forEach((b) => graph.lostWithout(b)), 3);
    rows.push(
      { figure: `extranet: analysis of a topology read (${nodes.length.toLocaleString('en')} nodes, ${links.length.toLocaleString('en')} links)`, value: Math.round(analysis * 1000), unit: 'µs', target: '≤ 50 ms' },
      { figure: `extranet: bridges list, failure of each of ${bridges.length.toLocaleString('en')} single points (${departments.toLocaleString('en')} departments)`, value: Math.round(everyBridge), unit: 'ms', target: departments <= 250 ? '≤ 200 ms' : undefined },
    );
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await extranetFigures()) console.log(`${row.figure.padEnd(100)} ${String(row.value).padStart(10)} ${row.unit}${row.target ? `   target ${row.target}` : ''}`);
}
