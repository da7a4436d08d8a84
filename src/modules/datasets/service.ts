// Loads of catalogue resources: a file streamed in (CSV, XLSX, JSON; UTF-8 or GB18030) or a batch of pushed rows,
// validated row by row into a staging table, then merged into data_row in one transaction with its audit record and
// the datasets.committed event. A failed load (bad file, crash, kill) writes no row.
import { Transform, type Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize, hasPermission, type Actor } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, invalid, notFound } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { AuditService } from '../audit/index.ts';
import { loadResourceMeta, type ResourceMeta } from '../catalogue/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import { maskRow } from '../sharing/index.ts';
import { REJECTION_MESSAGES } from './errors.ts';
import * as repo from './repository.ts';
import { corrupt, csvBatches, Decoder, jsonRecords, truncated, xlsxRecords, type Encoding } from './sources.ts';
import type { DataLoadTable } from './tables.ts';
import { itemLookup, planColumns, regionChecker, RowValidator, type AcceptedRow, type Cell, type Rejection } from './validate.ts';
import type { Selectable } from 'kysely';

export type LoadFormat = 'csv' | 'xlsx' | 'json';
export type LoadMode = 'upsert' | 'replace';

/** Rows a push may carry. */
export const MAX_PUSH_ROWS = 10_000;
/** Rejections kept per load (the counts go on beyond it). */
export const MAX_STORED_REJECTIONS = 100_000;
/** A load silent this long is failed by the sweeper (its process died). */
export const STALE_AFTER_MS = 2 * 60_000;
const STAGING_BATCH = 2000;
// DATASETS_TRACE=1 prints each phase's time of a load (bench/datasets-load.ts); global, so for one load at a time
let traced = performance.now();
let tracedCpu = process.cpuUsage();
let waited = 0;
const trace = (step: string) => {
  if (process.env.DATASETS_TRACE) {
    const cpu = process.cpuUsage(tracedCpu);
    console.log(step, Math.round(performance.now() - traced), 'ms; waiting on the database', Math.round(waited), 'ms; this process', Math.round((cpu.user + cpu.system) / 1000), 'ms CPU');
  }
  waited = 0;
  traced = performance.now();
  tracedCpu = process.cpuUsage();
};
const PROGRESS_MS = 1000;
/** Staging inserts in flight at once: the database writes one batch while the next is parsed and validated. */
const IN_FLIGHT = 2;

export interface LoadView {
  id: string;
  resourceId: string;
  departmentId: string;
  version: number | null;
  source: 'file' | 'api';
  fileName: string | null;
  format: LoadFormat | null;
  encoding: string | null;
  mode: LoadMode;
  allOrNothing: boolean;
  status: Selectable<DataLoadTable>['status'];
  bytesTotal: number | null;
  bytesRead: number;
  totalRows: number;
  acceptedRows: number;
  rejectedRows: number;
  insertedRows: number;
  updatedRows: number;
  stats: LoadStats | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface LoadStats {
  /** Per item: the share of accepted rows with a value (0–1). */
  completeness: Record<string, number>;
  deletedRows: number;
  duplicateKeys: number;
  unknownColumns: string[];
}

export interface UploadInput {
  resource: string;
  fileName: string;
  format?: LoadFormat;
  encoding?: Encoding | 'auto';
  mode?: LoadMode;
  allOrNothing?: boolean;
  declaredLength?: number;
  body: Readable;
}

export interface PushInput {
  resource: string;
  rows: unknown[];
  mode?: LoadMode;
  allOrNothing?: boolean;
}

export interface RejectionView {
  rowNo: number;
  item: string;
  value: string | null;
  code: string;
  message: string;
}

const toView = (row: Selectable<DataLoadTable>): LoadView => ({
  id: row.id,
  resourceId: row.resource_id,
  departmentId: row.department_id,
  version: row.version,
  source: row.source,
  fileName: row.file_name,
  format: row.format,
  encoding: row.encoding,
  mode: row.mode,
  allOrNothing: row.all_or_nothing,
  status: row.status,
  bytesTotal: row.bytes_total === null ? null : Number(row.bytes_total),
  bytesRead: Number(row.bytes_read),
  totalRows: row.total_rows,
  acceptedRows: row.accepted_rows,
  rejectedRows: row.rejected_rows,
  insertedRows: row.inserted_rows,
  updatedRows: row.updated_rows,
  stats: (row.stats as LoadStats | null) ?? null,
  error: row.error,
  createdAt: row.created_at.toISOString(),
  finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
});

/** The format of a file: given, else by its name's extension. */
function formatOf(fileName: string, given: LoadFormat | undefined): LoadFormat {
  if (given) return given;
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  if (ext === 'json' || ext === 'ndjson' || ext === 'jsonl') return 'json';
  throw new DomainError('datasets.unsupported_format', 'unsupported_type', `"${fileName}" is not .csv, .xlsx or .json: name the file so, or give format=.`, 'format');
}

/** Today in China (UTC+8), YYYY-MM-DD. */
function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** What one load's run collects while its records stream in. */
class LoadRun {
  totalRows = 0;
  rejectedRows = 0;
  storedRejections = 0;
  bytesRead = 0;
  unknownColumns: string[] = [];
  private rowNos: number[] = [];
  private rows: AcceptedRow[] = [];
  private rejections: (Rejection & { rowNo: number; message: string })[] = [];
  /** Batch inserts in flight (on PostgreSQL each on its own pooled connection). */
  private pending: Promise<void>[] = [];
  private lastProgress = performance.now();

  constructor(
    readonly loadId: string,
    readonly validator: RowValidator,
    private readonly db: Kysely<Database>,
    readonly staging: repo.StagingWriter,
    private readonly progress: (run: LoadRun) => Promise<void>,
  ) {}

  reject(rowNo: number, rejection: Rejection): void {
    if (this.storedRejections >= MAX_STORED_REJECTIONS) return;
    this.storedRejections++;
    this.rejections.push({ ...rejection, rowNo, message: REJECTION_MESSAGES[rejection.code].zh });
  }

  /** One data row (cells per item): accepted into the staging batch, or its rejections noted. */
  async row(cells: readonly Cell[]): Promise<void> {
    if (this.add(cells)) await this.flush();
  }

  /** The same without a promise per row; true when a batch is full and should be flushed. */
  add(cells: readonly Cell[]): boolean {
    const rowNo = ++this.totalRows;
    const found: Rejection[] = [];
    const accepted = this.validator.validate(cells, found);
    if (accepted) {
      this.rowNos.push(rowNo);
      this.rows.push(accepted);
      return this.rows.length >= STAGING_BATCH;
    }
    this.rejectedRows++;
    for (const r of found) this.reject(rowNo, r);
    return this.rejections.length >= STAGING_BATCH;
  }

  /** Hands the batch to the database; up to IN_FLIGHT inserts run while the next batch is read. */
  async flush(final = false): Promise<void> {
    const waitStarted = performance.now();
    while (this.pending.length >= IN_FLIGHT) await this.pending.shift();
    waited += performance.now() - waitStarted;
    const rowNos = this.rowNos;
    const rows = this.rows;
    const rejections = this.rejections;
    this.rowNos = [];
    this.rows = [];
    this.rejections = [];
    const insert = (async () => {
      await this.staging.write(rowNos, rows);
      await repo.insertRejections(this.db, this.loadId, rejections);
    })();
    // a failed insert must not go unobserved while the next batch is read (it is awaited, and thrown, later)
    insert.catch(() => undefined);
    this.pending.push(insert);
    if (final) while (this.pending.length > 0) await this.pending.shift();
    if (final || performance.now() - this.lastProgress >= PROGRESS_MS) {
      this.lastProgress = performance.now();
      await this.progress(this);
    }
  }
}

async function* oneByOne<T>(records: AsyncIterable<T>): AsyncGenerator<T[]> {
  for await (const record of records) yield [record];
}

export class DatasetsService {
  /** Loads this process is receiving (the sweeper leaves them alone). */
  private readonly running = new Set<string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** The resource the actor may load into (own department's; platform-wide roles: any in their region). */
  private async resourceFor(ctx: RequestContext, idOrCode: string): Promise<{ actor: Actor; meta: ResourceMeta }> {
    const { actor, scope } = authorize(ctx, 'datasets.load', this.clock);
    const platformWide = actor.via === 'system' || hasPermission(actor, 'departments.manage');
    const ownDepartment = platformWide ? null : actor.departmentId;
    if (!platformWide && ownDepartment === null) throw notFound('datasets.resource_not_found', `No resource ${idOrCode} that your department provides.`, 'resource');
    const id = await repo.findLoadableResource(this.db, idOrCode, scope, ownDepartment);
    const meta = id ? await loadResourceMeta(this.db, id) : null;
    if (!meta) throw notFound('datasets.resource_not_found', `No resource ${idOrCode} that your department provides.`, 'resource');
    return { actor, meta };
  }

  private async loadFor(ctx: RequestContext, loadId: string): Promise<{ load: Selectable<DataLoadTable>; meta: ResourceMeta }> {
    const load = await this.db.selectFrom('data_load').selectAll().where('id', '=', loadId).executeTakeFirst();
    if (!load) throw notFound('datasets.load_not_found', `No load ${loadId} that you may read.`, 'id');
    try {
      const { meta } = await this.resourceFor(ctx, load.resource_id);
      return { load, meta };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'datasets.resource_not_found') throw notFound('datasets.load_not_found', `No load ${loadId} that you may read.`, 'id');
      throw error;
    }
  }

  private assertLoadable(meta: ResourceMeta): void {
    if (meta.status === 'withdrawn' || meta.upstreamUrl) throw new DomainError('datasets.resource_not_loadable', 'conflict', `Resource ${meta.code} takes no loads.`, 'resource');
    if (meta.keyItems.length === 0) throw new DomainError('datasets.resource_not_loadable', 'conflict', `Resource ${meta.code} has no key item: rows cannot be matched.`, 'resource');
  }

  private async validator(meta: ResourceMeta): Promise<RowValidator> {
    const needsRegions = meta.items.some((i) => i.type === 'region_code');
    const known = needsRegions ? new Set((await this.db.selectFrom('region').select('code').execute()).map((r) => r.code)) : new Set<string>();
    return new RowValidator(meta, { today: chinaToday(this.clock.now()), regionExists: regionChecker(known) });
  }

  private async createLoad(actor: Actor, meta: ResourceMeta, values: Partial<Pick<DataLoadTable, 'file_name' | 'format' | 'encoding'>> & { source: 'file' | 'api'; mode: LoadMode; allOrNothing: boolean; bytesTotal?: number }): Promise<string> {
    const now = this.clock.now();
    const row = await this.db
      .insertInto('data_load')
      .values({
        resource_id: meta.id,
        department_id: meta.providerDepartmentId,
        source: values.source,
        file_name: values.file_name ?? null,
        format: values.format ?? null,
        encoding: values.encoding ?? null,
        mode: values.mode,
        all_or_nothing: values.allOrNothing,
        bytes_total: values.bytesTotal ?? null,
        created_by: actor.via === 'system' ? null : actor.userId,
        created_at: now,
        heartbeat_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    this.running.add(row.id);
    return row.id;
  }

  private progressWriter(loadId: string) {
    return async (run: LoadRun) => {
      await this.db
        .updateTable('data_load')
        .set({ bytes_read: String(run.bytesRead), total_rows: run.totalRows, rejected_rows: run.rejectedRows, heartbeat_at: this.clock.now() })
        .where('id', '=', loadId)
        .execute();
    };
  }

  /** The load's staging writer; a failure to open it fails the load. */
  private async openStaging(ctx: RequestContext, meta: ResourceMeta, loadId: string): Promise<repo.StagingWriter> {
    try {
      return await repo.openStaging(this.db, loadId);
    } catch (error) {
      this.running.delete(loadId);
      throw await this.fail(ctx, meta, loadId, error);
    }
  }

  /** Streams a file into a new load and commits it (or fails it, leaving no row). */
  async upload(ctx: RequestContext, input: UploadInput): Promise<LoadView> {
    const { actor, meta } = await this.resourceFor(ctx, input.resource);
    this.assertLoadable(meta);
    const fileName = input.fileName.trim();
    if (fileName === '' || fileName.length > 255 || /[/\\]/.test(fileName) || [...fileName].some((c) => c.charCodeAt(0) < 0x20)) throw invalid('datasets.corrupt_file', 'fileName', 'The file name must be 1–255 characters without a path.');
    const format = formatOf(fileName, input.format);
    const requested = input.encoding ?? 'auto';
    const loadId = await this.createLoad(actor, meta, {
      source: 'file',
      file_name: fileName,
      format,
      encoding: format === 'xlsx' ? null : requested === 'auto' ? null : requested,
      mode: input.mode ?? 'upsert',
      allOrNothing: input.allOrNothing ?? false,
      ...(input.declaredLength === undefined ? {} : { bytesTotal: input.declaredLength }),
    });
    const run = new LoadRun(loadId, await this.validator(meta), this.db, await this.openStaging(ctx, meta, loadId), this.progressWriter(loadId));
    const body = input.body;
    trace('opened');
    const meter = new Transform({
      transform(chunk: Buffer, _e, done) {
        run.bytesRead += chunk.length;
        done(null, chunk);
      },
    });
    const aborted = () => {
      if (!body.readableEnded) meter.destroy(invalid('datasets.upload_incomplete', 'body', 'The upload ended before the whole file arrived.'));
    };
    body.once('close', aborted);
    body.once('error', (error) => meter.destroy(error));
    body.pipe(meter);
    let decoder: Decoder | null = null;
    try {
      if (format === 'xlsx') {
        await this.readRows(run, meta, oneByOne(xlsxRecords(meter)), 'xlsx');
      } else {
        decoder = new Decoder(requested);
        meter.on('error', (error) => decoder!.destroy(error));
        meter.pipe(decoder);
        if (format === 'csv') await this.readRows(run, meta, csvBatches(decoder), 'csv');
        else await this.readObjects(run, meta, jsonRecords(decoder));
      }
      if (input.declaredLength !== undefined && run.bytesRead !== input.declaredLength) throw invalid('datasets.upload_incomplete', 'body', 'The upload ended before the whole file arrived.');
      if (decoder?.encoding) await this.db.updateTable('data_load').set({ encoding: decoder.encoding }).where('id', '=', loadId).execute();
      return await this.finish(ctx, meta, loadId, run);
    } catch (error) {
      body.unpipe(meter);
      body.resume();
      await run.staging.abort(error instanceof Error ? error : new Error(String(error))).catch(() => undefined);
      throw await this.fail(ctx, meta, loadId, error);
    } finally {
      body.off('close', aborted);
      this.running.delete(loadId);
    }
  }

  /** Rows pushed through the API (≤ 10,000), validated as a file's are; atomic. */
  async push(ctx: RequestContext, input: PushInput): Promise<LoadView> {
    const { actor, meta } = await this.resourceFor(ctx, input.resource);
    this.assertLoadable(meta);
    if (input.rows.length > MAX_PUSH_ROWS) throw invalid('datasets.too_many_rows', 'rows', `A push carries at most ${MAX_PUSH_ROWS} rows; this one has ${input.rows.length}.`);
    if (input.rows.length === 0) throw invalid('datasets.empty_file', 'rows', 'The push carries no rows.');
    const loadId = await this.createLoad(actor, meta, { source: 'api', format: 'json', mode: input.mode ?? 'upsert', allOrNothing: input.allOrNothing ?? false });
    const run = new LoadRun(loadId, await this.validator(meta), this.db, await this.openStaging(ctx, meta, loadId), this.progressWriter(loadId));
    try {
      await this.readObjects(
        run,
        meta,
        (async function* () {
          yield* input.rows;
        })(),
      );
      return await this.finish(ctx, meta, loadId, run);
    } catch (error) {
      await run.staging.abort(error instanceof Error ? error : new Error(String(error))).catch(() => undefined);
      throw await this.fail(ctx, meta, loadId, error);
    } finally {
      this.running.delete(loadId);
    }
  }

  /** CSV or XLSX: a header row, then rows of cells mapped to the items by it. */
  private async readRows(run: LoadRun, meta: ResourceMeta, batches: AsyncIterable<Cell[][]>, format: 'csv' | 'xlsx'): Promise<void> {
    let plan: ReturnType<typeof planColumns> | null = null;
    let held: Cell[] | null = null;
    const cells: Cell[] = new Array<Cell>(meta.items.length);
    /** Adds one record; true when a batch is due for the database. */
    const take = (record: Cell[]): boolean => {
      if (format === 'csv' && record.length !== plan!.itemOf.length) {
        run.totalRows++;
        run.rejectedRows++;
        run.reject(run.totalRows, { item: '', value: null, code: 'column_count' });
        return false;
      }
      cells.fill(null);
      for (let c = 0; c < record.length; c++) {
        const index = plan!.itemOf[c];
        if (index !== undefined && index >= 0) cells[index] = record[c];
      }
      return run.add(cells);
    };
    // records come in batches (a chunk's worth): no promise per row
    for await (const batch of batches)
    for (const record of batch) {
      if (plan === null) {
        if (record.every((c) => c === null || c === undefined || String(c).trim() === '')) continue;
        plan = planColumns(
          record.map((c) => (c === null || c === undefined ? '' : String(c))),
          meta.items,
        );
        run.unknownColumns = plan.unknown;
        for (const name of plan.unknown) run.reject(0, { item: name.slice(0, 64) || '(blank)', value: name.slice(0, 200), code: 'unknown_column' });
        continue;
      }
      if (format === 'xlsx' && record.every((c) => c === null || c === undefined || String(c).trim() === '')) continue;
      // one record is held back: a short last line is a truncated file, a short line inside it a bad row
      if (held && take(held)) await run.flush();
      held = record;
    }
    if (plan === null) throw invalid('datasets.empty_file', 'body', 'The file has no header row.');
    if (held) {
      if (format === 'csv' && held.length < plan.itemOf.length) throw truncated(`The last line has ${held.length} of ${plan.itemOf.length} columns: the file ends early.`);
      take(held);
    }
    await run.flush(true);
  }

  /** JSON objects (a file's array or lines, or a push): keys map to items by code or name. */
  private async readObjects(run: LoadRun, meta: ResourceMeta, records: AsyncIterable<unknown>): Promise<void> {
    const lookup = itemLookup(meta.items);
    const known = new Map<string, number>();
    const cells: Cell[] = new Array<Cell>(meta.items.length);
    for await (const record of records) {
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        run.totalRows++;
        run.rejectedRows++;
        run.reject(run.totalRows, { item: '', value: JSON.stringify(record)?.slice(0, 200) ?? null, code: 'not_object' });
        continue;
      }
      cells.fill(null);
      for (const [name, value] of Object.entries(record as Record<string, unknown>)) {
        let index = known.get(name);
        if (index === undefined) {
          index = lookup(name);
          known.set(name, index);
          if (index < 0) {
            run.unknownColumns.push(name.slice(0, 64));
            run.reject(0, { item: name.slice(0, 64) || '(blank)', value: name.slice(0, 200), code: 'unknown_column' });
          }
        }
        if (index < 0) continue;
        cells[index] = value === null || value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : (value as Cell);
      }
      await run.row(cells);
    }
    await run.flush(true);
  }

  /** Duplicate keys out, then the one commit transaction (or the whole load rejected under allOrNothing). */
  private async finish(ctx: RequestContext, meta: ResourceMeta, loadId: string, run: LoadRun): Promise<LoadView> {
    await run.staging.end();
    trace('streamed');
    await this.db.updateTable('data_load').set({ status: 'validating', bytes_read: String(run.bytesRead), total_rows: run.totalRows, heartbeat_at: this.clock.now() }).where('id', '=', loadId).execute();
    // fresh statistics for the merge's joins, gathered on another connection while duplicates are looked for; a
    // resource's first load merges without a join (D141)
    const analyzed = run.totalRows - run.rejectedRows > 10_000 && (await repo.hasRows(this.db, meta.id)) ? repo.analyzeStaging(this.db) : Promise.resolve();
    analyzed.catch(() => undefined);
    const duplicates = await repo.removeDuplicateKeys(this.db, loadId);
    if (duplicates.length > 0) {
      run.rejectedRows += duplicates.length;
      for (const d of duplicates) run.reject(d.row_no, { item: meta.keyItems.join('+').slice(0, 64), value: d.key.replaceAll('\u001f', '|').slice(0, 200), code: 'duplicate_key' });
      await run.flush(true);
    }
    await analyzed;
    trace('duplicates');
    const accepted = run.totalRows - run.rejectedRows;
    const completeness = Object.fromEntries(meta.items.map((item, i) => [item.code, accepted + duplicates.length === 0 ? 0 : Math.round((run.validator.filled[i]! / (accepted + duplicates.length)) * 10_000) / 10_000]));
    const stats: LoadStats = { completeness, deletedRows: 0, duplicateKeys: duplicates.length, unknownColumns: run.unknownColumns };
    const mode = (await this.db.selectFrom('data_load').select(['mode', 'all_or_nothing']).where('id', '=', loadId).executeTakeFirstOrThrow());

    if (mode.all_or_nothing && run.rejectedRows > 0) {
      const row = await this.db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('data_load')
          .set({ status: 'rejected', total_rows: run.totalRows, accepted_rows: 0, rejected_rows: run.rejectedRows, stats: JSON.stringify(stats), finished_at: this.clock.now(), error: `${run.rejectedRows} row(s) rejected: the load is all-or-nothing.` })
          .where('id', '=', loadId)
          .returningAll()
          .executeTakeFirstOrThrow();
        await this.audit.record(trx, ctx, { action: 'datasets.load_rejected', outcome: 'failure', objectType: 'data_load', objectId: loadId, regionCode: meta.regionCode, detail: { resourceCode: meta.code, totalRows: run.totalRows, rejectedRows: run.rejectedRows } });
        return updated;
      });
      await repo.deleteStaging(this.db, loadId);
      return toView(row);
    }

    let committed: Selectable<DataLoadTable>;
    try {
      committed = await this.db.transaction().execute(async (trx) => {
        await repo.lockResource(trx, meta.id);
        const now = this.clock.now();
        const started = await trx.updateTable('data_load').set({ status: 'committing', heartbeat_at: now }).where('id', '=', loadId).where('status', '=', 'validating').executeTakeFirst();
        if (Number(started.numUpdatedRows) !== 1) throw new Error('the load was failed meanwhile (no sign of life for too long)');
        const version = await repo.nextVersion(trx, meta.id);
        const merged = await repo.mergeStaging(trx, meta.id, loadId, now);
        trace('merged');
        stats.deletedRows = mode.all_or_nothing || (await this.modeOf(trx, loadId)) !== 'replace' ? 0 : await repo.tombstoneUnnamed(trx, meta.id, loadId, now);
        const seq = await repo.maxSeq(trx, meta.id);
        const row = await trx
          .updateTable('data_load')
          .set({
            status: 'committed',
            version,
            total_rows: run.totalRows,
            accepted_rows: accepted,
            rejected_rows: run.rejectedRows,
            inserted_rows: merged.inserted,
            updated_rows: merged.updated,
            bytes_read: String(run.bytesRead),
            stats: JSON.stringify(stats),
            finished_at: now,
          })
          .where('id', '=', loadId)
          .returningAll()
          .executeTakeFirstOrThrow();
        await this.audit.record(trx, ctx, {
          action: 'datasets.load_commit',
          objectType: 'data_load',
          objectId: loadId,
          regionCode: meta.regionCode,
          detail: { resourceCode: meta.code, version, source: row.source, fileName: row.file_name, mode: row.mode, totalRows: run.totalRows, acceptedRows: accepted, rejectedRows: run.rejectedRows, inserted: merged.inserted, updated: merged.updated, deleted: stats.deletedRows, permission: 'datasets.load' },
        });
        await this.outbox.enqueue(trx, { topic: 'datasets.committed', key: loadId, payload: { resourceId: meta.id, resourceCode: meta.code, loadId, version, maxSeq: seq } });
        return row;
      });
    } catch (error) {
      throw new DomainError('datasets.commit_failed', 'unavailable', `The commit failed; no row of this load was written (${(error as Error).message}).`, undefined, { loadId });
    }
    trace('committed');
    // the staging rows are scratch now: removed in the background (the sweeper removes any a crash leaves)
    void repo.deleteStaging(this.db, loadId).catch(() => undefined);
    return toView(committed);
  }

  private async modeOf(trx: Kysely<Database>, loadId: string): Promise<LoadMode> {
    return (await trx.selectFrom('data_load').select('mode').where('id', '=', loadId).executeTakeFirstOrThrow()).mode;
  }

  /** Marks the load failed (no row of it in data_row), cleans its staging, records why; returns the error to throw. */
  private async fail(ctx: RequestContext, meta: ResourceMeta, loadId: string, error: unknown): Promise<unknown> {
    const domain =
      error instanceof DomainError
        ? error
        : error instanceof Error && /aborted|premature close/i.test(error.message)
          ? invalid('datasets.upload_incomplete', 'body', 'The upload ended before the whole file arrived.')
          : error instanceof Error && /zip|end of central|invalid signature|unexpected end/i.test(error.message)
            ? corrupt(`The file cannot be read: ${error.message}`)
            : null;
    const message = (domain ?? (error as Error)).message?.slice(0, 1000) ?? 'failed';
    await this.db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('data_load').set({ status: 'failed', error: message, finished_at: this.clock.now() }).where('id', '=', loadId).where('status', 'in', ['receiving', 'validating', 'committing']).execute();
        await this.audit.record(trx, ctx, { action: 'datasets.load_failed', outcome: 'failure', objectType: 'data_load', objectId: loadId, regionCode: meta.regionCode, detail: { resourceCode: meta.code, code: domain?.code ?? 'internal', message } });
      })
      .catch(() => undefined);
    await repo.deleteStaging(this.db, loadId).catch(() => undefined);
    if (!domain) return error;
    return new DomainError(domain.code, domain.kind, domain.message, domain.field, { ...domain.details, loadId });
  }

  /** One load, with its progress. */
  async getLoad(ctx: RequestContext, loadId: string): Promise<LoadView> {
    return toView((await this.loadFor(ctx, loadId)).load);
  }

  /** Loads of a resource, newest first. */
  async listLoads(ctx: RequestContext, resource: string, page: { cursor?: string; limit?: number }): Promise<{ items: LoadView[]; nextCursor: string | null }> {
    const { meta } = await this.resourceFor(ctx, resource);
    const limit = page.limit ?? 50;
    const after = page.cursor ? decodeKeyset(page.cursor, ['string', 'string'] as const) : null;
    const rows = await this.db
      .selectFrom('data_load')
      .selectAll()
      .where('resource_id', '=', meta.id)
      .$if(after !== null, (qb) => qb.where((eb) => eb.or([eb('created_at', '<', new Date(after![0])), eb.and([eb('created_at', '=', new Date(after![0])), eb('id', '<', after![1])])])))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(toView);
    const last = rows.length > limit ? items.at(-1)! : null;
    return { items, nextCursor: last ? encodeKeyset([last.createdAt, last.id]) : null };
  }

  /** A page of a load's rejections, by row then item. */
  async rejections(ctx: RequestContext, loadId: string, page: { cursor?: string; limit?: number }): Promise<{ items: RejectionView[]; nextCursor: string | null }> {
    await this.loadFor(ctx, loadId);
    const limit = page.limit ?? 50;
    const after = page.cursor ? decodeKeyset(page.cursor, ['integer', 'string'] as const) : null;
    const rows = await this.db
      .selectFrom('data_load_rejection')
      .selectAll()
      .where('load_id', '=', loadId)
      .$if(after !== null, (qb) => qb.where((eb) => eb.or([eb('row_no', '>', after![0]), eb.and([eb('row_no', '=', after![0]), eb('item', '>', after![1])])])))
      .orderBy('row_no')
      .orderBy('item')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map((r) => ({ rowNo: r.row_no, item: r.item, value: r.value, code: r.code, message: r.message }));
    const last = rows.length > limit ? items.at(-1)! : null;
    return { items, nextCursor: last ? encodeKeyset([last.rowNo, last.item]) : null };
  }

  /** Every rejection of a load in order, in pages, for the downloadable report. */
  async *allRejections(ctx: RequestContext, loadId: string): AsyncGenerator<RejectionView> {
    let cursor: string | undefined;
    do {
      const page = await this.rejections(ctx, loadId, { limit: 500, ...(cursor ? { cursor } : {}) });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** The load's name for a report file. */
  async reportName(ctx: RequestContext, loadId: string): Promise<string> {
    const { load, meta } = await this.loadFor(ctx, loadId);
    return `${meta.code}-v${load.version ?? 'x'}-rejections`;
  }

  /** The current rows of a resource (provider's staff), masked by the items' masks unless the caller reads sensitive data. */
  async previewRows(ctx: RequestContext, resource: string, limit: number): Promise<{ items: { key: string; loadId: string; seq: string; data: Record<string, unknown> }[]; masked: boolean }> {
    const { actor, meta } = await this.resourceFor(ctx, resource);
    const rows = await this.db.selectFrom('data_row').select(['key', 'data', 'load_id', 'seq', 'person_id']).where('resource_id', '=', meta.id).where('deleted', '=', false).orderBy('seq', 'desc').limit(limit).execute();
    const unmasked = actor.via === 'system' || hasPermission(actor, 'users.read_sensitive');
    const grant = { items: meta.items.map((i) => i.code), masks: unmasked ? Object.fromEntries(meta.items.map((i) => [i.code, 'none' as const])) : {} };
    const items = rows.map((r) => ({ key: r.key.replaceAll('\u001f', '|'), loadId: r.load_id, seq: String(r.seq), data: maskRow(meta.items, grant, r.data as Record<string, unknown>) }));
    const people = rows.map((r) => r.person_id).filter((p): p is string => p !== null);
    if (people.length > 0 && unmasked) {
      await this.audit.recordAccess(ctx, { resource: `data:${meta.code}`, subjectIds: people, fields: meta.items.map((i) => i.code), permission: 'datasets.load', scope: authorize(ctx, 'datasets.load', this.clock).scope, regionCode: meta.regionCode, detail: { via: 'preview', resourceCode: meta.code, rows: rows.length } });
    }
    return { items, masked: !unmasked };
  }

  /** Resources the caller's department provides (the console's picker). */
  async myResources(ctx: RequestContext): Promise<{ id: string; code: string; name: string; status: string; rows: number; lastVersion: number | null }[]> {
    const { actor, scope } = authorize(ctx, 'datasets.load', this.clock);
    const platformWide = actor.via === 'system' || hasPermission(actor, 'departments.manage');
    if (!platformWide && actor.departmentId === null) return [];
    return repo.listLoadableResources(this.db, scope, platformWide ? null : actor.departmentId);
  }

  /** Fails the loads whose process died (no heartbeat for STALE_AFTER_MS) and cleans staging; start-up and schedule. */
  async failStaleLoads(): Promise<string[]> {
    const now = this.clock.now();
    return repo.failStale(this.db, new Date(now.getTime() - STALE_AFTER_MS), [...this.running], now);
  }
}
