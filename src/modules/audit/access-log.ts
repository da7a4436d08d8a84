// The personal-data access log writer. Reads are buffered and written in batches — one multi-row INSERT into the
// monthly-partitioned audit_access and one chain record anchoring the batch's hash — and every read waits until
// its batch has committed, so no recorded read is ever reported done and then lost.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { AuditAccessTable } from './access-schema.ts';
import type pg from 'pg';
import { pgPoolOf } from '../../db/database.ts';
import { canonicalJson, chainHash, storableJson, storableText, hashAlgorithm, type ChainedContent } from './chain.ts';
import { createHash } from 'node:crypto';
import { appendAudit } from './repository.ts';

export type AccessRow = Selectable<AuditAccessTable>;

/** One read, as the service describes it (the writer adds the batch id and position). */
export interface AccessEntry {
  at: Date;
  actorId: string | null;
  actorName: string | null;
  departmentId: string | null;
  role: string | null;
  permission: string;
  scope: unknown;
  resource: string;
  subjectIds: readonly string[];
  fields: readonly string[];
  regionCode: string | null;
  clientAddr: string | null;
  requestId: string | null;
  detail: Record<string, unknown> | null;
}

export interface AccessLogOptions {
  /** Most rows in one batch (one INSERT). Default 500. */
  maxBatch?: number;
  /**
   * How long the first read of an idle log waits for company before its batch is written. Default 0: a batch is
   * written as soon as the one before it has committed (group commit), so a read waits at most for one write
   * before its own; under load the batches fill up by themselves.
   */
  lingerMs?: number;
}

/** The chain action that anchors a batch. */
export const ACCESS_BATCH_ACTION = 'audit.access_batch';

/** SM3 (SHA-256 where Node lacks it) over the batch's rows as the database stores and returns them, in order. */
export function batchHash(rows: readonly AccessRow[]): string {
  const ordered = [...rows].sort((a, b) => a.ord - b.ord);
  return createHash(hashAlgorithm).update(canonicalJson(ordered)).digest('hex');
}

interface Waiting {
  entry: AccessEntry;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class AccessLogWriter {
  private pending: Waiting[] = [];
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly partitions = new Set<string>();
  private idle: (() => void)[] = [];
  /**
   * On PostgreSQL, the connection the writer keeps while reads are waiting for their batch: the next batch does not
   * queue for a pool connection behind the requests' own queries (at 50 requests on a pool of 20 that wait made the
   * read's tail, D127). Given back to the pool as soon as nothing is waiting.
   */
  private held: pg.PoolClient | undefined;
  private readonly maxBatch: number;
  private readonly lingerMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    options: AccessLogOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.lingerMs = options.lingerMs ?? 0;
  }

  /** Resolves once the entry's batch (rows and anchoring chain record) has committed; rejects if it could not be. */
  write(entry: AccessEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      this.kick();
    });
  }

  /** Resolves when nothing is buffered or being written (shutdown, tests). */
  drain(): Promise<void> {
    if (!this.running && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private kick(): void {
    if (this.running) return;
    if (this.pending.length >= this.maxBatch || this.lingerMs === 0) {
      if (this.timer === undefined) this.timer = setTimeout(() => this.run(), 0);
      return;
    }
    this.timer ??= setTimeout(() => this.run(), this.lingerMs);
  }

  private run(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running || this.pending.length === 0) return;
    this.running = true;
    const batch = this.pending.splice(0, this.maxBatch);
    void this.writeBatch(batch.map((w) => w.entry))
      .then(
        () => batch.forEach((w) => w.resolve()),
        async (error: unknown) => {
          if (batch.length === 1) return batch[0]!.reject(error);
          // one entry the database refuses must not fail the reads batched with it: write each on its own
          for (const w of batch) await this.writeBatch([w.entry]).then(w.resolve, w.reject);
        },
      )
      .finally(() => {
        this.running = false;
        // reads that arrived during the write have waited already: write them at once, on the same connection
        if (this.pending.length > 0) return this.run();
        this.held?.release();
        this.held = undefined;
        for (const resolve of this.idle.splice(0)) resolve();
      });
  }

  private async writeBatch(entries: AccessEntry[]): Promise<void> {
    await this.ensurePartitions(entries.map((e) => e.at));
    const batchId = randomUUID();
    // On PostgreSQL the batch takes two round trips (D71); PGlite (in-process, no round trips) keeps the plain path.
    const pool = pgPoolOf(this.db);
    if (pool) {
      const client = this.held ?? (await pool.connect());
      this.held = client;
      try {
        return await writeBatchPg(client, batchId, entries, this.clock.now());
      } catch (error) {
        // the transaction was rolled back (or the connection is gone, and was given back as broken): start afresh
        if (error instanceof BrokenConnection) {
          this.held = undefined;
          throw error.cause;
        }
        throw error;
      }
    }
    const text = (value: string | null) => (value === null ? null : storableText(value));
    await this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .insertInto('audit_access')
        .values(
          entries.map((e, ord) => ({
            at: e.at,
            batch_id: batchId,
            ord,
            actor_id: e.actorId,
            actor_name: text(e.actorName),
            department_id: e.departmentId,
            role: text(e.role),
            permission: storableText(e.permission),
            scope: JSON.stringify(storableJson(e.scope)),
            resource: storableText(e.resource),
            subject_ids: JSON.stringify(e.subjectIds.map(storableText)),
            fields: JSON.stringify(e.fields.map(storableText)),
            region_code: e.regionCode,
            client_addr: text(e.clientAddr),
            request_id: text(e.requestId),
            detail: e.detail === null ? null : JSON.stringify(storableJson(e.detail)),
          })),
        )
        .returningAll()
        .execute();
      await anchorBatch(trx, batchId, rows, this.clock.now());
    });
  }

  /** Creates the month partitions the given instants fall in (and the next two months'), once per process. */
  async ensurePartitions(instants: readonly Date[]): Promise<void> {
    const months = new Set<string>();
    for (const at of instants) for (let ahead = 0; ahead <= 2; ahead++) months.add(monthKey(at, ahead));
    for (const month of months) {
      if (this.partitions.has(month)) continue;
      await createMonthPartition(this.db, month);
      this.partitions.add(month);
    }
  }
}

async function anchorBatch(trx: Transaction<Database>, batchId: string, rows: AccessRow[], now: Date): Promise<void> {
  const times = rows.map((r) => r.at.getTime());
  await appendAudit(trx, {
    at: now,
    actorId: null,
    actorName: null,
    role: null,
    departmentId: null,
    action: ACCESS_BATCH_ACTION,
    objectType: 'audit_access',
    objectId: batchId,
    regionCode: null,
    outcome: 'success',
    clientAddr: null,
    requestId: null,
    detail: { rows: rows.length, hash: batchHash(rows), from: new Date(Math.min(...times)).toISOString(), to: new Date(Math.max(...times)).toISOString() },
  });
}

/** A PostgreSQL literal of any storable text (E'' form, so the server's standard_conforming_strings does not matter). */
function literal(value: string | null): string {
  return value === null ? 'NULL' : `E'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/** The anchor's detail: how many rows, their hash, and the span of their times. */
function anchorDetail(rows: readonly AccessRow[]): { rows: number; hash: string; from: string; to: string } {
  let min = Infinity;
  let max = -Infinity;
  for (const row of rows) {
    const t = row.at.getTime();
    if (t < min) min = t;
    if (t > max) max = t;
  }
  return { rows: rows.length, hash: batchHash(rows), from: new Date(min).toISOString(), to: new Date(max).toISOString() };
}

/** A batch failed and its connection could not even roll back: it has been given back to the pool as broken. */
class BrokenConnection extends Error {
  constructor(override readonly cause: unknown) {
    super('access log: connection lost');
  }
}

/**
 * The batch on PostgreSQL in two round trips of the simple query protocol (several statements each, values as
 * literals): BEGIN + one statement that locks the chain head and inserts the rows, returning both; then the anchoring
 * chain record, the head's advance and COMMIT. The same rows, anchor and chain record as `anchorBatch` writes (the
 * chain triggers check it as they check every append); on any failure the transaction is rolled back. The caller
 * owns the connection (the writer keeps it while reads wait).
 */
async function writeBatchPg(client: pg.PoolClient, batchId: string, entries: readonly AccessEntry[], now: Date): Promise<void> {
  const text = (value: string | null) => (value === null ? null : storableText(value));
  const payload = JSON.stringify(
    entries.map((e, ord) => ({
      at: e.at.toISOString(),
      ord,
      actor_id: e.actorId,
      actor_name: text(e.actorName),
      department_id: e.departmentId,
      role: text(e.role),
      permission: storableText(e.permission),
      scope: storableJson(e.scope),
      resource: storableText(e.resource),
      subject_ids: e.subjectIds.map(storableText),
      fields: e.fields.map(storableText),
      region_code: e.regionCode,
      client_addr: text(e.clientAddr),
      request_id: text(e.requestId),
      detail: e.detail === null ? null : storableJson(e.detail),
    })),
  );
  const columns = 'at, batch_id, ord, actor_id, actor_name, department_id, role, permission, scope, resource, subject_ids, fields, region_code, client_addr, request_id, detail';
  const insert = `BEGIN;
    WITH head AS (SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE),
    ins AS (
      INSERT INTO audit_access (${columns})
      SELECT r.at, ${literal(batchId)}::uuid, r.ord, r.actor_id, r.actor_name, r.department_id, r.role, r.permission, r.scope, r.resource,
        r.subject_ids, r.fields, r.region_code, r.client_addr, r.request_id, r.detail
      FROM jsonb_to_recordset(${literal(payload)}::jsonb) AS r(at timestamptz, ord integer, actor_id uuid, actor_name text, department_id uuid,
        role text, permission text, scope jsonb, resource text, subject_ids jsonb, fields jsonb, region_code text, client_addr text,
        request_id text, detail jsonb)
      RETURNING *)
    SELECT ins.*, head.seq AS head_seq, head.hash AS head_hash FROM ins CROSS JOIN head`;
  try {
    const results = (await client.query(insert)) as unknown as pg.QueryResult<AccessRow & { head_seq: string; head_hash: string }>[];
    const returned = results[results.length - 1]!.rows;
    if (returned.length !== entries.length) throw new Error(`access log batch: ${returned.length} rows written of ${entries.length}`);
    const headSeq = returned[0]!.head_seq;
    const headHash = returned[0]!.head_hash;
    const rows: AccessRow[] = returned.map(({ head_seq: _seq, head_hash: _hash, ...row }) => row);
    const seq = (BigInt(headSeq) + 1n).toString();
    const detail = anchorDetail(rows);
    const content: ChainedContent = {
      seq,
      at: now,
      actorId: null,
      actorName: null,
      role: null,
      departmentId: null,
      action: ACCESS_BATCH_ACTION,
      objectType: 'audit_access',
      objectId: batchId,
      regionCode: null,
      outcome: 'success',
      clientAddr: null,
      requestId: null,
      detail,
    };
    const hash = chainHash(headHash, content);
    await client.query(`
      INSERT INTO audit_log (seq, at, actor_id, actor_name, role, department_id, action, object_type, object_id, region_code, outcome, client_addr,
        request_id, detail, prev_hash, hash)
      VALUES (${seq}, ${literal(now.toISOString())}, NULL, NULL, NULL, NULL, ${literal(ACCESS_BATCH_ACTION)}, 'audit_access', ${literal(batchId)}, NULL,
        'success', NULL, NULL, ${literal(JSON.stringify(detail))}, ${literal(headHash)}, ${literal(hash)});
      UPDATE audit_head SET seq = ${seq}, hash = ${literal(hash)} WHERE id = 1;
      COMMIT`);
  } catch (error) {
    // an error inside the transaction leaves it open and aborted; one at COMMIT has ended it already (a no-op then);
    // a connection that cannot even roll back is given back to the pool as broken (the pool ends it)
    let broken: Error | undefined;
    await client.query('ROLLBACK').catch((rollback: unknown) => {
      broken = rollback instanceof Error ? rollback : new Error(String(rollback));
    });
    if (broken) {
      client.release(broken);
      throw new BrokenConnection(error);
    }
    throw error;
  }
}

/** 'YYYY-MM' of the UTC month `ahead` months after the one `at` falls in. */
function monthKey(at: Date, ahead: number): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + ahead, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** CREATE TABLE audit_access_y2026m11 PARTITION OF audit_access …; a partition another node created first is fine. */
export async function createMonthPartition(db: Kysely<Database>, month: string): Promise<void> {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) throw new Error(`not a month: ${month}`);
  const [year, mon] = [Number(match[1]), Number(match[2])];
  const from = new Date(Date.UTC(year, mon - 1, 1)).toISOString();
  const to = new Date(Date.UTC(year, mon, 1)).toISOString();
  const name = `audit_access_y${year}m${String(mon).padStart(2, '0')}`;
  try {
    await sql.raw(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF audit_access FOR VALUES FROM ('${from}') TO ('${to}')`).execute(db);
  } catch (error) {
    // two nodes creating the same partition at once: the loser sees a duplicate; the partition exists either way
    const { rows } = await sql<{ found: string | null }>`SELECT to_regclass(${name})::text AS found`.execute(db);
    if (rows[0]?.found == null) throw error;
  }
}
