// Audit: record writes and personal-data reads, browse within a jurisdiction, verify the chain.
import type { Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { authorize, isSystemActor, type Actor, type Scope } from '../../shared/access.ts';
import { readsPlatformRecords } from './policy.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, invalid } from '../../shared/errors.ts';
import { decodeCursor, encodeCursor, type Page } from '../../shared/pagination.ts';
import { EXPORT_ROW_CAP, auditWorkbook } from './export.ts';
import { GENESIS_HASH, chainHash, type ChainedContent } from './chain.ts';
import { actionLabel, detailFields, matchActions, type ActionLabel, type DetailField } from './catalogue.ts';
import { appendAudit, contentOf, countAudit, hashAt, listAudit, readChainBatch, readHead, type AuditFilter, type NamedAuditRow } from './repository.ts';
import { AccessLog, ACCESS_BATCH_ACTION, type AccessItem, type AccessQuery, type AccessRecordInput } from './access-service.ts';
import type { AccessLogOptions } from './access-log.ts';
import { compareWithCheckpoint, type Checkpoint, type CheckpointStore } from './checkpoints.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';

export interface AuditEntry {
  action: string;
  outcome?: 'success' | 'failure' | 'denied';
  objectType?: string | null;
  objectId?: string | null;
  regionCode?: string | null;
  /** The role the actor acted under; defaults to the actor's first grant. */
  role?: string | null;
  detail?: Record<string, unknown> | null;
  /** For records without a signed-in actor (a failed login): who was named. */
  actorName?: string | null;
}

export interface AuditRecord {
  seq: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  role: string | null;
  departmentId: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  regionCode: string | null;
  outcome: string;
  clientAddr: string | null;
  requestId: string | null;
  detail: Record<string, unknown> | null;
  hash: string;
  /** The action's label from the catalogue. */
  actionLabel: ActionLabel;
  /** The actor's display name (actorName is the user name they signed in with). */
  actorDisplayName: string | null;
  departmentName: string | null;
  regionName: string | null;
  /** The object by name: a user's display name and user name, a department's, region's or token's name. */
  objectName: string | null;
  /** The detail as a readable field list. */
  detailFields: DetailField[];
}

export interface VerifyResult {
  ok: boolean;
  records: number;
  headSeq: string;
  /** The first broken link, when not ok. */
  brokenAt?: { seq: string; reason: string };
  /** The personal-data access log: batches anchored in the chain and the rows they hold. */
  accessLog?: { batches: number; rows: number };
  /** The newest signed checkpoint the database was compared with (null: none written yet). */
  checkpoint?: Checkpoint | null;
}

export interface AuditOptions {
  clock?: Clock;
  accessLog?: AccessLogOptions;
  /** Where signed checkpoints of the head go; without it none are written or compared. */
  checkpoints?: CheckpointStore;
}

function toRecord(row: NamedAuditRow): AuditRecord {
  const { at, detail, ...rest } = contentOf(row);
  return {
    ...rest,
    at: at.toISOString(),
    detail: detail as Record<string, unknown> | null,
    hash: row.hash,
    actionLabel: actionLabel(row.action),
    actorDisplayName: row.actor_display_name,
    departmentName: row.department_name,
    regionName: row.region_name,
    objectName: row.object_name,
    detailFields: detailFields(detail as Record<string, unknown> | null),
  };
}

/** The filters the list, the export and the alerts share. */
export interface AuditFilterQuery {
  /** An action code or prefix, or words of its label in either language (登录, sign-in). */
  action?: string;
  actorId?: string;
  outcome?: 'success' | 'failure' | 'denied';
  regionCode?: string;
  from?: string;
  to?: string;
  person?: string;
  department?: string;
  object?: string;
}

export interface AuditQuery extends AuditFilterQuery {
  cursor?: string;
  limit?: number;
}

/** An XLSX export: the workbook as a stream, and how much of the match it holds. */
export interface AuditExport {
  filename: string;
  stream: Readable;
  /** Records matching the filter. */
  total: number;
  /** Records in the workbook: at most EXPORT_ROW_CAP, the newest. */
  rows: number;
  /** More matched than the cap: the workbook ends with a note row saying so. */
  truncated: boolean;
}

export interface AlertPage extends Page<AuditRecord> {
  /** All after-hours personal-data reads matching the filter, not only this page. */
  total: number;
}


export class AuditService {
  private readonly access: AccessLog;
  private readonly clock: Clock;
  readonly checkpoints: CheckpointStore | undefined;
  private lastCheckpointSeq: string | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    options: AuditOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.access = new AccessLog(db, this.clock, options.accessLog);
    this.checkpoints = options.checkpoints;
  }

  /** Signs the current head into the checkpoint file (`onlyIfGrown`: skip when no record was added since the last). */
  async checkpoint(onlyIfGrown = false): Promise<Checkpoint | null> {
    if (!this.checkpoints) return null;
    const head = await readHead(this.db);
    if (onlyIfGrown && head.seq === this.lastCheckpointSeq) return null;
    const written = this.checkpoints.append(head, this.clock.now());
    this.lastCheckpointSeq = head.seq;
    return written;
  }

  /** The public key checkpoints are verified with. */
  checkpointKey(ctx: RequestContext): { pem: string; keyId: string } {
    authorize(ctx, 'audit.read');
    if (!this.checkpoints) throw new DomainError('audit.checkpoints_disabled', 'unavailable', 'No checkpoint file is configured (GOVCLOUD_AUDIT_CHECKPOINT_FILE).');
    return this.checkpoints.publicKeyPem();
  }

  /** A checkpoint on request of an auditor, recorded in the chain after it is written. */
  async checkpointAs(ctx: RequestContext): Promise<Checkpoint> {
    authorize(ctx, 'audit.verify');
    const written = await this.checkpoint();
    if (!written) throw new DomainError('audit.checkpoints_disabled', 'unavailable', 'No checkpoint file is configured (GOVCLOUD_AUDIT_CHECKPOINT_FILE).');
    await this.recordNow(ctx, { action: 'audit.checkpoint', objectType: 'audit_log', objectId: written.seq, detail: { seq: written.seq, hash: written.hash } });
    return written;
  }

  /**
   * Records a read of personal data in the access log (batched; anchored in the chain once per batch) and resolves
   * once it has committed. The permission and scope are the ones the read was actually authorised by.
   */
  recordAccess(ctx: RequestContext, input: AccessRecordInput): Promise<void> {
    return this.access.record(ctx, input);
  }

  /** The access log in the caller's jurisdiction, newest first. */
  listAccess(ctx: RequestContext, query: AccessQuery): Promise<Page<AccessItem>> {
    return this.access.list(ctx, query);
  }

  /** Waits until every buffered access record has been written (shutdown, tests). */
  drainAccessLog(): Promise<void> {
    return this.access.writer.drain();
  }

  /** Appends a record inside the caller's transaction, so the record and the write commit together. */
  async record(trx: Transaction<Database>, ctx: RequestContext, entry: AuditEntry): Promise<void> {
    await appendAudit(trx, this.contentFor(ctx.actor, ctx, entry));
    ctx.audited = true;
  }

  /** Appends a record in a transaction of its own (reads, and failures whose transaction rolled back). */
  async recordNow(ctx: RequestContext, entry: AuditEntry): Promise<void> {
    // a service built over a transaction (a rolled-back test at size) appends in it
    if (this.db.isTransaction) await appendAudit(this.db as Transaction<Database>, this.contentFor(ctx.actor, ctx, entry));
    else await this.db.transaction().execute((trx) => appendAudit(trx, this.contentFor(ctx.actor, ctx, entry)));
    ctx.audited = true;
  }

  private contentFor(actor: Actor | undefined, ctx: RequestContext, entry: AuditEntry): Omit<ChainedContent, 'seq' | 'at'> {
    // the platform itself (CLI, seed, factories) is recorded as 'system', not as a user or a role
    if (isSystemActor(actor)) return { ...this.contentFor(undefined, ctx, entry), actorName: 'system', role: 'system' };
    return {
      actorId: actor?.userId ?? null,
      actorName: actor?.username ?? entry.actorName ?? null,
      role: entry.role ?? actor?.grants[0]?.role ?? (actor?.kind === 'citizen' ? 'citizen' : null),
      departmentId: actor?.departmentId ?? null,
      action: entry.action,
      objectType: entry.objectType ?? null,
      objectId: entry.objectId ?? null,
      regionCode: entry.regionCode ?? actor?.grants[0]?.regionCode ?? null,
      outcome: entry.outcome ?? 'success',
      clientAddr: ctx.clientAddr,
      requestId: ctx.requestId,
      detail: entry.detail ?? null,
    };
  }

  async list(ctx: RequestContext, query: AuditQuery): Promise<Page<AuditRecord>> {
    const { actor, scope } = authorize(ctx, 'audit.read');
    const page = await this.page(scope, actor, query, {});
    // audit records name people and their addresses: reading them is itself recorded
    await this.recordAccess(ctx, { ...auditLogRead(page.items, scope), detail: { view: 'audit.list', count: page.items.length, ...filterDetail(query) } });
    return page;
  }

  /** Reads of personal data outside working hours or on weekends, within the caller's jurisdiction. */
  async alerts(ctx: RequestContext, query: AuditQuery): Promise<AlertPage> {
    const { actor, scope } = authorize(ctx, 'audit.read');
    const page = await this.page(scope, actor, query, { afterHoursReads: true });
    const total = await countAudit(this.db, scope, { ...this.filterFor(actor, query), afterHoursReads: true });
    await this.recordAccess(ctx, { ...auditLogRead(page.items, scope), detail: { view: 'audit.alerts', count: page.items.length, total, ...filterDetail(query) } });
    return { ...page, total };
  }

  /**
   * The records matching the filter, newest first, up to EXPORT_ROW_CAP, read in pages as the consumer pulls them.
   * The export is recorded before the first row leaves.
   */
  async exportXlsx(ctx: RequestContext, query: AuditFilterQuery): Promise<AuditExport> {
    const { actor, scope } = authorize(ctx, 'audit.read');
    const filter = this.filterFor(actor, query);
    const total = await countAudit(this.db, scope, filter);
    await this.recordNow(ctx, { action: 'audit.export', objectType: 'audit_log', detail: { format: 'xlsx', total, cap: EXPORT_ROW_CAP, ...filterDetail(query) } });
    const db = this.db;
    async function* rows(): AsyncGenerator<AuditRecord> {
      let beforeSeq: string | undefined;
      let sent = 0;
      while (sent < EXPORT_ROW_CAP) {
        const limit = Math.min(1000, EXPORT_ROW_CAP - sent);
        const batch = await listAudit(db, scope, { ...filter, beforeSeq, limit });
        for (const row of batch.slice(0, limit)) yield toRecord(row);
        sent += Math.min(batch.length, limit);
        if (batch.length <= limit) return;
        beforeSeq = batch[limit - 1]!.seq;
      }
    }
    return {
      filename: `audit-${this.clock.now().toISOString().slice(0, 10)}.xlsx`,
      stream: auditWorkbook(rows(), total),
      total,
      rows: Math.min(total, EXPORT_ROW_CAP),
      truncated: total > EXPORT_ROW_CAP,
    };
  }

  private filterFor(actor: Actor, query: AuditFilterQuery): Omit<AuditFilter, 'limit' | 'beforeSeq'> {
    const text = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
    const action = text(query.action);
    return {
      actions: action === undefined ? undefined : matchActions(action),
      actorId: query.actorId,
      outcome: query.outcome,
      regionCode: query.regionCode,
      from: parseInstant(query.from, 'from'),
      to: parseInstant(query.to, 'to'),
      person: text(query.person),
      department: text(query.department),
      object: text(query.object),
      includeUnplaced: readsPlatformRecords(actor),
    };
  }

  private async page(scope: Scope, actor: Actor, query: AuditQuery, extra: Pick<AuditFilter, 'afterHoursReads'>): Promise<Page<AuditRecord>> {
    const limit = query.limit ?? 50;
    const beforeSeq = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 'cursor');
    if (beforeSeq !== undefined && !/^\d{1,19}$/.test(beforeSeq)) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not one this API issued.');
    const rows = await listAudit(this.db, scope, { ...this.filterFor(actor, query), ...extra, limit, beforeSeq });
    const items = rows.slice(0, limit).map(toRecord);
    const nextCursor = rows.length > limit ? encodeCursor(items[items.length - 1]!.seq) : null;
    return { items, nextCursor };
  }

  /** Verification on request of an auditor; the check itself is audited. */
  async verifyAs(ctx: RequestContext): Promise<VerifyResult> {
    authorize(ctx, 'audit.verify');
    const result = await this.verify();
    const checkpointSeq = result.checkpoint?.seq ?? null;
    await this.recordNow(ctx, { action: 'audit.verify', outcome: 'success', detail: { ok: result.ok, records: result.records, brokenAt: result.brokenAt ?? null, checkpointSeq } });
    return result;
  }

  /** Walks the whole chain; reports the first record whose link or content does not match. */
  async verify(onProgress?: (done: number, total: number) => void): Promise<VerifyResult> {
    const head = await readHead(this.db);
    const total = Number(head.seq);
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1n;
    let lastSeq = '0';
    let count = 0;
    let batches = 0;
    let anchoredRows = 0;
    for (;;) {
      // records appended while the walk runs lie beyond the head it started from: the next verification covers them
      const batch = await readChainBatch(this.db, lastSeq, 2000, head.seq);
      if (batch.length === 0) break;
      const anchors = batch.filter((row) => row.action === ACCESS_BATCH_ACTION);
      const badBatch = await this.access.checkBatches(anchors);
      if (badBatch) return { ok: false, records: count, headSeq: head.seq, brokenAt: badBatch };
      batches += anchors.length;
      anchoredRows += anchors.reduce((n, a) => n + Number((a.detail as { rows?: number } | null)?.rows ?? 0), 0);
      for (const row of batch) {
        const seq = BigInt(row.seq);
        if (seq !== expectedSeq) {
          return { ok: false, records: count, headSeq: head.seq, brokenAt: { seq: expectedSeq.toString(), reason: `record ${expectedSeq} is missing (next present is ${row.seq})` } };
        }
        if (row.prev_hash !== prevHash) {
          return { ok: false, records: count, headSeq: head.seq, brokenAt: { seq: row.seq, reason: 'prev_hash does not match the hash of the record before it' } };
        }
        if (chainHash(prevHash, contentOf(row)) !== row.hash) {
          return { ok: false, records: count, headSeq: head.seq, brokenAt: { seq: row.seq, reason: 'content was altered: its hash does not match' } };
        }
        prevHash = row.hash;
        expectedSeq = seq + 1n;
        lastSeq = row.seq;
        count++;
      }
      onProgress?.(count, total);
    }
    if (lastSeq !== head.seq || prevHash !== head.hash) {
      return { ok: false, records: count, headSeq: head.seq, brokenAt: { seq: (BigInt(lastSeq) + 1n).toString(), reason: `the chain ends at ${lastSeq} but the head says ${head.seq}: trailing records were removed` } };
    }
    const accessLog = { batches, rows: anchoredRows };
    const unanchored = await this.access.unanchoredRows();
    if (unanchored > 0) {
      return { ok: false, records: count, headSeq: head.seq, accessLog, brokenAt: { seq: head.seq, reason: `${unanchored} access log rows belong to no batch anchored in the chain` } };
    }
    if (!this.checkpoints) return { ok: true, records: count, headSeq: head.seq, accessLog };
    const compared = await compareWithCheckpoint(this.checkpoints, head, (seq) => hashAt(this.db, seq));
    if (compared.broken) return { ok: false, records: count, headSeq: head.seq, accessLog, checkpoint: compared.checkpoint, brokenAt: compared.broken };
    return { ok: true, records: count, headSeq: head.seq, accessLog, checkpoint: compared.checkpoint };
  }
}

/** A page of audit records as an access-log entry: the people it names are its subjects. */
function auditLogRead(items: readonly AuditRecord[], scope: Scope): Omit<AccessRecordInput, 'detail'> {
  const people = new Set<string>();
  for (const item of items) {
    if (item.actorId !== null) people.add(item.actorId);
    if (item.objectType === 'user' && item.objectId !== null) people.add(item.objectId);
  }
  return { resource: 'audit_log', subjectIds: [...people], fields: ['actorName', 'clientAddr', 'objectName', 'detail'], permission: 'audit.read', scope };
}

/** The filter as recorded in the audit record of a read (what was looked for). */
function filterDetail(query: AuditFilterQuery): Record<string, string | null> {
  const { action, actorId, outcome, regionCode, from, to, person, department, object } = query;
  return Object.fromEntries(Object.entries({ action, actorId, outcome, regionCode, from, to, person, department, object }).map(([k, v]) => [k, v ?? null]));
}

function parseInstant(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid('request.invalid_date', field, `${field} is not an ISO 8601 date-time.`);
  return date;
}
