// The SMS service: `send` queues a message in the caller's transaction (a row and an outbox event commit with the
// caller's business write); `deliver` (the outbox handler) hands its segments to the gateway; receipts settle it.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { requireScope, roleFor } from '../../shared/access.ts';
import { systemContext, type RequestContext } from '../../shared/context.ts';
import { DomainError, invalid, notFound } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import type { InboundSms, Receipt, SmsGateway } from './gateway.ts';
import type { LocalSmsc, ReceivedSms } from './local-smsc.ts';
import { DeliveryBatcher } from './delivery.ts';
import { SmsManagement } from './manage.ts';
import { MOBILE, PURPOSE, normalizeMobile } from './numbers.ts';
import { quietHoursEnd } from './quiet-hours.ts';
import * as repo from './repository.ts';
import type { BulkSourceRow } from './repository.ts';
import { segmentCount } from './segments.ts';
import type { MessageStatus } from './tables.ts';
import { renderTemplate } from './templates.ts';

/** The outbox topic of a queued message; its key is the message id. */
export const DELIVER_TOPIC = 'sms.deliver';
/** The outbox topic of a batch queued by sendMany: its payload lists the message ids, its key the first one. */
export const DELIVER_MANY_TOPIC = 'sms.deliver_many';
/** Most messages sendMany takes in one call (one outbox event; its payload stays under 40 kB). */
export const SEND_MANY_MAX = 1000;
/** Longest text sent: ten concatenated segments. */
export const MAX_TEXT_CHARS = 670;
/** Replies that unsubscribe (退订), as carriers customarily accept them. */
const UNSUBSCRIBE = /^(TD|T|N|退订|取消|退订短信)$/i;

/** How a message is written to the outbox: `services.outbox` from the jobs module. */
export interface OutboxPort {
  enqueue(trx: Transaction<Database>, event: { topic: string; key: string; payload: unknown; notBefore?: Date }): Promise<unknown>;
  /** The SQL writing the events a query selects (key, payload), embedded in a bulk send's statement. */
  eventsFrom(topic: string, events: RawBuilder<{ key: string; payload: unknown }>, options?: { notBefore?: Date | null }): RawBuilder<unknown>;
}

export interface SendSms {
  /** A mainland mobile number, 11 digits (a +86 prefix is dropped). */
  to: string;
  /** A saved template's code, filled with `vars`; or `text` as it is. */
  template?: string;
  text?: string;
  vars?: Readonly<Record<string, string>>;
  /** Sign-in codes and security alerts: sent in quiet hours and to numbers that opted out. */
  urgent?: boolean;
  /** Why the message is sent, e.g. 'approval.notice'. */
  purpose: string;
}

/** One message of a bulk send: always ad-hoc text (rendered by the caller), never urgent. */
export interface BulkSms {
  to: string;
  text: string;
  /** The message id to use (a uuid the caller assigned beforehand, e.g. to record it with its own rows); default a new one. */
  id?: string;
}

export interface QueuedSms {
  id: string;
  status: MessageStatus;
  segments: number;
  /** When quiet hours hold it, the instant it will go. */
  holdUntil: string | null;
}

export class SmsService {
  private gateway: SmsGateway | null = null;
  private local: LocalSmsc | null = null;
  private reconciling: Promise<void> | null = null;
  private reconcileAgain = false;
  /** History, templates, the opt-out register and test sends (the console's side). */
  readonly manage: SmsManagement;
  private readonly delivery: DeliveryBatcher;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: OutboxPort | undefined,
  ) {
    this.manage = new SmsManagement(db, audit, clock, (trx, input, createdBy) => this.send(trx, input, createdBy));
    this.delivery = new DeliveryBatcher({ db, clock, gateway: () => this.gateway, hold: (trx, id, until) => this.hold(trx, id, until), reconcile: () => this.reconcile() });
  }

  /** Connects the service to its gateway (the module's start); receipts and replies flow back from then on. */
  attach(gateway: SmsGateway, local: LocalSmsc | null): void {
    this.gateway = gateway;
    this.local = local;
    gateway.listen({ receipts: (r) => this.storeReceipts(r), inbound: (m) => this.storeInbound(m) });
  }

  /** Queues a message inside the caller's transaction. Bad input throws before anything is written. */
  async send(trx: Transaction<Database>, input: SendSms, createdBy: string | null = null): Promise<QueuedSms> {
    const to = normalizeMobile(input.to);
    if (!PURPOSE.test(input.purpose)) throw invalid('sms.invalid_purpose', 'purpose', 'purpose must be a lower-case code such as approval.notice.');
    if ((input.template === undefined) === (input.text === undefined)) throw invalid('sms.template_or_text', 'template', 'Give either template (with vars) or text.');
    let body: string;
    if (input.template !== undefined) {
      const template = await repo.findTemplate(trx, input.template);
      if (!template) throw invalid('sms.unknown_template', 'template', `No SMS template has code "${input.template}".`);
      body = renderTemplate(template.body, template.variables, input.vars ?? {});
    } else body = input.text!;
    if (body.trim() === '' || body.length > MAX_TEXT_CHARS) {
      throw invalid('sms.invalid_text', input.text === undefined ? 'vars' : 'text', `The message must have 1–${MAX_TEXT_CHARS} characters; it has ${body.length}.`);
    }
    if (!this.outbox) throw new DomainError('sms.no_outbox', 'unavailable', 'SMS cannot be queued: the outbox is not running.');
    const urgent = input.urgent === true;
    const now = this.clock.now();
    const optedOut = !urgent && (await repo.isOptedOut(trx, to));
    const holdUntil = urgent || optedOut ? null : quietHoursEnd(now);
    const status: MessageStatus = optedOut ? 'opted_out' : 'queued';
    const segments = segmentCount(body);
    const row = { toNumber: to, body, templateCode: input.template ?? null, purpose: input.purpose, urgent, status, segments, holdUntil, createdBy, now };
    const id = await repo.insertMessage(trx, row);
    if (!optedOut) await this.outbox.enqueue(trx, { topic: DELIVER_TOPIC, key: id, payload: { id }, ...(holdUntil ? { notBefore: holdUntil } : {}) });
    return { id, status, segments, holdUntil: holdUntil?.toISOString() ?? null };
  }

  /**
   * Queues many non-urgent messages of one purpose inside the caller's transaction, in a handful of statements: one
   * read of the opt-out register, one multi-row insert, one outbox event for the whole batch (its handler delivers
   * each message as `deliver` does). Opt-out and quiet hours apply as in `send`. Returns one result per input, in
   * order. Bad input (a number, an empty or too long text) throws before anything is written.
   */
  async sendMany(trx: Transaction<Database>, inputs: readonly BulkSms[], purpose: string, createdBy: string | null = null): Promise<QueuedSms[]> {
    if (!PURPOSE.test(purpose)) throw invalid('sms.invalid_purpose', 'purpose', 'purpose must be a lower-case code such as approval.notice.');
    if (inputs.length > SEND_MANY_MAX) throw invalid('sms.too_many', 'messages', `At most ${SEND_MANY_MAX} messages in one call.`);
    if (inputs.length === 0) return [];
    const rows = inputs.map((input, i) => {
      const to = normalizeMobile(input.to, `messages/${i}/to`);
      if (input.text.trim() === '' || input.text.length > MAX_TEXT_CHARS) {
        throw invalid('sms.invalid_text', `messages/${i}/text`, `The message must have 1–${MAX_TEXT_CHARS} characters; it has ${input.text.length}.`);
      }
      return { id: input.id ?? randomUUID(), to, body: input.text };
    });
    if (!this.outbox) throw new DomainError('sms.no_outbox', 'unavailable', 'SMS cannot be queued: the outbox is not running.');
    const now = this.clock.now();
    const optedOut = await repo.optedOutAmong(trx, [...new Set(rows.map((r) => r.to))]);
    const holdUntil = quietHoursEnd(now);
    const written = rows.map((r) => {
      const status: MessageStatus = optedOut.has(r.to) ? 'opted_out' : 'queued';
      return { id: r.id, toNumber: r.to, body: r.body, templateCode: null, purpose, urgent: false, status, segments: segmentCount(r.body), holdUntil: status === 'queued' ? holdUntil : null, createdBy, now };
    });
    await repo.insertMessages(trx, written);
    const queued = written.filter((m) => m.status === 'queued').map((m) => m.id);
    if (queued.length > 0) {
      await this.outbox.enqueue(trx, { topic: DELIVER_MANY_TOPIC, key: queued[0]!, payload: { ids: queued }, ...(holdUntil ? { notBefore: holdUntil } : {}) });
    }
    return written.map((m) => ({ id: m.id, status: m.status, segments: m.segments, holdUntil: m.holdUntil?.toISOString() ?? null }));
  }

  /**
   * Queues the non-urgent messages of one purpose that `source` selects — (id, to_number, body): ids the caller
   * assigned, numbers as 11 digits, texts rendered — set-wise in the caller's transaction: one INSERT … SELECT (the
   * opt-out register joined, quiet hours held, segments counted in SQL) that also writes one outbox event per
   * SEND_MANY_MAX queued messages (handled as sendMany's). No message, nor its id, crosses the client. A row the
   * module would refuse throws and nothing is written; an id already queued is skipped, so a repeated call queues
   * nothing twice.
   */
  async sendFromQuery(trx: Transaction<Database>, source: RawBuilder<BulkSourceRow>, purpose: string, createdBy: string | null = null): Promise<{ queued: number; optedOut: number }> {
    if (!PURPOSE.test(purpose)) throw invalid('sms.invalid_purpose', 'purpose', 'purpose must be a lower-case code such as approval.notice.');
    if (!this.outbox) throw new DomainError('sms.no_outbox', 'unavailable', 'SMS cannot be queued: the outbox is not running.');
    const outbox = this.outbox;
    const now = this.clock.now();
    const holdUntil = quietHoursEnd(now);
    // the queued ids in batches of SEND_MANY_MAX (by id: time-ordered), each batch one event keyed by its first id
    const events = (queuedIds: RawBuilder<{ id: string }>) =>
      outbox.eventsFrom(
        DELIVER_MANY_TOPIC,
        sql`SELECT min(q.id::text) AS key, jsonb_build_object('ids', jsonb_agg(q.id ORDER BY q.id)) AS payload
              FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) / ${SEND_MANY_MAX} AS batch FROM (${queuedIds}) i) q GROUP BY q.batch`,
        { notBefore: holdUntil },
      );
    const { queued, optedOut, invalid: bad } = await repo.insertMessagesFrom(trx, source, { purpose, createdBy, holdUntil, now, maxChars: MAX_TEXT_CHARS }, events);
    if (bad) {
      if (bad.to_number === null || !/^1[3-9][0-9]{9}$/.test(bad.to_number)) throw invalid('sms.invalid_number', 'messages', `"${bad.to_number}" (message ${bad.id}) is not a mainland mobile number of 11 digits.`);
      throw invalid('sms.invalid_text', 'messages', `Message ${bad.id} must have 1–${MAX_TEXT_CHARS} characters; it has ${bad.body?.length ?? 0}.`);
    }
    return { queued, optedOut };
  }

  /** The outbox handler of a sendMany batch: each message as `deliver`; a temporary failure retries the batch (safe). */
  async deliverMany(ids: readonly string[]): Promise<void> {
    const outcomes = await Promise.allSettled(ids.map((id) => this.delivery.deliver(id)));
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Hands a queued message's missing segments to the gateway (the outbox handler; safe to run again). Each segment
   * carries the idempotency key `<id>:<seq>`, so one handed over before a crash but not yet recorded is not sent
   * twice by a centre that honours it. A temporary failure throws, and the outbox tries again later.
   */
  deliver(id: string): Promise<void> {
    return this.delivery.deliver(id);
  }

  /** Quiet hours began after the message was queued: it waits for the morning under a new outbox event. */
  private async hold(trx: Transaction<Database>, id: string, until: Date): Promise<void> {
    await repo.setMessageState(trx, id, { holdUntil: until });
    await this.outbox!.enqueue(trx, { topic: DELIVER_TOPIC, key: `${id}@${until.toISOString()}`, payload: { id }, notBefore: until });
  }

  /** Receipts from the gateway: stored, then matched to their segments (a receipt may overtake its segment's write). */
  async storeReceipts(receipts: readonly Receipt[]): Promise<void> {
    const now = this.clock.now();
    await repo.storeReceipts(this.db, receipts, now);
    await this.reconcile();
  }

  /**
   * Matches stored receipts to written segments. It runs after the commit of either side (never inside it): the
   * side that commits last then sees both. One run at a time per process; a request during a run runs once more.
   */
  private reconcile(): Promise<void> {
    if (this.reconciling) {
      this.reconcileAgain = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      try {
        do {
          this.reconcileAgain = false;
          await this.db.transaction().execute((trx) => repo.applyReceipts(trx, this.clock.now()));
        } while (this.reconcileAgain);
      } finally {
        this.reconciling = null;
      }
    })();
    return this.reconciling;
  }

  /** Receipts still unmatched after a week will never match: forgotten (daily schedule). */
  purgeReceipts(): Promise<number> {
    return repo.purgeReceipts(this.db, new Date(this.clock.now().getTime() - 7 * 24 * 3600_000));
  }

  /** Replies from handsets: "TD" (退订) and the like put the number on the opt-out register. */
  async storeInbound(messages: readonly InboundSms[]): Promise<void> {
    const now = this.clock.now();
    for (const { from, text } of messages) {
      if (!UNSUBSCRIBE.test(text.trim()) || !MOBILE.test(from)) continue;
      const number = from.slice(-11);
      await this.db.transaction().execute(async (trx) => {
        if (await repo.insertOptOut(trx, { number, source: 'reply', note: text.trim().slice(0, 200) }, now)) {
          await this.audit.record(trx, systemContext(), { action: 'sms.opt_out', objectType: 'sms_number', objectId: number, detail: { source: 'reply' } });
        }
      });
    }
  }

  /** What each number received at the in-process SMS centre (demo); absent when a carrier's centre is configured. */
  async localInbox(ctx: RequestContext): Promise<{ number: string; messages: ReceivedSms[] }[]> {
    requireScope(ctx.actor, 'sms.read');
    if (!this.local) throw notFound('sms.no_local_smsc', 'A carrier SMS centre is configured: there is no local inbox to show.');
    const inboxes = this.local.inboxes();
    await this.audit.recordNow(ctx, { action: 'sms.inbox', objectType: 'sms_inbox', role: roleFor(ctx.actor!, 'sms.read'), detail: { numbers: inboxes.length } });
    return inboxes;
  }
}
