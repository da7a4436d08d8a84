// SQL for the audit trail: append under the head-row lock, page, and walk the chain.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { escapeLike, inScope, likePrefix } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { AuditLogTable } from './tables.ts';
import type { Scope } from '../../shared/access.ts';
import { PERSONAL_DATA_READS, type ActionMatch } from './catalogue.ts';
import { chainHash, storableJson, storableText, type ChainedContent } from './chain.ts';
import { isRestDaySql } from '../calendar/index.ts';

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
  /** Action codes and code prefixes (from the catalogue's reading of what was typed). */
  actions?: ActionMatch;
  actorId?: string;
  outcome?: string;
  regionCode?: string;
  from?: Date;
  to?: Date;
  /** Actor's name or user name (substring). */
  person?: string;
  /** Actor's department: name, short name or code (substring). */
  department?: string;
  /** The object: its id, or the name of the user, department or region it is (substring). */
  object?: string;
  /** Only reads of personal data outside working hours (Asia/Shanghai) or on rest days (weekends, holidays). */
  afterHoursReads?: boolean;
  includeUnplaced: boolean;
}

/** Working hours for the after-hours alert, in Asia/Shanghai (UTC+8, no daylight saving): 08:00–20:00 on working days (the calendar's holidays and 调休 make-up days count). */
export const WORKING_HOURS = { from: 8, to: 20, timeZone: 'Asia/Shanghai' } as const;

const UUID_TEXT = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** object_id as a uuid where it is one (so the lookup is a primary-key probe), else NULL. */
const objectUuid = sql<string | null>`(CASE WHEN audit_log.object_id ~ ${UUID_TEXT} THEN cast(audit_log.object_id AS uuid) END)`;
const localAt = sql`(audit_log.at AT TIME ZONE ${WORKING_HOURS.timeZone})`;

function filtered(db: Kysely<Database>, scope: Scope, filter: Omit<AuditFilter, 'limit' | 'beforeSeq'>) {
  const like = (text: string) => `%${escapeLike(text)}%`;
  const { actions, person, department, object } = filter;
  return db
    .selectFrom('audit_log')
    .where((eb) =>
      filter.includeUnplaced ? eb.or([inScope(eb, eb.ref('region_code'), scope), eb('region_code', 'is', null)]) : inScope(eb, eb.ref('region_code'), scope),
    )
    .$if(actions !== undefined, (qb) =>
      qb.where((eb) =>
        eb.or([
          ...(actions!.codes.length > 0 ? [eb('audit_log.action', 'in', actions!.codes)] : []),
          ...actions!.prefixes.map((prefix) => eb('audit_log.action', 'like', likePrefix(prefix))),
          // nothing matched: an empty OR would match everything
          ...(actions!.codes.length + actions!.prefixes.length === 0 ? [sql<boolean>`false`] : []),
        ]),
      ),
    )
    .$if(filter.actorId !== undefined, (qb) => qb.where('audit_log.actor_id', '=', filter.actorId!))
    .$if(filter.outcome !== undefined, (qb) => qb.where('audit_log.outcome', '=', filter.outcome as 'success'))
    .$if(filter.regionCode !== undefined, (qb) => qb.where('audit_log.region_code', '=', filter.regionCode!))
    .$if(filter.from !== undefined, (qb) => qb.where('audit_log.at', '>=', filter.from!))
    .$if(filter.to !== undefined, (qb) => qb.where('audit_log.at', '<', filter.to!))
    .$if(person !== undefined, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb('audit_log.actor_name', 'ilike', like(person!)),
          eb(
            'audit_log.actor_id',
            'in',
            eb
              .selectFrom('app_user as p')
              .select('p.id')
              .where((w) => w.or([w('p.display_name', 'ilike', like(person!)), w('p.username', 'ilike', like(person!))])),
          ),
          // failed sign-ins carry only the name given
          eb('audit_log.actor_name', 'in', eb.selectFrom('app_user as pn').select('pn.username').where('pn.display_name', 'ilike', like(person!))),
        ]),
      ),
    )
    .$if(department !== undefined, (qb) =>
      qb.where('audit_log.department_id', 'in', (eb) =>
        eb
          .selectFrom('department as d')
          .select('d.id')
          .where((w) => w.or([w('d.name', 'ilike', like(department!)), w('d.short_name', 'ilike', like(department!)), w('d.code', 'ilike', like(department!))])),
      ),
    )
    .$if(object !== undefined, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb('audit_log.object_id', '=', object!),
          eb.and([
            eb('audit_log.object_type', '=', 'user'),
            eb(
              objectUuid,
              'in',
              eb
                .selectFrom('app_user as ou')
                .select('ou.id')
                .where((w) => w.or([w('ou.display_name', 'ilike', like(object!)), w('ou.username', 'ilike', like(object!))])),
            ),
          ]),
          eb.and([
            eb('audit_log.object_type', '=', 'department'),
            eb(objectUuid, 'in', eb.selectFrom('department as od').select('od.id').where('od.name', 'ilike', like(object!))),
          ]),
          eb.and([
            eb('audit_log.object_type', '=', 'region'),
            eb('audit_log.object_id', 'in', eb.selectFrom('region as orr').select('orr.code').where('orr.name', 'ilike', like(object!))),
          ]),
        ]),
      ),
    )
    .$if(filter.afterHoursReads === true, (qb) =>
      qb
        .where('audit_log.action', 'in', [...PERSONAL_DATA_READS])
        .where(
          sql<boolean>`(extract(hour from ${localAt}) < ${WORKING_HOURS.from} OR extract(hour from ${localAt}) >= ${WORKING_HOURS.to} OR ${isRestDaySql(sql`cast(${localAt} AS date)`)})`,
        ),
    );
}

/** A page of records, newest first, with people, departments, regions and objects resolved to names. */
export async function listAudit(db: Kysely<Database>, scope: Scope, filter: AuditFilter) {
  return filtered(db, scope, filter)
    .selectAll('audit_log')
    .select((eb) => [
      // a failed sign-in has no actor id, only the name given: when it names an account, show that account's person
      sql<string | null>`COALESCE(
        (SELECT a.display_name FROM app_user a WHERE a.id = audit_log.actor_id),
        (SELECT a.display_name FROM app_user a WHERE audit_log.actor_id IS NULL AND a.username = audit_log.actor_name))`.as('actor_display_name'),
      sql<string | null>`COALESCE(
        (SELECT d.name FROM department d WHERE d.id = audit_log.department_id),
        (SELECT d.name FROM app_user a JOIN department d ON d.id = a.department_id
          WHERE audit_log.actor_id IS NULL AND a.username = audit_log.actor_name))`.as('department_name'),
      eb.selectFrom('region as r').select('r.name').whereRef('r.code', '=', 'audit_log.region_code').as('region_name'),
      sql<string | null>`CASE audit_log.object_type
        WHEN 'user' THEN (SELECT u.display_name || ' (' || u.username || ')' FROM app_user u WHERE u.id = ${objectUuid})
        WHEN 'department' THEN (SELECT od.name FROM department od WHERE od.id = ${objectUuid})
        WHEN 'region' THEN (SELECT orr.name FROM region orr WHERE orr.code = audit_log.object_id)
        WHEN 'api_token' THEN (SELECT t.name FROM api_token t WHERE t.id = ${objectUuid})
      END`.as('object_name'),
    ])
    .$if(filter.beforeSeq !== undefined, (qb) => qb.where('audit_log.seq', '<', filter.beforeSeq!))
    .orderBy('audit_log.seq', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

export type NamedAuditRow = Awaited<ReturnType<typeof listAudit>>[number];

export async function countAudit(db: Kysely<Database>, scope: Scope, filter: Omit<AuditFilter, 'limit' | 'beforeSeq'>): Promise<number> {
  const row = await filtered(db, scope, filter)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function readHead(db: Kysely<Database>) {
  return db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
}

export async function readChainBatch(db: Kysely<Database>, afterSeq: string, size: number, upToSeq?: string) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>', afterSeq)
    .$if(upToSeq !== undefined, (qb) => qb.where('seq', '<=', upToSeq!))
    .orderBy('seq', 'asc')
    .limit(size)
    .execute();
}

/** The stored hash of record `seq`, if there is one. */
export async function hashAt(db: Kysely<Database>, seq: string): Promise<string | undefined> {
  const row = await db.selectFrom('audit_log').select('hash').where('seq', '=', seq).executeTakeFirst();
  return row?.hash;
}
