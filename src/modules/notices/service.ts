// 定向通知 — targeted notices: templates with variables, a resident filter evaluated inside the sender's jurisdiction,
// a preview, an idempotent send that freezes the recipients and queues their SMS, and a dispatch job that stores
// their 站内信 in batches (each batch one transaction: a crash resumes where the last committed batch ended, nobody twice).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorOf, authorize, roleFor, scopeCovers, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, invalid, notFound } from '../../shared/errors.ts';
import { chinaDate } from '../../shared/id-number.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import { maskIdNumber, maskName, maskPhone } from '../../shared/sensitive.ts';
import type { AuditService } from '../audit/index.ts';
import type { ResidentFilter } from '../community/index.ts';
import type { InboxService } from '../inbox/index.ts';
import type { SmsService } from '../sms/index.ts';
import * as repo from './repository.ts';
import type { NoticeDetail, NoticeSummary, NoticeTemplate, Preview } from './schema.ts';
import type { Channel } from './tables.ts';
import { MAX_BODY, VARIABLES, fillSenderFields, measure, parseBody, type ResidentFilterInput } from './variables.ts';
import './permissions.ts';

/** The outbox topic of a sent notice's dispatch; its key is the notice id. */
export const DISPATCH_TOPIC = 'notices.dispatch';
/** The SMS purpose of notices (the SMS history's filter). */
export const SMS_PURPOSE = 'notices.notice';
/** Recipients per dispatch transaction of a notice with 站内信 (its SMS were queued at send). */
export const DISPATCH_BATCH = 10_000;
const MAX_TITLE = 100;
const FAILURES_SHOWN = 200;

export interface OutboxPort {
  enqueue(trx: Transaction<Database>, event: { topic: string; key: string; payload: unknown }): Promise<unknown>;
}

export interface ComposeInput {
  filter: ResidentFilterInput;
  templateId?: string;
  text?: string;
  fields?: Record<string, string>;
  channels?: Channel[];
}

export interface CreateInput extends ComposeInput {
  title: string;
  channels: Channel[];
  /** The composer's key for this notice: a repeated create (double click) returns the same notice. */
  requestKey?: string;
}

export interface DispatchOptions {
  batchSize?: number;
  /** Stop after this many batches (a crash, in tests). */
  maxBatches?: number;
  /** Called inside each batch's transaction after its messages are queued (a crash before commit, in tests). */
  afterQueue?: (batch: number) => Promise<void> | void;
}

interface Target {
  regionCode: string;
  regionPath: string;
  filter: ResidentFilter;
}

interface Text {
  templateId: string | null;
  /** Sender fields filled, resident variables canonical. */
  body: string;
  fields: Record<string, string>;
  variables: string[];
}

export class NoticeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sms: SmsService,
    private readonly inbox: InboxService,
    private readonly outbox: OutboxPort | undefined,
  ) {}

  private today(): string {
    return chinaDate(this.clock.now());
  }

  // ---- templates ------------------------------------------------------------------------------------------------

  /** Templates usable in the caller's jurisdiction (their regions' and those above), with the variables there are. */
  async templates(ctx: RequestContext): Promise<{ items: NoticeTemplate[]; variables: typeof VARIABLES }> {
    const { scope } = authorize(ctx, 'notices.read', this.clock);
    const rows = await repo.listTemplates(this.db, scope);
    const send = this.sendScope(ctx);
    return { items: rows.map((r) => toTemplate(r, send !== null && scopeCovers(send, r.region_path))), variables: VARIABLES };
  }

  async createTemplate(ctx: RequestContext, input: { name: string; body: string; regionCode?: string }): Promise<NoticeTemplate> {
    const { actor, scope } = authorize(ctx, 'notices.send', this.clock);
    const name = checkName(input.name);
    parseBody(input.body, 'body');
    checkLength(input.body, 'body');
    const region = await this.regionIn(scope, input.regionCode ?? codeOf(scope.paths[0]!), 'regionCode');
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.insertTemplate(trx, { name, body: input.body, regionCode: region.code, regionPath: region.path, createdBy: authorOf(actor), now: this.clock.now() });
      await this.audit.record(trx, ctx, {
        action: 'notices.template_create',
        objectType: 'notice_template',
        objectId: row.id,
        role: roleFor(actor, 'notices.send'),
        regionCode: region.code,
        detail: { name, body: input.body },
      });
      return toTemplate(row, true);
    });
  }

  async updateTemplate(ctx: RequestContext, id: string, input: { name: string; body: string }): Promise<NoticeTemplate> {
    const { actor, scope } = authorize(ctx, 'notices.send', this.clock);
    const name = checkName(input.name);
    parseBody(input.body, 'body');
    checkLength(input.body, 'body');
    return this.db.transaction().execute(async (trx) => {
      const before = await repo.lockTemplate(trx, id);
      if (!before || !scopeCovers(scope, before.region_path)) throw notFound('notices.template_not_found', 'No such template in your jurisdiction.', 'id');
      const row = await repo.updateTemplate(trx, id, { name, body: input.body, now: this.clock.now() });
      await this.audit.record(trx, ctx, {
        action: 'notices.template_update',
        objectType: 'notice_template',
        objectId: id,
        role: roleFor(actor, 'notices.send'),
        regionCode: row.region_code,
        detail: { before: { name: before.name, body: before.body }, after: { name, body: input.body } },
      });
      return toTemplate(row, true);
    });
  }

  async deleteTemplate(ctx: RequestContext, id: string): Promise<void> {
    const { actor, scope } = authorize(ctx, 'notices.send', this.clock);
    await this.db.transaction().execute(async (trx) => {
      const before = await repo.lockTemplate(trx, id);
      if (!before || !scopeCovers(scope, before.region_path)) throw notFound('notices.template_not_found', 'No such template in your jurisdiction.', 'id');
      await repo.deleteTemplate(trx, id);
      await this.audit.record(trx, ctx, {
        action: 'notices.template_delete',
        objectType: 'notice_template',
        objectId: id,
        role: roleFor(actor, 'notices.send'),
        regionCode: before.region_code,
        detail: { name: before.name, body: before.body },
      });
    });
  }

  // ---- compose ---------------------------------------------------------------------------------------------------

  /** Who and what a notice would reach: counts, the first recipients (masked) with their text. Nothing is written. */
  async preview(ctx: RequestContext, input: ComposeInput & { sample?: number }): Promise<Preview> {
    const { scope } = authorize(ctx, 'notices.send', this.clock);
    const target = await this.resolveTarget(this.db, scope, input.filter);
    const text = await this.resolveText(this.db, scope, input);
    const targeting = { scope, filter: target.filter, today: this.today(), body: text.body, variables: text.variables };
    const [counts, sample] = await Promise.all([repo.previewCounts(this.db, targeting), repo.previewSample(this.db, targeting, input.sample ?? 10)]);
    if (sample.length > 0) {
      await this.audit.recordAccess(ctx, {
        resource: 'community.resident',
        subjectIds: sample.map((s) => s.id),
        fields: ['name', 'phone', 'id_number'],
        permission: 'notices.send',
        scope,
        regionCode: target.regionCode,
        detail: { via: 'notices.preview', total: counts.total, masked: true },
      });
    }
    const longest = measure('x'.repeat(counts.maxChars));
    return {
      regionCode: target.regionCode,
      recipients: counts.total,
      withoutPhone: counts.total - counts.withPhone,
      optedOut: counts.optedOut,
      smsRecipients: counts.withPhone - counts.optedOut,
      withAccount: counts.withAccount,
      text: text.body,
      maxChars: counts.maxChars,
      maxSegments: counts.maxChars === 0 ? 0 : longest.segments,
      tooLong: counts.maxChars > MAX_BODY,
      sample: sample.map((s) => {
        const rendered = s.text.replaceAll(s.name, maskName(s.name));
        return {
          name: maskName(s.name),
          idNumber: maskIdNumber(s.id_number),
          phone: s.phone === null ? null : maskPhone(s.phone),
          communityCode: s.community_code,
          text: rendered,
          ...measure(s.text),
        };
      }),
    };
  }

  /** A draft notice (audited). A repeated request key of the same author returns the first notice. */
  async create(ctx: RequestContext, input: CreateInput): Promise<NoticeDetail> {
    const { actor, scope } = authorize(ctx, 'notices.send', this.clock);
    const title = input.title.trim();
    if (title === '' || title.length > MAX_TITLE) throw invalid('notices.invalid_title', 'title', `A title has 1–${MAX_TITLE} characters.`);
    const channels = [...new Set(input.channels)];
    const id = await this.db.transaction().execute(async (trx) => {
      const target = await this.resolveTarget(trx, scope, input.filter);
      const text = await this.resolveText(trx, scope, input);
      const made = await repo.insertNotice(trx, {
        title,
        templateId: text.templateId,
        body: text.body,
        fields: text.fields,
        filter: input.filter,
        regionCode: target.regionCode,
        regionPath: target.regionPath,
        channels,
        requestKey: input.requestKey ?? null,
        createdBy: authorOf(actor),
        now: this.clock.now(),
      });
      if (made.created) {
        await this.audit.record(trx, ctx, {
          action: 'notices.create',
          objectType: 'notice',
          objectId: made.id,
          role: roleFor(actor, 'notices.send'),
          regionCode: target.regionCode,
          detail: { title, filter: input.filter, channels, templateId: text.templateId },
        });
      }
      return made.id;
    });
    return this.detail(ctx, id);
  }

  /**
   * Sends a draft: freezes its recipients (the filter evaluated now, inside the sender's jurisdiction), queues their
   * SMS and enqueues the dispatch of their 站内信, audited, in one transaction. A notice already sent is returned as
   * it is: a second send, or two at once (the row lock orders them), sends nothing more.
   */
  async send(ctx: RequestContext, id: string): Promise<NoticeDetail> {
    const { actor, scope } = authorize(ctx, 'notices.send', this.clock);
    if (!this.outbox) throw new DomainError('notices.no_outbox', 'unavailable', 'Notices cannot be sent: the outbox is not running.');
    const outbox = this.outbox;
    await this.db.transaction().execute(async (trx) => {
      const notice = await repo.findNotice(trx, id, scope, true);
      if (!notice) throw notFound('notices.not_found', 'No such notice in your jurisdiction.', 'id');
      if (notice.status !== 'draft') return;
      const target = await this.resolveTarget(trx, scope, notice.filter);
      const variables = parseBody(notice.body).resident;
      const today = this.today();
      const rendered = await repo.renderRecipients(trx, { scope, filter: target.filter, today, body: notice.body, variables }, notice.channels);
      if (rendered.count === 0) throw invalid('notices.no_recipients', 'filter', 'The filter selects no resident in your jurisdiction: nothing was sent.');
      if (rendered.longest > MAX_BODY) throw invalid('notices.invalid_text', 'text', `A rendered text has ${rendered.longest} characters; at most ${MAX_BODY} are sent.`);
      const count = await repo.insertRecipients(trx, id);
      const sentBy = authorOf(actor);
      // the SMS are queued with the freeze, from the same rendered rows (the module's bulk queue: opt-out, quiet hours,
      // segments, delivery events): the send commits its recipients and their messages together (D123)
      if (notice.channels.includes('sms')) await this.sms.sendFromQuery(trx, repo.frozenSmsSource(), SMS_PURPOSE, sentBy);
      const now = this.clock.now();
      await repo.markSending(trx, id, count, sentBy, now);
      await outbox.enqueue(trx, { topic: DISPATCH_TOPIC, key: id, payload: { id } });
      await this.audit.record(trx, ctx, {
        action: 'notices.send',
        objectType: 'notice',
        objectId: id,
        role: roleFor(actor, 'notices.send'),
        regionCode: notice.region_code,
        detail: { recipients: count, channels: notice.channels },
      });
    });
    return this.detail(ctx, id);
  }

  // ---- history ---------------------------------------------------------------------------------------------------

  async list(ctx: RequestContext, query: { status?: string; cursor?: string; limit?: number }): Promise<{ items: NoticeSummary[]; nextCursor: string | null }> {
    const { scope } = authorize(ctx, 'notices.read', this.clock);
    const limit = query.limit ?? 20;
    const after = query.cursor === undefined ? undefined : (([createdAt, id]) => ({ createdAt, id }))(decodeKeyset(query.cursor, ['string', 'string']));
    if (after && (Number.isNaN(Date.parse(after.createdAt)) || !/^[0-9a-f-]{36}$/i.test(after.id))) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not one this API issued.');
    const rows = await repo.listNotices(this.db, scope, { status: query.status, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const counts = await repo.statusCounts(
      this.db,
      page.map((r) => r.id),
    );
    const last = rows.length > limit ? page[page.length - 1] : undefined;
    return { items: page.map((r) => toSummary(r, counts.get(r.id))), nextCursor: last ? encodeKeyset([last.created_at.toISOString(), last.id]) : null };
  }

  /** One notice with its counts per status and the recipients it did not reach, with reasons (masked). */
  async detail(ctx: RequestContext, id: string): Promise<NoticeDetail> {
    const { scope } = authorize(ctx, 'notices.read', this.clock);
    const row = await repo.findNotice(this.db, id, scope);
    if (!row) throw notFound('notices.not_found', 'No such notice in your jurisdiction.', 'id');
    const [counts, failed] = await Promise.all([repo.statusCounts(this.db, [id]), repo.failures(this.db, id, FAILURES_SHOWN, row.channels.includes('sms'))]);
    if (failed.length > 0) {
      await this.audit.recordAccess(ctx, {
        resource: 'notices.recipient',
        subjectIds: failed.map((f) => f.resident_id),
        fields: ['name', 'phone'],
        permission: 'notices.read',
        scope,
        regionCode: row.region_code,
        detail: { via: 'notices.detail', noticeId: id, masked: true },
      });
    }
    return {
      ...toSummary(row, counts.get(id)),
      text: row.body,
      fields: row.fields,
      filter: row.filter,
      templateId: row.template_id,
      failures: failed.map((f) => ({
        name: maskName(f.name),
        phone: f.phone === null ? null : maskPhone(f.phone),
        reason: f.status === 'failed' ? 'failed' : f.status === 'opted_out' ? 'opted_out' : 'no_phone',
        error: f.error,
        at: f.done_at?.toISOString() ?? null,
      })),
    };
  }

  // ---- dispatch --------------------------------------------------------------------------------------------------

  /**
   * The dispatch job (outbox handler of DISPATCH_TOPIC): stores the 站内信 of the notice's undispatched
   * recipients, a batch per transaction, and marks the notice sent when none is left. Safe to run again at any point.
   * Returns the recipients dispatched by this run.
   */
  async dispatch(noticeId: string, options: DispatchOptions = {}): Promise<number> {
    const batchSize = Math.min(options.batchSize ?? DISPATCH_BATCH, DISPATCH_BATCH);
    const notice = await this.db.selectFrom('notice').select(['id', 'title', 'channels', 'status']).where('id', '=', noticeId).executeTakeFirst();
    if (!notice || notice.status === 'draft') return 0;
    let done = 0;
    for (let batch = 1; options.maxBatches === undefined || batch <= options.maxBatches; batch++) {
      const n: number = await this.db.transaction().execute(async (trx) => {
        // the SMS were queued at send; what is left is the 站内信, a batch at a time (without them, one step)
        const claimed = await repo.claimBatch(trx, noticeId, notice.channels.includes('inapp') ? batchSize : null);
        if (!claimed) return 0;
        if (notice.channels.includes('inapp')) {
          const inboxed: string[] = [];
          for (const r of await repo.inboxRows(trx, noticeId, claimed.from, claimed.through)) {
            const stored = await this.inbox.send(trx, { to: r.user_id!, module: 'notices', kind: 'notice', title: notice.title, body: r.body!, key: `notice:${noticeId}` });
            if (stored > 0) inboxed.push(r.resident_id);
          }
          await repo.markInboxed(trx, noticeId, inboxed);
        }
        await options.afterQueue?.(batch);
        return claimed.count;
      });
      if (n === 0) break;
      done += n;
    }
    await repo.markSent(this.db, noticeId, this.clock.now());
    return done;
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  private sendScope(ctx: RequestContext): Scope | null {
    try {
      return authorize(ctx, 'notices.send', this.clock).scope;
    } catch {
      return null;
    }
  }

  /** A region inside the scope (else 403 naming the field; an unknown code is 400). */
  private async regionIn(scope: Scope, code: string, field: string, db: Kysely<Database> = this.db) {
    const region = await repo.regionByCode(db, code);
    if (!region) throw invalid('notices.unknown_region', field, `No region has code "${code}".`);
    if (!scopeCovers(scope, region.path)) throw new DomainError('notices.region_out_of_scope', 'forbidden', `The region ${code} (${region.name}) lies outside your jurisdiction.`, field);
    return region;
  }

  /** The filter as the community filter: its region (the whole prefecture when none) must lie in the jurisdiction. */
  private async resolveTarget(db: Kysely<Database>, scope: Scope, input: ResidentFilterInput): Promise<Target> {
    const code = input.regionCode ?? (await repo.rootRegion(db)).code;
    const region = await this.regionIn(scope, code, 'filter.regionCode', db);
    if (input.ageMin !== undefined && input.ageMax !== undefined && input.ageMin > input.ageMax) {
      throw invalid('notices.invalid_age_range', 'filter.ageMax', `ageMax (${input.ageMax}) is below ageMin (${input.ageMin}).`);
    }
    if (input.gridId !== undefined && !(await repo.gridInRegion(db, input.gridId, region.path))) {
      throw invalid('notices.unknown_grid', 'filter.gridId', 'No such grid in the target region.');
    }
    const missing = await repo.missingLabels(db, input.labels ?? []);
    if (missing.length > 0) throw invalid('notices.unknown_label', 'filter.labels', `No label has code "${missing[0]}".`);
    const { regionCode: _ignored, ...rest } = input;
    return { regionCode: region.code, regionPath: region.path, filter: { ...rest, regionPath: region.path } };
  }

  /** The text of a notice: a usable template's or the ad-hoc one, checked, with the sender's fields filled. */
  private async resolveText(db: Kysely<Database>, scope: Scope, input: ComposeInput): Promise<Text> {
    if ((input.templateId === undefined) === (input.text === undefined)) throw invalid('notices.template_or_text', 'templateId', 'Give either templateId or text.');
    let raw: string;
    let field: string;
    if (input.templateId !== undefined) {
      const template = await repo.findTemplate(db, input.templateId);
      const usable = template && scope.paths.some((p) => p.startsWith(template.region_path) || template.region_path.startsWith(p));
      if (!template || !usable) throw notFound('notices.template_not_found', 'No such template in your jurisdiction.', 'templateId');
      raw = template.body;
      field = 'templateId';
    } else {
      raw = input.text!;
      field = 'text';
      checkLength(raw, 'text');
    }
    const parsed = parseBody(raw, field);
    const filled = fillSenderFields(parsed, input.fields ?? {});
    return { templateId: input.templateId ?? null, body: filled.body, fields: filled.fields, variables: parsed.resident };
  }
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 100) throw invalid('notices.invalid_title', 'name', 'A template name has 1–100 characters.');
  return trimmed;
}

function checkLength(body: string, field: string): void {
  if (body.trim() === '' || body.length > MAX_BODY) throw invalid('notices.invalid_text', field, `A text has 1–${MAX_BODY} characters; it has ${body.length}.`);
}

/** The region code at the end of a materialized path ('/6505/650502/' → '650502'). */
function codeOf(path: string): string {
  return path.split('/').filter(Boolean).pop() ?? '';
}

function toTemplate(r: repo.TemplateRow, editable: boolean): NoticeTemplate {
  const parsed = parseBody(r.body);
  return {
    id: r.id,
    name: r.name,
    body: r.body,
    regionCode: r.region_code,
    variables: [...parsed.resident, ...parsed.sender],
    senderFields: parsed.sender,
    ...measure(r.body),
    editable,
    updatedAt: r.updated_at.toISOString(),
  };
}

const ZERO: repo.StatusCounts = { recipients: 0, pending: 0, noPhone: 0, inApp: 0, queued: 0, sent: 0, delivered: 0, failed: 0, optedOut: 0 };

function toSummary(r: repo.NoticeRow, counts: repo.StatusCounts | undefined): NoticeSummary {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    regionCode: r.region_code,
    channels: r.channels,
    recipientCount: r.recipient_count,
    // without the SMS channel no phone is looked up: nobody lacks one
    counts: r.channels.includes('sms') ? (counts ?? ZERO) : { ...(counts ?? ZERO), noPhone: 0 },
    createdAt: r.created_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
    dispatchedAt: r.dispatched_at?.toISOString() ?? null,
  };
}
