// Sharing requests on the legal clock (共享申请): submission (unconditional items granted at once), the provider's
// answer within 10 working days, reminders, escalation to the authority (主管部门), withdrawal; data grants and their
// revocation. Every write is one transaction with its audit record and its notices.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { TodoItem } from '../../platform/module.ts';
import { authorize, requireActor, scopeOf, type Actor } from '../../shared/access.ts';
import { systemActorContext, type RequestContext } from '../../shared/context.ts';
import { conflict, forbidden, invalid, notFound } from '../../shared/errors.ts';
import type { AccessService } from '../access/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { loadResourceMeta, shareResourceOf, type ItemMask } from '../catalogue/index.ts';
import type { InboxService } from '../inbox/index.ts';
import type { SmsService } from '../sms/index.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import { answeringPermission, grantAbilities, requestAbilities, type GrantAbility, type RequestAbility } from './policy.ts';
import * as repo from './repository.ts';
import type { SharingRequestStatus } from './tables.ts';

/** Working days the provider has to answer (the legal clock). */
export const ANSWER_WORKING_DAYS = 10;
/** Working days before the deadline when the provider is reminded. */
export const REMIND_WORKING_DAYS = 2;
const DAY_MS = 86_400_000;

export interface NewRequest {
  /** The resource's code or id. */
  resource: string;
  items: string[];
  purpose: string;
  legalBasis: string;
  /** Defaults to the caller's own department. */
  consumerDepartmentId?: string;
  clientAppId?: string | null;
  periodFrom: string;
  periodTo: string;
  regionPrefix?: string | null;
  /** Alternative to the Idempotency-Key header. */
  clientToken?: string;
}

export interface RequestOptions {
  resource: { id: string; code: string; name: string; provider: { id: string; name: string }; regionItem: string | null };
  items: { code: string; name: string; type: string; shareType: 'unconditional' | 'conditional' | 'none'; legalBasis: string | null; sensitivity: number }[];
  clientApps: { id: string; name: string }[];
  consumer: { id: string; name: string; regionCode: string } | null;
  today: string;
}

export interface Decision {
  decision: 'approve' | 'refuse';
  /** Conditional items approved (default: all of them). */
  items?: string[];
  reason?: string;
}

export interface RequestView {
  id: string;
  number: string;
  resource: { id: string; code: string; name: string };
  provider: { id: string; name: string };
  consumer: { id: string; name: string };
  clientApp: { id: string; name: string } | null;
  purpose: string;
  legalBasis: string;
  items: string[];
  approvedItems: string[];
  regionPrefix: string | null;
  periodFrom: string;
  periodTo: string;
  status: SharingRequestStatus;
  submittedAt: string;
  deadline: string | null;
  deadlineProvisional: boolean;
  /** Working days left to the deadline while open (negative: overdue); null once answered. */
  workingDaysLeft: number | null;
  remindedAt: string | null;
  escalatedAt: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  unconditionalShareId: string | null;
  conditionalShareId: string | null;
  abilities: RequestAbility[];
}

export interface GrantView {
  shareId: string;
  resource: { id: string; code: string; name: string };
  requestId: string | null;
  requestNumber: string | null;
  provider: { id: string; name: string };
  consumer: { id: string; name: string };
  clientApp: { id: string; name: string } | null;
  items: string[];
  purpose: string;
  regionPrefix: string | null;
  /** Item → mask overriding the item's own ('none' reveals it); items absent here use the catalogue's mask. */
  masks: Record<string, ItemMask>;
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
  status: 'active' | 'expired' | 'revoked';
  abilities: GrantAbility[];
}

const REQUEST_STATUSES: readonly SharingRequestStatus[] = ['granted', 'pending', 'escalated', 'approved', 'partially_approved', 'refused', 'withdrawn'];
const TEXT_MAX = 500;

/** YYYY-MM-DD in Beijing time. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

export interface SharingDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditService;
  access: AccessService;
  calendar: CalendarService;
  inbox: InboxService;
  sms: SmsService | undefined;
}

export class SharingService {
  private readonly db: Kysely<Database>;
  private readonly clock: Clock;
  constructor(private readonly deps: SharingDeps) {
    this.db = deps.db;
    this.clock = deps.clock;
  }

  private reach(actor: Actor): repo.Reach {
    return {
      request: scopeOf(actor, 'sharing.request', this.clock),
      decide: scopeOf(actor, 'sharing.decide', this.clock),
      authority: scopeOf(actor, 'sharing.authority', this.clock),
      revoke: scopeOf(actor, 'shares.manage', this.clock),
    };
  }

  /** The actor's reach, or 403 when it holds none of the sharing permissions. */
  private reachOf(ctx: RequestContext): { actor: Actor; reach: repo.Reach } {
    const actor = requireActor(ctx.actor);
    const reach = this.reach(actor);
    if (!reach.request && !reach.decide && !reach.authority && !reach.revoke) authorize(ctx, 'sharing.request', this.clock);
    return { actor, reach };
  }

  /** What the request wizard offers: the resource's items with their share types, and the caller's systems. */
  async requestOptions(ctx: RequestContext, resource: string): Promise<RequestOptions> {
    const { actor } = authorize(ctx, 'sharing.request', this.clock);
    const meta = await loadResourceMeta(this.db, resource);
    if (!meta || meta.status !== 'published') throw notFound('sharing.unknown_resource', `No published resource "${resource}" in the catalogue.`, 'resource');
    const provider = (await repo.findDepartment(this.db, meta.providerDepartmentId))!;
    const clientApps = actor.departmentId ? await repo.activeClientsOf(this.db, actor.departmentId) : [];
    const consumer = actor.departmentId ? await repo.findDepartment(this.db, actor.departmentId) : undefined;
    return {
      resource: { id: meta.id, code: meta.code, name: meta.name, provider: { id: provider.id, name: provider.name }, regionItem: meta.regionItem },
      items: meta.items.map((i) => ({ code: i.code, name: i.name, type: i.type, shareType: i.shareType, legalBasis: i.legalBasis, sensitivity: i.sensitivity })),
      clientApps,
      consumer: consumer ? { id: consumer.id, name: consumer.name, regionCode: consumer.region_code } : null,
      today: beijingDate(this.clock.now()),
    };
  }

  // ---- submission

  async submit(ctx: RequestContext, input: NewRequest, idempotencyKey?: string): Promise<{ request: RequestView; created: boolean }> {
    const { actor, scope } = authorize(ctx, 'sharing.request', this.clock);
    const key = idempotencyKey ?? input.clientToken;
    const meta = await loadResourceMeta(this.db, input.resource);
    if (!meta || meta.status !== 'published') throw invalid('sharing.unknown_resource', 'resource', `No published resource "${input.resource}" in the catalogue.`);
    const consumerId = input.consumerDepartmentId ?? actor.departmentId;
    const consumer = consumerId ? await repo.findDepartmentInScope(this.db, scope, consumerId) : undefined;
    if (!consumer) throw invalid('sharing.unknown_consumer', 'consumerDepartmentId', 'Name a consumer department in your jurisdiction.');
    if (consumer.id === meta.providerDepartmentId) throw invalid('sharing.own_resource', 'resource', 'A department needs no request for its own resource.');
    const items = [...new Set(input.items)];
    if (items.length === 0) throw invalid('sharing.unknown_item', 'items', 'Name one or more items.');
    for (const code of items) {
      const item = meta.items.find((i) => i.code === code);
      if (!item) throw invalid('sharing.unknown_item', 'items', `The resource has no item "${code}".`, { item: code });
      if (item.shareType === 'none') {
        throw invalid('sharing.item_not_shared', 'items', `Item "${code}" (${item.name}) is not shared: ${item.legalBasis ?? ''}`.trim(), { item: code, legalBasis: item.legalBasis });
      }
    }
    const purpose = input.purpose.trim();
    const legalBasis = input.legalBasis.trim();
    if (purpose.length === 0 || purpose.length > TEXT_MAX) throw invalid('sharing.invalid_text', 'purpose', 'State the purpose (1–500 characters).');
    if (legalBasis.length === 0 || legalBasis.length > TEXT_MAX) throw invalid('sharing.invalid_text', 'legalBasis', 'State the legal basis (1–500 characters).');
    const today = beijingDate(this.clock.now());
    if (!validDate(input.periodFrom)) throw invalid('sharing.invalid_period', 'periodFrom', 'periodFrom is not a date (YYYY-MM-DD).');
    if (!validDate(input.periodTo)) throw invalid('sharing.invalid_period', 'periodTo', 'periodTo is not a date (YYYY-MM-DD).');
    if (input.periodTo < input.periodFrom || input.periodTo < today) throw invalid('sharing.invalid_period', 'periodTo', 'The period must end on or after its start and today.');
    if (input.periodTo > addYears(input.periodFrom, 1)) throw invalid('sharing.invalid_period', 'periodTo', 'A period lasts at most one year.');
    const regionPrefix = input.regionPrefix ?? null;
    if (regionPrefix !== null && (!regionPrefix.startsWith(consumer.region_code) || !(await repo.regionExists(this.db, regionPrefix)))) {
      throw invalid('sharing.invalid_region', 'regionPrefix', `The region filter must be a region within ${consumer.region_code}.`);
    }
    const clientAppId = input.clientAppId ?? null;
    if (clientAppId !== null && !(await repo.activeClientOf(this.db, consumer.id, clientAppId))) {
      throw invalid('sharing.unknown_client', 'clientAppId', 'The consumer department has no such active client application.');
    }
    if (key !== undefined) {
      const existing = await this.replay(ctx, consumer.id, key, meta.id, items);
      if (existing) return { request: existing, created: false };
    }
    const unconditional = items.filter((c) => meta.items.find((i) => i.code === c)!.shareType === 'unconditional');
    const conditional = items.filter((c) => !unconditional.includes(c));
    const provider = (await repo.findDepartment(this.db, meta.providerDepartmentId))!;
    const deadline = conditional.length > 0 ? this.deps.calendar.addWorkingDays(today, ANSWER_WORKING_DAYS) : null;
    const now = this.clock.now();
    let id: string;
    try {
      id = await this.db.transaction().execute(async (trx) => {
        const number = await repo.nextRequestNumber(trx, today);
        const inserted = await trx
          .insertInto('sharing_request')
          .values({
            number,
            resource_id: meta.id,
            provider_department_id: meta.providerDepartmentId,
            consumer_department_id: consumer.id,
            client_app_id: clientAppId,
            purpose,
            legal_basis: legalBasis,
            items,
            approved_items: unconditional,
            region_prefix: regionPrefix,
            period_from: input.periodFrom,
            period_to: input.periodTo,
            status: conditional.length > 0 ? 'pending' : 'granted',
            submitted_at: now,
            deadline: deadline?.date ?? null,
            deadline_provisional: deadline?.provisional ?? false,
            created_by: actor.via === 'system' ? null : actor.userId,
            idempotency_key: key ?? null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        let shareId: string | null = null;
        if (unconditional.length > 0) {
          shareId = await this.grant(trx, ctx, { requestId: inserted.id, resourceId: meta.id, resourceCode: meta.code, providerDepartmentId: meta.providerDepartmentId, providerRegion: provider.region_code, consumerDepartmentId: consumer.id, clientAppId, regionPrefix, items: unconditional, purpose, periodTo: input.periodTo });
          await trx.updateTable('sharing_request').set({ unconditional_share_id: shareId }).where('id', '=', inserted.id).execute();
        }
        await this.deps.audit.record(trx, ctx, {
          action: 'sharing.request.submit',
          objectType: 'sharing_request',
          objectId: inserted.id,
          regionCode: provider.region_code,
          detail: { number, resource: meta.code, items, unconditional, conditional, consumerDepartmentId: consumer.id, clientAppId, regionPrefix, periodFrom: input.periodFrom, periodTo: input.periodTo, deadline: deadline?.date ?? null, deadlineProvisional: deadline?.provisional ?? false, unconditionalShareId: shareId },
        });
        if (conditional.length > 0) {
          const admins = await repo.departmentHolders(trx, meta.providerDepartmentId, 'sharing.decide');
          await this.deps.inbox.send(trx, {
            to: admins.map((a) => a.id),
            module: 'sharing',
            kind: 'sharing.request',
            title: `共享申请 ${number}：${consumer.name} 申请「${meta.name}」`,
            body: `申请信息项：${conditional.join('、')}。请于 ${deadline!.date} 前答复（10 个工作日）。用途：${purpose}`,
            link: `/sharing/approvals?request=${inserted.id}`,
            key: `sharing.request:${inserted.id}`,
          });
        }
        return inserted.id;
      });
    } catch (error) {
      // a concurrent submission with the same key won the unique index: answer with that one
      if (key !== undefined && isUniqueViolation(error)) {
        const existing = await this.replay(ctx, consumer.id, key, meta.id, items);
        if (existing) return { request: existing, created: false };
      }
      throw error;
    }
    return { request: (await this.get(ctx, id))!, created: true };
  }

  private async replay(ctx: RequestContext, consumerId: string, key: string, resourceId: string, items: string[]): Promise<RequestView | null> {
    const existing = await repo.findByIdempotencyKey(this.db, consumerId, key);
    if (!existing) return null;
    if (existing.resource_id !== resourceId || [...existing.items].sort().join() !== [...items].sort().join()) {
      throw conflict('sharing.idempotency_mismatch', 'The idempotency key was used for a different request.', 'Idempotency-Key');
    }
    return this.get(ctx, existing.id);
  }

  /** A share grant on data:<code> for the items plus its data grant side, in the caller's transaction. */
  private async grant(
    trx: Transaction<Database>,
    ctx: RequestContext,
    g: { requestId: string; resourceId: string; resourceCode: string; providerDepartmentId: string; providerRegion: string; consumerDepartmentId: string; clientAppId: string | null; regionPrefix: string | null; items: string[]; purpose: string; periodTo: string },
  ): Promise<string> {
    // the grant runs to the end of the period's last day, Beijing time
    const expiresAt = new Date(Date.parse(`${addDays(g.periodTo, 1)}T00:00:00+08:00`));
    const shareId = await this.deps.access.grantInTransaction(trx, ctx, {
      resource: shareResourceOf(g.resourceCode),
      fields: g.items,
      purpose: g.purpose,
      ownerDepartmentId: g.providerDepartmentId,
      granteeDepartmentId: g.consumerDepartmentId,
      expiresAt,
      regionCode: g.providerRegion,
    });
    await repo.insertDataGrant(trx, { shareId, resourceId: g.resourceId, requestId: g.requestId, providerDepartmentId: g.providerDepartmentId, consumerDepartmentId: g.consumerDepartmentId, clientAppId: g.clientAppId, regionPrefix: g.regionPrefix });
    return shareId;
  }

  // ---- reads

  async get(ctx: RequestContext, id: string): Promise<RequestView | null> {
    const { reach } = this.reachOf(ctx);
    const row = await repo.findRequest(this.db, reach, id);
    return row ? this.view(row) : null;
  }

  async list(
    ctx: RequestContext,
    query: { role?: repo.RequestRole; status?: SharingRequestStatus[]; resourceId?: string; number?: string; cursor?: string; limit?: number },
  ): Promise<{ items: RequestView[]; total: number; nextCursor: string | null }> {
    const { reach } = this.reachOf(ctx);
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeKeyset(query.cursor, ['string', 'string'] as const) : undefined;
    const filter = { role: query.role, status: query.status?.filter((s) => REQUEST_STATUSES.includes(s)), resourceId: query.resourceId, number: query.number };
    const [rows, total] = await Promise.all([repo.listRequests(this.db, reach, filter, { after: after as [string, string] | undefined, limit }), repo.countRequests(this.db, reach, filter)]);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map((r) => this.view(r)), total, nextCursor: rows.length > limit && last ? encodeKeyset([last.submitted_at.toISOString(), last.id]) : null };
  }

  private view(row: repo.RequestRow): RequestView {
    const open = row.status === 'pending' || row.status === 'escalated';
    let workingDaysLeft: number | null = null;
    if (open && row.deadline) {
      const today = beijingDate(this.clock.now());
      workingDaysLeft = row.deadline >= today ? this.deps.calendar.workingDaysBetween(today, row.deadline).days : -this.deps.calendar.workingDaysBetween(row.deadline, today).days;
    }
    return {
      id: row.id,
      number: row.number,
      resource: { id: row.resource_id, code: row.resource_code, name: row.resource_name },
      provider: { id: row.provider_department_id, name: row.provider_name },
      consumer: { id: row.consumer_department_id, name: row.consumer_name },
      clientApp: row.client_app_id ? { id: row.client_app_id, name: row.client_name ?? '' } : null,
      purpose: row.purpose,
      legalBasis: row.legal_basis,
      items: row.items,
      approvedItems: row.approved_items,
      regionPrefix: row.region_prefix,
      periodFrom: String(row.period_from).slice(0, 10),
      periodTo: String(row.period_to).slice(0, 10),
      status: row.status,
      submittedAt: row.submitted_at.toISOString(),
      deadline: row.deadline ? String(row.deadline).slice(0, 10) : null,
      deadlineProvisional: row.deadline_provisional,
      workingDaysLeft,
      remindedAt: row.reminded_at?.toISOString() ?? null,
      escalatedAt: row.escalated_at?.toISOString() ?? null,
      decidedAt: row.decided_at?.toISOString() ?? null,
      decisionReason: row.decision_reason,
      unconditionalShareId: row.unconditional_share_id,
      conditionalShareId: row.conditional_share_id,
      abilities: requestAbilities(row),
    };
  }

  // ---- the provider's (or the authority's) answer

  async decide(ctx: RequestContext, id: string, input: Decision): Promise<RequestView> {
    const { actor, reach } = this.reachOf(ctx);
    if (!reach.decide && !reach.authority) authorize(ctx, 'sharing.decide', this.clock);
    const reason = input.reason?.trim() ?? '';
    if (input.decision === 'refuse' && reason.length === 0) throw invalid('sharing.reason_required', 'reason', 'A refusal needs a reason.');
    if (reason.length > 1000) throw invalid('sharing.reason_required', 'reason', 'The reason has at most 1000 characters.');
    await this.db.transaction().execute(async (trx) => {
      await repo.lockRequest(trx, id);
      const row = await repo.findRequest(trx, reach, id);
      if (!row || (!row.in_decide && !row.in_authority)) throw notFound('sharing.request_not_found', 'No such sharing request in your jurisdiction.', 'id');
      if (row.status !== 'pending' && row.status !== 'escalated') throw conflict('sharing.not_pending', `The request is ${row.status} already.`, 'id');
      const permission = answeringPermission(row);
      if (!permission) throw forbidden('auth.forbidden', 'The request was escalated: the authority (主管部门) answers it now.');
      const unconditional = row.approved_items;
      const conditional = row.items.filter((c) => !unconditional.includes(c));
      const now = this.clock.now();
      let status: SharingRequestStatus;
      let approved = unconditional;
      let shareId: string | null = null;
      if (input.decision === 'approve') {
        const chosen = input.items === undefined ? conditional : [...new Set(input.items)];
        if (chosen.length === 0 || chosen.some((c) => !conditional.includes(c))) {
          throw invalid('sharing.invalid_items', 'items', `Approve some of the requested conditional items: ${conditional.join(', ')}.`);
        }
        approved = row.items.filter((c) => unconditional.includes(c) || chosen.includes(c));
        status = chosen.length === conditional.length ? 'approved' : 'partially_approved';
        shareId = await this.grant(trx, ctx, {
          requestId: row.id,
          resourceId: row.resource_id,
          resourceCode: row.resource_code,
          providerDepartmentId: row.provider_department_id,
          providerRegion: row.provider_region_code,
          consumerDepartmentId: row.consumer_department_id,
          clientAppId: row.client_app_id,
          regionPrefix: row.region_prefix,
          items: approved,
          purpose: row.purpose,
          periodTo: String(row.period_to).slice(0, 10),
        });
      } else status = 'refused';
      await trx
        .updateTable('sharing_request')
        .set({ status, approved_items: approved, decided_at: now, decided_by: actor.via === 'system' ? null : actor.userId, decided_role: permission, decision_reason: reason || null, conditional_share_id: shareId })
        .where('id', '=', row.id)
        .execute();
      await this.deps.audit.record(trx, ctx, {
        action: 'sharing.request.decide',
        objectType: 'sharing_request',
        objectId: row.id,
        regionCode: row.provider_region_code,
        detail: { number: row.number, decision: input.decision, status, approvedItems: approved, reason: reason || null, permission, conditionalShareId: shareId },
      });
      await this.notifyConsumer(trx, row, status, reason);
    });
    return (await this.get(ctx, id))!;
  }

  private async notifyConsumer(trx: Transaction<Database>, row: repo.RequestRow, status: SharingRequestStatus, reason: string): Promise<void> {
    const recipients = await repo.departmentHolders(trx, row.consumer_department_id, 'sharing.request');
    const verdict = status === 'refused' ? '未获批准' : status === 'partially_approved' ? '部分获批' : '已获批准';
    await this.deps.inbox.send(trx, {
      to: recipients.map((r) => r.id),
      module: 'sharing',
      kind: 'sharing.decision',
      title: `共享申请 ${row.number}「${row.resource_name}」${verdict}`,
      body: status === 'refused' ? `理由：${reason}` : `${row.provider_name} 已答复。`,
      link: `/sharing/requests?request=${row.id}`,
      key: `sharing.decision:${row.id}`,
    });
    const sms = this.deps.sms;
    if (!sms) return;
    for (const r of recipients.filter((x) => x.phone)) {
      await sms.send(trx, { to: r.phone!, text: `【政务云】您部门的共享申请 ${row.number}「${row.resource_name}」${verdict}，请登录平台查看。`, purpose: 'sharing.decision' });
    }
  }

  async withdraw(ctx: RequestContext, id: string): Promise<RequestView> {
    const { reach } = this.reachOf(ctx);
    authorize(ctx, 'sharing.request', this.clock);
    await this.db.transaction().execute(async (trx) => {
      await repo.lockRequest(trx, id);
      const row = await repo.findRequest(trx, reach, id);
      if (!row || !row.in_request) throw notFound('sharing.request_not_found', 'No such sharing request in your jurisdiction.', 'id');
      if (row.status !== 'pending' && row.status !== 'escalated') throw conflict('sharing.not_pending', `The request is ${row.status} already.`, 'id');
      await trx.updateTable('sharing_request').set({ status: 'withdrawn', decided_at: this.clock.now() }).where('id', '=', id).execute();
      await this.deps.audit.record(trx, ctx, { action: 'sharing.request.withdraw', objectType: 'sharing_request', objectId: id, regionCode: row.provider_region_code, detail: { number: row.number } });
    });
    return (await this.get(ctx, id))!;
  }

  // ---- grants

  async listGrants(ctx: RequestContext, query: { role?: 'mine' | 'to_me'; active?: boolean; cursor?: string; limit?: number }): Promise<{ items: GrantView[]; total: number; nextCursor: string | null }> {
    const { reach } = this.reachOf(ctx);
    const limit = query.limit ?? 50;
    const after = query.cursor ? (decodeKeyset(query.cursor, ['string', 'string'] as const) as [string, string]) : undefined;
    const { rows, total } = await repo.listGrants(this.db, reach, { role: query.role, activeAt: query.active ? this.clock.now() : undefined }, { after, limit });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map((r) => this.grantView(r)), total, nextCursor: rows.length > limit && last ? encodeKeyset([last.created_at.toISOString(), last.share_id]) : null };
  }

  async getGrant(ctx: RequestContext, shareId: string): Promise<GrantView> {
    const { reach } = this.reachOf(ctx);
    const row = await repo.findGrant(this.db, reach, shareId);
    if (!row) throw notFound('sharing.grant_not_found', 'No such data grant in your jurisdiction.', 'shareId');
    return this.grantView(row);
  }

  /** Ends a data grant now: the gateway reads the grant on every call, so the very next call is refused. */
  async revokeGrant(ctx: RequestContext, shareId: string, reason?: string): Promise<GrantView> {
    const { reach } = this.reachOf(ctx);
    if (!reach.decide && !reach.authority && !reach.revoke) authorize(ctx, 'sharing.decide', this.clock);
    await this.db.transaction().execute(async (trx) => {
      const row = await repo.findGrant(trx, reach, shareId);
      if (!row || !row.in_revoke) throw notFound('sharing.grant_not_found', 'No such data grant in your jurisdiction.', 'shareId');
      const done = await this.deps.access.revokeInTransaction(trx, ctx, shareId, row.provider_region_code, { resource: shareResourceOf(row.resource_code), via: 'sharing', reason: reason?.trim() || null, consumerDepartmentId: row.consumer_department_id });
      if (!done) throw conflict('sharing.already_revoked', 'The data grant was revoked already.', 'shareId');
    });
    return this.getGrant(ctx, shareId);
  }

  /** The provider's masking policy for one grant (per item); the gateway applies it on the next call. */
  async setGrantMasks(ctx: RequestContext, shareId: string, masks: Record<string, ItemMask>): Promise<GrantView> {
    const { reach } = this.reachOf(ctx);
    if (!reach.decide && !reach.authority) authorize(ctx, 'sharing.decide', this.clock);
    await this.db.transaction().execute(async (trx) => {
      const row = await repo.findGrant(trx, reach, shareId);
      if (!row || !row.in_decide_or_authority) throw notFound('sharing.grant_not_found', 'No such data grant in your jurisdiction.', 'shareId');
      const outside = Object.keys(masks).find((item) => !row.fields.includes(item));
      if (outside !== undefined) throw invalid('sharing.invalid_items', 'masks', `Item "${outside}" is not part of this grant.`, { item: outside });
      await repo.setGrantMasks(trx, shareId, masks);
      await this.deps.audit.record(trx, ctx, { action: 'sharing.grant.masks', objectType: 'share_grant', objectId: shareId, regionCode: row.provider_region_code, detail: { masks, previous: row.masks } });
    });
    return this.getGrant(ctx, shareId);
  }

  private grantView(row: repo.GrantRow): GrantView {
    const status = row.revoked_at ? 'revoked' : row.expires_at <= this.clock.now() ? 'expired' : 'active';
    return {
      shareId: row.share_id,
      resource: { id: row.resource_id, code: row.resource_code, name: row.resource_name },
      requestId: row.request_id,
      requestNumber: row.request_number,
      provider: { id: row.provider_department_id, name: row.provider_name },
      consumer: { id: row.consumer_department_id, name: row.consumer_name },
      clientApp: row.client_app_id ? { id: row.client_app_id, name: row.client_name ?? '' } : null,
      items: row.fields,
      purpose: row.purpose,
      regionPrefix: row.region_prefix,
      masks: (row.masks ?? {}) as Record<string, ItemMask>,
      expiresAt: row.expires_at.toISOString(),
      revokedAt: row.revoked_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
      status,
      abilities: grantAbilities({ status, in_revoke: row.in_revoke, in_decide_or_authority: row.in_decide_or_authority }),
    };
  }

  // ---- the legal clock: reminders and escalation (a schedule; safe on several nodes and after restarts)

  /** Reminds providers two working days before the deadline and escalates overdue requests; each happens once. */
  async runDeadlines(): Promise<{ reminded: number; escalated: number }> {
    const now = this.clock.now();
    const today = beijingDate(now);
    const ctx = systemActorContext();
    let reminded = 0;
    // two working days never span more than ~2 weeks of holidays; the calendar narrows the candidates
    for (const row of await repo.remindable(this.db, addDays(today, 21))) {
      const deadline = String(row.deadline).slice(0, 10);
      if (deadline < today || this.deps.calendar.workingDaysBetween(today, deadline).days > REMIND_WORKING_DAYS) continue;
      const sent = await this.db.transaction().execute(async (trx) => {
        if (!(await repo.claimReminder(trx, row.id, now))) return false;
        const admins = await repo.departmentHolders(trx, row.provider_department_id, 'sharing.decide');
        await this.deps.inbox.send(trx, {
          to: admins.map((a) => a.id),
          module: 'sharing',
          kind: 'sharing.reminder',
          title: `共享申请 ${row.number} 将于 ${deadline} 到期`,
          body: `${row.consumer_name} 申请「${row.resource_name}」，请在期限内答复，逾期将提交主管部门处理。`,
          link: `/sharing/approvals?request=${row.id}`,
          key: `sharing.reminder:${row.id}`,
        });
        if (this.deps.sms) {
          for (const a of admins.filter((x) => x.phone)) {
            await this.deps.sms.send(trx, { to: a.phone!, text: `【政务云】共享申请 ${row.number}「${row.resource_name}」将于 ${deadline} 到期，请及时答复。`, purpose: 'sharing.reminder' });
          }
        }
        await this.deps.audit.record(trx, ctx, { action: 'sharing.request.remind', objectType: 'sharing_request', objectId: row.id, detail: { number: row.number, deadline, recipients: admins.length } });
        return true;
      });
      if (sent) reminded++;
    }
    const escalated = await this.db.transaction().execute(async (trx) => {
      const rows = await repo.escalateOverdue(trx, today, now);
      for (const row of rows) {
        const provider = (await repo.findDepartment(trx, row.provider_department_id))!;
        const authority = await repo.regionHolders(trx, provider.region_path, 'sharing.authority');
        const admins = await repo.departmentHolders(trx, row.provider_department_id, 'sharing.decide');
        await this.deps.inbox.send(trx, {
          to: [...new Set([...authority, ...admins.map((a) => a.id)])],
          module: 'sharing',
          kind: 'sharing.escalated',
          title: `共享申请 ${row.number} 逾期未答复，已提交主管部门`,
          body: `${provider.name} 未在 ${String(row.deadline).slice(0, 10)} 前答复，由主管部门处理。`,
          link: `/sharing/approvals?role=escalated&request=${row.id}`,
          key: `sharing.escalated:${row.id}`,
        });
        await this.deps.audit.record(trx, ctx, { action: 'sharing.request.escalate', objectType: 'sharing_request', objectId: row.id, regionCode: provider.region_code, detail: { number: row.number, deadline: String(row.deadline).slice(0, 10) } });
      }
      return rows.length;
    });
    return { reminded, escalated };
  }

  /** The date n working days from today (Beijing), on the calendar. */
  workingDaysFromToday(n: number): string {
    return this.deps.calendar.addWorkingDays(beijingDate(this.clock.now()), n).date;
  }

  // ---- 我的待办

  async todoList(ctx: RequestContext, limit: number): Promise<TodoItem[]> {
    const actor = ctx.actor;
    if (!actor || actor.kind !== 'staff') return [];
    const reach = this.reach(actor);
    if (!reach.decide && !reach.authority) return [];
    const rows = await repo.openRequestsFor(this.db, reach, limit);
    return rows.map((r) => ({
      module: 'sharing',
      kind: r.status === 'escalated' ? 'sharing.escalated' : 'sharing.request',
      id: r.id,
      title: `共享申请 ${r.number}：${r.consumer_name} 申请「${r.resource_name}」${r.status === 'escalated' ? '（已逾期，主管部门处理）' : ''}`,
      deadline: r.deadline ? String(r.deadline).slice(0, 10) : null,
      link: `/sharing/approvals?request=${r.id}`,
      createdAt: r.submitted_at.toISOString(),
    }));
  }

  async todoCount(ctx: RequestContext): Promise<number> {
    const actor = ctx.actor;
    if (!actor || actor.kind !== 'staff') return 0;
    const reach = this.reach(actor);
    if (!reach.decide && !reach.authority) return 0;
    return repo.countOpenRequestsFor(this.db, reach);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === '23505';
}
