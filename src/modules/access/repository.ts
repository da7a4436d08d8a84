// SQL for share grants.
import type { Kysely, Transaction } from 'kysely';
import { inScope } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { Scope, ShareAccess } from '../../shared/access.ts';
import './tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewShareRow {
  resource: string;
  fields: string[];
  purpose: string;
  ownerDepartmentId: string;
  granteeDepartmentId: string | null;
  granteeTokenId: string | null;
  expiresAt: Date;
  createdBy: string | null;
}

export async function insertShare(trx: Db, row: NewShareRow): Promise<string> {
  const inserted = await trx
    .insertInto('share_grant')
    .values({
      resource: row.resource,
      fields: row.fields,
      purpose: row.purpose,
      owner_department_id: row.ownerDepartmentId,
      grantee_department_id: row.granteeDepartmentId,
      grantee_token_id: row.granteeTokenId,
      expires_at: row.expiresAt,
      created_by: row.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** Share grants whose owner department lies in the scope's regions (those the caller may manage). */
function scopedShares(db: Db, scope: Scope) {
  return db
    .selectFrom('share_grant as s')
    .innerJoin('department as o', 'o.id', 's.owner_department_id')
    .leftJoin('department as gd', 'gd.id', 's.grantee_department_id')
    .leftJoin('api_token as t', 't.id', 's.grantee_token_id')
    .select([
      's.id',
      's.resource',
      's.fields',
      's.purpose',
      's.owner_department_id',
      'o.name as owner_name',
      'o.region_code as owner_region_code',
      's.grantee_department_id',
      'gd.name as grantee_department_name',
      's.grantee_token_id',
      't.name as grantee_token_name',
      's.expires_at',
      's.created_by',
      's.created_at',
      's.revoked_at',
    ])
    .where((eb) => inScope(eb, eb.ref('o.region_code'), scope));
}

export type ShareRow = NonNullable<Awaited<ReturnType<typeof findShareInScope>>>;

export async function findShareInScope(db: Db, scope: Scope, id: string) {
  return scopedShares(db, scope).where('s.id', '=', id).executeTakeFirst();
}

export async function listShares(db: Db, scope: Scope, filter: { resource?: string; activeAt?: Date; limit: number }) {
  return scopedShares(db, scope)
    .$if(filter.resource !== undefined, (qb) => qb.where('s.resource', '=', filter.resource!))
    .$if(filter.activeAt !== undefined, (qb) => qb.where('s.revoked_at', 'is', null).where('s.expires_at', '>', filter.activeAt!))
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id')
    .limit(filter.limit)
    .execute();
}

export async function lockShare(trx: Db, id: string) {
  return trx.selectFrom('share_grant').select(['id', 'revoked_at']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function markRevoked(trx: Db, id: string, at: Date, by: string): Promise<void> {
  await trx.updateTable('share_grant').set({ revoked_at: at, revoked_by: by }).where('id', '=', id).execute();
}

/** Revokes a grant unless it is revoked already (one conditional UPDATE: concurrent revocations revoke once). */
export async function markRevokedIfActive(trx: Db, id: string, at: Date, by: string | null): Promise<boolean> {
  const result = await trx.updateTable('share_grant').set({ revoked_at: at, revoked_by: by }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The unrevoked, unexpired share grants made to a department or to a client application (token). */
export async function activeSharesFor(db: Db, grantee: { departmentId: string | null; tokenId?: string | undefined }, at: Date): Promise<ShareAccess[]> {
  if (grantee.departmentId === null && grantee.tokenId === undefined) return [];
  const rows = await db
    .selectFrom('share_grant')
    .select(['id', 'resource', 'fields', 'owner_department_id', 'purpose', 'expires_at', 'grantee_token_id'])
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .where((eb) =>
      eb.or([
        ...(grantee.departmentId !== null ? [eb('grantee_department_id', '=', grantee.departmentId)] : []),
        ...(grantee.tokenId !== undefined ? [eb('grantee_token_id', '=', grantee.tokenId)] : []),
      ]),
    )
    .execute();
  return rows.map((r) => ({
    id: r.id,
    resource: r.resource,
    fields: r.fields,
    ownerDepartmentId: r.owner_department_id,
    purpose: r.purpose,
    expiresAt: r.expires_at.toISOString(),
    grantee: r.grantee_token_id === null ? ('department' as const) : ('client' as const),
  }));
}

/** A token that can receive a share grant: not revoked, not expired. */
export async function findUsableToken(db: Db, id: string, at: Date) {
  return db.selectFrom('api_token').select(['id', 'name']).where('id', '=', id).where('revoked_at', 'is', null).where('expires_at', '>', at).executeTakeFirst();
}

/** Which of these share grants are not revoked (a grant travels with the caller's cached identity; revocation is read here). */
export async function unrevokedShareIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('share_grant').select('id').where('id', 'in', ids).where('revoked_at', 'is', null).execute();
  return new Set(rows.map((r) => r.id));
}
