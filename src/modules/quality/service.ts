// 质量评估与排名 — per resource: completeness, rejection rate, freshness against the update cycle; per department:
// resources published, requests answered on time / late / overdue, mean answer time in working days, and a score.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { notFound } from '../../shared/errors.ts';
import { chinaDate } from '../../shared/id-number.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { UpdateCycle } from '../catalogue/index.ts';
import { DEPARTMENT_WEIGHTS, departmentScore, freshness, onTimeRate, resourceScore, round1, round4 } from './figures.ts';
import * as repo from './repository.ts';
import type { DepartmentRank, Ranking, ResourceQuality } from './schema.ts';
import './permissions.ts';

/** Per-item completeness as the datasets module writes it into data_load.stats on each commit. */
interface LoadStats {
  completeness?: Record<string, number>;
  rows?: number;
}

function loadStats(value: unknown): { completeness: Record<string, number>; rows: number } | null {
  if (typeof value !== 'object' || value === null) return null;
  const stats = value as LoadStats;
  if (typeof stats.completeness !== 'object' || stats.completeness === null || typeof stats.rows !== 'number') return null;
  return { completeness: stats.completeness, rows: stats.rows };
}

/** How many resources' counted completeness this node keeps (a bounded per-node cache, keyed by row version). */
const COUNTED_CACHE_SIZE = 2000;

interface Counted {
  version: string;
  rows: number;
  filled: Record<string, number>;
}

export class QualityService {
  /** Completeness counted over rows, per resource, valid while the resource's highest row seq is unchanged. */
  private readonly counted = new Map<string, Counted>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  /** One resource's figures (quality.read, in the caller's jurisdiction). */
  async resource(ctx: RequestContext, code: string): Promise<ResourceQuality> {
    const { scope } = authorize(ctx, 'quality.read', this.clock);
    const [found] = await this.compute(scope, { code });
    if (!found) throw notFound('quality.resource_not_found', 'No such data resource in your jurisdiction.', 'code');
    return found;
  }

  /** Every resource's figures in the caller's jurisdiction; overdue only on request. */
  async resources(ctx: RequestContext, query: { overdue?: boolean } = {}): Promise<{ items: ResourceQuality[]; total: number }> {
    const { scope } = authorize(ctx, 'quality.read', this.clock);
    const all = await this.compute(scope);
    const items = query.overdue === undefined ? all : all.filter((r) => r.freshness.overdue === query.overdue);
    return { items, total: items.length };
  }

  /** The departments' ranking by score (D60), with the overdue resources, in the caller's jurisdiction. */
  async ranking(ctx: RequestContext): Promise<Ranking> {
    const { scope } = authorize(ctx, 'quality.read', this.clock);
    const now = this.clock.now();
    const [resources, departments] = await Promise.all([this.compute(scope), repo.departmentsInScope(this.db, scope)]);
    const ids = departments.map((d) => d.id);
    const [counts, answered] = await Promise.all([repo.requestCounts(this.db, ids, chinaDate(now)), repo.answeredRequests(this.db, ids)]);
    const countsOf = new Map(counts.map((c) => [c.provider_department_id, c]));
    const answerDays = new Map<string, number[]>();
    for (const r of answered) {
      const days = this.calendar.workingDaysBetween(chinaDate(r.submitted_at), chinaDate(r.decided_at!)).days;
      const list = answerDays.get(r.provider_department_id) ?? [];
      list.push(Math.max(0, days));
      answerDays.set(r.provider_department_id, list);
    }
    const byProvider = new Map<string, ResourceQuality[]>();
    for (const r of resources) byProvider.set(r.providerDepartmentId, [...(byProvider.get(r.providerDepartmentId) ?? []), r]);
    const maxPublished = Math.max(0, ...departments.map((d) => d.published));
    const rows = departments.map((d) => {
      const c = countsOf.get(d.id);
      const own = byProvider.get(d.id) ?? [];
      const days = answerDays.get(d.id) ?? [];
      const figures = {
        published: d.published,
        onTime: c?.on_time ?? 0,
        late: c?.late ?? 0,
        overdue: c?.overdue ?? 0,
        quality: own.length === 0 ? null : round1(own.reduce((s, r) => s + r.score, 0) / own.length),
        freshRate: own.length === 0 ? null : round4(own.filter((r) => !r.freshness.overdue).length / own.length),
      };
      return {
        rank: 0,
        departmentId: d.id,
        departmentName: d.name,
        resources: own.length,
        pending: c?.pending ?? 0,
        averageAnswerDays: days.length === 0 ? null : round1(days.reduce((s, n) => s + n, 0) / days.length),
        onTimeRate: round4(onTimeRate(figures)),
        ...figures,
        score: departmentScore(figures, maxPublished),
      } satisfies DepartmentRank;
    });
    rows.sort((a, b) => b.score - a.score || b.published - a.published || a.departmentName.localeCompare(b.departmentName, 'zh-CN'));
    rows.forEach((r, i) => (r.rank = i > 0 && rows[i - 1]!.score === r.score ? rows[i - 1]!.rank : i + 1));
    return {
      generatedAt: now.toISOString(),
      weights: { ...DEPARTMENT_WEIGHTS },
      items: rows,
      overdueResources: resources
        .filter((r) => r.freshness.overdue && r.status === 'published')
        .map((r) => ({ code: r.code, name: r.name, providerDepartmentName: r.providerDepartmentName, updateCycle: r.updateCycle, freshness: r.freshness })),
    };
  }

  /** Figures of the resources in scope: a handful of set-wise queries, plus one pass over rows where a load left no stats. */
  private async compute(scope: Scope, filter: { code?: string } = {}): Promise<ResourceQuality[]> {
    const now = this.clock.now();
    const resources = await repo.resourcesInScope(this.db, scope, filter);
    const ids = resources.map((r) => r.id);
    const [items, loads, rejections] = await Promise.all([repo.itemsOf(this.db, ids), repo.newestLoads(this.db, ids), repo.recentRejections(this.db, ids)]);
    const itemsOf = new Map<string, { code: string; name: string }[]>();
    for (const i of items) itemsOf.set(i.resource_id, [...(itemsOf.get(i.resource_id) ?? []), { code: i.code, name: i.name }]);
    const loadOf = new Map(loads.map((l) => [l.resource_id, l]));
    const withoutStats = resources.filter((r) => loadStats(loadOf.get(r.id)?.stats) === null).map((r) => r.id);
    const versions = await repo.rowVersions(this.db, withoutStats);
    const rejectionOf = new Map(rejections.map((r) => [r.resource_id, r]));
    const out: ResourceQuality[] = [];
    for (const r of resources) {
      const resourceItems = itemsOf.get(r.id) ?? [];
      const load = loadOf.get(r.id);
      const stats = loadStats(load?.stats);
      let rows: number;
      let ratios: Record<string, number | null>;
      let source: 'load_stats' | 'rows';
      if (stats) {
        rows = stats.rows;
        ratios = Object.fromEntries(resourceItems.map((i) => [i.code, typeof stats.completeness[i.code] === 'number' ? stats.completeness[i.code]! : null]));
        source = 'load_stats';
      } else {
        const counted = await this.countedCompleteness(r.id, resourceItems.map((i) => i.code), versions);
        rows = counted.rows;
        ratios = Object.fromEntries(resourceItems.map((i) => [i.code, rows === 0 ? null : round4(counted.filled[i.code]! / rows)]));
        source = 'rows';
      }
      const known = Object.values(ratios).filter((v): v is number => v !== null);
      const overall = known.length === 0 ? null : round4(known.reduce((s, v) => s + v, 0) / known.length);
      const rej = rejectionOf.get(r.id);
      const rate = rej && rej.total > 0 ? round4(rej.rejected / rej.total) : null;
      const fresh = freshness(r.update_cycle as UpdateCycle, load?.finished_at ?? null, now, r.upstream_url !== null);
      out.push({
        code: r.code,
        name: r.name,
        status: r.status,
        providerDepartmentId: r.provider_department_id,
        providerDepartmentName: r.provider_name,
        updateCycle: r.update_cycle,
        rows,
        completeness: { overall, items: resourceItems.map((i) => ({ ...i, ratio: ratios[i.code] ?? null })), source },
        rejection: { loads: rej?.loads ?? 0, totalRows: rej?.total ?? 0, rejectedRows: rej?.rejected ?? 0, rate },
        freshness: fresh,
        score: resourceScore({ completeness: overall, rejectionRate: rate, overdue: fresh.overdue }),
      });
    }
    return out;
  }

  /**
   * Completeness counted in one pass over the resource's rows, reused while no row of it was written since (every
   * row write takes a new seq), so a page of many resources without load statistics stays fast.
   */
  private async countedCompleteness(resourceId: string, itemCodes: string[], versions: Map<string, string>): Promise<{ rows: number; filled: Record<string, number> }> {
    const version = versions.get(resourceId) ?? '0';
    const key = `${resourceId}|${itemCodes.join(',')}`;
    const kept = this.counted.get(key);
    if (kept && kept.version === version) return kept;
    const counted = await repo.completenessFromRows(this.db, resourceId, itemCodes);
    this.counted.delete(key);
    if (this.counted.size >= COUNTED_CACHE_SIZE) this.counted.delete(this.counted.keys().next().value!);
    this.counted.set(key, { version, ...counted });
    return counted;
  }
}
