// Share grants: a department (its data owner) lets another department or a client application read named fields
// of one resource's rows in the owner's department tree, for a stated purpose, until an expiry.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorOf, authorize, requireActor, scopeCovers } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, invalid, notFound } from '../../shared/errors.ts';
import { shareableFields, shareableResources } from '../../shared/shareable.ts';
import type { AuditService } from '../audit/index.ts';
import { findDepartment } from '../departments/index.ts';
import * as repo from './repository.ts';
import type { NewShareRow } from './repository.ts';
import { shareAbilities } from './policy.ts';

export interface NewShare {
  resource: string;
  fields: string[];
  purpose: string;
  ownerDepartmentId: string;
  granteeDepartmentId?: string;
  granteeTokenId?: string;
  expiresAt: string;
}

export interface ShareView {
  id: string;
  resource: string;
  fields: string[];
  purpose: string;
  owner: { id: string; name: string };
  grantee: { kind: 'department'; id: string; name: string } | { kind: 'client'; id: string; name: string };
  expiresAt: string;
  createdAt: string;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
  abilities: string[];
}

/** Longest a grant may run: a purpose is reviewed at least yearly. */
const MAX_SHARE_DAYS = 366;

export class AccessService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async createShare(ctx: RequestContext, input: NewShare): Promise<ShareView> {
    const { actor, scope } = authorize(ctx, 'shares.manage', this.clock);
    const allowed = shareableFields(input.resource);
    if (!allowed) throw invalid('share.unknown_resource', 'resource', `"${input.resource}" cannot be shared. Shareable: ${shareableResources().join(', ')}.`);
    const fields = [...new Set(input.fields)];
    const unknown = fields.find((f) => !allowed.includes(f));
    if (fields.length === 0 || unknown !== undefined) {
      throw invalid('share.unknown_field', 'fields', `Name one or more fields of ${input.resource}: ${allowed.join(', ')}${unknown === undefined ? '' : ` ("${unknown}" is not one)`}.`);
    }
    const purpose = input.purpose.trim();
    if (purpose.length === 0) throw invalid('share.invalid_purpose', 'purpose', 'State the purpose of the share.');
    const now = this.clock.now();
    const expiresAt = new Date(input.expiresAt);
    if (Number.isNaN(expiresAt.getTime())) throw invalid('request.invalid_date', 'expiresAt', 'expiresAt is not an ISO 8601 date-time.');
    if (expiresAt <= now) throw invalid('share.expiry_past', 'expiresAt', 'expiresAt must lie in the future.');
    if (expiresAt.getTime() - now.getTime() > MAX_SHARE_DAYS * 86_400_000) throw invalid('share.expiry_too_far', 'expiresAt', `A share runs at most ${MAX_SHARE_DAYS} days.`);
    if ((input.granteeDepartmentId === undefined) === (input.granteeTokenId === undefined)) {
      throw invalid('share.grantee_required', 'granteeDepartmentId', 'Name exactly one grantee: granteeDepartmentId or granteeTokenId.');
    }
    const owner = await findDepartment(this.db, input.ownerDepartmentId);
    if (!owner || !scopeCovers(scope, owner.region_path)) throw invalid('share.unknown_owner', 'ownerDepartmentId', 'No department with that id in your jurisdiction.');
    if (input.granteeDepartmentId !== undefined) {
      if (input.granteeDepartmentId === owner.id) throw invalid('share.grantee_is_owner', 'granteeDepartmentId', 'A department needs no share grant for its own data.');
      if (!(await findDepartment(this.db, input.granteeDepartmentId))) throw invalid('share.unknown_grantee', 'granteeDepartmentId', 'No department has that id.');
    }
    if (input.granteeTokenId !== undefined && !(await repo.findUsableToken(this.db, input.granteeTokenId, now))) {
      throw invalid('share.unknown_grantee', 'granteeTokenId', 'No active API token has that id.');
    }
    const id = await this.db.transaction().execute(async (trx) => {
      const created = await repo.insertShare(trx, {
        resource: input.resource,
        fields,
        purpose,
        ownerDepartmentId: owner.id,
        granteeDepartmentId: input.granteeDepartmentId ?? null,
        granteeTokenId: input.granteeTokenId ?? null,
        expiresAt,
        createdBy: actor.userId,
      });
      await this.audit.record(trx, ctx, {
        action: 'share.create',
        objectType: 'share_grant',
        objectId: created,
        regionCode: owner.region_code,
        detail: { resource: input.resource, fields, purpose, ownerDepartmentId: owner.id, granteeDepartmentId: input.granteeDepartmentId ?? null, granteeTokenId: input.granteeTokenId ?? null, expiresAt: expiresAt.toISOString() },
      });
      return created;
    });
    return this.view((await repo.findShareInScope(this.db, scope, id))!);
  }

  async listShares(ctx: RequestContext, query: { resource?: string; active?: boolean; limit?: number }): Promise<{ items: ShareView[] }> {
    const { scope } = authorize(ctx, 'shares.manage', this.clock);
    const rows = await repo.listShares(this.db, scope, { resource: query.resource, activeAt: query.active ? this.clock.now() : undefined, limit: query.limit ?? 100 });
    return { items: rows.map((row) => this.view(row)) };
  }

  /** Ends a grant at once (its rows stay, as evidence); the grantee's next request no longer sees the shared fields. */
  async revokeShare(ctx: RequestContext, id: string): Promise<ShareView> {
    const { actor, scope } = authorize(ctx, 'shares.manage', this.clock);
    await this.db.transaction().execute(async (trx) => {
      const locked = await repo.lockShare(trx, id);
      const row = locked && (await repo.findShareInScope(trx, scope, id));
      if (!row) throw notFound('share.not_found', 'No share grant with that id in your jurisdiction.', 'id');
      if (row.revoked_at) throw conflict('share.already_revoked', 'The share grant was revoked already.', 'id');
      await repo.markRevoked(trx, id, this.clock.now(), actor.userId);
      await this.audit.record(trx, ctx, { action: 'share.revoke', objectType: 'share_grant', objectId: id, regionCode: row.owner_region_code, detail: { resource: row.resource } });
    });
    return this.view((await repo.findShareInScope(this.db, scope, id))!);
  }

  /**
   * A share grant made as one step of another module's write (an approved sharing request), in the caller's
   * transaction and audited there. The caller has authorised the act under its own permission.
   */
  async grantInTransaction(trx: Transaction<Database>, ctx: RequestContext, input: Omit<NewShareRow, 'createdBy' | 'granteeTokenId'> & { regionCode: string }): Promise<string> {
    const actor = requireActor(ctx.actor);
    const id = await repo.insertShare(trx, { ...input, granteeTokenId: null, createdBy: authorOf(actor) });
    await this.audit.record(trx, ctx, {
      action: 'share.create',
      objectType: 'share_grant',
      objectId: id,
      regionCode: input.regionCode,
      detail: { resource: input.resource, fields: input.fields, purpose: input.purpose, ownerDepartmentId: input.ownerDepartmentId, granteeDepartmentId: input.granteeDepartmentId, expiresAt: input.expiresAt.toISOString() },
    });
    return id;
  }

  /** Revokes a share grant in the caller's transaction (audited there); false when it was revoked already. */
  async revokeInTransaction(trx: Transaction<Database>, ctx: RequestContext, id: string, regionCode: string, detail: Record<string, unknown> = {}): Promise<boolean> {
    const actor = requireActor(ctx.actor);
    const done = await repo.markRevokedIfActive(trx, id, this.clock.now(), authorOf(actor));
    if (done) await this.audit.record(trx, ctx, { action: 'share.revoke', objectType: 'share_grant', objectId: id, regionCode, detail });
    return done;
  }

  private view(row: repo.ShareRow): ShareView {
    const now = this.clock.now();
    const status = row.revoked_at ? 'revoked' : row.expires_at <= now ? 'expired' : 'active';
    return {
      id: row.id,
      resource: row.resource,
      fields: row.fields,
      purpose: row.purpose,
      owner: { id: row.owner_department_id, name: row.owner_name },
      grantee:
        row.grantee_department_id !== null
          ? { kind: 'department', id: row.grantee_department_id, name: row.grantee_department_name ?? '' }
          : { kind: 'client', id: row.grantee_token_id ?? '', name: row.grantee_token_name ?? '' },
      expiresAt: row.expires_at.toISOString(),
      createdAt: row.created_at.toISOString(),
      revokedAt: row.revoked_at?.toISOString() ?? null,
      status,
      abilities: shareAbilities({ status }),
    };
  }
}
