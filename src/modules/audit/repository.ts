// SQL for the audit trail: append under the head-row lock, page, and walk the chain.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { escapeLike, inScope } from '../../db/jurisdiction.ts';
import type { AuditLogTable, Database } from '../../db/schema.ts';
import type { Scope } from '../../shared/access.ts';
import { chainHash, storableJson, storableText, type ChainedContent } from './chain.ts';

export type AuditRow = Selectable<AuditLogTable>;

export interface AppendInput extends Omit<ChainedContent, 'seq' | 'at'> {
  at?: Date;
}

export async function appendAudit(trx: Transaction<Database>, input: AppendInput): Promise<{ seq: string; hash: string }> {
  const text = (value: string | null): string | null => (value === null ? null : storableText(value));
  const detail = input.detail === null || input.detail === undefined ? null : JSON.stringify(storableJson(input.detail));
  // One statement takes the head-row lock (which serialises appenders, so seq has no gaps and prev_hash is the true
  // predecessor) and passes every value through the column's own type. The hash then covers exactly what the
  // database stores and will give back: truncated varchars, canonical uuids, timestamps at its precision, jsonb.
  const { rows } = await sql<StoredContent & { head_seq: string; head_hash: string }>`
    SELECT h.seq AS head_seq, h.hash AS head_hash,
      cast(${input.at ?? new Date()} AS timestamptz) AS at,
      cast(${input.actorId} AS uuid) AS actor_id,
      cast(${text(input.actorName)} AS varchar(100)) AS actor_name,
      cast(${text(input.role)} AS varchar(30)) AS role,
      cast(${input.departmentId} AS uuid) AS department_id,
      cast(${storableText(input.action)} AS varchar(100)) AS action,
      cast(${text(input.objectType)} AS varchar(50)) AS object_type,
      cast(${text(input.objectId)} AS varchar(100)) AS object_id,
      cast(${text(input.regionCode)} AS varchar(12)) AS region_code,
      cast(${input.outcome} AS varchar(10)) AS outcome,
      cast(${text(input.clientAddr)} AS varchar(64)) AS client_addr,
      cast(${text(input.requestId)} AS varchar(64)) AS request_id,
      cast(${detail} AS jsonb) AS detail
    FROM audit_head h WHERE h.id = 1 FOR UPDATE OF h`.execute(trx);
  const stored = rows[0];
  if (stored === undefined) throw new Error('audit_head row is missing');
  const seq = (BigInt(stored.head_seq) + 1n).toString();
  const hash = chainHash(stored.head_hash, contentOf({ ...stored, seq }));
  await trx
    .insertInto('audit_log')
    .values({
      seq,
      at: stored.at,
      actor_id: stored.actor_id,
      actor_name: stored.actor_name,
      role: stored.role,
      department_id: stored.department_id,
      action: stored.action,
      object_type: stored.object_type,
      object_id: stored.object_id,
      region_code: stored.region_code,
      outcome: stored.outcome,
      client_addr: stored.client_addr,
      request_id: stored.request_id,
      detail: stored.detail === null ? null : JSON.stringify(stored.detail),
      prev_hash: stored.head_hash,
      hash,
    })
    .execute();
  await trx.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute();
  return { seq, hash };
}

type StoredContent = Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>;

/** The hashed content of a stored row (or of the values the database gave back for one about to be stored). */
export function contentOf(row: StoredContent & { seq: string }): ChainedContent {
  return {
    seq: row.seq,
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    role: row.role,
    departmentId: row.department_id,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    regionCode: row.region_code,
    outcome: row.outcome,
    clientAddr: row.client_addr,
    requestId: row.request_id,
    detail: row.detail,
  };
}

export interface AuditFilter {
  beforeSeq?: string;
  limit: number;
  action?: string;
  actorId?: string;
  outcome?: string;
  regionCode?: string;
  from?: Date;
  to?: Date;
  includeUnplaced: boolean;
}

export async function listAudit(db: Kysely<Database>, scope: Scope, filter: AuditFilter) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where((eb) =>
      filter.includeUnplaced ? eb.or([inScope(eb, eb.ref('region_code'), scope), eb('region_code', 'is', null)]) : inScope(eb, eb.ref('region_code'), scope),
    )
    .$if(filter.beforeSeq !== undefined, (qb) => qb.where('seq', '<', filter.beforeSeq!))
    .$if(filter.action !== undefined, (qb) => qb.where('action', 'like', `${escapeLike(filter.action!)}%`))
    .$if(filter.actorId !== undefined, (qb) => qb.where('actor_id', '=', filter.actorId!))
    .$if(filter.outcome !== undefined, (qb) => qb.where('outcome', '=', filter.outcome as 'success'))
    .$if(filter.regionCode !== undefined, (qb) => qb.where('region_code', '=', filter.regionCode!))
    .$if(filter.from !== undefined, (qb) => qb.where('at', '>=', filter.from!))
    .$if(filter.to !== undefined, (qb) => qb.where('at', '<', filter.to!))
    .orderBy('seq', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

export async function readHead(db: Kysely<Database>) {
  return db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
}

export async function readChainBatch(db: Kysely<Database>, afterSeq: string, size: number) {
  return db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(size).execute();
}
