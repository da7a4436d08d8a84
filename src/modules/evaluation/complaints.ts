// 投诉: filed by a signed-in citizen or by staff on an applicant's behalf about a department (and optionally a case);
// the department or a supervisor decides within 5 working days whether to accept (not accepting needs a reason);
// accepted → handled (result) → closed. Overdue is derived from decide_due, never stored. Each step locks the row,
// checks the state (409 otherwise) and audits in its transaction.
import type { Clock } from '../../platform/clock.ts';
import type { TodoItem } from '../../platform/module.ts';
import { authorize, requireActor, scopeOf, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, forbidden, invalid, notFound } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { ComplaintState } from './kinds.ts';
import * as repo from './repository.ts';
import { authorizeAny, isUuid, maskName, type EvaluationService } from './service.ts';

/** Working days to decide whether to accept a complaint (issue 9 §6). */
export const DECIDE_DAYS = 5;

export interface ComplaintInput {
  departmentId: string;
  caseId?: string | null;
  subject: string;
  body: string;
  /** Staff filing on behalf: the complainant's name and phone (a citizen's come from the account). */
  complainantName?: string;
  complainantPhone?: string | null;
}

const maskPhone = (phone: string | null) => (phone ? `${phone.slice(0, 3)}****${phone.slice(7)}` : null);

function complaintView(row: repo.ComplaintRow, today: string, own = false) {
  return {
    id: row.id,
    department: { id: row.department_id, name: row.department_name },
    regionCode: row.region_code,
    caseId: row.case_id,
    caseNo: row.case_no,
    complainantName: own ? row.complainant_name : maskName(row.complainant_name),
    complainantPhone: own ? row.complainant_phone : maskPhone(row.complainant_phone),
    channel: row.channel,
    subject: row.subject,
    body: row.body,
    state: row.state,
    filedAt: row.filed_at.toISOString(),
    decideDue: row.decide_due,
    overdue: row.state === 'filed' && row.decide_due < today,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionReason: row.decision_reason,
    handledAt: row.handled_at?.toISOString() ?? null,
    result: row.result,
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}
export type ComplaintView = ReturnType<typeof complaintView>;

const READERS = ['evaluation.read', 'evaluation.manage', 'evaluation.follow_up'] as const;

export class ComplaintService {
  constructor(private readonly evaluation: EvaluationService) {}

  private get db() {
    return this.evaluation.deps.db;
  }
  private get clock(): Clock {
    return this.evaluation.deps.clock;
  }

  async file(ctx: RequestContext, input: ComplaintInput): Promise<ComplaintView> {
    const actor = requireActor(ctx.actor);
    const citizen = actor.kind === 'citizen';
    // staff file for their own department's applicants (follow_up) or anywhere in a supervisor's region (manage)
    const scope = citizen ? null : authorizeAny(ctx, ['evaluation.follow_up', 'evaluation.manage'], this.clock).scope;
    const subject = input.subject.trim();
    const body = input.body.trim();
    if (subject.length === 0 || subject.length > 100) throw invalid('evaluation.invalid_text', 'subject', 'The subject must have 1–100 characters.');
    if (body.length === 0 || body.length > 2000) throw invalid('evaluation.invalid_text', 'body', 'The complaint must have 1–2000 characters.');
    const department = isUuid(input.departmentId) ? await repo.departmentInScope(this.db, input.departmentId, scope) : undefined;
    if (!department) throw invalid('evaluation.department_not_found', 'departmentId', 'No such department within your scope.');
    let complainantName: string;
    let complainantPhone: string | null;
    if (citizen) {
      const me = await this.db.selectFrom('citizen as z').innerJoin('app_user as u', 'u.id', 'z.user_id').select(['u.display_name', 'z.phone', 'z.id_number']).where('z.user_id', '=', actor.userId).executeTakeFirstOrThrow();
      complainantName = me.display_name;
      complainantPhone = me.phone;
      if (input.caseId) {
        const c = isUuid(input.caseId) ? await repo.findCase(this.db, input.caseId) : undefined;
        if (!c || c.department_id !== department.id || (c.citizen_id !== actor.userId && c.applicant_id_number !== me.id_number)) throw invalid('evaluation.case_mismatch', 'caseId', 'The case is not one of yours with this department.');
      }
    } else {
      complainantName = (input.complainantName ?? '').trim();
      complainantPhone = input.complainantPhone ?? null;
      if (complainantName.length === 0 || complainantName.length > 50) throw invalid('evaluation.invalid_text', 'complainantName', 'Enter the complainant’s name (1–50 characters).');
      if (input.caseId) {
        const c = isUuid(input.caseId) ? await repo.findCase(this.db, input.caseId) : undefined;
        if (!c || c.department_id !== department.id) throw invalid('evaluation.case_mismatch', 'caseId', 'The case is not one of the department’s.');
      }
    }
    const filedOn = this.evaluation.today();
    const due = this.evaluation.deps.calendar.addWorkingDays(filedOn, DECIDE_DAYS).date;
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('evaluation_complaint')
        .values({
          department_id: department.id,
          region_code: department.region_code,
          region_path: department.path,
          case_id: input.caseId ?? null,
          complainant_name: complainantName,
          complainant_phone: complainantPhone,
          citizen_id: citizen ? actor.userId : null,
          filed_by: citizen || actor.via === 'system' ? null : actor.userId,
          channel: citizen ? 'portal' : 'staff',
          subject,
          body,
          filed_at: this.clock.now(),
          filed_on: filedOn,
          decide_due: due,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.evaluation.deps.audit.record(trx, ctx, {
        action: 'evaluation.complaint.file',
        objectType: 'evaluation_complaint',
        objectId: row.id,
        regionCode: department.region_code,
        detail: { departmentId: department.id, caseId: input.caseId ?? null, subject, decideDue: due },
      });
      return row.id;
    });
    const row = (await repo.findComplaint(this.db, id, null))!;
    return complaintView(row, filedOn, citizen);
  }

  async list(ctx: RequestContext, query: repo.ComplaintFilter & { cursor?: string; limit?: number }) {
    const { scope } = authorizeAny(ctx, READERS, this.clock);
    return this.page({ scope }, query, false);
  }

  /** The signed-in citizen's own complaints. */
  async own(ctx: RequestContext, query: { cursor?: string; limit?: number }) {
    const actor = requireActor(ctx.actor);
    if (actor.kind !== 'citizen') throw forbidden('citizen.only', 'This is a citizen’s own list.');
    return this.page({ citizenId: actor.userId }, query, true);
  }

  private async page(who: { scope: repo.RowScope } | { citizenId: string }, query: repo.ComplaintFilter & { cursor?: string; limit?: number }, own: boolean) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? (decodeKeyset(query.cursor, ['string', 'string'] as const) as [string, string]) : null;
    const today = this.evaluation.today();
    const { rows, total } = await repo.listComplaints(this.db, who, query, today, { after, limit });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map((r) => complaintView(r, today, own)), total, nextCursor: rows.length > limit && last ? encodeKeyset([last.filed_at.toISOString(), last.id]) : null };
  }

  async get(ctx: RequestContext, id: string): Promise<ComplaintView> {
    const { scope } = authorizeAny(ctx, READERS, this.clock);
    const row = isUuid(id) ? await repo.findComplaint(this.db, id, scope) : undefined;
    if (!row) throw notFound('evaluation.complaint_not_found', 'No such complaint that you may see.', 'id');
    return complaintView(row, this.evaluation.today());
  }

  /** 受理 / 不予受理 (with a reason). */
  async decide(ctx: RequestContext, id: string, input: { accept: boolean; reason?: string | null }): Promise<ComplaintView> {
    const reason = (input.reason ?? '').trim();
    if (!input.accept && reason.length === 0) throw invalid('evaluation.reason_required', 'reason', 'Not accepting a complaint needs a reason.');
    if (reason.length > 1000) throw invalid('evaluation.invalid_text', 'reason', 'The reason may have at most 1000 characters.');
    return this.transition(ctx, id, 'filed', input.accept ? 'accepted' : 'not_accepted', input.accept ? 'evaluation.complaint.accept' : 'evaluation.complaint.not_accept', (now, by) => ({
      decided_at: now,
      decided_by: by,
      decision_reason: reason || null,
    }));
  }

  /** 办理结果 of an accepted complaint. */
  async recordResult(ctx: RequestContext, id: string, input: { result: string }): Promise<ComplaintView> {
    const result = input.result.trim();
    if (result.length === 0 || result.length > 2000) throw invalid('evaluation.result_required', 'result', 'Enter the handling result (1–2000 characters).');
    return this.transition(ctx, id, 'accepted', 'handled', 'evaluation.complaint.result', (now, by) => ({ handled_at: now, handled_by: by, result }));
  }

  async close(ctx: RequestContext, id: string): Promise<ComplaintView> {
    return this.transition(ctx, id, 'handled', 'closed', 'evaluation.complaint.close', (now) => ({ closed_at: now }));
  }

  private async transition(
    ctx: RequestContext,
    id: string,
    from: ComplaintState,
    to: ComplaintState,
    action: string,
    fields: (now: Date, by: string | null) => Partial<{ decided_at: Date; decided_by: string | null; decision_reason: string | null; handled_at: Date; handled_by: string | null; result: string; closed_at: Date }>,
  ): Promise<ComplaintView> {
    const { actor, scope } = authorize(ctx, 'evaluation.manage', this.clock);
    await this.db.transaction().execute(async (trx) => {
      const row = isUuid(id) ? await repo.findComplaint(trx, id, scope, true) : undefined;
      if (!row) throw notFound('evaluation.complaint_not_found', 'No such complaint that you may decide.', 'id');
      if (row.state !== from) throw conflict('evaluation.invalid_transition', `The complaint is ${row.state}: it cannot become ${to}.`, 'state');
      const now = this.clock.now();
      await trx
        .updateTable('evaluation_complaint')
        .set({ ...fields(now, actor.via === 'system' ? null : actor.userId), state: to, updated_at: now })
        .where('id', '=', id)
        .execute();
      await this.evaluation.deps.audit.record(trx, ctx, { action, objectType: 'evaluation_complaint', objectId: id, regionCode: row.region_code, detail: { from, to, subject: row.subject, permission: 'evaluation.manage', scope: scope.paths } });
    });
    return this.get(ctx, id);
  }

  /** Departments a complaint may name (those offering service items). */
  async departments(ctx: RequestContext) {
    const actor = requireActor(ctx.actor);
    if (actor.kind !== 'citizen') authorizeAny(ctx, READERS, this.clock);
    return { items: (await repo.complaintDepartments(this.db)).map((d) => ({ id: d.id, name: d.name, regionCode: d.region_code })) };
  }

  // ---- 我的待办: complaints to decide or to handle, for holders of evaluation.manage

  private manageScope(ctx: RequestContext): Scope | null {
    const actor = ctx.actor;
    return actor && actor.kind === 'staff' ? scopeOf(actor, 'evaluation.manage', this.clock) : null;
  }

  async todoList(ctx: RequestContext, limit: number): Promise<TodoItem[]> {
    const scope = this.manageScope(ctx);
    if (!scope) return [];
    const rows = await repo.pendingComplaints(this.db, scope, limit);
    return rows.map((r) => ({
      module: 'evaluation',
      kind: r.state === 'filed' ? 'evaluation.complaint.decide' : 'evaluation.complaint.handle',
      id: r.id,
      title: `${r.state === 'filed' ? '投诉待受理' : '投诉待办理'}：${r.department_name}「${r.subject}」`,
      deadline: r.state === 'filed' ? r.decide_due : null,
      link: `/evaluation/complaints`,
      createdAt: r.filed_at.toISOString(),
    }));
  }

  async todoCount(ctx: RequestContext): Promise<number> {
    const scope = this.manageScope(ctx);
    return scope ? repo.countPendingComplaints(this.db, scope) : 0;
  }
}
