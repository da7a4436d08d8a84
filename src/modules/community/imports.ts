// Resident imports (issue 8 §1): files (CSV or XLSX, UTF-8 or GB18030, read by the datasets module's streaming readers)
// and the sharing platform's population resource (read through the importer's department's share grant, as a job).
// Both run through ImportRun; the per-row per-column report is downloadable as CSV or XLSX.
import { Transform, type Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { likePrefix } from '../../db/jurisdiction.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize } from '../../shared/access.ts';
import { systemActorContext, type RequestContext } from '../../shared/context.ts';
import { DomainError, invalid, notFound } from '../../shared/errors.ts';
import { chinaDate } from '../../shared/id-number.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { AuditService } from '../audit/index.ts';
import { loadResourceMeta, type ItemMeta } from '../catalogue/index.ts';
import { Decoder, csvBatches, xlsxRecords, type Encoding, type RejectionView } from '../datasets/index.ts';
import { maskRow } from '../sharing/index.ts';
import type { CommunityImportTable, ImportKind } from './import-tables.ts';
import { HouseholdImportRun } from './household-import.ts';
import { IMPORT_FIELDS, TEMPLATE_HEADER, planColumns, problem, type ImportCell } from './import-rows.ts';
import { ImportRun } from './import-run.ts';
import './import-tables.ts';

/** The outbox topic of a population pull; its key is the import id. */
export const PULL_TOPIC = 'community.population_pull';
/** Largest file accepted (a million residents' CSV is ~150 MB; split larger ones). */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export interface OutboxPort {
  enqueue(trx: import('kysely').Transaction<Database>, event: { topic: string; key: string; payload: unknown }): Promise<boolean>;
}

/** What a file import reads: the header, each record by its data row number (1-based), then the commit. */
interface ImportSink {
  addBytes(n: number): void;
  /** false when the header lacks a required column (the import is rejected with that problem). */
  header(record: ImportCell[]): boolean;
  row(rowNo: number, record: ImportCell[]): Promise<void>;
  finish(): Promise<unknown>;
}

export interface ImportView {
  id: string;
  kind: ImportKind;
  source: 'file' | 'sharing';
  fileName: string | null;
  format: string | null;
  encoding: string | null;
  resourceId: string | null;
  allOrNothing: boolean;
  status: CommunityImportTable['status'];
  bytesTotal: number | null;
  bytesRead: number;
  totalRows: number;
  acceptedRows: number;
  rejectedRows: number;
  insertedRows: number;
  updatedRows: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

type ImportRow = { [K in keyof CommunityImportTable]: CommunityImportTable[K] extends import('kysely').ColumnType<infer S, unknown, unknown> ? S : CommunityImportTable[K] };

const toView = (r: ImportRow): ImportView => ({
  id: r.id,
  kind: r.kind,
  source: r.source,
  fileName: r.file_name,
  format: r.format,
  encoding: r.encoding,
  resourceId: r.resource_id,
  allOrNothing: r.all_or_nothing,
  status: r.status,
  bytesTotal: r.bytes_total === null ? null : Number(r.bytes_total),
  bytesRead: Number(r.bytes_read),
  totalRows: r.total_rows,
  acceptedRows: r.accepted_rows,
  rejectedRows: r.rejected_rows,
  insertedRows: r.inserted_rows,
  updatedRows: r.updated_rows,
  error: r.error,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

/** Population items by their usual catalogue codes → the import's columns (the registry's field names). */
const PULL_ITEMS: Readonly<Record<string, string>> = { name: 'name', gender: 'sex', sex: 'sex', birth_date: 'birthDate', ethnicity: 'ethnicity', phone: 'phone', household_address: 'address', residence_address: 'address', address: 'address' };

export interface UploadInput {
  fileName: string;
  format?: 'csv' | 'xlsx';
  encoding?: Encoding | 'auto';
  allOrNothing?: boolean;
  declaredLength?: number;
  body: Readable;
}

export class ResidentImports {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: OutboxPort | undefined,
  ) {}

  private async create(ctx: RequestContext, values: Pick<CommunityImportTable, 'source' | 'file_name' | 'format' | 'encoding' | 'resource_id' | 'status'> & { kind?: ImportKind; allOrNothing: boolean; bytesTotal?: number }) {
    const { actor, scope } = authorize(ctx, 'community.manage', this.clock);
    const row = await this.db
      .insertInto('community_import')
      .values({
        kind: values.kind ?? 'residents',
        source: values.source,
        file_name: values.file_name,
        format: values.format,
        encoding: values.encoding,
        resource_id: values.resource_id,
        status: values.status,
        all_or_nothing: values.allOrNothing,
        bytes_total: values.bytesTotal ?? null,
        error: null,
        scope_paths: scope.paths,
        department_id: actor.departmentId,
        created_by: actor.via === 'system' ? null : actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, scopePaths: scope.paths };
  }

  /** A file of residents, streamed: validated, then committed together (or, all-or-nothing, not at all). */
  async upload(ctx: RequestContext, input: UploadInput): Promise<ImportView> {
    return this.receive(ctx, input, 'residents', ({ id, scopePaths, fileName, format }) => {
      const run = this.run(ctx, id, scopePaths, 'insert', input.allOrNothing ?? false, 'community.resident_import_file', { fileName, format });
      let plan: ReturnType<typeof planColumns> | null = null;
      return {
        addBytes: (n) => (run.bytesRead += n),
        header: (record) => {
          plan = planColumns(record);
          for (const f of plan.missing) run.headerProblem(problem(TEMPLATE_HEADER[IMPORT_FIELDS.indexOf(f)]!, null, 'community.import_missing_column'));
          return plan.missing.length === 0;
        },
        row: (rowNo, record) => run.row(plan!, rowNo, record),
        finish: () => run.finish(),
      };
    });
  }

  /** A file of households (户号, address, head, members with relations), upserted by household number (D113). */
  async uploadHouseholds(ctx: RequestContext, input: UploadInput): Promise<ImportView> {
    return this.receive(ctx, input, 'households', ({ id, scopePaths, fileName, format }) => {
      const run = new HouseholdImportRun(this.db, this.audit, this.clock, {
        importId: id,
        scopePaths,
        allOrNothing: input.allOrNothing ?? false,
        today: chinaDate(this.clock.now()),
        audit: { ctx, action: 'community.household_import_file', detail: { fileName, format } },
      });
      return { addBytes: (n) => (run.bytesRead += n), header: (record) => run.header(record), row: (rowNo, record) => run.row(rowNo, record), finish: () => run.finish() };
    });
  }

  /**
   * Receives an import file, streamed: the import row first (its progress is visible while the file arrives), then
   * each record handed to the sink the kind of import makes, and the sink's commit; a file that cannot be read marks
   * the import failed and answers 400.
   */
  private async receive(ctx: RequestContext, input: UploadInput, kind: ImportKind, makeSink: (started: { id: string; scopePaths: string[]; fileName: string; format: 'csv' | 'xlsx' }) => ImportSink): Promise<ImportView> {
    authorize(ctx, 'community.manage', this.clock);
    const fileName = input.fileName.trim();
    if (fileName === '' || fileName.length > 255 || /[/\\]/.test(fileName)) throw invalid('community.import_invalid_file', 'name', 'The file name must be 1–255 characters without a path.');
    const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
    const format = input.format ?? (ext === 'xlsx' ? 'xlsx' : ext === 'csv' || ext === 'txt' ? 'csv' : null);
    if (format === null) throw new DomainError('community.import_invalid_file', 'unsupported_type', `"${fileName}" is not .csv or .xlsx.`, 'format');
    if (input.declaredLength !== undefined && input.declaredLength > MAX_IMPORT_BYTES) throw new DomainError('community.import_invalid_file', 'too_large', `Files up to ${MAX_IMPORT_BYTES} bytes.`, 'body');
    const requested = input.encoding ?? 'auto';
    const { id, scopePaths } = await this.create(ctx, {
      kind,
      source: 'file',
      file_name: fileName,
      format,
      encoding: format === 'xlsx' || requested === 'auto' ? null : requested,
      resource_id: null,
      status: 'receiving',
      allOrNothing: input.allOrNothing ?? false,
      ...(input.declaredLength === undefined ? {} : { bytesTotal: input.declaredLength }),
    });
    const sink = makeSink({ id, scopePaths, fileName, format });
    let bytesRead = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _e, done) {
        bytesRead += chunk.length;
        sink.addBytes(chunk.length);
        if (bytesRead > MAX_IMPORT_BYTES) return done(new DomainError('community.import_invalid_file', 'too_large', `Files up to ${MAX_IMPORT_BYTES} bytes.`, 'body'));
        done(null, chunk);
      },
    });
    input.body.once('error', (error) => meter.destroy(error));
    input.body.pipe(meter);
    try {
      let decoder: Decoder | null = null;
      let records: AsyncIterable<ImportCell[]>;
      if (format === 'xlsx') records = xlsxRecords(meter);
      else {
        decoder = new Decoder(requested);
        meter.on('error', (error) => decoder!.destroy(error));
        meter.pipe(decoder);
        records = (async function* () {
          for await (const batch of csvBatches(decoder!)) yield* batch;
        })();
      }
      let headed = false;
      let rowNo = 0;
      for await (const record of records) {
        if (!headed) {
          if (record.every((c) => c === null || c === undefined || String(c).trim() === '')) continue;
          headed = true;
          if (!sink.header(record)) break;
          continue;
        }
        rowNo++;
        await sink.row(rowNo, record);
      }
      if (!headed) throw invalid('community.import_invalid_file', 'body', 'The file has no header row.');
      if (decoder?.encoding) await this.db.updateTable('community_import').set({ encoding: decoder.encoding }).where('id', '=', id).execute();
      await sink.finish();
    } catch (error) {
      input.body.unpipe(meter);
      input.body.resume();
      const message = error instanceof Error ? error.message : String(error);
      await this.db.updateTable('community_import').set({ status: 'failed', error: message.slice(0, 1000), finished_at: this.clock.now() }).where('id', '=', id).execute();
      if (error instanceof DomainError) throw error;
      throw invalid('community.import_invalid_file', 'body', `The file cannot be read: ${message}`);
    }
    return this.get(ctx, id);
  }

  private run(ctx: RequestContext, id: string, scopePaths: readonly string[], mode: 'insert' | 'upsert', allOrNothing: boolean, action: string, detail: Record<string, unknown>) {
    return new ImportRun(this.db, this.audit, this.clock, { importId: id, scopePaths, mode, allOrNothing, today: chinaDate(this.clock.now()), audit: { ctx, action, detail } });
  }

  // ---- the population resource, through a share grant ----------------------------------------------------------

  /** The caller's department's usable grants on person resources with a region item (what a pull may read). */
  async sources(ctx: RequestContext) {
    const { actor } = authorize(ctx, 'community.manage', this.clock);
    if (!actor.departmentId) return { items: [] };
    const rows = await this.grantsOf(actor.departmentId)
      .select(['res.id', 'res.code', 'res.name', 'g.region_prefix', 's.expires_at'])
      .orderBy('res.name')
      .execute();
    return { items: rows.map((r) => ({ resourceId: r.id, code: r.code, name: r.name, regionPrefix: r.region_prefix, expiresAt: r.expires_at.toISOString() })) };
  }

  private grantsOf(departmentId: string) {
    return this.db
      .selectFrom('data_grant as g')
      .innerJoin('share_grant as s', 's.id', 'g.share_id')
      .innerJoin('data_resource as res', 'res.id', 'g.resource_id')
      .where('g.consumer_department_id', '=', departmentId)
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', this.clock.now())
      .where('res.status', '=', 'published')
      .where('res.person_item', 'is not', null)
      .where('res.region_item', 'is not', null);
  }

  /** Checks the grant and queues the pull (a job); the request is audited in the same transaction. */
  async requestPull(ctx: RequestContext, input: { resourceId: string; allOrNothing?: boolean }): Promise<ImportView> {
    const { actor } = authorize(ctx, 'community.manage', this.clock);
    if (!actor.departmentId) throw new DomainError('community.no_department', 'forbidden', 'Your account belongs to no department.', 'resourceId');
    await this.grantFor(actor.departmentId, input.resourceId);
    if (!this.outbox) throw new DomainError('community.outbox_unavailable', 'unavailable', 'Background jobs are not running.');
    const outbox = this.outbox;
    const { id } = await this.create(ctx, { source: 'sharing', file_name: null, format: null, encoding: null, resource_id: input.resourceId, status: 'queued', allOrNothing: input.allOrNothing ?? false });
    await this.db.transaction().execute(async (trx) => {
      await outbox.enqueue(trx, { topic: PULL_TOPIC, key: id, payload: { id } });
      await this.audit.record(trx, ctx, { action: 'community.population_pull', objectType: 'community_import', objectId: id, detail: { resourceId: input.resourceId } });
    });
    return this.get(ctx, id);
  }

  /** The usable grants of the department on the resource and what they open; 403 without one, 400 when too narrow. */
  private async grantFor(departmentId: string, resourceId: string) {
    if (!/^[0-9a-f-]{36}$/i.test(resourceId)) throw invalid('request.invalid', 'resourceId', 'Not a resource id.');
    const grants = await this.grantsOf(departmentId).select(['g.region_prefix', 'g.masks', 's.fields']).where('res.id', '=', resourceId).execute();
    if (grants.length === 0) throw new DomainError('community.no_population_grant', 'forbidden', 'Your department holds no usable share grant on that resource.', 'resourceId');
    const meta = (await loadResourceMeta(this.db, resourceId))!;
    const needed = [meta.personItem!, meta.regionItem!, 'name'];
    // the items every grant opens unmasked, per grant
    const usable = grants.filter((g) => needed.every((code) => g.fields.includes(code) && ((g.masks as Record<string, string> | null)?.[code] ?? meta.items.find((i) => i.code === code)?.mask) === 'none'));
    if (usable.length === 0) throw invalid('community.grant_lacks_items', 'resourceId', `The grant must open ${needed.join(', ')} unmasked.`, { items: needed });
    return { meta, grants: usable };
  }

  /** The pull job: the granted rows inside the importer's jurisdiction (and the grant's region), upserted by ID number. */
  async runPull(importId: string): Promise<void> {
    const row = await this.db.selectFrom('community_import').selectAll().where('id', '=', importId).executeTakeFirst();
    if (!row || row.status !== 'queued' || !row.department_id || !row.resource_id) return;
    const ctx = systemActorContext();
    try {
      const { meta, grants } = await this.grantFor(row.department_id, row.resource_id);
      await this.db.updateTable('community_import').set({ status: 'receiving' }).where('id', '=', importId).execute();
      const run = this.run(ctx, importId, row.scope_paths, 'upsert', row.all_or_nothing, 'community.population_pull_commit', { resourceId: meta.id, resource: meta.name, requestedBy: row.created_by });
      const columns = ['idNumber', 'communityCode', 'residenceStatus', ...new Set(Object.values(PULL_ITEMS))];
      const plan = planColumns(columns);
      const itemOf = new Map(meta.items.map((i) => [i.code, i]));
      let rowNo = 0;
      for await (const data of this.grantedRows(meta.id, meta.items, grants, row.scope_paths)) {
        rowNo++;
        const cells: ImportCell[] = columns.map(() => null);
        cells[0] = data[meta.personItem!] as ImportCell;
        cells[1] = data[meta.regionItem!] as ImportCell;
        cells[2] = meta.name.includes('流动') ? 'floating' : 'registered';
        for (const [code, field] of Object.entries(PULL_ITEMS)) {
          const item = itemOf.get(code);
          if (!item || data[code] === undefined || data[code] === null) continue;
          if (code === 'phone' && !/^1\d{10}$/.test(String(data[code]))) continue; // masked by the grant
          cells[columns.indexOf(field)] ??= data[code] as ImportCell;
        }
        await run.row(plan, rowNo, cells);
      }
      await run.finish();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.db.updateTable('community_import').set({ status: 'failed', error: message.slice(0, 1000), finished_at: this.clock.now() }).where('id', '=', importId).execute();
      if (!(error instanceof DomainError)) throw error;
    }
  }

  /** The resource's current rows a grant lets out (masked as it says), in the region subtrees, by key in pages. */
  private async *grantedRows(resourceId: string, items: readonly ItemMeta[], grants: { region_prefix: string | null; masks: unknown; fields: string[] }[], paths: readonly string[]): AsyncGenerator<Record<string, unknown>> {
    let after = '';
    for (;;) {
      const page = await this.db
        .selectFrom('data_row as d')
        .select(['d.key', 'd.data', 'd.region_code'])
        .where('d.resource_id', '=', resourceId)
        .where('d.deleted', '=', false)
        .where('d.key', '>', after)
        .where((eb) => eb('d.region_code', 'in', sql<string>`(SELECT r.code FROM region r WHERE ${sql.join(paths.map((p) => sql`r.path LIKE ${likePrefix(p)}`), sql` OR `)})`))
        .where((eb) => eb.or(grants.map((g) => (g.region_prefix === null ? eb.val(true) : eb('d.region_code', 'like', `${g.region_prefix}%`)))))
        .orderBy('d.key')
        .limit(2000)
        .execute();
      for (const r of page) {
        const grant = grants.find((g) => g.region_prefix === null || (r.region_code ?? '').startsWith(g.region_prefix))!;
        yield maskRow(items, { items: grant.fields, masks: (grant.masks ?? {}) as Record<string, never> }, (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>);
      }
      if (page.length < 2000) return;
      after = page.at(-1)!.key;
    }
  }

  // ---- reading imports and their reports ------------------------------------------------------------------------

  /** An import the caller started (or any, for a platform-wide manager). */
  private async own(ctx: RequestContext, id: string): Promise<ImportRow> {
    const { actor } = authorize(ctx, 'community.manage', this.clock);
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('community.import_not_found', 'No such import of yours.');
    const row = await this.db.selectFrom('community_import').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || (actor.via !== 'system' && row.created_by !== actor.userId)) throw notFound('community.import_not_found', 'No such import of yours.');
    return row as ImportRow;
  }

  async get(ctx: RequestContext, id: string): Promise<ImportView> {
    return toView(await this.own(ctx, id));
  }

  async list(ctx: RequestContext): Promise<{ items: ImportView[] }> {
    const { actor } = authorize(ctx, 'community.manage', this.clock);
    const rows = await this.db.selectFrom('community_import').selectAll().where('created_by', '=', actor.userId).orderBy('created_at', 'desc').limit(20).execute();
    return { items: rows.map((r) => toView(r as ImportRow)) };
  }

  async rejections(ctx: RequestContext, id: string, page: { cursor?: string; limit?: number }): Promise<{ items: RejectionView[]; nextCursor: string | null }> {
    await this.own(ctx, id);
    const limit = page.limit ?? 50;
    const after = page.cursor ? decodeKeyset(page.cursor, ['integer', 'string'] as const) : null;
    const rows = await this.page(id, after, limit + 1);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeKeyset([last.rowNo, last.item]) : null };
  }

  private async page(id: string, after: readonly [number, string] | null, limit: number): Promise<RejectionView[]> {
    const rows = await this.db
      .selectFrom('community_import_rejection')
      .select(['row_no', 'item', 'value', 'code', 'message'])
      .where('import_id', '=', id)
      .$if(after !== null, (qb) => qb.where((eb) => eb.or([eb('row_no', '>', after![0]), eb.and([eb('row_no', '=', after![0]), eb('item', '>', after![1])])])))
      .orderBy('row_no')
      .orderBy('item')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ rowNo: r.row_no, item: r.item, value: r.value, code: r.code, message: r.message }));
  }

  /** Every rejection, for the report download (checked before the first byte). */
  async report(ctx: RequestContext, id: string): Promise<{ name: string; rows: AsyncGenerator<RejectionView> }> {
    const row = await this.own(ctx, id);
    const page = (after: readonly [number, string] | null) => this.page(id, after, 2000);
    const rows = (async function* () {
      let after: readonly [number, string] | null = null;
      for (;;) {
        const items = await page(after);
        yield* items;
        if (items.length < 2000) return;
        after = [items.at(-1)!.rowNo, items.at(-1)!.item];
      }
    })();
    return { name: `导入报告-${(row.file_name ?? '人口资源').replace(/\.[a-z0-9]+$/i, '')}-${row.created_at.toISOString().slice(0, 10)}`, rows };
  }
}
