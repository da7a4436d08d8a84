// Community statistics (统计分析): breakdowns of the residents of any region node by a dimension, with the node's
// children for drill-down, cross-tabs of two dimensions, past dates, the XLSX export; the fold and the rebuild.
// Authorization first; the node must lie in the caller's census.read jurisdiction, and every query is limited to it.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { authorize, scopeCovers, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, invalid, notFound } from '../../shared/errors.ts';
import { chinaDate } from '../../shared/id-number.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import type { AuditService } from '../audit/index.ts';
import { DIMENSIONS, DIMENSION_NAMES_ZH, ETHNICITY_NAMES, FIXED_VALUES, VALUE_NAMES_ZH, type Dimension } from './kinds.ts';
import * as repo from './repository.ts';

export interface RegionRef {
  code: string;
  name: string;
  level: number;
}

export interface NodeCounts extends RegionRef {
  /** Residents in the node (each once, whatever the dimension). */
  total: number;
  /** Residents by value; with `label` a resident counts under each of their labels ('none' without one). */
  counts: Record<string, number>;
}

export interface Breakdown {
  asOf: string;
  dimension: Dimension;
  /** 'cube' for today (the incrementally kept roll-up), 'registry' for a past date (residence history). */
  source: 'cube' | 'registry';
  /** The dimension's values in display order. */
  values: string[];
  /** Chinese names of data-driven values (ethnic groups, labels). */
  names: Record<string, string>;
  /** The regions above the node inside the caller's jurisdiction, top first (the breadcrumb). */
  ancestors: RegionRef[];
  node: NodeCounts;
  children: NodeCounts[];
}

export interface CrossTab {
  asOf: string;
  region: RegionRef;
  ancestors: RegionRef[];
  rows: { dimension: Dimension; values: string[] };
  columns: { dimension: Dimension; values: string[] };
  names: Record<string, string>;
  /** cells[i][j] = residents with rows.values[i] and columns.values[j]. */
  cells: number[][];
  total: number;
}

export interface CensusQuery {
  dimension?: string;
  region?: string;
  asOf?: string;
}

/** A breakdown of every node of a subtree (all levels), by region code: what the bench measures. */
export type TreeCounts = Map<string, NodeCounts & { path: string; parentCode: string | null }>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CensusService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock = systemClock,
  ) {}

  async breakdown(ctx: RequestContext, query: CensusQuery): Promise<Breakdown> {
    const { scope } = authorize(ctx, 'census.read', this.clock);
    const dimension = this.dimension(query.dimension, 'dimension');
    const asOf = this.asOf(query.asOf);
    const { region, ancestors } = await this.node(scope, query.region);
    const tree = await this.tree(dimension, region.path, asOf);
    const node = tree.get(region.code)!;
    const children = [...tree.values()].filter((n) => n.parentCode === region.code).map(strip);
    const values = await this.valuesOf(dimension, [node, ...children]);
    return {
      asOf,
      dimension,
      source: asOf >= this.today() ? 'cube' : 'registry',
      values,
      names: await this.namesOf(dimension, values),
      ancestors,
      node: strip(node),
      children,
    };
  }

  async crossTab(ctx: RequestContext, query: { dimension?: string; second?: string; region?: string; asOf?: string }): Promise<CrossTab> {
    const { scope } = authorize(ctx, 'census.read', this.clock);
    const first = this.dimension(query.dimension, 'dimension');
    const second = this.dimension(query.second, 'second');
    if (first === second) throw invalid('census.same_dimension', 'second', `A cross-tab needs two different dimensions; "${second}" is named twice.`);
    const asOf = this.asOf(query.asOf);
    const { region, ancestors } = await this.node(scope, query.region);
    const rows = await repo.basePairCounts(this.db, first, second, region.path, asOf, this.today());
    const sums = new Map<string, number>();
    for (const r of rows) sums.set(`${r.value}\u0000${r.value2}`, (sums.get(`${r.value}\u0000${r.value2}`) ?? 0) + r.n);
    const rowValues = await this.valuesOf(first, [{ counts: tally(rows.map((r) => ({ value: r.value, n: r.n }))) }]);
    const columnValues = await this.valuesOf(second, [{ counts: tally(rows.map((r) => ({ value: r.value2, n: r.n }))) }]);
    const cells = rowValues.map((a) => columnValues.map((b) => sums.get(`${a}\u0000${b}`) ?? 0));
    const total = first === 'label' || second === 'label' ? (await this.tree('sex', region.path, asOf)).get(region.code)!.total : rows.reduce((s, r) => s + r.n, 0);
    const names = { ...(await this.namesOf(first, rowValues)), ...(await this.namesOf(second, columnValues)) };
    return { asOf, region: ref(region), ancestors, rows: { dimension: first, values: rowValues }, columns: { dimension: second, values: columnValues }, names, cells, total };
  }

  /** The breakdown and, with `second`, the cross-tab as an XLSX workbook (Chinese headers); the export is audited. */
  async exportWorkbook(ctx: RequestContext, query: { dimension?: string; second?: string; region?: string; asOf?: string }): Promise<{ filename: string; body: Buffer }> {
    const breakdown = await this.breakdown(ctx, query);
    const crossTab = query.second === undefined || query.second === '' ? undefined : await this.crossTab(ctx, query);
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    const labels = new Map((await repo.labelCodes(this.db)).map((l) => [l.code, l.name]));
    const name = (d: Dimension, v: string) => (d === 'label' ? (labels.get(v) ?? valueName(d, v)) : valueName(d, v));
    const sheet = workbook.addWorksheet(DIMENSION_NAMES_ZH[breakdown.dimension]);
    sheet.addRow([`${breakdown.node.name} · ${DIMENSION_NAMES_ZH[breakdown.dimension]} · 截至 ${breakdown.asOf}`]);
    sheet.addRow(['区划代码', '区划', '合计', ...breakdown.values.map((v) => name(breakdown.dimension, v))]).font = { bold: true };
    for (const n of [breakdown.node, ...breakdown.children]) sheet.addRow([n.code, n.name, n.total, ...breakdown.values.map((v) => n.counts[v] ?? 0)]);
    sheet.getColumn(1).width = 16;
    sheet.getColumn(2).width = 22;
    if (crossTab) {
      const x = workbook.addWorksheet('交叉分析');
      x.addRow([`${crossTab.region.name} · ${DIMENSION_NAMES_ZH[crossTab.rows.dimension]} × ${DIMENSION_NAMES_ZH[crossTab.columns.dimension]} · 截至 ${crossTab.asOf}`]);
      x.addRow(['', ...crossTab.columns.values.map((v) => name(crossTab.columns.dimension, v))]).font = { bold: true };
      crossTab.rows.values.forEach((v, i) => x.addRow([name(crossTab.rows.dimension, v), ...crossTab.cells[i]!]));
      x.getColumn(1).width = 16;
    }
    const body = Buffer.from(await workbook.xlsx.writeBuffer());
    await this.audit.recordNow(ctx, {
      action: 'census.export',
      objectType: 'census',
      regionCode: breakdown.node.code,
      detail: { format: 'xlsx', dimension: breakdown.dimension, second: crossTab?.columns.dimension ?? null, asOf: breakdown.asOf },
    });
    return { filename: `census-${breakdown.node.code}-${breakdown.dimension}-${breakdown.asOf}.xlsx`, body };
  }

  /**
   * Counts of one dimension for every node of a subtree at every level: per-community rows from the cube (today) or
   * the registry (a past day, or `source` 'registry': the plain GROUP BY the bench compares with), added up the tree.
   * No authorization: callers check the scope (or are the system).
   */
  async tree(dimension: Dimension, path: string, asOf: string, source: 'auto' | 'registry' = 'auto'): Promise<TreeCounts> {
    const today = this.today();
    const useCube = source === 'auto' && asOf >= today;
    const counts = (d: Dimension) => (useCube ? repo.cubeCounts(this.db, d, path, today) : repo.baseCounts(this.db, d, path, asOf, today));
    const [regions, rows, totals] = await Promise.all([
      repo.regionsUnder(this.db, path),
      counts(dimension),
      // with labels a resident counts once per label: the totals come from a dimension that counts everyone once
      dimension === 'label' ? counts('sex') : undefined,
    ]);
    const tree: TreeCounts = new Map(regions.map((r) => [r.code, { code: r.code, name: r.name, level: r.level, total: 0, counts: {}, path: r.path, parentCode: r.parent_code }]));
    const root = regions[0]?.path ?? path;
    const above = root.split('/').filter(Boolean).length - 1;
    const addUp = (community: string, value: string | undefined, n: number) => {
      const leaf = tree.get(community);
      if (!leaf) return;
      for (const code of leaf.path.split('/').filter(Boolean).slice(above)) {
        const node = tree.get(code);
        if (!node) continue;
        if (value === undefined) node.total += n;
        else node.counts[value] = (node.counts[value] ?? 0) + n;
      }
    };
    for (const r of rows) addUp(r.community_code, r.value, r.n);
    for (const r of totals ?? rows) addUp(r.community_code, undefined, r.n);
    return tree;
  }

  /** Brings the cube up to date with the residents the triggers noted (the running worker calls it every second). */
  async fold(): Promise<number> {
    return repo.fold(this.db);
  }

  /**
   * True while the cube is empty: the census demo (ensureBuilt) will rebuild it from the registry, so a bulk writer
   * before it (the profiles demo) need not have its residents noted by the triggers one statement at a time.
   */
  async awaitsFirstBuild(): Promise<boolean> {
    const cells = await this.db.selectFrom('census_cube').select('dim').limit(1).executeTakeFirst();
    return cells === undefined;
  }

  /** Builds the cube once when the registry has residents and the cube has none (the demo; cheap otherwise). */
  async ensureBuilt(): Promise<void> {
    const [residents, cells] = await Promise.all([
      this.db.selectFrom('community_resident').select('id').limit(1).executeTakeFirst(),
      this.db.selectFrom('census_cube').select('dim').limit(1).executeTakeFirst(),
    ]);
    if (residents && !cells) await this.rebuild();
    else await this.fold();
  }

  /** Recomputes the cube from the registry (system work: the demo, a weekly safety run, repairs). */
  async rebuild(): Promise<{ residents: number; cells: number }> {
    return repo.rebuild(this.db);
  }

  private today(): string {
    return chinaDate(this.clock.now());
  }

  private dimension(value: string | undefined, field: string): Dimension {
    if (value === undefined || value === '') throw invalid('census.unknown_dimension', field, `Name a dimension: one of ${DIMENSIONS.join(', ')}.`);
    if (!(DIMENSIONS as readonly string[]).includes(value)) throw invalid('census.unknown_dimension', field, `"${value}" is not a dimension: one of ${DIMENSIONS.join(', ')}.`);
    return value as Dimension;
  }

  private asOf(value: string | undefined): string {
    const today = this.today();
    if (value === undefined || value === '') return today;
    const t = new Date(`${value}T00:00:00Z`);
    if (!DATE.test(value) || Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== value || value < '1900-01-01')
      throw invalid('census.invalid_date', 'asOf', `"${value}" is not a calendar date YYYY-MM-DD (from 1900-01-01).`);
    if (value > today) throw invalid('census.future_date', 'asOf', `${value} is after today (${today}): statistics are for today or a past date.`);
    return value;
  }

  /** The asked node (default: the top of the caller's jurisdiction) and its ancestors inside the jurisdiction. */
  private async node(scope: Scope, code: string | undefined) {
    let region: Awaited<ReturnType<typeof repo.regionByCode>>;
    if (code === undefined || code === '') {
      const top = scope.paths.includes('/') ? undefined : scope.paths[0]?.split('/').filter(Boolean).pop();
      region = top ? await repo.regionByCode(this.db, top) : (await this.db.selectFrom('region').select(['code', 'name', 'level', 'path', 'parent_code']).where('level', '=', 1).where('valid_to', 'is', null).orderBy('code').executeTakeFirst());
      if (!region) throw new DomainError('census.region_outside', 'forbidden', 'Your census.read jurisdiction holds no region.', 'region');
    } else {
      if (!/^\d{2,12}$/.test(code)) throw invalid('census.unknown_region', 'region', `"${code}" is not a region code.`);
      region = await repo.regionByCode(this.db, code);
      if (!region) throw notFound('census.unknown_region', `There is no region ${code}.`, 'region');
    }
    if (!scopeCovers(scope, region.path)) throw new DomainError('census.region_outside', 'forbidden', `Region ${region.code} is outside your census.read jurisdiction.`, 'region');
    const codes = region.path.split('/').filter(Boolean).slice(0, -1);
    const above = codes.length === 0 ? [] : await this.db.selectFrom('region').select(['code', 'name', 'level', 'path']).where('code', 'in', codes).where('valid_to', 'is', null).orderBy('level').execute();
    return { region, ancestors: above.filter((a) => scopeCovers(scope, a.path)).map(ref) };
  }

  private async namesOf(dimension: Dimension, values: string[]): Promise<Record<string, string>> {
    if (dimension === 'ethnicity') return Object.fromEntries(values.map((v) => [v, ETHNICITY_NAMES[v] ?? v]));
    if (dimension !== 'label') return {};
    const labels = new Map((await repo.labelCodes(this.db)).map((l) => [l.code, l.name]));
    return Object.fromEntries(values.map((v) => [v, v === 'none' ? '无' : (labels.get(v) ?? v)]));
  }

  private async valuesOf(dimension: Dimension, nodes: { counts: Record<string, number> }[]): Promise<string[]> {
    const fixed = FIXED_VALUES[dimension];
    if (fixed) return [...fixed];
    const seen = new Map<string, number>();
    for (const n of nodes) for (const [v, k] of Object.entries(n.counts)) seen.set(v, (seen.get(v) ?? 0) + k);
    if (dimension === 'label') {
      const labels = (await repo.labelCodes(this.db)).map((l) => l.code);
      return [...labels, ...[...seen.keys()].filter((v) => v !== 'none' && !labels.includes(v)).sort(), 'none'];
    }
    return [...seen.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
  }
}

function ref(r: { code: string; name: string; level: number }): RegionRef {
  return { code: r.code, name: r.name, level: r.level };
}

function strip(n: NodeCounts): NodeCounts {
  return { code: n.code, name: n.name, level: n.level, total: n.total, counts: n.counts };
}

function tally(rows: { value: string; n: number }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.value] = (out[r.value] ?? 0) + r.n;
  return out;
}

function valueName(dimension: Dimension, value: string): string {
  if (dimension === 'ethnicity') return ETHNICITY_NAMES[value] ?? value;
  if (dimension === 'age') return value === '80+' ? '80岁及以上' : `${value}岁`;
  if (dimension === 'household_size' && /^\d$/.test(value)) return `${value}人`;
  return VALUE_NAMES_ZH[value] ?? value;
}
