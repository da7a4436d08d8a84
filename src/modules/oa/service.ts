// 万人政务大OA: documents drafted by a department, sent once (immutable after; a correction supersedes), resolved into
// per-user receipts in one statement, signed for once (签收), reminded up a ladder after the deadline, and a
// read-only archive. Authorization first in every method; the lists filter by visibility in SQL.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { TodoItem } from '../../platform/module.ts';
import { authorize, isSystemActor, scopeOf, type Actor, type Scope } from '../../shared/access.ts';
import { systemActorContext, type RequestContext } from '../../shared/context.ts';
import { conflict, DomainError, invalid, notFound } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { AuditService } from '../audit/index.ts';
import { FILE_TYPES, type FileOwner, type FileService, type FileView, type OwnerAccess } from '../files/index.ts';
import type { SmsService } from '../sms/index.ts';
import { numberYear, type DocumentAbility, type OaKind, type OaMarking, type OaStatus, type OaUrgency, type RecipientSpec } from './kinds.ts';
import * as repo from './repository.ts';
import { sanitizeBody } from './sanitize.ts';

export const TITLE_MAX = 200;
export const BODY_MAX = 100_000;
const YEAR_MS = 366 * 86_400_000;
/** Reminders claimed per transaction (each with its SMS queued in it). */
const REMINDER_BATCH = 2000;

export interface DocumentInput {
  kind: OaKind;
  title: string;
  number?: string | null;
  urgency?: OaUrgency;
  marking?: OaMarking;
  body?: string;
  recipients?: Partial<RecipientSpec>;
  signDeadline?: string | null;
  supersedesId?: string | null;
  /** The system actor only (demo seed): the department it sends for. */
  senderDepartmentId?: string;
}


export interface DocumentSummary {
  id: string;
  kind: OaKind;
  title: string;
  number: string | null;
  urgency: OaUrgency;
  marking: OaMarking;
  status: OaStatus;
  sender: { id: string; name: string };
  signDeadline: string | null;
  sentAt: string | null;
  createdAt: string;
  recipientCount: number;
  supersedesId: string | null;
  supersededById: string | null;
}

export interface DocumentView extends DocumentSummary {
  body: string;
  recipients: {
    departments: { id: string; name: string; withSubDepartments: boolean }[];
    regions: { code: string; name: string }[];
    roles: string[];
  };
  signedCount: number;
  myReceipt: { readAt: string | null; signedAt: string | null } | null;
  attachments: FileView[];
  abilities: DocumentAbility[];
}

export interface ReceivedItem extends DocumentSummary {
  readAt: string | null;
  signedAt: string | null;
}

export interface ListedDocument extends DocumentSummary {
  signedCount: number;
}

export interface OaDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditService;
  files: FileService;
  sms: SmsService | undefined;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const emptySpec = (): RecipientSpec => ({ departments: [], regions: [], roles: [] });

function summary(row: repo.DocumentRow): DocumentSummary {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    number: row.number,
    urgency: row.urgency,
    marking: row.marking,
    status: row.status,
    sender: { id: row.sender_department_id, name: row.sender_department_name },
    signDeadline: iso(row.sign_deadline),
    sentAt: iso(row.sent_at),
    createdAt: row.created_at.toISOString(),
    recipientCount: row.recipient_count,
    supersedesId: row.supersedes_id,
    supersededById: row.superseded_by_id,
  };
}

const outOfScope = (field: string, what: string) =>
  new DomainError('oa.recipient_out_of_scope', 'forbidden', `${what} lies outside the regions where you may send (oa.send).`, field);

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === '23505';
}

export class OaService {
  constructor(private readonly deps: OaDeps) {}

  private get db() {
    return this.deps.db;
  }

  /** The file use of OA attachments and who may read and attach them (registered with FileService at start). */
  fileOwner(): FileOwner {
    const MB = 1024 * 1024;
    return {
      uses: { attachment: { maxBytes: 20 * MB, types: ATTACHMENT_TYPES } },
      canRead: async (ctx, id) => {
        if (!isUuid(id)) return null;
        const { actor, scope } = authorize(ctx, 'oa.read', this.deps.clock);
        const row = await repo.findDocument(this.db, id);
        if (!row || !(await repo.isVisible(this.db, id, this.visibility(actor)))) return null;
        return { permission: 'oa.read', scope, regionCode: row.sender_region_code } satisfies OwnerAccess;
      },
      canAttach: async (ctx, id) => {
        if (!isUuid(id)) return null;
        const { actor, scope } = authorize(ctx, 'oa.send', this.deps.clock);
        const row = await repo.findDocument(this.db, id);
        if (!row || !this.isSenderSide(actor, row) || row.status !== 'draft') return null;
        return { permission: 'oa.send', scope, regionCode: row.sender_region_code } satisfies OwnerAccess;
      },
    };
  }

  // ---- who may do what

  private isSenderSide(actor: Actor, row: { sender_department_id: string }): boolean {
    if (isSystemActor(actor)) return true;
    return actor.departmentId === row.sender_department_id && scopeOf(actor, 'oa.send', this.deps.clock) !== null;
  }

  private visibility(actor: Actor): repo.Visibility {
    const send = scopeOf(actor, 'oa.send', this.deps.clock);
    const archive = scopeOf(actor, 'oa.archive', this.deps.clock);
    return { userId: actor.userId || '00000000-0000-0000-0000-000000000000', senderDepartmentId: send ? actor.departmentId : null, archivePaths: archive?.paths ?? [], all: isSystemActor(actor) };
  }

  private abilities(actor: Actor, row: repo.DocumentRow, receipt: { signed_at: Date | null } | undefined, signed: number): DocumentAbility[] {
    const out: DocumentAbility[] = [];
    const sender = this.isSenderSide(actor, row);
    if (sender && row.status === 'draft') out.push('edit', 'send', 'attach');
    if (sender && row.status === 'sent' && signed === 0) out.push('withdraw');
    if (sender && row.status === 'sent') out.push('archive');
    if (sender && (row.status === 'sent' || row.status === 'archived') && !row.superseded_by_id) out.push('supersede');
    if (receipt && !receipt.signed_at && (row.status === 'sent' || row.status === 'archived')) out.push('sign');
    const archive = scopeOf(actor, 'oa.archive', this.deps.clock);
    if (row.status !== 'draft' && (sender || (archive && archive.paths.some((p) => row.sender_region_path.startsWith(p))))) out.push('receipts');
    return out;
  }

  // ---- drafting

  /** Checks and normalises the editable fields (everything but recipients' scope, checked by checkRecipients). */
  private fields(input: Partial<DocumentInput>, current: repo.DocumentRow | null) {
    const kind = input.kind ?? current?.kind ?? 'notice';
    const title = (input.title ?? current?.title ?? '').trim();
    if (title.length === 0 || title.length > TITLE_MAX) throw invalid('oa.invalid_title', 'title', `The title must have 1–${TITLE_MAX} characters.`);
    const rawNumber = input.number !== undefined ? input.number : (current?.number ?? null);
    const number = rawNumber === null ? null : rawNumber.trim() || null;
    if (kind === 'official' && number === null) throw invalid('oa.number_required', 'number', 'An official document (公文) needs a document number (文号).');
    const body = input.body !== undefined ? sanitizeBody(input.body) : (current?.body ?? '');
    if (body.length > BODY_MAX) throw invalid('oa.invalid_body', 'body', `The body may have at most ${BODY_MAX} characters.`);
    let deadline: Date | null = current?.sign_deadline ?? null;
    if (input.signDeadline !== undefined) {
      deadline = input.signDeadline === null ? null : new Date(input.signDeadline);
      const now = this.deps.clock.now().getTime();
      if (deadline && (Number.isNaN(deadline.getTime()) || deadline.getTime() <= now || deadline.getTime() > now + YEAR_MS)) {
        throw invalid('oa.invalid_deadline', 'signDeadline', 'The sign-for deadline must lie in the future, at most a year ahead.');
      }
    }
    const recipients: RecipientSpec = input.recipients
      ? {
          departments: dedupeBy(input.recipients.departments ?? [], (d) => d.id),
          regions: [...new Set(input.recipients.regions ?? [])],
          roles: [...new Set(input.recipients.roles ?? [])],
        }
      : (current?.recipients ?? emptySpec());
    const year = number === null ? null : (numberYear(number) ?? Number(beijingDate(this.deps.clock.now()).slice(0, 4)));
    return {
      kind,
      title,
      number,
      number_year: year,
      urgency: input.urgency ?? current?.urgency ?? 'normal',
      marking: input.marking ?? current?.marking ?? 'public',
      body,
      sign_deadline: deadline,
      recipients,
    };
  }

  /** Every addressed department and region exists and lies in the sender's oa.send scope, else 404/403 naming it. */
  private async checkRecipients(db: Kysely<Database> | Transaction<Database>, spec: RecipientSpec, scope: Scope): Promise<void> {
    const departments = await repo.departmentsWithPaths(
      db,
      spec.departments.map((d) => d.id),
    );
    spec.departments.forEach((d, i) => {
      const found = departments.get(d.id);
      if (!found) throw invalid('oa.unknown_recipient', `recipients/departments/${i}`, `No department ${d.id}.`);
      if (!scope.paths.some((p) => found.path.startsWith(p))) throw outOfScope(`recipients/departments/${i}`, `The department ${found.name}`);
    });
    const regions = await repo.regionsWithPaths(db, spec.regions);
    spec.regions.forEach((code, i) => {
      const found = regions.get(code);
      if (!found) throw invalid('oa.unknown_recipient', `recipients/regions/${i}`, `No region ${code}.`);
      if (!scope.paths.some((p) => found.path.startsWith(p))) throw outOfScope(`recipients/regions/${i}`, `The region ${found.name}`);
    });
  }

  private async numberFree(db: Kysely<Database> | Transaction<Database>, departmentId: string, f: { number: string | null; number_year: number | null }, id: string | null) {
    if (f.number !== null && (await repo.numberTaken(db, departmentId, f.number_year!, f.number, id))) {
      throw conflict('oa.duplicate_number', `Your department sent a document numbered ${f.number} in ${f.number_year} already.`, 'number');
    }
  }

  async create(ctx: RequestContext, input: DocumentInput): Promise<DocumentView> {
    const { actor, scope } = authorize(ctx, 'oa.send', this.deps.clock);
    const senderId = isSystemActor(actor) ? input.senderDepartmentId : actor.departmentId;
    if (!senderId) throw invalid('oa.no_department', 'senderDepartmentId', 'A document is sent for a department: your account belongs to none.');
    const sender = await repo.departmentWithRegion(this.db, senderId);
    if (!sender) throw invalid('oa.no_department', 'senderDepartmentId', `No department ${senderId}.`);
    const f = this.fields(input, null);
    await this.checkRecipients(this.db, f.recipients, scope);
    await this.numberFree(this.db, sender.id, f, null);
    const supersedes = input.supersedesId ?? null;
    if (supersedes !== null) {
      const old = isUuid(supersedes) ? await repo.findDocument(this.db, supersedes) : undefined;
      if (!old || old.sender_department_id !== sender.id || (old.status !== 'sent' && old.status !== 'archived')) {
        throw invalid('oa.bad_supersedes', 'supersedesId', 'Only a sent document of your own department can be corrected.');
      }
    }
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('oa_document')
        .values({
          ...f,
          recipients: JSON.stringify(f.recipients),
          sender_department_id: sender.id,
          sender_region_code: sender.region_code,
          sender_region_path: sender.path,
          created_by: actor.via === 'system' ? null : actor.userId,
          supersedes_id: supersedes,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.deps.audit.record(trx, ctx, {
        action: 'oa.document.create',
        objectType: 'oa_document',
        objectId: row.id,
        regionCode: sender.region_code,
        role: null,
        detail: { kind: f.kind, title: f.title, number: f.number, supersedesId: supersedes, permission: 'oa.send' },
      });
      return row.id;
    });
    return (await this.get(ctx, id))!;
  }

  async update(ctx: RequestContext, id: string, input: Partial<DocumentInput>): Promise<DocumentView> {
    const { actor, scope } = authorize(ctx, 'oa.send', this.deps.clock);
    await this.db.transaction().execute(async (trx) => {
      const row = isUuid(id) ? await repo.findDocument(trx, id, 'update') : undefined;
      if (!row || !(await repo.isVisible(trx, id, this.visibility(actor)))) throw notFound('oa.not_found', 'No such document that you may see.', 'id');
      if (!this.isSenderSide(actor, row)) throw notFound('oa.not_found', 'No such document of your department.', 'id');
      if (row.status !== 'draft') throw conflict('oa.not_draft', 'The document was sent and cannot change: send a correction that supersedes it.', 'id');
      const f = this.fields(input, row);
      await this.checkRecipients(trx, f.recipients, scope);
      await this.numberFree(trx, row.sender_department_id, f, id);
      await trx
        .updateTable('oa_document')
        .set({ ...f, recipients: JSON.stringify(f.recipients), updated_at: this.deps.clock.now() })
        .where('id', '=', id)
        .execute();
      await this.deps.audit.record(trx, ctx, { action: 'oa.document.update', objectType: 'oa_document', objectId: id, regionCode: row.sender_region_code, detail: { title: f.title, number: f.number } });
    });
    return (await this.get(ctx, id))!;
  }

  // ---- sending

  /** Resolves the recipients into receipts and sends, in one transaction with its audit record. */
  async send(ctx: RequestContext, id: string): Promise<DocumentView> {
    const { actor, scope } = authorize(ctx, 'oa.send', this.deps.clock);
    const now = this.deps.clock.now();
    try {
      await this.db.transaction().execute(async (trx) => {
        const row = isUuid(id) ? await repo.findDocument(trx, id, 'update') : undefined;
        if (!row || !this.isSenderSide(actor, row)) throw notFound('oa.not_found', 'No such document of your department.', 'id');
        if (row.status !== 'draft') throw conflict('oa.not_draft', 'The document was sent already.', 'id');
        const spec = row.recipients;
        if (spec.departments.length + spec.regions.length + spec.roles.length === 0) {
          throw invalid('oa.no_recipients', 'recipients', 'Choose recipient departments, regions or roles before sending.');
        }
        if (row.kind === 'official' && !row.number) throw invalid('oa.number_required', 'number', 'An official document (公文) needs a document number (文号).');
        if (row.sign_deadline && row.sign_deadline.getTime() <= now.getTime()) {
          throw invalid('oa.invalid_deadline', 'signDeadline', 'The sign-for deadline has passed: set a later one before sending.');
        }
        await this.checkRecipients(trx, spec, scope);
        await this.numberFree(trx, row.sender_department_id, row, id);
        const count = await repo.resolveRecipients(trx, id, spec, scope.paths);
        if (count === 0) throw invalid('oa.empty_resolution', 'recipients', 'The chosen recipients hold no active users.');
        await trx
          .updateTable('oa_document')
          .set({ status: 'sent', sent_at: now, sent_by: actor.via === 'system' ? null : actor.userId, recipient_count: count, updated_at: now })
          .where('id', '=', id)
          .execute();
        if (row.supersedes_id) {
          await trx.updateTable('oa_document').set({ superseded_by_id: id, updated_at: now }).where('id', '=', row.supersedes_id).where('superseded_by_id', 'is', null).execute();
        }
        await this.deps.audit.record(trx, ctx, {
          action: 'oa.document.send',
          objectType: 'oa_document',
          objectId: id,
          regionCode: row.sender_region_code,
          detail: { title: row.title, number: row.number, recipients: spec, receipts: count, supersedesId: row.supersedes_id, permission: 'oa.send', scope: scope.paths },
        });
      });
    } catch (error) {
      // the unique index is the last word on 文号 when two documents with one number are sent at once
      if (isUniqueViolation(error)) throw conflict('oa.duplicate_number', 'Your department sent a document with this number this year already.', 'number');
      throw error;
    }
    return (await this.get(ctx, id))!;
  }

  /** Withdraws a sent document nobody has signed for yet (signing takes a share lock: the two cannot interleave). */
  async withdraw(ctx: RequestContext, id: string): Promise<DocumentView> {
    const { actor } = authorize(ctx, 'oa.send', this.deps.clock);
    await this.db.transaction().execute(async (trx) => {
      const row = isUuid(id) ? await repo.findDocument(trx, id, 'update') : undefined;
      if (!row || !this.isSenderSide(actor, row)) throw notFound('oa.not_found', 'No such document of your department.', 'id');
      if (row.status !== 'sent') throw conflict('oa.not_sent', 'Only a sent document can be withdrawn.', 'id');
      if (await repo.hasSignatures(trx, id)) throw conflict('oa.already_signed', 'Someone signed for it already: it cannot be withdrawn.', 'id');
      const now = this.deps.clock.now();
      await trx.updateTable('oa_document').set({ status: 'withdrawn', withdrawn_at: now, updated_at: now }).where('id', '=', id).execute();
      if (row.supersedes_id) await trx.updateTable('oa_document').set({ superseded_by_id: null }).where('id', '=', row.supersedes_id).where('superseded_by_id', '=', id).execute();
      await this.deps.audit.record(trx, ctx, { action: 'oa.document.withdraw', objectType: 'oa_document', objectId: id, regionCode: row.sender_region_code, detail: { title: row.title, number: row.number } });
    });
    return (await this.get(ctx, id))!;
  }

  async archive(ctx: RequestContext, id: string): Promise<DocumentView> {
    const { actor } = authorize(ctx, 'oa.send', this.deps.clock);
    await this.db.transaction().execute(async (trx) => {
      const row = isUuid(id) ? await repo.findDocument(trx, id, 'update') : undefined;
      if (!row || !this.isSenderSide(actor, row)) throw notFound('oa.not_found', 'No such document of your department.', 'id');
      if (row.status !== 'sent') throw conflict('oa.not_sent', 'Only a sent document can be archived.', 'id');
      const now = this.deps.clock.now();
      await trx.updateTable('oa_document').set({ status: 'archived', archived_at: now, updated_at: now }).where('id', '=', id).execute();
      await this.deps.audit.record(trx, ctx, { action: 'oa.document.archive', objectType: 'oa_document', objectId: id, regionCode: row.sender_region_code, detail: { title: row.title, number: row.number } });
    });
    return (await this.get(ctx, id))!;
  }

  // ---- receiving

  /** 签收: once; a second (or concurrent) call answers the first signature. Not addressed to the caller: 404. */
  async sign(ctx: RequestContext, id: string): Promise<{ signedAt: string; alreadySigned: boolean }> {
    const { actor } = authorize(ctx, 'oa.read', this.deps.clock);
    return this.db.transaction().execute(async (trx) => {
      const row = isUuid(id) ? await repo.findDocument(trx, id, 'share') : undefined;
      const receipt = row ? await repo.receiptOf(trx, id, actor.userId) : undefined;
      if (!row || !receipt || (row.status !== 'sent' && row.status !== 'archived')) throw notFound('oa.not_found', 'No such document addressed to you.', 'id');
      const signedAt = await repo.sign(trx, id, actor.userId, this.deps.clock.now());
      if (!signedAt) {
        const again = await repo.receiptOf(trx, id, actor.userId);
        return { signedAt: again!.signed_at!.toISOString(), alreadySigned: true };
      }
      await this.deps.audit.record(trx, ctx, {
        action: 'oa.receipt.sign',
        objectType: 'oa_document',
        objectId: id,
        regionCode: row.sender_region_code,
        detail: { title: row.title, number: row.number, departmentId: receipt.department_id },
      });
      return { signedAt: signedAt.toISOString(), alreadySigned: false };
    });
  }

  /** One document the caller may see; reading it marks the caller's receipt read. Null when absent or invisible. */
  async get(ctx: RequestContext, id: string): Promise<DocumentView | null> {
    const { actor } = authorize(ctx, 'oa.read', this.deps.clock);
    if (!isUuid(id)) return null;
    const row = await repo.findDocument(this.db, id);
    if (!row || !(await repo.isVisible(this.db, id, this.visibility(actor)))) return null;
    const receipt = actor.via === 'system' ? undefined : await repo.receiptOf(this.db, id, actor.userId);
    if (receipt && !receipt.read_at && row.status !== 'draft') {
      const now = this.deps.clock.now();
      await repo.markRead(this.db, id, actor.userId, now);
      receipt.read_at = now;
    }
    const [departments, regions, signed, attachments] = await Promise.all([
      repo.departmentsWithPaths(
        this.db,
        row.recipients.departments.map((d) => d.id),
      ),
      repo.regionsWithPaths(this.db, row.recipients.regions),
      repo.signedCounts(this.db, [id]),
      this.deps.files.list(ctx, 'oa.document', id),
    ]);
    const signedCount = signed.get(id) ?? 0;
    return {
      ...summary(row),
      body: row.body,
      recipients: {
        departments: row.recipients.departments.map((d) => ({ id: d.id, name: departments.get(d.id)?.name ?? d.id, withSubDepartments: d.withSubDepartments })),
        regions: row.recipients.regions.map((code) => ({ code, name: regions.get(code)?.name ?? code })),
        roles: row.recipients.roles,
      },
      signedCount,
      myReceipt: receipt ? { readAt: iso(receipt.read_at), signedAt: iso(receipt.signed_at) } : null,
      attachments,
      abilities: this.abilities(actor, row, receipt, signedCount),
    };
  }

  /** The sender's (or archive reader's) receipt table: per department, with counts. */
  async receipts(ctx: RequestContext, id: string) {
    const { actor } = authorize(ctx, 'oa.read', this.deps.clock);
    const row = await this.receiptReadable(actor, id);
    const departments = await repo.deliveryCounts(this.db, id);
    const totals = departments.reduce((t, d) => ({ total: t.total + d.total, signed: t.signed + d.signed, read: t.read + d.read }), { total: 0, signed: 0, read: 0 });
    return { documentId: row.id, totals: { ...totals, unsigned: totals.total - totals.signed }, departments: departments.map((d) => ({ ...d, unsigned: d.total - d.signed })) };
  }

  /** Who has and has not signed, one page (by user name). */
  async receiptUsers(ctx: RequestContext, id: string, query: { departmentId?: string; signed?: boolean; cursor?: string; limit?: number }) {
    const { actor } = authorize(ctx, 'oa.read', this.deps.clock);
    await this.receiptReadable(actor, id);
    const limit = query.limit ?? 100;
    const after = query.cursor ? decodeKeyset(query.cursor, ['string'] as const)[0] : undefined;
    const rows = await repo.receiptUsers(this.db, id, { ...(query.departmentId ? { departmentId: query.departmentId } : {}), ...(query.signed !== undefined ? { signed: query.signed } : {}), ...(after !== undefined ? { after } : {}) }, limit);
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        userId: r.user_id,
        username: r.username,
        displayName: r.display_name,
        department: { id: r.department_id, name: r.department_name },
        readAt: iso(r.read_at),
        signedAt: iso(r.signed_at),
      })),
      nextCursor: rows.length > limit ? encodeKeyset([page[page.length - 1]!.username]) : null,
    };
  }

  private async receiptReadable(actor: Actor, id: string): Promise<repo.DocumentRow> {
    const row = isUuid(id) ? await repo.findDocument(this.db, id) : undefined;
    if (!row || !(await repo.isVisible(this.db, id, this.visibility(actor)))) throw notFound('oa.not_found', 'No such document that you may see.', 'id');
    if (!this.abilities(actor, row, undefined, 0).includes('receipts')) throw notFound('oa.not_found', 'Only the sending department and archive readers see the receipt table.', 'id');
    return row;
  }

  // ---- lists

  /** 收文: documents addressed to the caller, unsigned first. */
  async received(ctx: RequestContext, query: { signed?: boolean; cursor?: string; limit?: number }) {
    const { actor } = authorize(ctx, 'oa.read', this.deps.clock);
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeKeyset(query.cursor, ['integer', 'string', 'string'] as const) : undefined;
    const [rows, total] = await Promise.all([
      repo.received(this.db, actor.userId, { ...(query.signed !== undefined ? { signed: query.signed } : {}), ...(after ? { after: [after[0], after[1], after[2]] as [number, string, string] } : {}) }, limit),
      repo.countReceived(this.db, actor.userId, query.signed),
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r): ReceivedItem => ({ ...summary(r), readAt: iso(r.read_at), signedAt: iso(r.signed_at) })),
      total,
      nextCursor: rows.length > limit && last ? encodeKeyset([Number(last.signed_flag), last.sent_at!.toISOString(), last.id]) : null,
    };
  }

  /** 发文: the caller's department's documents, drafts included, newest first. */
  async sent(ctx: RequestContext, query: { status?: OaStatus; q?: string; cursor?: string; limit?: number }) {
    const { actor } = authorize(ctx, 'oa.send', this.deps.clock);
    const v: repo.Visibility = { userId: actor.userId, senderDepartmentId: actor.departmentId, archivePaths: [], all: false };
    // only the department's own documents, not those it received
    return this.page({ ...v, userId: '00000000-0000-0000-0000-000000000000' }, { ...(query.status ? { status: query.status } : {}), ...(query.q ? { q: query.q } : {}) }, false, query);
  }

  /** 归档: sent documents the caller sent or received, or every one sent within the oa.archive scope; searchable. */
  async archiveSearch(ctx: RequestContext, query: repo.ArchiveFilter & { cursor?: string; limit?: number }) {
    const { actor } = authorize(ctx, 'oa.read', this.deps.clock);
    const { cursor, limit, ...filter } = query;
    return this.page(this.visibility(actor), filter, true, { ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) });
  }

  private async page(v: repo.Visibility, filter: repo.ArchiveFilter, sentOnly: boolean, query: { cursor?: string; limit?: number }) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeKeyset(query.cursor, ['string', 'string'] as const) : undefined;
    const [rows, total] = await Promise.all([repo.search(this.db, v, filter, sentOnly, after ? [after[0], after[1]] : undefined, limit), repo.countSearch(this.db, v, filter, sentOnly)]);
    const page = rows.slice(0, limit);
    const signed = await repo.signedCounts(
      this.db,
      page.map((r) => r.id),
    );
    const last = page[page.length - 1];
    return {
      items: page.map((r): ListedDocument => ({ ...summary(r), signedCount: signed.get(r.id) ?? 0 })),
      total,
      nextCursor: rows.length > limit && last ? encodeKeyset([(last.sent_at ?? last.created_at).toISOString(), last.id]) : null,
    };
  }

  /** The compose page's choices: departments within the caller's oa.send scope, and the roles. */
  async recipientOptions(ctx: RequestContext) {
    const { scope } = authorize(ctx, 'oa.send', this.deps.clock);
    const rows = await repo.departmentsIn(this.db, scope.paths);
    return {
      departments: rows.map((r) => ({ id: r.id, name: r.name, parentId: r.parent_id, regionCode: r.region_code, regionName: r.region_name })),
      regionRoots: scope.paths.map((p) => p.split('/').filter(Boolean).pop() ?? '').filter((c) => c !== ''),
    };
  }

  // ---- reminders and 我的待办

  /**
   * Reminds the unsigned after the deadline, once per rung of the ladder (at the deadline, a day later, three days
   * later): each claim is a unique row written in the same transaction as the SMS it queues, so a second node or a
   * rerun finds it taken. The to-do item (我的待办) shows the rung.
   */
  async runReminders(): Promise<{ reminded: number; sms: number }> {
    const now = this.deps.clock.now();
    const ctx = systemActorContext();
    let reminded = 0;
    let sms = 0;
    for (;;) {
      const claimed = await this.db.transaction().execute(async (trx) => {
        const rows = await repo.claimReminders(trx, now, REMINDER_BATCH);
        if (rows.length === 0) return 0;
        const targets = await repo.reminderTargets(trx, rows);
        {
          const perDocument = new Map<string, number>();
          for (const r of rows) {
            perDocument.set(r.document_id, (perDocument.get(r.document_id) ?? 0) + 1);
            const phone = targets.phones.get(r.user_id);
            const doc = targets.docs.get(r.document_id)!;
            if (phone && this.deps.sms) {
              const queued = await this.deps.sms.send(trx, {
                to: phone,
                text: `【政务云】请签收${doc.number ? `${doc.number}` : ''}「${doc.title.slice(0, 40)}」，签收期限已过（第${r.rung}次催办）。`,
                purpose: 'oa.reminder',
              });
              await repo.setReminderSms(trx, r.document_id, r.user_id, r.rung, queued.id);
              sms++;
            }
          }
          for (const [documentId, n] of perDocument) {
            await this.deps.audit.record(trx, ctx, {
              action: 'oa.receipt.remind',
              objectType: 'oa_document',
              objectId: documentId,
              regionCode: targets.docs.get(documentId)?.sender_region_code ?? null,
              detail: { reminded: n },
            });
          }
        }
        return rows.length;
      });
      reminded += claimed;
      if (claimed < REMINDER_BATCH) break;
    }
    return { reminded, sms };
  }

  async todoList(ctx: RequestContext, limit: number): Promise<TodoItem[]> {
    const actor = ctx.actor;
    if (!actor || actor.kind !== 'staff' || !scopeOf(actor, 'oa.read', this.deps.clock)) return [];
    const rows = await repo.unsignedFor(this.db, actor.userId, limit);
    return rows.map((r) => ({
      module: 'oa',
      kind: r.rung ? 'oa.reminder' : 'oa.sign',
      id: r.id,
      title: `签收${r.number ? ` ${r.number}` : ''}「${r.title}」（${r.sender_name}）${r.rung ? `：已过签收期限，第${r.rung}次催办` : ''}`,
      deadline: iso(r.sign_deadline),
      link: `/oa/received/${r.id}`,
      createdAt: r.sent_at!.toISOString(),
    }));
  }

  async todoCount(ctx: RequestContext): Promise<number> {
    const actor = ctx.actor;
    if (!actor || actor.kind !== 'staff' || !scopeOf(actor, 'oa.read', this.deps.clock)) return 0;
    return repo.countUnsignedFor(this.db, actor.userId);
  }
}

// ---- helpers

/** OA attachments: PDF, Office (OOXML and the older OLE formats), PNG and JPEG. */
export const ATTACHMENT_TYPES = [FILE_TYPES.pdf, FILE_TYPES.docx, FILE_TYPES.xlsx, FILE_TYPES.pptx, FILE_TYPES.ole, FILE_TYPES.png, FILE_TYPES.jpeg];

function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

function dedupeBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => (seen.has(key(t)) ? false : (seen.add(key(t)), true)));
}

/** YYYY-MM-DD in Beijing time. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
