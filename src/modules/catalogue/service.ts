// The resource catalogue (政务信息资源目录): resources and their info items, versioned metadata, Chinese search with
// facets, exports, and the demand list. Every method authorises first; every write is one transaction with its audit.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize, authorOf, scopeOf, type Actor } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, DomainError, invalid, notFound } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { AuditService } from '../audit/index.ts';
import * as repo from './repository.ts';
import {
  codePrefix,
  csvCell,
  diffSnapshots,
  EU_FREQUENCY,
  formatCode,
  normaliseItems,
  resourceProblem,
  searchTextOf,
  type Change,
  type ItemInput,
  type ResourceInput,
  type Snapshot,
} from './rules.ts';
import type { ShareType } from './tables.ts';

export interface ResourceSummary {
  id: string;
  code: string;
  name: string;
  class: Snapshot['class'];
  classCode: string;
  theme: string | null;
  provider: { id: string; name: string };
  regionCode: string;
  summary: string;
  format: string;
  updateCycle: Snapshot['updateCycle'];
  publishedAt: string | null;
  openAttr: Snapshot['openAttr'];
  shareModes: Snapshot['shareModes'];
  status: Snapshot['status'];
  version: number;
  updatedAt: string;
  itemCount: number;
  shareTypes: Record<ShareType, number>;
  abilities: string[];
}

export interface ResourceDetail extends ResourceSummary {
  relatedCodes: string[];
  regionItem: string | null;
  personItem: string | null;
  upstreamUrl: string | null;
  items: Required<ItemInput>[];
}

export interface VersionEntry {
  version: number;
  changedAt: string;
  changedBy: string | null;
  changes: Change[];
}

export interface DemandView {
  id: string;
  title: string;
  description: string;
  items: string[];
  purpose: string;
  department: { id: string; name: string };
  suggestedProvider: { id: string; name: string } | null;
  status: 'open' | 'matched' | 'closed';
  resource: { id: string; code: string; name: string } | null;
  decisionNote: string | null;
  decidedAt: string | null;
  createdAt: string;
  abilities: string[];
}

export interface SearchQuery extends repo.SearchFilters {
  cursor?: string;
  limit?: number;
}

export type ExportFormat = 'json' | 'csv' | 'jsonld';

const EXPORT_LIMIT = 5000;

type ResourceRow = repo.ResourceRow;
type ItemRow = Awaited<ReturnType<typeof repo.itemsOf>>[number];

function itemOf(i: ItemRow): Required<ItemInput> {
  return {
    code: i.code,
    name: i.name,
    type: i.type,
    maxLength: i.max_length,
    required: i.required,
    isKey: i.is_key,
    sensitivity: i.sensitivity,
    shareType: i.share_type,
    legalBasis: i.legal_basis,
    mask: i.mask,
    description: i.description,
  };
}

const dateText = (d: string | Date | null): string | null => (d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));

function snapshotOf(row: Omit<ResourceRow, 'provider_name'>, items: Required<ItemInput>[]): Snapshot {
  return {
    code: row.code,
    name: row.name,
    class: row.class,
    classCode: row.class_code,
    theme: row.theme,
    providerDepartmentId: row.provider_department_id,
    summary: row.summary,
    format: row.format,
    updateCycle: row.update_cycle,
    publishedAt: dateText(row.published_at),
    relatedCodes: row.related_codes,
    openAttr: row.open_attr,
    shareModes: row.share_modes,
    regionItem: row.region_item,
    personItem: row.person_item,
    upstreamUrl: row.upstream_url,
    status: row.status,
    items,
  };
}

export class CatalogueService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Where the actor manages resources: its department tree, and whole regions for platform-wide roles. */
  private rightsOf(actor: Actor): repo.ManageRights {
    const manage = scopeOf(actor, 'catalogue.manage', this.clock);
    if (!manage) return repo.NO_RIGHTS;
    // a role that manages departments region-wide (platform administration) manages their resources there too
    const wide = scopeOf(actor, 'departments.manage', this.clock);
    const widePaths = wide ? wide.paths.filter((p) => manage.paths.some((root) => p.startsWith(root))) : [];
    return { tenantRoot: actor.departmentId, widePaths };
  }

  private rightsFor(ctx: RequestContext): repo.ManageRights {
    return ctx.actor ? this.rightsOf(ctx.actor) : repo.NO_RIGHTS;
  }

  // ---- writes ----------------------------------------------------------------------------------------------------

  async create(ctx: RequestContext, input: ResourceInput): Promise<ResourceDetail> {
    const { actor } = authorize(ctx, 'catalogue.manage', this.clock);
    const rights = this.rightsOf(actor);
    const problem = resourceProblem(input);
    if (problem) throw invalid(problem.code, problem.field, problem.message);
    const provider = await this.checkProvider(input.providerDepartmentId, rights);
    await this.checkRelated(input.relatedCodes ?? [], input.code);
    const items = normaliseItems(input.items);
    const id = await this.db.transaction().execute(async (trx) => {
      let code = input.code;
      if (code === undefined) {
        const prefix = codePrefix(provider.region_code, input.classCode);
        code = formatCode(prefix, await repo.nextSequence(trx, prefix));
      } else if ((await repo.existingCodes(trx, [code])).size > 0) {
        throw conflict('catalogue.duplicate_code', `Resource code ${code} is taken.`, 'code');
      }
      const summary = (input.summary ?? '').trim();
      const created = await trx
        .insertInto('data_resource')
        .values({
          code,
          name: input.name.trim(),
          class: input.class,
          class_code: input.classCode,
          theme: input.theme ?? null,
          provider_department_id: provider.id,
          region_code: provider.region_code,
          summary,
          format: input.format,
          update_cycle: input.updateCycle,
          related_codes: input.relatedCodes ?? [],
          open_attr: input.openAttr,
          share_modes: input.shareModes,
          region_item: input.regionItem ?? null,
          person_item: input.personItem ?? null,
          upstream_url: input.upstreamUrl ?? null,
          status: 'draft',
          version: 1,
          search_text: searchTextOf({ name: input.name.trim(), code, summary, items }, provider.name),
          created_by: authorOf(actor),
          created_at: this.clock.now(),
          updated_at: this.clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch((error: unknown) => {
          if ((error as { code?: string }).code === '23505') throw conflict('catalogue.duplicate_code', `Resource code ${code} is taken.`, 'code');
          throw error;
        });
      await repo.replaceItems(trx, created.id, items);
      await this.writeVersion(trx, ctx, actor, created, items, null, 'catalogue.resource_create');
      return created.id;
    });
    return this.detailOf(id, rights);
  }

  /** Replaces a resource's metadata and items (its code stays); bumps the version when anything changed. */
  async update(ctx: RequestContext, idOrCode: string, input: ResourceInput & { expectedVersion?: number }): Promise<ResourceDetail> {
    const { actor } = authorize(ctx, 'catalogue.manage', this.clock);
    const rights = this.rightsOf(actor);
    const problem = resourceProblem({ ...input, code: undefined });
    if (problem) throw invalid(problem.code, problem.field, problem.message);
    const provider = await this.checkProvider(input.providerDepartmentId, rights);
    const items = normaliseItems(input.items);
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await this.lockManaged(trx, idOrCode, rights);
      if (input.code !== undefined && input.code !== row.code) throw invalid('catalogue.invalid_code', 'code', 'A resource keeps its code.');
      if (input.expectedVersion !== undefined && input.expectedVersion !== row.version) {
        throw conflict('catalogue.version_conflict', `The resource is at version ${row.version}, not ${input.expectedVersion}.`, 'expectedVersion');
      }
      await this.checkRelated(input.relatedCodes ?? [], row.code, trx);
      const before = snapshotOf(row, (await repo.itemsOf(trx, [row.id])).map(itemOf));
      const summary = (input.summary ?? '').trim();
      const next = {
        name: input.name.trim(),
        class: input.class,
        class_code: input.classCode,
        theme: input.theme ?? null,
        provider_department_id: provider.id,
        region_code: provider.region_code,
        summary,
        format: input.format,
        update_cycle: input.updateCycle,
        related_codes: input.relatedCodes ?? [],
        open_attr: input.openAttr,
        share_modes: input.shareModes,
        region_item: input.regionItem ?? null,
        person_item: input.personItem ?? null,
        upstream_url: input.upstreamUrl ?? null,
      };
      const after = snapshotOf({ ...row, ...next }, items);
      if (diffSnapshots(before, after).length === 0) return row.id;
      const updated = await trx
        .updateTable('data_resource')
        .set({ ...next, version: row.version + 1, updated_at: this.clock.now(), search_text: searchTextOf({ name: next.name, code: row.code, summary, items }, provider.name) })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await repo.replaceItems(trx, row.id, items);
      await this.writeVersion(trx, ctx, actor, updated, items, before, 'catalogue.resource_update');
      return row.id;
    });
    return this.detailOf(id, rights);
  }

  async publish(ctx: RequestContext, idOrCode: string): Promise<ResourceDetail> {
    return this.transition(ctx, idOrCode, 'published');
  }

  async withdraw(ctx: RequestContext, idOrCode: string): Promise<ResourceDetail> {
    return this.transition(ctx, idOrCode, 'withdrawn');
  }

  private async transition(ctx: RequestContext, idOrCode: string, to: 'published' | 'withdrawn'): Promise<ResourceDetail> {
    const { actor } = authorize(ctx, 'catalogue.manage', this.clock);
    const rights = this.rightsOf(actor);
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await this.lockManaged(trx, idOrCode, rights);
      if (row.status === to) throw conflict('catalogue.invalid_transition', `The resource is ${to} already.`, 'status');
      const items = (await repo.itemsOf(trx, [row.id])).map(itemOf);
      const before = snapshotOf(row, items);
      const publishedAt = to === 'published' ? (dateText(row.published_at) ?? this.today()) : row.published_at;
      const updated = await trx
        .updateTable('data_resource')
        .set({ status: to, published_at: publishedAt, version: row.version + 1, updated_at: this.clock.now() })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.writeVersion(trx, ctx, actor, updated, items, before, to === 'published' ? 'catalogue.resource_publish' : 'catalogue.resource_withdraw');
      return row.id;
    });
    return this.detailOf(id, rights);
  }

  private today(): string {
    // the catalogue's dates are Beijing dates
    return new Date(this.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  }

  private async lockManaged(trx: Transaction<Database>, idOrCode: string, rights: repo.ManageRights): Promise<ResourceRow> {
    const row = await repo.findResourceRow(trx, idOrCode, { lock: true });
    if (!row) throw notFound('catalogue.not_found', `No resource ${idOrCode}.`, 'code');
    if (!(await repo.isManageable(trx, row.id, rights))) {
      if (row.status !== 'published') throw notFound('catalogue.not_found', `No resource ${idOrCode}.`, 'code');
      throw new DomainError('catalogue.not_your_resource', 'forbidden', `${row.code} belongs to ${row.provider_name}: you do not manage its resources.`);
    }
    return row;
  }

  private async writeVersion(
    trx: Transaction<Database>,
    ctx: RequestContext,
    actor: Actor,
    row: Omit<ResourceRow, 'provider_name'>,
    items: Required<ItemInput>[],
    before: Snapshot | null,
    action: string,
  ): Promise<void> {
    const snapshot = snapshotOf(row, items);
    const changes = diffSnapshots(before, snapshot);
    await trx
      .insertInto('data_resource_version')
      .values({ resource_id: row.id, version: row.version, snapshot: JSON.stringify(snapshot), changes: JSON.stringify(changes), changed_by: authorOf(actor), changed_at: this.clock.now() })
      .execute();
    await this.audit.record(trx, ctx, {
      action,
      objectType: 'data_resource',
      objectId: row.id,
      regionCode: row.region_code,
      detail: { code: row.code, name: row.name, version: row.version, changed: changes.map((c) => c.field).slice(0, 50) },
    });
  }

  private async checkProvider(id: string, rights: repo.ManageRights) {
    const provider = await repo.findProvider(this.db, id);
    if (!provider) throw invalid('catalogue.unknown_provider', 'providerDepartmentId', 'No department has that id.');
    if (!(await repo.canManageDepartment(this.db, id, rights))) {
      throw new DomainError('catalogue.not_your_resource', 'forbidden', `You do not manage the resources of ${provider.name}.`, 'providerDepartmentId');
    }
    return provider;
  }

  private async checkRelated(codes: string[], self: string | undefined, db: Kysely<Database> = this.db): Promise<void> {
    if (self !== undefined && codes.includes(self)) throw invalid('catalogue.invalid_related', 'relatedCodes', 'A resource is not related to itself.');
    const found = await repo.existingCodes(db, codes);
    const missing = codes.findIndex((c) => !found.has(c));
    if (missing >= 0) throw invalid('catalogue.invalid_related', `relatedCodes/${missing}`, `No resource has code ${codes[missing]}.`);
  }

  // ---- reads -----------------------------------------------------------------------------------------------------

  async get(ctx: RequestContext, idOrCode: string): Promise<ResourceDetail> {
    authorize(ctx, 'catalogue.read', this.clock);
    const rights = this.rightsFor(ctx);
    const row = await repo.findResourceRow(this.db, idOrCode);
    if (!row || (row.status !== 'published' && !(await repo.isManageable(this.db, row.id, rights)))) throw notFound('catalogue.not_found', `No resource ${idOrCode}.`, 'code');
    return this.detailOf(row.id, rights);
  }

  private async detailOf(id: string, rights: repo.ManageRights): Promise<ResourceDetail> {
    const row = (await repo.findResourceRow(this.db, id))!;
    const items = (await repo.itemsOf(this.db, [id])).map(itemOf);
    const manageable = await repo.isManageable(this.db, id, rights);
    return {
      ...this.summaryOf(row, items, manageable),
      relatedCodes: row.related_codes,
      regionItem: row.region_item,
      personItem: row.person_item,
      upstreamUrl: row.upstream_url,
      items,
    };
  }

  private summaryOf(row: ResourceRow, items: Required<ItemInput>[], manageable: boolean): ResourceSummary {
    const shareTypes: Record<ShareType, number> = { unconditional: 0, conditional: 0, none: 0 };
    for (const i of items) shareTypes[i.shareType] += 1;
    const abilities: string[] = [];
    if (manageable) {
      abilities.push('update');
      if (row.status !== 'published') abilities.push('publish');
      if (row.status === 'published') abilities.push('withdraw');
    }
    if (row.status === 'published' && items.some((i) => i.shareType !== 'none')) abilities.push('request');
    return {
      id: row.id,
      code: row.code,
      name: row.name,
      class: row.class,
      classCode: row.class_code,
      theme: row.theme,
      provider: { id: row.provider_department_id, name: row.provider_name },
      regionCode: row.region_code,
      summary: row.summary,
      format: row.format,
      updateCycle: row.update_cycle,
      publishedAt: dateText(row.published_at),
      openAttr: row.open_attr,
      shareModes: row.share_modes,
      status: row.status,
      version: row.version,
      updatedAt: row.updated_at.toISOString(),
      itemCount: items.length,
      shareTypes,
      abilities,
    };
  }

  async search(ctx: RequestContext, query: SearchQuery) {
    authorize(ctx, 'catalogue.read', this.clock);
    const rights = this.rightsFor(ctx);
    const limit = query.limit ?? 20;
    const after = query.cursor === undefined ? undefined : decodeKeyset(query.cursor, ['integer', 'integer', 'string'] as const);
    const rows = await repo.searchResources(this.db, query, rights, { after: after && { rank: after[0], similarity: after[1], code: after[2] }, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const [total, facets, items, manageable] = await Promise.all([
      repo.countResources(this.db, query, rights),
      repo.facetCounts(this.db, query, rights),
      repo.itemsOf(
        this.db,
        page.map((r) => r.id),
      ),
      this.manageableIds(
        page.map((r) => r.id),
        rights,
      ),
    ]);
    const last = page.at(-1);
    return {
      items: page.map((r) =>
        this.summaryOf(
          r,
          items.filter((i) => i.resource_id === r.id).map(itemOf),
          manageable.has(r.id),
        ),
      ),
      total,
      facets,
      nextCursor: rows.length > limit && last ? encodeKeyset([Number(last.rank), Number(last.sim), last.code]) : null,
    };
  }

  private async manageableIds(ids: string[], rights: repo.ManageRights): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('data_resource as r')
      .select('r.id')
      .where('r.id', 'in', ids)
      .where((eb) => repo.manageable(eb, { department: eb.ref('r.provider_department_id'), region: eb.ref('r.region_code') }, rights))
      .execute();
    return new Set(rows.map((r) => r.id));
  }

  async versions(ctx: RequestContext, idOrCode: string): Promise<{ items: VersionEntry[] }> {
    const resource = await this.get(ctx, idOrCode);
    const rows = await repo.versionsOf(this.db, resource.id);
    return { items: rows.map((v) => ({ version: v.version, changedAt: v.changed_at.toISOString(), changedBy: v.changed_by_name ?? null, changes: v.changes as Change[] })) };
  }

  async version(ctx: RequestContext, idOrCode: string, version: number): Promise<{ version: number; changedAt: string; snapshot: Snapshot }> {
    const resource = await this.get(ctx, idOrCode);
    const row = await repo.versionSnapshot(this.db, resource.id, version);
    if (!row) throw notFound('catalogue.version_not_found', `${resource.code} has no version ${version}.`, 'version');
    return { version: row.version, changedAt: row.changed_at.toISOString(), snapshot: row.snapshot as Snapshot };
  }

  /** The field-level changes from one version to another (either order). */
  async diff(ctx: RequestContext, idOrCode: string, from: number, to: number): Promise<{ from: number; to: number; changes: Change[] }> {
    const resource = await this.get(ctx, idOrCode);
    const [a, b] = await Promise.all([repo.versionSnapshot(this.db, resource.id, from), repo.versionSnapshot(this.db, resource.id, to)]);
    if (!a) throw notFound('catalogue.version_not_found', `${resource.code} has no version ${from}.`, 'from');
    if (!b) throw notFound('catalogue.version_not_found', `${resource.code} has no version ${to}.`, 'to');
    return { from, to, changes: diffSnapshots(a.snapshot as Snapshot, b.snapshot as Snapshot) };
  }

  /** Every match of the filters (at most 5,000) as JSON, CSV (one line per info item) or DCAT-AP JSON-LD. */
  async export(ctx: RequestContext, query: repo.SearchFilters, format: ExportFormat): Promise<{ contentType: string; fileName: string; body: string }> {
    authorize(ctx, 'catalogue.read', this.clock);
    const rights = this.rightsFor(ctx);
    const rows = await repo.searchResources(this.db, query, rights, { limit: EXPORT_LIMIT });
    const items = await repo.itemsOf(
      this.db,
      rows.map((r) => r.id),
    );
    const manageable = await this.manageableIds(
      rows.map((r) => r.id),
      rows.length > 0 ? rights : repo.NO_RIGHTS,
    );
    const details: ResourceDetail[] = rows.map((r) => {
      const own = items.filter((i) => i.resource_id === r.id).map(itemOf);
      return { ...this.summaryOf(r, own, manageable.has(r.id)), relatedCodes: r.related_codes, regionItem: r.region_item, personItem: r.person_item, upstreamUrl: null, items: own };
    });
    const stamp = this.today();
    if (format === 'json') {
      const body = JSON.stringify({ exportedAt: this.clock.now().toISOString(), total: details.length, resources: details.map(({ abilities: _a, ...rest }) => rest) }, null, 2);
      return { contentType: 'application/json; charset=utf-8', fileName: `catalogue-${stamp}.json`, body };
    }
    if (format === 'csv') return { contentType: 'text/csv; charset=utf-8', fileName: `catalogue-${stamp}.csv`, body: toCsv(details) };
    return { contentType: 'application/ld+json; charset=utf-8', fileName: `catalogue-${stamp}.jsonld`, body: JSON.stringify(toDcat(details, this.clock.now()), null, 2) };
  }

  // ---- demands (需求清单) ----------------------------------------------------------------------------------------------

  async createDemand(
    ctx: RequestContext,
    input: { title: string; description?: string; items?: string[]; purpose: string; suggestedProviderId?: string | null },
  ): Promise<DemandView> {
    const { actor } = authorize(ctx, 'catalogue.read', this.clock);
    if (!actor.departmentId) throw invalid('catalogue.demand_no_department', 'departmentId', 'Only an account of a department can register a demand.');
    const title = input.title.trim();
    const purpose = input.purpose.trim();
    if (title.length === 0) throw invalid('catalogue.invalid_demand', 'title', 'Give the demand a title.');
    if (purpose.length === 0) throw invalid('catalogue.invalid_demand', 'purpose', 'State what the data is needed for.');
    const items = [...new Set((input.items ?? []).map((i) => i.trim()).filter((i) => i.length > 0))];
    if (input.suggestedProviderId && !(await repo.findProvider(this.db, input.suggestedProviderId))) {
      throw invalid('catalogue.unknown_provider', 'suggestedProviderId', 'No department has that id.');
    }
    const department = (await repo.findProvider(this.db, actor.departmentId))!;
    const id = await this.db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('data_demand')
        .values({
          department_id: actor.departmentId!,
          title,
          description: (input.description ?? '').trim(),
          items,
          purpose,
          suggested_provider_id: input.suggestedProviderId ?? null,
          created_by: authorOf(actor),
          created_at: this.clock.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.audit.record(trx, ctx, { action: 'catalogue.demand_create', objectType: 'data_demand', objectId: created.id, regionCode: department.region_code, detail: { title, items, purpose } });
      return created.id;
    });
    return this.demandView((await repo.findDemand(this.db, id))!, this.rightsOf(actor));
  }

  async listDemands(ctx: RequestContext, query: repo.DemandFilters & { cursor?: string; limit?: number }) {
    authorize(ctx, 'catalogue.read', this.clock);
    const rights = this.rightsFor(ctx);
    const limit = query.limit ?? 20;
    const after = query.cursor === undefined ? undefined : decodeKeyset(query.cursor, ['string', 'string'] as const);
    const { total, items } = await repo.listDemands(this.db, query, { after, limit: limit + 1 });
    const page = items.slice(0, limit);
    const views = await Promise.all(page.map((row) => this.demandView(row, rights)));
    const last = page.at(-1);
    return { items: views, total, nextCursor: items.length > limit && last ? encodeKeyset([last.created_at.toISOString(), last.id]) : null };
  }

  /** A catalogue manager answers a demand with a resource of its own (matched) or closes it with a note. */
  async decideDemand(ctx: RequestContext, id: string, decision: { action: 'match'; resource: string; note?: string } | { action: 'close'; note: string }): Promise<DemandView> {
    const { actor } = authorize(ctx, 'catalogue.manage', this.clock);
    const rights = this.rightsOf(actor);
    await this.db.transaction().execute(async (trx) => {
      const demand = await repo.findDemand(trx, id, { lock: true });
      if (!demand) throw notFound('catalogue.demand_not_found', 'No such demand.', 'id');
      if (demand.status !== 'open') throw conflict('catalogue.demand_closed', 'The demand was answered already.', 'status');
      let resourceId: string | null = null;
      if (decision.action === 'match') {
        const resource = await repo.findResourceRow(trx, decision.resource);
        if (!resource || resource.status !== 'published') throw invalid('catalogue.not_found', 'resource', `No published resource ${decision.resource}.`);
        if (!(await repo.isManageable(trx, resource.id, rights))) throw new DomainError('catalogue.not_your_resource', 'forbidden', 'Match a demand with a resource you manage.', 'resource');
        resourceId = resource.id;
      } else {
        if (decision.note.trim().length === 0) throw invalid('catalogue.invalid_demand', 'note', 'Say why the demand is closed.');
        const answerable = (demand.suggested_provider_id && (await repo.canManageDepartment(trx, demand.suggested_provider_id, rights))) || (await repo.canManageDepartment(trx, demand.department_id, rights));
        if (!answerable) throw new DomainError('catalogue.not_your_resource', 'forbidden', 'Only the suggested provider or the requesting department closes a demand.');
      }
      await trx
        .updateTable('data_demand')
        .set({ status: decision.action === 'match' ? 'matched' : 'closed', resource_id: resourceId, decided_by: authorOf(actor), decided_at: this.clock.now(), decision_note: decision.note?.trim() || null })
        .where('id', '=', id)
        .execute();
      await this.audit.record(trx, ctx, {
        action: decision.action === 'match' ? 'catalogue.demand_match' : 'catalogue.demand_close',
        objectType: 'data_demand',
        objectId: id,
        regionCode: demand.department_region,
        detail: { title: demand.title, resource: decision.action === 'match' ? decision.resource : null, note: decision.note ?? null },
      });
    });
    return this.demandView((await repo.findDemand(this.db, id))!, rights);
  }

  private async demandView(row: NonNullable<Awaited<ReturnType<typeof repo.findDemand>>>, rights: repo.ManageRights): Promise<DemandView> {
    const abilities: string[] = [];
    if (row.status === 'open' && (rights.tenantRoot || rights.widePaths.length > 0)) {
      abilities.push('match');
      if ((row.suggested_provider_id && (await repo.canManageDepartment(this.db, row.suggested_provider_id, rights))) || (await repo.canManageDepartment(this.db, row.department_id, rights))) {
        abilities.push('close');
      }
    }
    return {
      id: row.id,
      title: row.title,
      description: row.description,
      items: row.items,
      purpose: row.purpose,
      department: { id: row.department_id, name: row.department_name },
      suggestedProvider: row.suggested_provider_id ? { id: row.suggested_provider_id, name: row.suggested_provider_name ?? '' } : null,
      status: row.status,
      resource: row.resource_id ? { id: row.resource_id, code: row.resource_code ?? '', name: row.resource_name ?? '' } : null,
      decisionNote: row.decision_note,
      decidedAt: row.decided_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
      abilities,
    };
  }
}

const CSV_COLUMNS = ['资源代码', '资源名称', '分类', '分类代码', '主题', '提供部门', '摘要', '格式', '更新周期', '开放属性', '共享方式', '状态', '版本', '信息项代码', '信息项名称', '类型', '关键项', '必填', '敏感级别', '共享类型', '法律依据'];

function toCsv(resources: ResourceDetail[]): string {
  const lines = [CSV_COLUMNS.map(csvCell).join(',')];
  for (const r of resources) {
    const head = [r.code, r.name, r.class, r.classCode, r.theme, r.provider.name, r.summary, r.format, r.updateCycle, r.openAttr, r.shareModes, r.status, r.version];
    for (const i of r.items) lines.push([...head, i.code, i.name, i.type, i.isKey ? 'Y' : 'N', i.required ? 'Y' : 'N', i.sensitivity, i.shareType, i.legalBasis].map(csvCell).join(','));
  }
  // BOM: spreadsheets open UTF-8 Chinese correctly
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function toDcat(resources: ResourceDetail[], now: Date) {
  const base = 'urn:govcloud:catalogue:';
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
    },
    '@id': `${base}catalog`,
    '@type': 'dcat:Catalog',
    'dct:title': { '@language': 'zh', '@value': '政务信息资源目录' },
    'dct:modified': { '@type': 'xsd:dateTime', '@value': now.toISOString() },
    'dcat:dataset': resources.map((r) => ({
      '@id': `${base}${encodeURIComponent(r.code)}`,
      '@type': 'dcat:Dataset',
      'dct:identifier': r.code,
      'dct:title': { '@language': 'zh', '@value': r.name },
      'dct:description': { '@language': 'zh', '@value': r.summary },
      'dct:publisher': { '@id': `urn:govcloud:department:${r.provider.id}`, '@type': 'foaf:Agent', 'foaf:name': r.provider.name },
      'dct:accrualPeriodicity': { '@id': EU_FREQUENCY[r.updateCycle] },
      ...(r.publishedAt ? { 'dct:issued': { '@type': 'xsd:date', '@value': r.publishedAt } } : {}),
      'dct:modified': { '@type': 'xsd:dateTime', '@value': r.updatedAt },
      'dcat:theme': r.theme ? [`${base}theme:${r.theme}`] : [],
      'dcat:keyword': r.items.map((i) => i.name),
      'dct:accessRights': r.openAttr,
      'dcat:distribution': r.shareModes.map((mode) => ({
        '@id': `${base}${encodeURIComponent(r.code)}#${mode}`,
        '@type': 'dcat:Distribution',
        'dct:title': mode,
        'dct:format': mode === 'api' ? 'API' : r.format,
      })),
    })),
  };
}
