// 督办 orders and 说明理由 explanations (issue 9 §4): authorization first, the state change as one conditional UPDATE
// (two clicks at once: one wins, the other gets 409), notices to the other side and the audit record in the same
// transaction. The rules engine and the cockpit's reads hang off the same service.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inTenant } from '../../db/jurisdiction.ts';
import type { Clock } from '../../platform/clock.ts';
import type { TodoItem } from '../../platform/module.ts';
import { authorOf, authorize, isSystemActor, scopeCovers, scopeOf, type Actor, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, DomainError, invalid, notFound } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { InboxService } from '../inbox/index.ts';
import type { RulesEngine } from './engine.ts';
import type { OrderState } from './order-tables.ts';
import { CockpitReads } from './reads.ts';

const TEXT_MAX = 2000;

export interface OrderInput {
  warningId?: string | null;
  caseId?: string | null;
  content: string;
  deadlineDays: number;
}

export type OrderDecision = 'rectified' | 'reopen' | 'close';

export interface SupervisionDeps {
  db: Kysely<Database>;
  clock: Clock;
  calendar: CalendarService;
  audit: AuditService;
  inbox: InboxService | undefined;
  engine: RulesEngine;
}

const missing = () => notFound('supervision.not_found', 'No such warning, order or explanation that you may see.');
const badState = (what: string) => conflict('supervision.invalid_state', `${what}: not allowed in the current state.`, 'state');

function text(value: string | undefined | null, field: string, required = true): string | null {
  const t = (value ?? '').trim();
  if (t.length === 0 && !required) return null;
  if (t.length === 0 || t.length > TEXT_MAX) throw invalid('supervision.invalid_text', field, `${field} must have 1–${TEXT_MAX} characters.`);
  return t;
}

export class SupervisionService {
  readonly reads: CockpitReads;

  constructor(private readonly deps: SupervisionDeps) {
    this.reads = new CockpitReads(deps.db, deps.clock, deps.calendar);
  }

  get engine(): RulesEngine {
    return this.deps.engine;
  }

  private get db() {
    return this.deps.db;
  }

  /** Users of a department who may respond (its administrators and staff), for notices. */
  private async respondersOf(trx: Transaction<Database>, departmentId: string): Promise<string[]> {
    const rows = await trx
      .selectFrom('app_user as u')
      .innerJoin('role_grant as g', 'g.user_id', 'u.id')
      .select('u.id')
      .distinct()
      .where('u.department_id', '=', departmentId)
      .where('u.status', '=', 'active')
      .where('g.role', 'in', ['department_admin', 'department_staff'])
      .execute();
    return rows.map((r) => r.id);
  }

  /** The caller may act for the row's department (own department tree). */
  private async ownDepartment(trx: Transaction<Database>, actor: Actor, scope: Scope, departmentId: string): Promise<boolean> {
    if (isSystemActor(actor)) return true;
    const row = await trx
      .selectFrom('department as d')
      .select('d.id')
      .where('d.id', '=', departmentId)
      .where(inTenant(sql.ref('d.id'), scope))
      .executeTakeFirst();
    return row !== undefined;
  }

  // ---- 督办 orders

  async issueOrder(ctx: RequestContext, input: OrderInput) {
    const { actor, scope } = authorize(ctx, 'supervision.order', this.deps.clock);
    const content = text(input.content, 'content')!;
    if (!Number.isInteger(input.deadlineDays) || input.deadlineDays < 1 || input.deadlineDays > 60) {
      throw invalid('supervision.invalid_deadline', 'deadlineDays', 'deadlineDays must be 1–60 working days.');
    }
    if (!input.warningId && !input.caseId) throw invalid('supervision.target_required', 'warningId', 'Name a warning (warningId) or a case (caseId).');
    await this.deps.calendar.ensureFresh();
    return this.db.transaction().execute(async (trx) => {
      const warning = input.warningId
        ? await trx.selectFrom('supervision_warning').select(['id', 'subject_id', 'subject_kind', 'department_id', 'region_code', 'region_path', 'summary']).where('id', '=', input.warningId).executeTakeFirst()
        : undefined;
      const target = input.warningId
        ? warning
        : await trx.selectFrom('approval_case as c').innerJoin('approval_item as i', 'i.id', 'c.item_id').select(['c.id', 'c.department_id', 'c.region_code', 'c.region_path', sql<string>`i.name || ' ' || c.case_no`.as('summary')]).where('c.id', '=', input.caseId!).executeTakeFirst();
      if (!target) throw notFound('supervision.not_found', 'No such warning or case.', input.warningId ? 'warningId' : 'caseId');
      if (!scopeCovers(scope, target.region_path)) {
        throw new DomainError('supervision.out_of_scope', 'forbidden', 'The subject lies outside the regions you supervise.', input.warningId ? 'warningId' : 'caseId');
      }
      const today = this.deps.calendar.today();
      const caseId = input.caseId ?? (warning?.subject_kind === 'case' ? warning.subject_id : null);
      const row = await trx
        .insertInto('supervision_order')
        .values({
          order_no: `DB${today.replace(/-/g, '')}${randomBytes(3).toString('hex').toUpperCase()}`,
          warning_id: input.warningId ?? null,
          case_id: caseId,
          department_id: target.department_id,
          region_code: target.region_code,
          region_path: target.region_path,
          content,
          issued_on: today,
          deadline_days: input.deadlineDays,
          respond_by: this.deps.calendar.addWorkingDays(today, input.deadlineDays).date,
          issued_by: authorOf(actor),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.deps.inbox?.send(trx, {
        to: await this.respondersOf(trx, target.department_id),
        module: 'supervision',
        kind: 'order',
        title: `督办通知 ${row.order_no}：${target.summary}`.slice(0, 200),
        body: `${content}\n请于 ${row.respond_by} 前答复。`,
        link: `/supervision/orders/${row.id}`,
      });
      await this.deps.audit.record(trx, ctx, { action: 'supervision.order.issue', objectType: 'supervision_order', objectId: row.id, regionCode: row.region_code, detail: { orderNo: row.order_no, warningId: row.warning_id, caseId, respondBy: row.respond_by } });
      return row;
    });
  }

  /** The department answers (issued or reopened → responded). */
  async respondOrder(ctx: RequestContext, id: string, response: string) {
    const { actor, scope } = authorize(ctx, 'supervision.respond', this.deps.clock);
    const body = text(response, 'response')!;
    return this.db.transaction().execute(async (trx) => {
      const order = await trx.selectFrom('supervision_order').selectAll().where('id', '=', id).executeTakeFirst();
      if (!order || !(await this.ownDepartment(trx, actor, scope, order.department_id))) throw missing();
      const row = await trx
        .updateTable('supervision_order')
        .set({ state: 'responded', response: body, responded_by: authorOf(actor), responded_at: this.deps.clock.now(), version: sql`version + 1`, updated_at: this.deps.clock.now() })
        .where('id', '=', id)
        .where('state', 'in', ['issued', 'reopened'])
        .returningAll()
        .executeTakeFirst();
      if (!row) throw badState(`Order ${order.order_no} is ${order.state}`);
      if (order.issued_by) {
        await this.deps.inbox?.send(trx, { to: order.issued_by, module: 'supervision', kind: 'order.responded', title: `督办单 ${order.order_no} 已答复`, body, link: `/supervision/orders/${id}` });
      }
      await this.deps.audit.record(trx, ctx, { action: 'supervision.order.respond', objectType: 'supervision_order', objectId: id, regionCode: row.region_code, detail: { orderNo: row.order_no } });
      return row;
    });
  }

  /** The supervisor decides: responded → rectified | reopened (note required); rectified → closed. */
  async decideOrder(ctx: RequestContext, id: string, decision: OrderDecision, note?: string | null) {
    const { actor, scope } = authorize(ctx, 'supervision.order', this.deps.clock);
    const reason = text(note, 'note', decision === 'reopen');
    const from: OrderState = decision === 'close' ? 'rectified' : 'responded';
    const to: OrderState = decision === 'reopen' ? 'reopened' : decision === 'close' ? 'closed' : 'rectified';
    return this.db.transaction().execute(async (trx) => {
      const order = await trx.selectFrom('supervision_order').selectAll().where('id', '=', id).executeTakeFirst();
      if (!order || !scopeCovers(scope, order.region_path)) throw missing();
      const row = await trx
        .updateTable('supervision_order')
        .set({ state: to, decision_note: reason, decided_by: authorOf(actor), decided_at: this.deps.clock.now(), version: sql`version + 1`, updated_at: this.deps.clock.now() })
        .where('id', '=', id)
        .where('state', '=', from)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw badState(`Order ${order.order_no} is ${order.state}`);
      if (decision === 'reopen') {
        await this.deps.inbox?.send(trx, { to: await this.respondersOf(trx, order.department_id), module: 'supervision', kind: 'order.reopened', title: `督办单 ${order.order_no} 被退回，请重新整改答复`, body: reason ?? '', link: `/supervision/orders/${id}` });
      }
      await this.deps.audit.record(trx, ctx, { action: `supervision.order.${decision}`, objectType: 'supervision_order', objectId: id, regionCode: row.region_code, detail: { orderNo: row.order_no, from, to, note: reason } });
      return row;
    });
  }

  // ---- 说明理由

  /** A carded department explains a yellow or red card (open → explained). */
  async explain(ctx: RequestContext, warningId: string, explanation: string) {
    const { actor, scope } = authorize(ctx, 'supervision.respond', this.deps.clock);
    const body = text(explanation, 'text')!;
    return this.db.transaction().execute(async (trx) => {
      const warning = await trx.selectFrom('supervision_warning').selectAll().where('id', '=', warningId).executeTakeFirst();
      if (!warning || !(await this.ownDepartment(trx, actor, scope, warning.department_id))) throw missing();
      if (warning.level !== 'yellow' && warning.level !== 'red') throw invalid('supervision.not_a_card', 'warningId', 'Only yellow and red cards are explained.');
      const moved = await trx.updateTable('supervision_warning').set({ state: 'explained' }).where('id', '=', warningId).where('state', '=', 'open').returning('id').executeTakeFirst();
      if (!moved) throw badState(`The card is ${warning.state}`);
      const row = await trx
        .insertInto('supervision_explanation')
        .values({ warning_id: warningId, department_id: warning.department_id, region_path: warning.region_path, text: body, filed_by: authorOf(actor) })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.deps.audit.record(trx, ctx, { action: 'supervision.explanation.file', objectType: 'supervision_warning', objectId: warningId, regionCode: warning.region_code, detail: { explanationId: row.id, rule: warning.rule } });
      return row;
    });
  }

  /** The supervisor accepts (the card closes) or rejects (it opens again; reason required). */
  async decideExplanation(ctx: RequestContext, id: string, accept: boolean, reason?: string | null) {
    const { actor, scope } = authorize(ctx, 'supervision.order', this.deps.clock);
    const why = text(reason, 'reason', !accept);
    return this.db.transaction().execute(async (trx) => {
      const found = await trx
        .selectFrom('supervision_explanation as e')
        .innerJoin('supervision_warning as w', 'w.id', 'e.warning_id')
        .select(['e.id', 'e.state', 'e.warning_id', 'e.filed_by', 'w.region_code', 'w.region_path', 'w.summary'])
        .where('e.id', '=', id)
        .executeTakeFirst();
      if (!found || !scopeCovers(scope, found.region_path)) throw missing();
      const now = this.deps.clock.now();
      const row = await trx
        .updateTable('supervision_explanation')
        .set({ state: accept ? 'accepted' : 'rejected', decision_reason: why, decided_by: authorOf(actor), decided_at: now })
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .returningAll()
        .executeTakeFirst();
      if (!row) throw badState(`The explanation is ${found.state}`);
      await trx
        .updateTable('supervision_warning')
        .set(accept ? { state: 'closed', closed_at: now } : { state: 'open' })
        .where('id', '=', found.warning_id)
        .execute();
      if (found.filed_by) {
        await this.deps.inbox?.send(trx, { to: found.filed_by, module: 'supervision', kind: 'explanation.decided', title: `说明理由${accept ? '已采纳' : '未采纳'}：${found.summary}`.slice(0, 200), body: why ?? '', link: '/supervision/explanations' });
      }
      await this.deps.audit.record(trx, ctx, { action: accept ? 'supervision.explanation.accept' : 'supervision.explanation.reject', objectType: 'supervision_warning', objectId: found.warning_id, regionCode: found.region_code, detail: { explanationId: id, reason: why } });
      return row;
    });
  }

  // ---- 我的待办: orders to answer (department), answers and explanations to decide (supervisor)

  private async todoRows(actor: Actor, limit: number) {
    const respond = scopeOf(actor, 'supervision.respond', this.deps.clock);
    const order = scopeOf(actor, 'supervision.order', this.deps.clock);
    return this.reads.todo(respond, order, limit);
  }

  async todoList(ctx: RequestContext, limit: number): Promise<TodoItem[]> {
    const actor = ctx.actor;
    if (!actor || actor.kind !== 'staff') return [];
    return (await this.todoRows(actor, limit)).items;
  }

  async todoCount(ctx: RequestContext): Promise<number> {
    const actor = ctx.actor;
    if (!actor || actor.kind !== 'staff') return 0;
    return (await this.todoRows(actor, 1)).count;
  }
}
