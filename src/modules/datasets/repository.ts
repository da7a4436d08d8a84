// SQL of the datasets module: loads, staging, the merge into data_row, rejections, rows.
import { storableText } from '../audit/index.ts';
import { once } from 'node:events';
import { sql, type Kysely, type Transaction } from 'kysely';
import copyStreams from 'pg-copy-streams';
import { withPgClient } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { inScope, inTenant } from '../../db/jurisdiction.ts';
import type { Scope } from '../../shared/access.ts';
import type { Rejection, AcceptedRow } from './validate.ts';

/** Class id of the per-resource advisory lock (pg_advisory_xact_lock(class, hashtext(resource id))). */
const LOCK_CLASS = 7001;

/**
 * The resource, when the actor may load it: its region lies in the scope and, for a department role, its provider
 * lies in the actor's department tree (`ownDepartment`; null for the platform-wide, any provider in the region).
 */
export async function findLoadableResource(db: Kysely<Database>, idOrCode: string, scope: Scope, ownDepartment: string | null): Promise<string | null> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrCode);
  const row = await db
    .selectFrom('data_resource')
    .select('id')
    .where(isUuid ? 'id' : 'code', '=', idOrCode)
    .$if(!scope.paths.includes('/'), (qb) => qb.where((eb) => inScope(eb, eb.ref('region_code'), scope)))
    .$if(ownDepartment !== null, (qb) => qb.where(inTenant(sql.ref('provider_department_id'), { departments: [ownDepartment!] })))
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The resources the actor may load into (same rule as findLoadableResource), with their live row count and last version. */
export async function listLoadableResources(db: Kysely<Database>, scope: Scope, ownDepartment: string | null) {
  const rows = await db
    .selectFrom('data_resource as r')
    .select([
      'r.id',
      'r.code',
      'r.name',
      'r.status',
      sql<string>`(SELECT count(*) FROM data_row d WHERE d.resource_id = r.id AND NOT d.deleted)`.as('rows'),
      sql<number | null>`(SELECT max(l.version) FROM data_load l WHERE l.resource_id = r.id)`.as('last_version'),
    ])
    .$if(!scope.paths.includes('/'), (qb) => qb.where((eb) => inScope(eb, eb.ref('r.region_code'), scope)))
    .$if(ownDepartment !== null, (qb) => qb.where(inTenant(sql.ref('r.provider_department_id'), { departments: [ownDepartment!] })))
    .orderBy('r.code')
    .limit(500)
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, status: r.status, rows: Number(r.rows), lastVersion: r.last_version === null ? null : Number(r.last_version) }));
}

/** Where a load's accepted rows go until the merge: a COPY stream (PostgreSQL) or batched inserts (PGlite). */
export interface StagingWriter {
  /** Stages a batch; the promise settles when the writer can take the next (back-pressure). */
  write(rowNos: number[], rows: AcceptedRow[]): Promise<void>;
  /** All rows are in the table (committed) once this resolves. */
  end(): Promise<void>;
  /** Drops what was written (the COPY fails; inserted batches are deleted by the caller's clean-up). */
  abort(reason: Error): Promise<void>;
}

const TAB = 0x09;
const NEWLINE = 0x0a;

/** A text-format COPY field: backslash, tab, line feed and carriage return escaped. */
function copyField(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}

/** JSON text never holds a raw control character (JSON.stringify escapes them): only backslashes need doubling. */
function copyJson(json: string): string {
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
}

/** COPY streams open in this process (each holds a pooled connection until its load has streamed). */
let openCopies = 0;

/**
 * Opens the staging writer of a load. On PostgreSQL one `COPY data_load_staging FROM STDIN` runs on its own
 * connection for the whole load: the server parses and stores rows while the next ones are read and validated, and
 * they become visible together when the stream ends (a process killed meanwhile leaves none). PGlite, which has no
 * COPY FROM STDIN over its driver, stages by batched INSERTs (one JSON document per batch).
 */
export async function openStaging(db: Kysely<Database>, loadId: string): Promise<StagingWriter> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let connection: Promise<unknown> | undefined;
  const copy = await new Promise<copyStreams.CopyStreamQuery | null>((resolve, reject) => {
    connection = withPgClient(db, async (client, _connection, poolSize) => {
      // a COPY holds its connection for the whole load: at most half the pool streams so, the rest stage by inserts
      if (!client || openCopies >= Math.floor(poolSize / 2)) return resolve(null);
      openCopies++;
      try {
        resolve(client.query(copyStreams.from('COPY data_load_staging (load_id, row_no, key, data, region_code, person_id) FROM STDIN', { highWaterMark: 2 << 20 })));
        await held;
      } finally {
        openCopies--;
      }
    });
    connection.catch(reject);
  });
  if (!copy) return { write: (rowNos, rows) => insertStaging(db, loadId, rowNos, rows), end: async () => undefined, abort: async () => undefined };
  let failure: Error | null = null;
  copy.on('error', (error: Error) => (failure ??= error));
  const prefix = Buffer.from(`${loadId}\t`, 'latin1');
  const settle = async () => {
    release();
    await connection;
  };
  return {
    async write(rowNos, rows) {
      if (failure) throw failure;
      if (rows.length === 0) return;
      // the batch is encoded straight into one buffer (no batch-long string to build, flatten and encode again)
      // at most 3 bytes per UTF-16 unit (an escaped one takes 2), plus the load id, row number and separators
      let size = 0;
      for (const r of rows) size += 64 + 3 * (r.key.length + r.json.length + (r.regionCode?.length ?? 4) + (r.personId?.length ?? 4));
      const buffer = Buffer.allocUnsafe(size);
      let at = 0;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        at += prefix.copy(buffer, at);
        at += buffer.write(String(rowNos[i]), at, 'latin1');
        buffer[at++] = TAB;
        at += buffer.write(copyField(r.key), at);
        buffer[at++] = TAB;
        at += buffer.write(r.backslash ? copyJson(r.json) : r.json, at);
        buffer[at++] = TAB;
        at += buffer.write(r.regionCode === null ? '\\N' : copyField(r.regionCode), at);
        buffer[at++] = TAB;
        at += buffer.write(r.personId === null ? '\\N' : copyField(r.personId), at);
        buffer[at++] = NEWLINE;
      }
      // once() rejects on the stream's 'error' (a row the server refused, a lost connection)
      if (!copy.write(buffer.subarray(0, at))) await once(copy, 'drain');
    },
    async end() {
      try {
        if (failure) throw failure;
        copy.end();
        await once(copy, 'finish');
      } finally {
        await settle();
      }
    },
    async abort(reason) {
      try {
        if (!copy.closed && !copy.writableFinished) {
          const closed = new Promise((resolve) => copy.once('close', resolve));
          copy.destroy(reason);
          await closed;
        }
      } finally {
        await settle();
      }
    },
  };
}

/** One batch of accepted rows into staging: the batch travels as one JSON document (cheaper than array parameters). */
export async function insertStaging(db: Kysely<Database>, loadId: string, rowNos: number[], rows: AcceptedRow[]): Promise<void> {
  if (rows.length === 0) return;
  let doc = '[';
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    doc += `${i === 0 ? '' : ','}[${rowNos[i]},${JSON.stringify(r.key)},${r.json},${r.regionCode === null ? 'null' : JSON.stringify(r.regionCode)},${r.personId === null ? 'null' : JSON.stringify(r.personId)}]`;
  }
  doc += ']';
  await sql`
    INSERT INTO data_load_staging (load_id, row_no, key, data, region_code, person_id)
    SELECT ${loadId}::uuid, (e->>0)::int, e->>1, e->2, e->>3, e->>4 FROM jsonb_array_elements(${doc}::jsonb) AS e
  `.execute(db);
}

export async function insertRejections(db: Kysely<Database>, loadId: string, rejections: (Rejection & { rowNo: number; message: string })[]): Promise<void> {
  if (rejections.length === 0) return;
  await sql`
    INSERT INTO data_load_rejection (load_id, row_no, item, value, code, message)
    SELECT ${loadId}::uuid, u.row_no, u.item, u.value, u.code, u.message
    FROM unnest(${rejections.map((r) => r.rowNo)}::int[], ${rejections.map((r) => storableText(r.item.slice(0, 64)))}::text[], ${rejections.map((r) => (r.value === null ? null : storableText(r.value.slice(0, 200))))}::text[],
                ${rejections.map((r) => r.code)}::text[], ${rejections.map((r) => r.message.slice(0, 500))}::text[]) AS u(row_no, item, value, code, message)
    ON CONFLICT DO NOTHING
  `.execute(db);
}

/** Removes the later rows of a key seen earlier in the load; returns them (row number, key). One hash pass when none. */
export async function removeDuplicateKeys(db: Kysely<Database>, loadId: string): Promise<{ row_no: number; key: string }[]> {
  // one hash aggregate over the load's keys, in memory rather than spilled in small runs
  const repeated = await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL work_mem = '128MB'`.execute(trx);
    return sql<{ key: string }>`SELECT key FROM data_load_staging WHERE load_id = ${loadId} GROUP BY key HAVING count(*) > 1`.execute(trx);
  });
  if (repeated.rows.length === 0) return [];
  const { rows } = await sql<{ row_no: number; key: string }>`
    DELETE FROM data_load_staging s
    USING (
      SELECT w.row_no FROM (
        SELECT row_no, row_number() OVER (PARTITION BY key ORDER BY row_no) AS n
        FROM data_load_staging WHERE load_id = ${loadId} AND key = ANY(${repeated.rows.map((r) => r.key)}::text[])
      ) w WHERE w.n > 1
    ) d
    WHERE s.load_id = ${loadId} AND s.row_no = d.row_no
    RETURNING s.row_no, s.key
  `.execute(db);
  return rows;
}

export async function deleteStaging(db: Kysely<Database>, loadId: string): Promise<void> {
  await db.deleteFrom('data_load_staging').where('load_id', '=', loadId).execute();
}

/** Serialises the loads and pushes of one resource until the transaction ends (commit order = seq order). */
export async function lockResource(trx: Transaction<Database>, resourceId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${resourceId}))`.execute(trx);
}

export async function nextVersion(trx: Transaction<Database>, resourceId: string): Promise<number> {
  const row = await trx.selectFrom('data_load').select(sql<number>`coalesce(max(version), 0) + 1`.as('v')).where('resource_id', '=', resourceId).executeTakeFirstOrThrow();
  return Number(row.v);
}

/** Whether the resource holds any row (deleted ones included): its first load merges without a join. */
export async function hasRows(db: Kysely<Database>, resourceId: string): Promise<boolean> {
  return (await db.selectFrom('data_row').select('key').where('resource_id', '=', resourceId).limit(1).executeTakeFirst()) !== undefined;
}

/**
 * Upserts the staged rows by key, set-wise under the resource lock: first the existing rows whose data changed (or
 * that were deleted) are replaced, then the new keys inserted — two joins rather than a speculative insertion per row.
 * A row whose data is unchanged keeps its load and seq (feeds see only changes). Each written row takes the next seq.
 */
export async function mergeStaging(trx: Transaction<Database>, resourceId: string, loadId: string, now: Date): Promise<{ inserted: number; updated: number }> {
  // a resource without rows yet (its first load) needs neither the update nor the anti-join
  const existing = await hasRows(trx, resourceId);
  // the insert's sort by key holds the load's documents: ~46,000 spilled ~17 MB to disk at the default 4 MB (D141)
  await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
  const updated = existing
    ? await sql`
        UPDATE data_row r
        SET data = s.data, region_code = s.region_code, person_id = s.person_id, load_id = ${loadId}::uuid,
            seq = nextval('data_row_seq'), deleted = false, updated_at = ${now}
        FROM data_load_staging s
        WHERE s.load_id = ${loadId} AND r.resource_id = ${resourceId} AND r.key = s.key AND (r.deleted OR r.data IS DISTINCT FROM s.data)
      `.execute(trx)
    : null;
  const inserted = await sql`
    INSERT INTO data_row (resource_id, key, data, region_code, person_id, load_id, seq, deleted, updated_at)
    SELECT ${resourceId}::uuid, s.key, s.data, s.region_code, s.person_id, ${loadId}::uuid, nextval('data_row_seq'), false, ${now}
    FROM data_load_staging s
    WHERE s.load_id = ${loadId} ${existing ? sql`AND NOT EXISTS (SELECT 1 FROM data_row r WHERE r.resource_id = ${resourceId} AND r.key = s.key)` : sql``}
    ORDER BY s.key
  `.execute(trx);
  return { inserted: Number(inserted.numAffectedRows ?? 0), updated: Number(updated?.numAffectedRows ?? 0) };
}

/**
 * Fresh statistics of the staging table, so the merge's joins are planned for the load's real size: its row count and
 * the two columns the merge joins and filters on. The documents' column is left out (D155): sampling and sorting
 * ~30,000 jsonb values was most of the statement's time, and no plan reads its statistics.
 */
export async function analyzeStaging(db: Kysely<Database>): Promise<void> {
  await sql`ANALYZE data_load_staging (load_id, key)`.execute(db);
}

/** Replace mode: rows of the resource the load did not name become tombstones (deleted, with a new seq). */
export async function tombstoneUnnamed(trx: Transaction<Database>, resourceId: string, loadId: string, now: Date): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    WITH gone AS (
      UPDATE data_row r SET deleted = true, seq = nextval('data_row_seq'), load_id = ${loadId}::uuid, updated_at = ${now}
      WHERE r.resource_id = ${resourceId} AND NOT r.deleted
        AND NOT EXISTS (SELECT 1 FROM data_load_staging s WHERE s.load_id = ${loadId} AND s.key = r.key)
      RETURNING 1
    )
    SELECT count(*) AS n FROM gone
  `.execute(trx);
  return Number(rows[0]?.n ?? 0);
}

export async function maxSeq(trx: Transaction<Database>, resourceId: string): Promise<string | null> {
  const row = await trx.selectFrom('data_row').select((eb) => eb.fn.max('seq').as('m')).where('resource_id', '=', resourceId).executeTakeFirst();
  return row?.m === null || row?.m === undefined ? null : String(row.m);
}

/**
 * Fails the unfinished loads that gave no sign of life since `before` and are not running here (a crash, a kill, a
 * lost node), and removes their staging rows. Returns the ids failed.
 */
export async function failStale(db: Kysely<Database>, before: Date, running: readonly string[], now: Date): Promise<string[]> {
  const failed = await db
    .updateTable('data_load')
    .set({ status: 'failed', error: 'The load was interrupted (the process receiving it stopped); no row of it was written.', finished_at: now })
    .where('status', 'in', ['receiving', 'validating', 'committing'])
    .where((eb) => eb(eb.fn.coalesce('heartbeat_at', 'created_at'), '<', before))
    .$if(running.length > 0, (qb) => qb.where('id', 'not in', running))
    .returning('id')
    .execute();
  // staging rows whose load is finished (a crash between commit and clean-up) or failed just now
  await sql`DELETE FROM data_load_staging s WHERE NOT EXISTS (SELECT 1 FROM data_load l WHERE l.id = s.load_id AND l.status IN ('receiving', 'validating', 'committing'))`.execute(db);
  return failed.map((r) => r.id);
}
