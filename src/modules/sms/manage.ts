// What administrators do with SMS from the console and the API: the sending history with counts per status,
// templates, the opt-out register and a test send. Every write is audited in its transaction.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { requireScope, roleFor, type Permission } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, invalid, notFound } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { AuditService } from '../audit/index.ts';
import * as repo from './repository.ts';
import { normalizeMobile } from './numbers.ts';
import type { QueuedSms, SendSms } from './service.ts';
import { MESSAGE_STATUSES, type MessageStatus } from './tables.ts';
import { checkTemplate } from './templates.ts';

export interface SmsMessage {
  id: string;
  to: string;
  body: string;
  template: string | null;
  purpose: string;
  urgent: boolean;
  status: MessageStatus;
  segments: number;
  holdUntil: string | null;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
  doneAt: string | null;
}

export interface SmsTemplate {
  code: string;
  name: string;
  body: string;
  variables: string[];
  updatedAt: string;
}

export interface HistoryQuery extends repo.HistoryFilter {
  cursor?: string;
  limit?: number;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

function toMessage(row: repo.MessageRow): SmsMessage {
  return {
    id: row.id,
    to: row.to_number,
    body: row.body,
    template: row.template_code,
    purpose: row.purpose,
    urgent: row.urgent,
    status: row.status,
    segments: row.segments,
    holdUntil: iso(row.hold_until),
    error: row.error,
    createdAt: row.created_at.toISOString(),
    sentAt: iso(row.sent_at),
    doneAt: iso(row.done_at),
  };
}

const toTemplate = (row: repo.TemplateRow): SmsTemplate => ({ code: row.code, name: row.name, body: row.body, variables: row.variables, updatedAt: row.updated_at.toISOString() });

export class SmsManagement {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly send: (trx: Transaction<Database>, input: SendSms, createdBy: string | null) => Promise<QueuedSms>,
  ) {}

  async history(ctx: RequestContext, query: HistoryQuery) {
    this.allowed(ctx, 'sms.read');
    const filter = { status: query.status, number: query.number === undefined ? undefined : normalizeMobile(query.number, 'number'), purpose: query.purpose };
    const limit = query.limit ?? 50;
    const after = query.cursor === undefined ? undefined : decodeKeyset(query.cursor, ['string', 'string']);
    const [rows, counted] = await Promise.all([repo.listMessages(this.db, filter, { after, limit }), repo.countByStatus(this.db, filter)]);
    const counts = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, counted[s] ?? 0])) as Record<MessageStatus, number>;
    const total = filter.status ? counts[filter.status] : Object.values(counts).reduce((a, b) => a + b, 0);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    await this.audit.recordNow(ctx, { action: 'sms.history', objectType: 'sms_message', role: roleFor(ctx.actor!, 'sms.read'), detail: { count: page.length, ...filter } });
    return {
      items: page.map(toMessage),
      total,
      counts,
      nextCursor: rows.length > limit && last ? encodeKeyset([last.created_at.toISOString(), last.id]) : null,
    };
  }

  async message(ctx: RequestContext, id: string) {
    this.allowed(ctx, 'sms.read');
    const found = await repo.findMessage(this.db, id);
    if (!found) throw notFound('sms.not_found', 'No SMS with that id.', 'id');
    return {
      ...toMessage(found.message),
      parts: found.segments.map((s) => ({ seq: s.seq, smscId: s.smsc_id, status: s.status, error: s.error, sentAt: s.sent_at.toISOString(), doneAt: iso(s.done_at) })),
    };
  }

  /** An administrator's own message (never urgent: quiet hours and the opt-out register apply). */
  async sendOne(ctx: RequestContext, input: Omit<SendSms, 'urgent'>): Promise<QueuedSms> {
    this.allowed(ctx, 'sms.send');
    return this.db.transaction().execute(async (trx) => {
      const queued = await this.send(trx, { ...input, urgent: false }, ctx.actor!.userId);
      await this.audit.record(trx, ctx, {
        action: 'sms.send',
        objectType: 'sms_message',
        objectId: queued.id,
        role: roleFor(ctx.actor!, 'sms.send'),
        detail: { to: normalizeMobile(input.to), template: input.template ?? null, purpose: input.purpose, status: queued.status },
      });
      return queued;
    });
  }

  async templates(ctx: RequestContext): Promise<SmsTemplate[]> {
    this.allowed(ctx, 'sms.read');
    return (await repo.listTemplates(this.db)).map(toTemplate);
  }

  /** Creates or replaces a template; its placeholders must be exactly the declared variables. */
  async saveTemplate(ctx: RequestContext, code: string, input: { name: string; body: string; variables: string[] }): Promise<SmsTemplate> {
    this.allowed(ctx, 'sms.manage');
    checkTemplate(input.body, input.variables);
    if (input.body.length > 600) throw invalid('sms.template_too_long', 'body', 'A template body has at most 600 characters.');
    return this.db.transaction().execute(async (trx) => {
      const before = await repo.findTemplate(trx, code);
      const saved = await repo.upsertTemplate(trx, { code, ...input }, this.clock.now());
      await this.audit.record(trx, ctx, {
        action: 'sms.template_save',
        objectType: 'sms_template',
        objectId: code,
        role: roleFor(ctx.actor!, 'sms.manage'),
        detail: { name: input.name, body: input.body, variables: input.variables, previousBody: before?.body ?? null },
      });
      return toTemplate(saved);
    });
  }

  async deleteTemplate(ctx: RequestContext, code: string): Promise<void> {
    this.allowed(ctx, 'sms.manage');
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.deleteTemplate(trx, code))) throw notFound('sms.template_not_found', `No SMS template has code "${code}".`, 'code');
      await this.audit.record(trx, ctx, { action: 'sms.template_delete', objectType: 'sms_template', objectId: code, role: roleFor(ctx.actor!, 'sms.manage') });
    });
  }

  async optOuts(ctx: RequestContext) {
    this.allowed(ctx, 'sms.read');
    return (await repo.listOptOuts(this.db, 500)).map((r) => ({ number: r.number, source: r.source, note: r.note, createdAt: r.created_at.toISOString() }));
  }

  async optOut(ctx: RequestContext, input: { number: string; note?: string | null }): Promise<void> {
    this.allowed(ctx, 'sms.manage');
    const number = normalizeMobile(input.number, 'number');
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.insertOptOut(trx, { number, source: 'admin', note: input.note ?? null }, this.clock.now()))) {
        throw conflict('sms.already_opted_out', `${number} is already on the opt-out register.`, 'number');
      }
      await this.audit.record(trx, ctx, { action: 'sms.opt_out', objectType: 'sms_number', objectId: number, role: roleFor(ctx.actor!, 'sms.manage'), detail: { source: 'admin', note: input.note ?? null } });
    });
  }

  async optIn(ctx: RequestContext, number: string): Promise<void> {
    this.allowed(ctx, 'sms.manage');
    const normalized = normalizeMobile(number, 'number');
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.deleteOptOut(trx, normalized))) throw notFound('sms.not_opted_out', `${normalized} is not on the opt-out register.`, 'number');
      await this.audit.record(trx, ctx, { action: 'sms.opt_in', objectType: 'sms_number', objectId: normalized, role: roleFor(ctx.actor!, 'sms.manage') });
    });
  }

  /** SMS are not bound to a region: holding the permission anywhere is enough. */
  private allowed(ctx: RequestContext, permission: Permission): void {
    requireScope(ctx.actor, permission);
  }
}
