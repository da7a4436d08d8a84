// Regions: reads within the actor's jurisdiction, and effective-dated rename, merge and retirement (audited).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { authorize, roleFor, type Actor, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, invalid, notFound } from '../../shared/errors.ts';
import { decodeCursor, encodeCursor, type Page } from '../../shared/pagination.ts';
import type { AuditService } from '../audit/index.ts';
import { currentNameSince, parseCalendarDate, resolveNameAt, todayInChina, type CalendarDate } from './effective.ts';
import { regionPolicy, type RegionAbility } from './policy.ts';
import * as repo from './repository.ts';
import type { HistoryEntry, Region } from './repository.ts';

/** A region as the API shows it: with what the caller may do to it. */
export interface RegionView extends Region {
  abilities: RegionAbility[];
}

export interface RegionDetail extends RegionView {
  /** Earlier names (and the final period before a merge or retirement), oldest first. */
  history: HistoryEntry[];
  /** Present when asked for a date: the name the region bore that day, null if it did not exist then. */
  asOf?: { date: CalendarDate; name: string | null };
}

export interface RegionTreeNode {
  code: string;
  name: string;
  level: number;
  children: RegionTreeNode[];
}

export interface RegionListQuery {
  parent?: string;
  q?: string;
  level?: number;
  includeRetired?: boolean;
  /** Only the regions at the top of the actor's jurisdiction. */
  roots?: boolean;
  cursor?: string;
  limit?: number;
}

export const TREE_DEPTH_DEFAULT = 2;
export const TREE_DEPTH_MAX = 4;

/** 1–100 characters, none of them a control character or < > (names end up in HTML and documents). */
function isValidName(name: string): boolean {
  return name.length >= 1 && name.length <= 100 && ![...name].some((c) => c < ' ' || c === '<' || c === '>');
}

export class RegionService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
  ) {}

  // ---- reads

  async list(ctx: RequestContext, query: RegionListQuery): Promise<Page<RegionView>> {
    const { actor, scope } = authorize(ctx, 'regions.read');
    const limit = query.limit ?? 50;
    const afterCode = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (afterCode !== undefined && !/^[0-9]{2,12}$/.test(afterCode)) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not one this API issued.');
    const rows = await repo.listRegions(this.db, scope, {
      parentCode: query.parent,
      q: query.q,
      level: query.level,
      includeRetired: query.includeRetired ?? false,
      roots: query.roots ?? false,
      afterCode,
      limit,
    });
    const abilities = regionPolicy(actor);
    const items = rows.slice(0, limit).map((region) => ({ ...region, abilities: abilities(region) }));
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!.code) : null };
  }

  /** One region in the actor's jurisdiction with its history; with `at`, also the name it bore that day. */
  async get(ctx: RequestContext, code: string, at?: string): Promise<RegionDetail> {
    const { actor, scope } = authorize(ctx, 'regions.read');
    const date = at === undefined ? undefined : parseCalendarDate(at, 'at');
    const region = await this.inScopeOr404(this.db, scope, code);
    const history = await repo.historyOf(this.db, code);
    return { ...region, abilities: regionPolicy(actor)(region), history, ...(date === undefined ? {} : { asOf: { date, name: resolveNameAt(region, history, date) } }) };
  }

  /** The name region `code` bore on `date`, or null when it did not exist that day. */
  async nameAt(ctx: RequestContext, code: string, date: string): Promise<string | null> {
    return (await this.get(ctx, code, date)).asOf!.name;
  }

  /** The current subtree under `code`, `depth` levels deep, from one range query on path. */
  async tree(ctx: RequestContext, code: string, depth = TREE_DEPTH_DEFAULT): Promise<RegionTreeNode> {
    const { scope } = authorize(ctx, 'regions.read');
    if (!Number.isInteger(depth) || depth < 0 || depth > TREE_DEPTH_MAX) throw invalid('region.invalid_depth', 'depth', `depth must be an integer from 0 to ${TREE_DEPTH_MAX}.`);
    const root = await this.inScopeOr404(this.db, scope, code);
    const rows = await repo.currentSubtree(this.db, scope, root.path, root.level + depth);
    const nodes = new Map<string, RegionTreeNode>();
    const top: RegionTreeNode = { code: root.code, name: root.name, level: root.level, children: [] };
    nodes.set(root.code, top);
    // Rows arrive in path order, so a parent is always placed before its children.
    for (const row of rows) {
      if (row.code === root.code) continue;
      const parent = row.parent_code === null ? undefined : nodes.get(row.parent_code);
      if (!parent) continue; // under a retired region: not part of the current tree
      const node: RegionTreeNode = { code: row.code, name: row.name, level: row.level, children: [] };
      parent.children.push(node);
      nodes.set(row.code, node);
    }
    return top;
  }

  // ---- effective-dated changes

  /** Renames a region from `effectiveDate`; the old name goes to region_history. */
  async rename(ctx: RequestContext, code: string, input: { name: string; effectiveDate: string }): Promise<RegionDetail> {
    const { actor, scope } = authorize(ctx, 'regions.manage');
    const name = input.name.trim();
    if (!isValidName(name)) throw invalid('region.invalid_name', 'name', 'The name must be 1–100 characters without control characters or < >.');
    const effectiveDate = this.effectiveDate(input.effectiveDate);
    await this.db.transaction().execute(async (trx) => {
      const region = await this.lockCurrent(trx, scope, code);
      if (region.name === name) throw invalid('region.name_unchanged', 'name', `${code} is already named ${name}.`);
      const since = await this.assertNotBeforeCurrentName(trx, region, effectiveDate);
      await repo.insertHistory(trx, code, { name: region.name, parentCode: region.parentCode, validFrom: since, validTo: effectiveDate, change: 'rename' });
      await repo.setRegionName(trx, code, name);
      await this.recordChange(trx, ctx, actor, code, 'region.rename', { from: region.name, to: name, effectiveDate });
    });
    return this.detail(actor, scope, code);
  }

  /** Merges a region into another of the same level from `effectiveDate`: it ends, naming its successor. */
  async merge(ctx: RequestContext, code: string, input: { into: string; effectiveDate: string }): Promise<RegionDetail> {
    const { actor, scope } = authorize(ctx, 'regions.manage');
    const effectiveDate = this.effectiveDate(input.effectiveDate);
    if (input.into === code) throw invalid('region.merge_into_self', 'into', 'A region cannot be merged into itself.');
    await this.db.transaction().execute(async (trx) => {
      const region = await this.lockCurrent(trx, scope, code);
      const target = await repo.findRegionInScope(trx, scope, input.into);
      if (!target || target.validTo !== null) throw invalid('region.unknown_target', 'into', `No current region in your jurisdiction has code ${input.into}.`);
      if (target.level !== region.level) {
        throw invalid('region.level_mismatch', 'into', `${code} is a level-${region.level} region; it can only merge into another level-${region.level} region, not ${input.into} (level ${target.level}).`);
      }
      if (effectiveDate < target.validFrom) {
        throw invalid('region.effective_date_too_early', 'effectiveDate', `${input.into} exists only from ${target.validFrom}; the merge cannot take effect on ${effectiveDate}.`);
      }
      await this.endCurrent(trx, region, effectiveDate, target.code, 'merge');
      await this.recordChange(trx, ctx, actor, code, 'region.merge', { name: region.name, into: target.code, intoName: target.name, effectiveDate });
    });
    return this.detail(actor, scope, code);
  }

  /** Retires (abolishes) a region from `effectiveDate` without a successor. */
  async retire(ctx: RequestContext, code: string, input: { effectiveDate: string }): Promise<RegionDetail> {
    const { actor, scope } = authorize(ctx, 'regions.manage');
    const effectiveDate = this.effectiveDate(input.effectiveDate);
    await this.db.transaction().execute(async (trx) => {
      const region = await this.lockCurrent(trx, scope, code);
      await this.endCurrent(trx, region, effectiveDate, null, 'retire');
      await this.recordChange(trx, ctx, actor, code, 'region.retire', { name: region.name, effectiveDate });
    });
    return this.detail(actor, scope, code);
  }

  // ---- helpers

  private recordChange(trx: Transaction<Database>, ctx: RequestContext, actor: Actor, code: string, action: string, detail: Record<string, unknown>): Promise<void> {
    return this.audit.record(trx, ctx, { action, objectType: 'region', objectId: code, regionCode: code, role: roleFor(actor, 'regions.manage'), detail });
  }

  private async inScopeOr404(db: Kysely<Database> | Transaction<Database>, scope: Scope, code: string): Promise<Region> {
    const region = await repo.findRegionInScope(db, scope, code);
    // Unknown and out-of-jurisdiction look the same, so codes outside one's jurisdiction are not confirmed.
    if (!region) throw notFound('region.not_found', `No region with code ${code} in your jurisdiction.`, 'code');
    return region;
  }

  private async lockCurrent(trx: Transaction<Database>, scope: Scope, code: string): Promise<Region> {
    const region = await repo.lockRegionInScope(trx, scope, code);
    if (!region) throw notFound('region.not_found', `No region with code ${code} in your jurisdiction.`, 'code');
    if (region.validTo !== null) {
      const how = region.successorCode ? `was merged into ${region.successorCode}` : 'was retired';
      throw conflict('region.not_current', `${code} ${how} on ${region.validTo}; only a current region can change.`, 'code');
    }
    return region;
  }

  /** A well-formed date no later than today: a change is recorded when it takes effect, not scheduled. */
  private effectiveDate(value: string): CalendarDate {
    const date = parseCalendarDate(value, 'effectiveDate');
    const today = todayInChina();
    if (date > today) throw invalid('region.effective_date_in_future', 'effectiveDate', `effectiveDate ${date} is after today (${today}); record a change once it takes effect.`);
    return date;
  }

  /** Refuses a date before the region's current name began (its valid_from, or its latest rename); returns that day. */
  private async assertNotBeforeCurrentName(trx: Transaction<Database>, region: Region, effectiveDate: CalendarDate): Promise<CalendarDate> {
    const since = currentNameSince(region, await repo.historyOf(trx, region.code));
    if (effectiveDate < since) {
      const what = since === region.validFrom ? 'exists from' : 'bears its current name from';
      throw invalid('region.effective_date_too_early', 'effectiveDate', `${region.code} ${what} ${since}; a change cannot take effect on ${effectiveDate}.`);
    }
    return since;
  }

  private async endCurrent(trx: Transaction<Database>, region: Region, effectiveDate: CalendarDate, successorCode: string | null, change: 'merge' | 'retire'): Promise<void> {
    const since = await this.assertNotBeforeCurrentName(trx, region, effectiveDate);
    const blocking = await repo.childrenOutliving(trx, region.code, effectiveDate);
    if (blocking.length > 0) {
      throw conflict(
        'region.has_children',
        `${region.code} still has regions under it (${blocking.join(', ')}${blocking.length === 5 ? ', …' : ''}) current on ${effectiveDate}; merge or retire them first.`,
        'code',
      );
    }
    await repo.insertHistory(trx, region.code, { name: region.name, parentCode: region.parentCode, validFrom: since, validTo: effectiveDate, change });
    await repo.endRegion(trx, region.code, effectiveDate, successorCode);
  }

  private async detail(actor: Actor, scope: Scope, code: string): Promise<RegionDetail> {
    const region = await this.inScopeOr404(this.db, scope, code);
    return { ...region, abilities: regionPolicy(actor)(region), history: await repo.historyOf(this.db, code) };
  }
}
