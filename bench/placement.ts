// Placement at size (issue 10 §3): 10,000 decisions over 500 hosts through the filters, weigher and N+1 reserve,
// beside the first-fit baseline on the same demand stream, with the utilisation each achieves and how many it refused.
// Pure code, no database. Run alone with `npx tsx bench/placement.ts`; `npm run bench` adds the rows.
import { firstFit, Placer, type HostSnapshot, type PlacementDemand } from '../src/modules/cloud/placement/index.ts';

export interface PlacementRow {
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
}

const HOSTS = 500;
const DECISIONS = 10_000;
const ZONES = ['gov-intranet', 'gov-extranet', 'internet'];
/** Flavours with their share of requests: mostly small, a few large. */
const FLAVOURS: [number, number, number][] = [
  [1, 2048, 10],
  [2, 4096, 30],
  [4, 8192, 30],
  [8, 16384, 20],
  [16, 32768, 8],
  [32, 65536, 2],
];

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 500 hosts (2×32 cores at 2:1 = 128 vCPUs, 512 GB), a third per zone, empty. */
function pool(): HostSnapshot[] {
  return Array.from({ length: HOSTS }, (_, i) => ({
    id: `host-${i}`,
    code: `H${String(i).padStart(4, '0')}`,
    state: 'up' as const,
    zones: [ZONES[i % ZONES.length]!],
    vcpus: 128,
    memoryMb: 512 * 1024,
    vcpusAllocated: 0,
    memoryMbAllocated: 0,
    haGroups: [],
    vms: [],
  }));
}

/** The demand stream: flavour by weight, zone by weight (intranet heavier), one in five in an HA pair. */
function demands(): PlacementDemand[] {
  const next = prng(20261129);
  const total = FLAVOURS.reduce((s, f) => s + f[2], 0);
  return Array.from({ length: DECISIONS }, (_, i) => {
    let x = next() * total;
    const f = FLAVOURS.find((fl) => (x -= fl[2]) < 0) ?? FLAVOURS[0]!;
    const z = next();
    return { vcpus: f[0], memoryMb: f[1], zone: ZONES[z < 0.5 ? 0 : z < 0.8 ? 1 : 2]!, haGroup: i % 10 < 2 ? `pair-${Math.floor(i / 10)}` : null };
  });
}

interface Outcome {
  ms: number;
  placed: number;
  refused: number;
  hostsUsed: number;
  /** Mean load (max of vCPU and memory share) over the hosts used. */
  meanLoad: number;
}

function outcome(hosts: readonly { vcpus: number; memoryMb: number; vcpusAllocated: number; memoryMbAllocated: number }[], ms: number, placed: number, refused: number): Outcome {
  const used = hosts.filter((h) => h.vcpusAllocated > 0);
  const meanLoad = used.reduce((s, h) => s + Math.max(h.vcpusAllocated / h.vcpus, h.memoryMbAllocated / h.memoryMb), 0) / Math.max(1, used.length);
  return { ms, placed, refused, hostsUsed: used.length, meanLoad };
}

function runPlacer(weigher: 'spread' | 'stack', stream: readonly PlacementDemand[]): Outcome {
  const hosts = pool();
  const started = performance.now();
  const placer = new Placer(hosts, { weigher, reserveHosts: 1 });
  let placed = 0;
  let refused = 0;
  const allocated = new Map(hosts.map((h) => [h.id, { vcpus: h.vcpus, memoryMb: h.memoryMb, vcpusAllocated: 0, memoryMbAllocated: 0 }]));
  for (const d of stream) {
    const r = placer.placeAndCommit(d);
    if ('hostId' in r) {
      placed++;
      const a = allocated.get(r.hostId)!;
      a.vcpusAllocated += d.vcpus;
      a.memoryMbAllocated += d.memoryMb;
    } else refused++;
  }
  const ms = performance.now() - started;
  if (!placer.reserve().holds) throw new Error('placement broke its own reserve');
  return outcome([...allocated.values()], ms, placed, refused);
}

function runFirstFit(stream: readonly PlacementDemand[]): Outcome {
  const hosts = pool().map((h) => ({ ...h }));
  const byId = new Map(hosts.map((h) => [h.id, h]));
  const started = performance.now();
  let placed = 0;
  let refused = 0;
  for (const d of stream) {
    const r = firstFit(hosts, d);
    if ('hostId' in r) {
      placed++;
      const h = byId.get(r.hostId)!;
      h.vcpusAllocated += d.vcpus;
      h.memoryMbAllocated += d.memoryMb;
    } else refused++;
  }
  return outcome(hosts, performance.now() - started, placed, refused);
}

export async function placementFigures(): Promise<PlacementRow[]> {
  const stream = demands();
  // the demand at twice the pool's vCPUs: the second half meets full hosts and the reserve
  const heavy = [...stream, ...stream.map((d) => ({ ...d, haGroup: d.haGroup ? `${d.haGroup}-b` : null }))];
  runPlacer('spread', stream.slice(0, 500)); // warm the JIT
  const ff = runFirstFit(stream);
  const spread = runPlacer('spread', stream);
  const stack = runPlacer('stack', stream);
  const ffHeavy = runFirstFit(heavy);
  const spreadHeavy = runPlacer('spread', heavy);
  const label = `${DECISIONS.toLocaleString('en')} decisions over ${HOSTS} hosts`;
  const pct = (x: number) => Math.round(x * 1000) / 10;
  return [
    { figure: `placement: ${label}, spread + N+1 reserve (first fit as baseline)`, value: Math.round(spread.ms), unit: 'ms', baseline: Math.round(ff.ms), target: '≤ 1,000 ms' },
    { figure: `placement: ${label}, stack + N+1 reserve`, value: Math.round(stack.ms), unit: 'ms', baseline: Math.round(ff.ms), target: '≤ 1,000 ms' },
    { figure: 'placement: hosts used, spread (first fit)', value: spread.hostsUsed, unit: 'hosts', baseline: ff.hostsUsed },
    { figure: 'placement: hosts used, stack (first fit)', value: stack.hostsUsed, unit: 'hosts', baseline: ff.hostsUsed },
    { figure: 'placement: mean load of the hosts used, spread (first fit)', value: pct(spread.meanLoad), unit: '%', baseline: pct(ff.meanLoad) },
    { figure: 'placement: mean load of the hosts used, stack (first fit)', value: pct(stack.meanLoad), unit: '%', baseline: pct(ff.meanLoad) },
    { figure: 'placement: refused of 10,000, spread (first fit)', value: spread.refused, unit: '', baseline: ff.refused },
    { figure: `placement: 20,000 decisions at 2× the pool, spread + N+1 (first fit), time`, value: Math.round(spreadHeavy.ms), unit: 'ms', baseline: Math.round(ffHeavy.ms) },
    { figure: 'placement: at 2× the pool, placed (first fit, no reserve)', value: spreadHeavy.placed, unit: '', baseline: ffHeavy.placed },
    { figure: 'placement: at 2× the pool, mean load of the hosts used (first fit)', value: pct(spreadHeavy.meanLoad), unit: '%', baseline: pct(ffHeavy.meanLoad) },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await placementFigures()) console.log(`${r.figure}: ${r.value} ${r.unit}${r.baseline === undefined ? '' : ` (baseline ${r.baseline})`}${r.target ? ` — target ${r.target}` : ''}`);
}
