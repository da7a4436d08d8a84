// Cases: submission (online by a signed-in citizen, or registered at the counter) with request-key idempotency and a
// concurrency-safe case number, and every transition under the case's row lock — one ledger event, step rows, the
// clock recomputed, the audit record and one approval.case_changed outbox event, all in one transaction.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorOf, requireActor, scopeOf, type Actor } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, DomainError, forbidden, invalid, notFound } from '../../shared/errors.ts';
import { checkIdNumber, chinaDate } from '../../shared/id-number.ts';
import { validateCreditCode } from '../../shared/validators/credit-code.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import { isUuid, scopeSql } from './access.ts';
import { CASE_CHANGED_TOPIC, type CaseChanged, type CaseState } from './kinds.ts';
import { appendEvent, completeStep, recompute, startStep } from './ledger.ts';
import { extensionOnce, invalidTransition, STEP_FIELD, STEP_MOVES, staleCase, transition, type CaseAction } from './machine.ts';
import type { ActionInput, CounterCase, OnlineCase } from './schema.ts';

type Trx = Transaction<Database>;
const STAFF_ACTIONS: readonly CaseAction[] = ['accept', 'reject', 'review', 'pause', 'resume', 'request_extension', 'decide', 'conclude', 'deliver'];
const APPLICANT_ACTIONS: readonly CaseAction[] = ['resubmit', 'withdraw'];

export const caseNotFound = () => notFound('approval.case_not_found', 'No such case that you may see.', 'id');
const reasonRequired = (what: string) => invalid('approval.reason_required', 'reason', `Give a reason for ${what}.`);

export interface CaseDeps {
  db: Kysely<Database>;
  audit: AuditService;
  outbox: OutboxService;
  calendar: CalendarService;
  clock: Clock;
}

interface Applicant {
  kind: 'citizen' | 'enterprise';
  name: string;
  idNumber: string;
  phone: string | null;
  citizenId: string | null;
}

export class CaseWriter {
  constructor(private readonly deps: CaseDeps) {}

  today(): string {
    return chinaDate(this.deps.clock.now());
  }

  private checkApplicantId(kind: 'citizen' | 'enterprise', value: string): string {
    if (kind === 'citizen') {
      const check = checkIdNumber(value, { today: this.today() });
      if (!check.ok) throw invalid('approval.invalid_id_number', 'applicantIdNumber', `Not a valid ID number (${check.problem}).`);
      return check.idNumber;
    }
    const code = value.trim().toUpperCase();
    if (!validateCreditCode(code).ok) throw invalid('approval.invalid_id_number', 'applicantIdNumber', 'Not a valid unified social credit code.');
    return code;
  }

  /** 窗口登记: staff handling the item's department register an application, dated up to today. */
  async registerAtCounter(ctx: RequestContext, input: CounterCase): Promise<{ id: string; created: boolean }> {
    const actor = requireActor(ctx.actor);
    const handle = scopeOf(actor, 'approval.handle', this.deps.clock);
    if (!handle || actor.kind !== 'staff') throw forbidden('auth.forbidden', 'Your roles do not include approval.handle.');
    const today = this.today();
    const appliedOn = input.appliedOn ?? today;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(appliedOn) || Number.isNaN(Date.parse(appliedOn)) || new Date(appliedOn).toISOString().slice(0, 10) !== appliedOn || appliedOn > today || appliedOn < '2000-01-01') {
      throw invalid('approval.invalid_applied_on', 'appliedOn', 'The application date is a real date, not in the future and not before 2000.');
    }
    const idNumber = this.checkApplicantId(input.applicantKind, input.applicantIdNumber);
    return this.submit(ctx, actor, input.itemId, 'counter', { kind: input.applicantKind, name: input.applicantName.trim(), idNumber, phone: input.applicantPhone ?? null, citizenId: null }, appliedOn, input.requestKey ?? null);
  }

  /** 网上申请: a signed-in citizen applies for an active online item, as themselves (their ID number from the account). */
  async applyOnline(ctx: RequestContext, input: OnlineCase): Promise<{ id: string; created: boolean }> {
    const actor = requireActor(ctx.actor);
    if (actor.kind !== 'citizen') throw forbidden('citizen.only', 'Online applications are made from a citizen account.');
    const me = await this.deps.db.selectFrom('citizen as c').innerJoin('app_user as u', 'u.id', 'c.user_id').select(['c.id_number', 'c.phone', 'u.display_name']).where('c.user_id', '=', actor.userId).executeTakeFirstOrThrow();
    const kind = input.applicantKind ?? 'citizen';
    const applicant: Applicant =
      kind === 'citizen'
        ? { kind, name: me.display_name, idNumber: me.id_number, phone: me.phone, citizenId: actor.userId }
        : { kind, name: (input.applicantName ?? '').trim(), idNumber: this.checkApplicantId('enterprise', input.applicantIdNumber ?? ''), phone: me.phone, citizenId: actor.userId };
    if (kind === 'enterprise' && applicant.name.length === 0) throw invalid('request.invalid', 'applicantName', 'Name the enterprise that applies.');
    return this.submit(ctx, actor, input.itemId, 'online', applicant, this.today(), input.requestKey);
  }

  private async submit(ctx: RequestContext, actor: Actor, itemId: string, channel: 'online' | 'counter', applicant: Applicant, appliedOn: string, requestKey: string | null): Promise<{ id: string; created: boolean }> {
    const { db, clock, calendar } = this.deps;
    await calendar.ensureFresh();
    const handle = channel === 'counter' ? scopeOf(actor, 'approval.handle', clock) : null;
    if (requestKey) {
      const existing = await db.selectFrom('approval_case').select('id').where('applicant_id_number', '=', applicant.idNumber).where('request_key', '=', requestKey).executeTakeFirst();
      if (existing) return { id: existing.id, created: false };
    }
    return db.transaction().execute(async (trx) => {
      const item = await trx
        .selectFrom('approval_item as i')
        .innerJoin('department as d', 'd.id', 'i.department_id')
        .select(['i.id', 'i.status', 'i.online', 'i.department_id', 'i.region_code', 'i.region_path', 'i.statutory_days', 'i.promised_days', 'i.fee_yuan', 'i.version', 'd.code as department_code', sql<boolean>`${handle ? scopeSql(handle, { path: 'i.region_path', department: 'i.department_id' }) : sql`true`}`.as('ok')])
        .where('i.id', '=', itemId)
        // an edit of the item (FOR UPDATE) waits until this case has committed, and this read waits for an edit in
        // flight: the limits, the steps and the version below all come from one version of the item
        .forShare('i')
        .executeTakeFirst();
      if (!item || !item.ok || (channel === 'online' && !item.online && item.status === 'active')) {
        if (item && channel === 'online' && !item.online) throw conflict('approval.item_offline', 'The item takes no online applications.', 'itemId');
        throw invalid('approval.item_not_found', 'itemId', 'No such service item that you may register cases for.');
      }
      if (item.status !== 'active') throw conflict('approval.item_retired', 'The item is retired and takes no applications.', 'itemId');
      const limits = await trx.selectFrom('approval_item_step').select(['step', 'limit_days']).where('item_id', '=', item.id).where('limit_days', 'is not', null).execute();
      const stepLimits = Object.fromEntries(limits.map((s) => [s.step, s.limit_days!]));
      const prefix = `HM${this.today().replaceAll('-', '')}${item.department_code.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 34);
      const { last } = await trx
        .insertInto('approval_case_counter')
        .values({ prefix, last: 1 })
        .onConflict((oc) => oc.column('prefix').doUpdateSet({ last: sql<number>`approval_case_counter.last + 1` }))
        .returning('last')
        .executeTakeFirstOrThrow();
      const inserted = await trx
        .insertInto('approval_case')
        .values({
          case_no: `${prefix}${String(last).padStart(4, '0')}`,
          item_id: item.id,
          department_id: item.department_id,
          region_code: item.region_code,
          region_path: item.region_path,
          channel,
          applicant_kind: applicant.kind,
          applicant_name: applicant.name,
          applicant_id_number: applicant.idNumber,
          applicant_phone: applicant.phone,
          citizen_id: applicant.citizenId,
          request_key: requestKey,
          applied_on: appliedOn,
          registered_by: channel === 'counter' ? authorOf(actor) : null,
          fee_yuan: item.fee_yuan,
          statutory_days: item.statutory_days,
          promised_days: item.promised_days,
          step_limits: JSON.stringify(stepLimits),
          item_version: item.version,
          updated_at: clock.now(),
        })
        .onConflict((oc) => oc.columns(['applicant_id_number', 'request_key']).where('request_key', 'is not', null).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) {
        // the same key committed meanwhile (a double click): the first submission is the answer. This transaction holds
        // the counter row's lock, so no one numbered after it: give the number back, leaving no gap in the sequence
        await trx.updateTable('approval_case_counter').set({ last: last - 1 }).where('prefix', '=', prefix).where('last', '=', last).execute();
        const first = await trx.selectFrom('approval_case').select('id').where('applicant_id_number', '=', applicant.idNumber).where('request_key', '=', requestKey).executeTakeFirstOrThrow();
        return { id: first.id, created: false };
      }
      const actorId = actor.kind === 'staff' ? authorOf(actor) : null;
      const seq = await appendEvent(trx, inserted.id, { action: 'submit', from: null, to: 'submitted', actorId, citizenId: applicant.citizenId, onDate: appliedOn, detail: { channel } });
      await startStep(trx, inserted.id, 'accept', appliedOn, actorId);
      await recompute(trx, calendar, inserted.id);
      await this.announce(trx, ctx, inserted.id, seq, 'submit', item.region_code, { channel, itemId: item.id });
      return { id: inserted.id, created: true };
    });
  }

  /** The audit record and the one outbox event of a change, in its transaction. */
  private async announce(trx: Trx, ctx: RequestContext, caseId: string, seq: number, action: string, regionCode: string, detail: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record(trx, ctx, { action: `approval.case.${action}`, objectType: 'approval_case', objectId: caseId, regionCode, detail });
    const payload: CaseChanged = { caseId, seq, action };
    await this.deps.outbox.enqueue(trx, { topic: CASE_CHANGED_TOPIC, key: `${caseId}:${seq}`, payload });
  }

  /** One transition of the state machine (see machine.ts), by staff or the applicant as the action requires. */
  async act(ctx: RequestContext, id: string, action: CaseAction, input: ActionInput): Promise<void> {
    const actor = requireActor(ctx.actor);
    if (!isUuid(id)) throw caseNotFound();
    const { db, clock, calendar } = this.deps;
    await calendar.ensureFresh();
    const handle = actor.kind === 'staff' ? scopeOf(actor, 'approval.handle', clock) : null;
    const extend = actor.kind === 'staff' ? scopeOf(actor, 'approval.extend', clock) : null;
    const read = actor.kind === 'staff' ? scopeOf(actor, 'approval.read', clock) : null;
    const citizenIdNumber = actor.kind === 'citizen' ? ((await db.selectFrom('citizen').select('id_number').where('user_id', '=', actor.userId).executeTakeFirst())?.id_number ?? null) : null;
    const cols = { path: 'c.region_path', department: 'c.department_id' };
    await db.transaction().execute(async (trx) => {
      const c = await trx
        .selectFrom('approval_case as c')
        .selectAll('c')
        .select([
          sql<boolean>`${scopeSql(handle, cols)}`.as('can_handle'),
          sql<boolean>`${scopeSql(extend, cols)}`.as('can_extend'),
          sql<boolean>`${scopeSql(read, cols)}`.as('can_read'),
        ])
        .where('c.id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      const isApplicant = c !== undefined && actor.kind === 'citizen' && (c.citizen_id === actor.userId || c.applicant_id_number === citizenIdNumber);
      if (!c || !(c.can_handle || c.can_read || isApplicant)) throw caseNotFound();
      const allowed =
        (STAFF_ACTIONS.includes(action) && c.can_handle) ||
        (['approve_extension', 'refuse_extension'].includes(action) && c.can_extend) ||
        (action === 'withdraw' && (isApplicant || c.can_handle)) ||
        (action === 'resubmit' && (isApplicant || c.can_handle));
      const own = APPLICANT_ACTIONS.includes(action);
      const verb = action.replace('_', ' ');
      if (!allowed) throw forbidden(own ? 'approval.not_applicant' : 'auth.forbidden', `You may not ${verb} this case.`);
      if (input.version !== undefined && input.version !== c.version) throw staleCase(input.version, c.version);
      const to = transition(c.state, action);
      const today = this.today();
      const actorId = actor.kind === 'staff' ? authorOf(actor) : null;
      const openPause = await trx.selectFrom('approval_case_pause').selectAll().where('case_id', '=', id).where('ended_on', 'is', null).executeTakeFirst();
      const set: Record<string, unknown> = {};
      const detail: Record<string, unknown> = {};
      let note = input.reason ?? '';
      switch (action) {
        case 'accept': {
          const missing = await trx
            .selectFrom('approval_item_material as m')
            .select(['m.seq', 'm.name'])
            .where('m.item_id', '=', c.item_id)
            .where('m.required', '=', true)
            .where(({ not, exists, selectFrom }) => not(exists(selectFrom('approval_case_material as cm').select('cm.file_id').where('cm.case_id', '=', id).whereRef('cm.material_seq', '=', 'm.seq'))))
            .orderBy('m.seq')
            .execute();
          if (missing.length > 0) throw new DomainError('approval.materials_missing', 'conflict', `Required materials are missing: ${missing.map((m) => m.name).join('、')}.`, 'materials', { missing });
          Object.assign(set, { accepted_on: today, handler_id: c.handler_id ?? actorId });
          break;
        }
        case 'reject':
          if (!input.reason) throw reasonRequired('不予受理');
          set.reason = input.reason;
          break;
        case 'review':
          set.handler_id = c.handler_id ?? actorId;
          break;
        case 'pause': {
          if (openPause) throw conflict('approval.already_paused', 'The case’s clock is paused already.', STEP_FIELD);
          const kind = input.pauseKind ?? (input.specialKind ? 'special' : 'correction');
          if (!input.reason) throw reasonRequired('the pause');
          if (kind === 'special' && !input.specialKind) throw invalid('request.invalid', 'specialKind', 'Name the special procedure (hearing, testing, expert_review …).');
          const materials = [...new Set(input.materials ?? [])];
          if (kind === 'correction') {
            if (materials.length === 0) throw invalid('request.invalid', 'materials', 'Name the materials the applicant is to supply (补正).');
            const known = await trx.selectFrom('approval_item_material').select('seq').where('item_id', '=', c.item_id).where('seq', 'in', materials).execute();
            if (known.length !== materials.length) throw invalid('approval.unknown_material', 'materials', 'The item has no such material.');
            set.corrections = c.corrections + 1;
          }
          await trx.insertInto('approval_case_pause').values({ case_id: id, kind, special_kind: kind === 'special' ? input.specialKind! : null, reason: input.reason, started_on: today, started_by: actorId, materials }).execute();
          Object.assign(detail, { kind, specialKind: input.specialKind ?? null, materials });
          break;
        }
        case 'resume':
        case 'resubmit': {
          const resumable = openPause && (action !== 'resubmit' || openPause.kind === 'correction');
          if (!resumable) throw conflict('approval.not_paused', 'The case’s clock is not paused (for 补正).', STEP_FIELD);
          await trx.updateTable('approval_case_pause').set({ ended_on: today, ended_by: actorId }).where('id', '=', openPause!.id).execute();
          Object.assign(detail, { kind: openPause!.kind, startedOn: openPause!.started_on });
          break;
        }
        case 'request_extension':
          if (c.extension_state !== null) throw extensionOnce();
          if (!input.days) throw invalid('request.invalid', 'days', 'Say by how many working days.');
          if (!input.reason) throw reasonRequired('the extension');
          Object.assign(set, { extension_state: 'requested', extension_requested_days: input.days });
          detail.days = input.days;
          break;
        case 'approve_extension':
        case 'refuse_extension':
          if (c.extension_state !== 'requested') throw invalidTransition(c.state, c.state, action);
          if (action === 'approve_extension') Object.assign(set, { extension_state: 'approved', extension_days: c.extension_requested_days ?? 0 });
          else set.extension_state = 'refused';
          detail.days = c.extension_requested_days;
          break;
        case 'decide':
          if (openPause) throw conflict('approval.paused', 'No decision while the clock is paused.', STEP_FIELD);
          if (!input.decision) throw invalid('request.invalid', 'decision', 'Decide approve or deny.');
          if (input.decision === 'deny' && !input.reason) throw reasonRequired('a denial');
          Object.assign(set, { decision: input.decision, reason: input.reason ?? null });
          detail.decision = input.decision;
          break;
        case 'conclude':
          if (openPause) throw conflict('approval.paused', 'The case cannot conclude while the clock is paused.', STEP_FIELD);
          set.concluded_on = today;
          break;
        case 'deliver':
          set.delivered_on = today;
          break;
        case 'withdraw':
          if (openPause) await trx.updateTable('approval_case_pause').set({ ended_on: today, ended_by: actorId }).where('id', '=', openPause.id).execute();
          set.reason = input.reason ?? '申请人撤回';
          note = input.reason ?? '申请人撤回';
          break;
      }
      await trx
        .updateTable('approval_case')
        .set({ ...set, state: to, version: c.version + 1, updated_at: clock.now() })
        .where('id', '=', id)
        .execute();
      for (const [op, step] of STEP_MOVES[action] ?? []) {
        if (op === 'start') await startStep(trx, id, step, today, actorId);
        else await completeStep(trx, id, step, today, actorId);
      }
      const seq = await appendEvent(trx, id, { action, from: c.state, to, actorId, citizenId: actor.kind === 'citizen' ? actor.userId : null, onDate: today, note, detail });
      await recompute(trx, calendar, id);
      await this.announce(trx, ctx, id, seq, action, c.region_code, { from: c.state, to, ...detail });
    });
  }
}

export type { CaseState };
