// The access log as the audit service exposes it: record a read of personal data, browse the log, check batches.
import { sql, type Kysely } from 'kysely';
import { inScope } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { requireActor, requireScope, roleFor, type Permission, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, invalid } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { Page } from '../../shared/pagination.ts';
import { isRestDaySql } from '../calendar/index.ts';
import { WORKING_HOURS } from './repository.ts';
import { ACCESS_BATCH_ACTION, AccessLogWriter, batchHash, type AccessLogOptions, type AccessRow } from './access-log.ts';

/** A read of personal data, as the service that served it describes it. */
export interface AccessRecordInput {
  /** What was read: 'user', 'user.list', 'audit_log' … */
  resource: string;
  /** Whose data: the people (or records naming people) in the response. */
  subjectIds: readonly string[];
  /** Which of their fields were returned. */
  fields: readonly string[];
  /** The permission the read was authorised by, and the scope that permission gave. */
  permission: Permission;
  scope: Scope;
  /** The subject's region, when there is one; otherwise the root of the scope is recorded. */
  regionCode?: string | null;
  detail?: Record<string, unknown> | null;
}

export interface AccessQuery {
  actorId?: string;
  resource?: string;
  /** A subject id: who read this person's data. */
  subject?: string;
  from?: string;
  to?: string;
  /** Only reads outside working hours (08:00–20:00 Asia/Shanghai) or on rest days of the working calendar. */
  afterHours?: boolean;
  cursor?: string;
  limit?: number;
}

export interface AccessItem {
  at: string;
  batchId: string;
  ord: number;
  actorId: string | null;
  actorName: string | null;
  role: string | null;
  permission: string;
  scope: unknown;
  resource: string;
  subjectIds: string[];
  fields: string[];
  regionCode: string | null;
  clientAddr: string | null;
  requestId: string | null;
  detail: Record<string, unknown> | null;
}

const localAt = sql`(audit_access.at AT TIME ZONE ${WORKING_HOURS.timeZone})`;
// Rest days come from the working calendar (holidays, and 调休 Saturdays that are worked), as in the audit alerts.
const afterHours = sql<boolean>`(extract(hour from ${localAt}) < ${WORKING_HOURS.from} OR extract(hour from ${localAt}) >= ${WORKING_HOURS.to} OR ${isRestDaySql(sql`cast(${localAt} AS date)`)})`;

/** The last code of a scope path ('/6505/650502/' → '650502'). */
function rootOf(scope: Scope): string | null {
  const parts = scope.paths[0]?.split('/').filter(Boolean) ?? [];
  return parts[parts.length - 1] ?? null;
}

function toItem(row: AccessRow): AccessItem {
  return {
    at: row.at.toISOString(),
    batchId: row.batch_id,
    ord: row.ord,
    actorId: row.actor_id,
    actorName: row.actor_name,
    role: row.role,
    permission: row.permission,
    scope: row.scope,
    resource: row.resource,
    subjectIds: row.subject_ids,
    fields: row.fields,
    regionCode: row.region_code,
    clientAddr: row.client_addr,
    requestId: row.request_id,
    detail: row.detail,
  };
}

export class AccessLog {
  readonly writer: AccessLogWriter;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    options: AccessLogOptions = {},
  ) {
    this.writer = new AccessLogWriter(db, clock, options);
  }

  /** Records the read and resolves once it is committed; throws `audit.access_log_unavailable` (503) otherwise. */
  async record(ctx: RequestContext, input: AccessRecordInput): Promise<void> {
    const actor = requireActor(ctx.actor);
    try {
      await this.writer.write({
        at: this.clock.now(),
        actorId: actor.userId,
        actorName: actor.username,
        departmentId: actor.departmentId,
        role: roleFor(actor, input.permission),
        permission: input.permission,
        scope: input.scope,
        resource: input.resource,
        subjectIds: input.subjectIds,
        fields: input.fields,
        regionCode: input.regionCode ?? rootOf(input.scope),
        clientAddr: ctx.clientAddr,
        requestId: ctx.requestId,
        detail: input.detail ?? null,
      });
    } catch (error) {
      // the data is not handed out unrecorded: the read fails instead
      throw new DomainError('audit.access_log_unavailable', 'unavailable', 'The read could not be recorded in the access log; try again.', undefined, {
        cause: error instanceof Error ? error.message : String(error),
      });
    }
    ctx.audited = true;
  }

  /** The access log within the caller's jurisdiction, newest first; browsing it is itself a recorded read. */
  async list(ctx: RequestContext, query: AccessQuery): Promise<Page<AccessItem>> {
    const scope = requireScope(ctx.actor, 'audit.read');
    const limit = query.limit ?? 50;
    const after = query.cursor === undefined ? undefined : decodeKeyset(query.cursor, ['string', 'string', 'integer']);
    const from = instant(query.from, 'from');
    const to = instant(query.to, 'to');
    const before = after === undefined ? undefined : instant(after[0], 'cursor');
    const rows = await this.db
      .selectFrom('audit_access')
      .selectAll()
      .where((eb) => inScope(eb, eb.ref('region_code'), scope))
      .$if(query.actorId !== undefined, (qb) => qb.where('actor_id', '=', query.actorId!))
      .$if(query.resource !== undefined, (qb) => qb.where('resource', '=', query.resource!))
      .$if(query.subject !== undefined, (qb) => qb.where(sql<boolean>`subject_ids @> ${JSON.stringify([query.subject])}::jsonb`))
      .$if(from !== undefined, (qb) => qb.where('at', '>=', from!))
      .$if(to !== undefined, (qb) => qb.where('at', '<', to!))
      .$if(query.afterHours === true, (qb) => qb.where(afterHours))
      .$if(after !== undefined, (qb) =>
        qb.where((eb) => eb(eb.refTuple('at', 'batch_id', 'ord'), '<', eb.tuple(before!, after![1], after![2]))),
      )
      .orderBy('at', 'desc')
      .orderBy('batch_id', 'desc')
      .orderBy('ord', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(toItem);
    const last = items[items.length - 1];
    const nextCursor = rows.length > limit && last ? encodeKeyset([last.at, last.batchId, last.ord]) : null;
    const people = [...new Set(items.map((i) => i.actorId).filter((id): id is string => id !== null))];
    await this.record(ctx, { resource: 'audit_access', subjectIds: people, fields: ['actorName', 'clientAddr', 'subjectIds'], permission: 'audit.read', scope, detail: { count: items.length } });
    return { items, nextCursor };
  }

  /**
   * Checks the batches anchored by these chain records: each batch's rows must be present and hash to the anchored
   * hash. Returns the first mismatch, or null.
   */
  async checkBatches(anchors: readonly { seq: string; object_id: string | null; detail: unknown }[]): Promise<{ seq: string; reason: string } | null> {
    const batches = anchors.filter((a) => a.object_id !== null);
    if (batches.length === 0) return null;
    const rows = await this.db.selectFrom('audit_access').selectAll().where('batch_id', 'in', batches.map((b) => b.object_id!)).execute();
    const byBatch = new Map<string, AccessRow[]>();
    for (const row of rows) byBatch.set(row.batch_id, [...(byBatch.get(row.batch_id) ?? []), row]);
    for (const anchor of batches) {
      const detail = anchor.detail as { rows?: number; hash?: string } | null;
      const found = byBatch.get(anchor.object_id!) ?? [];
      if (found.length !== detail?.rows) {
        return { seq: anchor.seq, reason: `access log batch ${anchor.object_id} has ${found.length} rows, the chain anchored ${String(detail?.rows)}` };
      }
      if (batchHash(found) !== detail.hash) return { seq: anchor.seq, reason: `access log batch ${anchor.object_id} was altered: its hash does not match the chain` };
    }
    return null;
  }

  /** Rows whose batch no chain record anchors: added behind the chain's back. */
  async unanchoredRows(): Promise<number> {
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM audit_access a
      WHERE NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.action = ${ACCESS_BATCH_ACTION} AND l.object_id = a.batch_id::text)`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }
}

export { ACCESS_BATCH_ACTION };

function instant(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid('request.invalid_date', field, `${field} is not an ISO 8601 date-time.`);
  return date;
}
