// Demo of the extranet (issue 10 §6): the vertical line 自治区电子政务外网 → 市核心 → each county-level unit of the
// seeded prefecture (read from the regions table, real codes), four kinds of ring — the prefecture departments' ring
// of aggregation nodes in the city district and one ring per county through its township nodes — and an access node
// per connected department. Most departments are connected, a few are not (coverage below 100 %). Only the core is
// probed, on loopback at the server's own port. Idempotent: nothing is written once the core node exists.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DemoOptions } from '../../platform/module.ts';
import { systemActorContext } from '../../shared/context.ts';
import { prng } from '../../seed/prng.ts';
import type { ExtranetService } from './service.ts';
import type { LinkKind, NodeKind } from './tables.ts';

/** Township nodes in a county's ring (the others' departments hang off the county's aggregation node). */
const RING_TOWNSHIPS = 6;
const CORE_MBPS = 10_000;
const RING_MBPS = 1_000;
const ACCESS_MBPS = 100;
/** Departments left unconnected: about one in twelve. */
const UNCONNECTED_SHARE = 1 / 12;

export async function seedExtranetDemo(db: Kysely<Database>, extranet: ExtranetService, options: DemoOptions, port: number): Promise<void> {
  const p = options.prefecture;
  if (await db.selectFrom('extranet_node').select('id').where('code', '=', `${p}-CORE`).executeTakeFirst()) return;
  const root = await db.selectFrom('region').select(['code', 'name', 'path']).where('code', '=', p).executeTakeFirst();
  if (!root) return;
  options.onStep?.('extranet topology');
  const counties = await db.selectFrom('region').select(['code', 'name', 'path']).where('parent_code', '=', p).where('valid_to', 'is', null).orderBy('code').execute();
  if (counties.length === 0) return;
  const townships = await db.selectFrom('region').select(['code', 'name', 'parent_code']).where('level', '=', 3).where('path', 'like', `${root.path}%`).where('valid_to', 'is', null).orderBy('code').execute();
  const departments = await db
    .selectFrom('department as d')
    .innerJoin('region as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.code', 'd.name', 'd.short_name', 'd.region_code', 'r.path'])
    .where('r.path', 'like', `${root.path}%`)
    .orderBy('d.code')
    .execute();

  const nodes: { code: string; name: string; kind: NodeKind; regionCode: string; probeHost?: string; probePort?: number; probeEnabled?: boolean }[] = [];
  const links: { a: string; b: string; kind: LinkKind; ring?: string; bandwidthMbps: number }[] = [];
  const ring = (codes: string[], name: string) => {
    if (codes.length < 3) for (let i = 1; i < codes.length; i++) links.push({ a: codes[i - 1]!, b: codes[i]!, kind: 'ring', ring: name, bandwidthMbps: RING_MBPS });
    else for (let i = 0; i < codes.length; i++) links.push({ a: codes[i]!, b: codes[(i + 1) % codes.length]!, kind: 'ring', ring: name, bandwidthMbps: RING_MBPS });
  };

  // the vertical line: the autonomous region's extranet (above the imported regions: placed at the prefecture) → core
  const upstream = 'XJ-ZWWW';
  const core = `${p}-CORE`;
  nodes.push({ code: upstream, name: '自治区电子政务外网', kind: 'upstream', regionCode: p });
  nodes.push({ code: core, name: `${root.name}电子政务外网核心`, kind: 'core', regionCode: p, probeHost: '127.0.0.1', probePort: port, probeEnabled: true });
  links.push({ a: upstream, b: core, kind: 'vertical', bandwidthMbps: CORE_MBPS });

  // the prefecture departments' ring: aggregation nodes in the city district (the first county-level unit)
  const city = counties[0]!;
  const cityRing = ['一', '二', '三', '四'].map((n, i) => {
    const code = `${p}-SZ${i + 1}`;
    nodes.push({ code, name: `市直汇聚节点${n}`, kind: 'aggregation', regionCode: city.code });
    return code;
  });
  ring([core, ...cityRing], '市直部门环网');

  // down to each county, and a ring through its township nodes
  const areaNode = new Map<string, string>();
  for (const county of counties) {
    const hub = `${county.code}-HJ`;
    nodes.push({ code: hub, name: `${county.name}县级汇聚节点`, kind: 'aggregation', regionCode: county.code });
    links.push({ a: core, b: hub, kind: 'vertical', bandwidthMbps: CORE_MBPS });
    areaNode.set(county.code, hub);
    const inRing = townships.filter((t) => t.parent_code === county.code).slice(0, RING_TOWNSHIPS);
    for (const t of inRing) {
      const code = `${t.code}-XZ`;
      nodes.push({ code, name: `${t.name}节点`, kind: 'aggregation', regionCode: t.code });
      areaNode.set(t.code, code);
    }
    ring([hub, ...inRing.map((t) => `${t.code}-XZ`)], `${county.name}环网`);
  }

  // an access node per connected department, on its township's node, else its county's, else the city ring
  const rng = prng(`extranet-${p}`);
  const connections: { departmentId: string; node: string; bandwidthMbps: number; connectedOn: string }[] = [];
  let cityTurn = 0;
  for (const d of departments) {
    if (rng.next() < UNCONNECTED_SHARE) continue;
    const segments = d.path.split('/').filter(Boolean);
    const area = (segments[2] && areaNode.get(segments[2])) || (segments[1] && areaNode.get(segments[1])) || cityRing[cityTurn++ % cityRing.length]!;
    const access = `ACC-${d.code}`.slice(0, 40);
    nodes.push({ code: access, name: `${d.short_name ?? d.name}接入`.slice(0, 200), kind: 'access', regionCode: d.region_code });
    links.push({ a: area, b: access, kind: 'access', bandwidthMbps: ACCESS_MBPS });
    const year = rng.int(2016, 2025);
    connections.push({ departmentId: d.id, node: access, bandwidthMbps: ACCESS_MBPS, connectedOn: `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}` });
  }
  await extranet.importTopology(systemActorContext(), { nodes, links, connections });
}
