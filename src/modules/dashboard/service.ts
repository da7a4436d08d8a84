// The home dashboard: region tree with department and user counts, within the caller's jurisdiction.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { authorize } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import { dashboardRows } from './repository.ts';

export interface RegionNode {
  code: string;
  name: string;
  level: number;
  departments: number;
  users: number;
  children: RegionNode[];
}

export interface RegionRef {
  code: string;
  name: string;
  level: number;
}

/** One root of the caller's jurisdiction, with the regions above it (prefecture first), so a home page can place it. */
export interface JurisdictionRoot extends RegionRef {
  ancestors: RegionRef[];
}

export interface DashboardSummary {
  generatedAt: string;
  /** The caller's jurisdiction: one entry per region their dashboard.read grants are rooted at. */
  jurisdiction: JurisdictionRoot[];
  totals: { regions: { prefecture: number; county: number; township: number; community: number }; departments: number; users: number };
  tree: RegionNode;
}

/** Levels shown in the tree below a jurisdiction's root; communities are counted but not listed (300+ leaves help nobody on a home page). */
const TREE_MAX_LEVEL = 3;
// Summaries are cached per jurisdiction for a few seconds: the figures are for humans, and the home page is the hottest read.
const CACHE_TTL_MS = 5_000;

/** A summary with its JSON text and an entity tag, so a hot cache hit costs no serialisation. */
export interface RenderedSummary {
  summary: DashboardSummary;
  /** UTF-8 JSON bytes: written to the socket as they are, with no per-request string encoding. */
  json: Buffer;
  etag: string;
}

export class DashboardService {
  private readonly cache = new Map<string, { at: number; value: Promise<RenderedSummary> }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
  ) {}

  async rendered(ctx: RequestContext): Promise<RenderedSummary> {
    const { scope } = authorize(ctx, 'dashboard.read');
    const key = scope.paths.join('|');
    const now = this.clock.now().getTime();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < CACHE_TTL_MS) return hit.value;
    const value = this.compute(scope).then((summary) => {
      const json = Buffer.from(JSON.stringify(summary), 'utf8');
      return { summary, json, etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"` };
    });
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(key, { at: now, value });
    value.catch(() => this.cache.delete(key));
    return value;
  }

  /** Drops cached summaries (after writes that change counts, and in tests). */
  invalidate(): void {
    this.cache.clear();
  }

  private async compute(scope: Parameters<typeof dashboardRows>[1]): Promise<DashboardSummary> {
    // communities are many and not listed: the database sums them per parent instead of sending each one
    const { listed: regions, unlisted, named } = await dashboardRows(this.db, scope, TREE_MAX_LEVEL);
    const byCode = new Map(named.map((r) => [r.code, { code: r.code, name: r.name, level: r.level }]));
    const jurisdiction: JurisdictionRoot[] = scope.paths.flatMap((path) => {
      const chain = path.split('/').filter(Boolean).flatMap((code) => byCode.get(code) ?? []);
      const root = chain.pop();
      return root ? [{ ...root, ancestors: chain }] : [];
    });
    interface Draft extends RegionNode {
      path: string;
      parentCode: string | null;
    }
    const drafts = new Map<string, Draft>();
    const totals = { regions: { prefecture: 0, county: 0, township: 0, community: 0 }, departments: 0, users: 0 };
    const levelKey = ['', 'prefecture', 'county', 'township', 'community'] as const;
    for (const r of regions) {
      const key = levelKey[r.level];
      if (key) totals.regions[key]++;
      drafts.set(r.code, { code: r.code, name: r.name, level: r.level, departments: 0, users: 0, children: [], path: r.path, parentCode: r.parent_code });
    }
    // A region's own counts go to itself and to every ancestor inside the scope; an unlisted group's to its parent's.
    const addUp = (path: string, departments: number, users: number) => {
      if (departments === 0 && users === 0) return;
      totals.departments += departments;
      totals.users += users;
      for (const code of path.split('/').filter(Boolean)) {
        const ancestor = drafts.get(code);
        if (!ancestor) continue;
        ancestor.departments += departments;
        ancestor.users += users;
      }
    };
    for (const r of regions) addUp(r.path, r.departments, r.users);
    for (const group of unlisted) {
      const key = levelKey[group.level];
      if (key) totals.regions[key] += group.regions;
      const parent = drafts.get(group.parent_code);
      if (parent) addUp(parent.path, group.departments, group.users);
    }
    const toNode = (d: Draft): RegionNode => ({ code: d.code, name: d.name, level: d.level, departments: d.departments, users: d.users, children: d.children });
    const shown = new Map<string, RegionNode>();
    const roots: RegionNode[] = [];
    for (const d of drafts.values()) {
      const isScopeRoot = d.parentCode === null || !drafts.has(d.parentCode);
      if (d.level > TREE_MAX_LEVEL && !isScopeRoot) continue;
      const node = toNode(d);
      shown.set(d.code, node);
      // regions arrive ordered by path, so a parent is always placed before its children
      const parent = d.parentCode === null ? undefined : shown.get(d.parentCode);
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    const tree: RegionNode = roots.length === 1 ? roots[0]! : { code: '', name: '辖区', level: 0, departments: totals.departments, users: totals.users, children: roots };
    return { generatedAt: this.clock.now().toISOString(), jurisdiction, totals, tree };
  }
}
