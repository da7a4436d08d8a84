// 数据使用记录 — the citizen access record: who read a person's data, when, why, which resource and items (from the
// access log), the citizen's own view without covert grants, the auditor's lookup (itself logged), covert marking.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize, authorOf, requireActor, roleFor } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { forbidden, invalid, notFound } from '../../shared/errors.ts';
import { checkIdNumber, chinaDate } from '../../shared/id-number.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { AuditService } from '../audit/index.ts';
import * as repo from './repository.ts';
import type { AuditedDataUse, DataUse, TrackedGrant } from './schema.ts';
import './permissions.ts';

export interface PageOptions {
  cursor?: string;
  limit?: number;
}

export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const count = (value: unknown): number | null => (typeof value === 'number' && Number.isSafeInteger(value) ? value : null);

export class TrackerService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The signed-in citizen's own record: reads of their data, newest first, without reads under covert grants. */
  async ownRecord(ctx: RequestContext, options: PageOptions = {}): Promise<Paged<DataUse>> {
    const actor = requireActor(ctx.actor);
    if (actor.kind !== 'citizen') throw forbidden('tracker.citizen_only', 'Only the citizen may see their own data-use record.');
    const idNumber = await repo.citizenIdNumber(this.db, actor.userId);
    if (idNumber === null) return { items: [], nextCursor: null };
    const page = await this.page(idNumber, false, undefined, options);
    return { items: page.items.map((u) => this.citizenView(u)), nextCursor: page.nextCursor };
  }

  /** Any person's record for an auditor (tracker.read), covert reads flagged; the lookup itself goes to the access log. */
  async lookup(ctx: RequestContext, rawIdNumber: string, options: PageOptions = {}): Promise<Paged<AuditedDataUse>> {
    const { scope } = authorize(ctx, 'tracker.read', this.clock);
    const idNumber = this.validIdNumber(rawIdNumber);
    const page = await this.page(idNumber, true, scope, options);
    await this.audit.recordAccess(ctx, {
      resource: 'tracker.person',
      subjectIds: [idNumber],
      fields: ['data_use_record'],
      permission: 'tracker.read',
      scope,
      detail: { via: 'tracker_lookup', rows: page.items.length, cursor: options.cursor ?? null },
    });
    return page;
  }

  /** Marks a data grant covert or lifts the marking (tracker.covert), audited in the same transaction. */
  async markCovert(ctx: RequestContext, shareId: string, input: { covert: boolean; reason: string }): Promise<TrackedGrant> {
    const { actor, scope } = authorize(ctx, 'tracker.covert', this.clock);
    const reason = input.reason.trim();
    if (reason === '') throw invalid('tracker.reason_required', 'reason', 'Give a reason for the marking.');
    await this.db.transaction().execute(async (trx) => {
      const grant = await repo.lockGrantInScope(trx, shareId, scope);
      if (!grant) throw notFound('tracker.grant_not_found', 'No such data grant in your jurisdiction.', 'shareId');
      await repo.setCovert(trx, shareId, input.covert, authorOf(actor), this.clock.now());
      await this.audit.record(trx, ctx, {
        action: input.covert ? 'tracker.covert_mark' : 'tracker.covert_unmark',
        objectType: 'data_grant',
        objectId: shareId,
        role: roleFor(actor, 'tracker.covert'),
        regionCode: grant.region_code,
        detail: { resourceCode: grant.resource_code, reason, before: grant.covert },
      });
    });
    const page = await this.grants(ctx, { shareId });
    return page.items[0]!;
  }

  /** Data grants whose provider lies in the caller's jurisdiction (tracker.covert), to mark or unmark. */
  async grants(ctx: RequestContext, query: PageOptions & { covert?: boolean; resourceCode?: string; shareId?: string } = {}): Promise<Paged<TrackedGrant>> {
    const { scope } = authorize(ctx, 'tracker.covert', this.clock);
    const limit = query.limit ?? 50;
    const after = query.cursor === undefined ? undefined : (([createdAt, shareId]) => ({ createdAt, shareId }))(decodeKeyset(query.cursor, ['string', 'string']));
    const rows = await repo.listGrants(this.db, { scope, covert: query.covert, resourceCode: query.resourceCode, shareId: query.shareId, after, limit: limit + 1 });
    const items = rows.slice(0, limit).map(
      (r): TrackedGrant => ({
        shareId: r.share_id,
        resourceCode: r.resource_code,
        resourceName: r.resource_name,
        providerDepartmentName: r.provider_name,
        consumerDepartmentName: r.consumer_name,
        systemName: r.system_name,
        purpose: r.purpose,
        items: r.fields,
        expiresAt: r.expires_at.toISOString(),
        revokedAt: r.revoked_at?.toISOString() ?? null,
        covert: r.covert,
        covertMarkedAt: r.covert_marked_at?.toISOString() ?? null,
      }),
    );
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { items, nextCursor: last ? encodeKeyset([last.created_key, last.share_id]) : null };
  }

  private validIdNumber(value: string): string {
    const check = checkIdNumber(value, { today: chinaDate(this.clock.now()) });
    if (!check.ok) throw invalid('tracker.invalid_id_number', 'idNumber', `Not a valid ID number (${check.problem}).`);
    return check.idNumber;
  }

  private async page(idNumber: string, includeCovert: boolean, scope: Parameters<typeof repo.listUses>[1]['scope'], options: PageOptions): Promise<Paged<AuditedDataUse>> {
    const limit = options.limit ?? 20;
    const after = options.cursor === undefined ? undefined : (([at, batchId, ord]) => ({ at, batchId, ord }))(decodeKeyset(options.cursor, ['string', 'string', 'integer']));
    const rows = await repo.listUses(this.db, { idNumber, includeCovert, scope, after, limit: limit + 1 });
    const shown = rows.slice(0, limit);
    const names = await repo.itemNames(this.db, [...new Set(shown.map((r) => r.resource.slice('data:'.length)))]);
    const items = shown.map((r): AuditedDataUse => {
      const d = r.detail ?? {};
      const resourceCode = text(d.resourceCode) ?? r.resource.slice('data:'.length);
      const itemNames = names.get(resourceCode);
      return {
        id: `${r.batch_id}:${r.ord}`,
        at: r.at.toISOString(),
        via: text(d.via) ?? 'exchange',
        resourceCode,
        resourceName: text(d.resourceName) ?? resourceCode,
        items: r.fields.map((code) => ({ code, name: itemNames?.get(code) ?? code })),
        departmentName: text(d.consumerDepartmentName) ?? r.department_name,
        systemName: text(d.clientName),
        purpose: text(d.purpose),
        rows: count(d.rows),
        grantId: text(d.grantId),
        covert: r.covert,
        actorName: r.actor_name,
        requestId: r.request_id,
      };
    });
    const last = rows.length > limit ? shown[shown.length - 1] : undefined;
    return { items, nextCursor: last ? encodeKeyset([last.at.toISOString(), last.batch_id, last.ord]) : null };
  }

  private citizenView(use: AuditedDataUse): DataUse {
    const { id, at, via, resourceCode, resourceName, items, departmentName, systemName, purpose, rows } = use;
    return { id, at, via, resourceCode, resourceName, items, departmentName, systemName, purpose, rows };
  }
}
