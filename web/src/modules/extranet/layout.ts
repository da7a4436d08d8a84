// A fixed layout of the extranet diagram, by ring: the core in the middle, the autonomous region's node above it,
// each ring's nodes on a small circle of their own around the core, each access node fanned out beyond the node it
// hangs off. Deterministic, so the diagram looks the same on every load (a force layout would not).
import type { ExtranetLink, ExtranetNode } from './api.ts';

export interface Point {
  x: number;
  y: number;
}

export function layoutByRing(nodes: readonly ExtranetNode[], links: readonly ExtranetLink[]): Map<string, Point> {
  const at = new Map<string, Point>();
  const cores = nodes.filter((n) => n.kind === 'core');
  cores.forEach((n, i) => at.set(n.id, { x: (i - (cores.length - 1) / 2) * 60, y: 0 }));
  nodes.filter((n) => n.kind === 'upstream').forEach((n, i) => at.set(n.id, { x: i * 80, y: -140 }));

  // rings of aggregation nodes (a node takes its first ring's name; one outside any ring is a group of its own)
  const ringOf = new Map<string, string>();
  for (const l of links) {
    if (l.kind !== 'ring') continue;
    const name = l.ring ?? '';
    for (const id of [l.aId, l.bId]) if (!ringOf.has(id)) ringOf.set(id, name);
  }
  const groups = new Map<string, ExtranetNode[]>();
  for (const n of nodes) {
    if (n.kind !== 'aggregation') continue;
    const key = ringOf.get(n.id) ?? `#${n.id}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  const keys = [...groups.keys()].sort();
  const big = 200 + 30 * keys.length;
  keys.forEach((key, i) => {
    const angle = (2 * Math.PI * i) / keys.length - Math.PI / 2 + Math.PI / keys.length;
    const members = groups.get(key)!.sort((a, b) => a.code.localeCompare(b.code));
    const centre = { x: Math.cos(angle) * big, y: Math.sin(angle) * big };
    const radius = members.length === 1 ? 0 : 30 + 10 * members.length;
    members.forEach((n, j) => {
      const a = angle + Math.PI + (2 * Math.PI * (j + 0.5)) / members.length;
      at.set(n.id, { x: centre.x + Math.cos(a) * radius, y: centre.y + Math.sin(a) * radius });
    });
  });

  // access nodes fanned out beyond their node
  const parentOf = new Map<string, string>();
  for (const l of links) {
    if (l.kind !== 'access') continue;
    const kindOf = (id: string) => nodes.find((n) => n.id === id)?.kind;
    if (kindOf(l.bId) === 'access' && !parentOf.has(l.bId)) parentOf.set(l.bId, l.aId);
    else if (kindOf(l.aId) === 'access' && !parentOf.has(l.aId)) parentOf.set(l.aId, l.bId);
  }
  const children = new Map<string, string[]>();
  for (const [child, parent] of parentOf) children.set(parent, [...(children.get(parent) ?? []), child]);
  for (const [parent, kids] of children) {
    const p = at.get(parent) ?? { x: 0, y: 0 };
    const outward = Math.atan2(p.y, p.x) || -Math.PI / 2;
    kids.sort().forEach((kid, k) => {
      const spread = Math.min(1.6, 0.18 * kids.length);
      const a = outward + (kids.length === 1 ? 0 : -spread / 2 + (spread * k) / (kids.length - 1));
      const r = 45 + (k % 3) * 14;
      at.set(kid, { x: p.x + Math.cos(a) * r, y: p.y + Math.sin(a) * r });
    });
  }
  // anything left (an access node off nothing): a row below
  let spare = 0;
  for (const n of nodes) if (!at.has(n.id)) at.set(n.id, { x: -big + spare++ * 30, y: big + 80 });
  return at;
}

/** 10000 → '10G', 1000 → '1G', 100 → '100M'. */
export function bandwidthLabel(mbps: number): string {
  return mbps >= 1000 && mbps % 1000 === 0 ? `${mbps / 1000}G` : `${mbps}M`;
}
