// SQL for the audit trail: append under the head-row lock, page, and walk the chain.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { escapeLike, inScope } from '../../db/jurisdiction.ts';
import type { AuditLogTable, Database } from '../../db/schema.ts';
import type { Scope } from '../../shared/access.ts';
import { chainHash, type ChainedContent } from './chain.ts';

export type AuditRow = Selectable<AuditLogTable>;

export interface AppendInput extends Omit<ChainedContent, 'seq' | 'at'> {
  at?: Date;
}

export async function appendAudit(trx: Transaction<Database>, input: AppendInput): Promise<{ seq: string; hash: string }> {
  // The row lock on audit_head serialises appenders, so seq has no gaps and prev_hash is the true predecessor.
  const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
  const seq = (BigInt(head.seq) + 1n).toString();
  const content: ChainedContent = { ...input, seq, at: input.at ?? new Date(), detail: input.detail ?? null };
  const hash = chainHash(head.hash, content);
  await trx
    .insertInto('audit_log')
    .values({
      seq,
      at: content.at,
      actor_id: content.actorId,
      actor_name: content.actorName,
      role: content.role,
      department_id: content.departmentId,
      action: content.action,
      object_type: content.objectType,
      object_id: content.objectId,
      region_code: content.regionCode,
      outcome: content.outcome as 'success' | 'failure' | 'denied',
      client_addr: content.clientAddr,
      request_id: content.requestId,
      detail: content.detail === null ? null : JSON.stringify(content.detail),
      prev_hash: head.hash,
      hash,
    })
    .execute();
  await trx.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute();
  return { seq, hash };
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
