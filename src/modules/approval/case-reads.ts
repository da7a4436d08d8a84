// Reading cases: the workbench list (mine / my department's / everything I may read), one case with its ledgers, the
// citizen's own cases, and the to-do items; both clocks as working days remaining on today's calendar.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { TodoItem } from '../../platform/module.ts';
import { requireActor, scopeOf } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { chinaDate } from '../../shared/id-number.ts';
import { maskIdNumber } from '../../shared/sensitive.ts';
import type { CalendarService } from '../calendar/index.ts';
import { caseVisibleSql, isUuid, scopeSql, staffAccess } from './access.ts';
import { remainingWorkingDays } from './clock.ts';
import { overdueSql } from './clock-sql.ts';
import { caseNotFound } from './cases.ts';
import { OPEN_STATES, type CaseState } from './kinds.ts';
import { actionsFrom, type CaseAction } from './machine.ts';
import type { CaseList, CaseQuery, CaseSummary, CaseView } from './schema.ts';

const STAFF_ACTIONS = new Set<CaseAction>(['accept', 'reject', 'review', 'pause', 'resume', 'request_extension', 'decide', 'conclude', 'deliver', 'withdraw', 'resubmit']);
const STATE_NAMES: Record<CaseState, string> = { submitted: '待受理', accepted: '已受理', rejected: '不予受理', reviewing: '审查中', decided: '已决定', concluded: '已办结', delivered: '已送达', withdrawn: '已撤回' };

const SUMMARY_COLS = [
  'c.id',
  'c.case_no',
  'c.item_id',
  'i.name as item_name',
  'c.department_id',
  'd.name as department_name',
  'c.channel',
  'c.applicant_name',
  'c.applicant_id_number',
  'c.citizen_id',
  'c.state',
  'c.decision',
  'c.applied_on',
  'c.accepted_on',
  'c.concluded_on',
  'c.statutory_due',
  'c.promised_due',
  'c.due_provisional',
  'c.paused_since',
  'c.handler_id',
  'c.version',
  'c.extension_state',
] as const;

interface Who {
  /** Handles (or applied for) the row: sees the full ID number and may act. */
  canHandle: boolean;
  canExtend: boolean;
  isApplicant: boolean;
}

export class CaseReader {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return chinaDate(this.clock.now());
  }

  private base() {
    return this.db.selectFrom('approval_case as c').innerJoin('approval_item as i', 'i.id', 'c.item_id').innerJoin('department as d', 'd.id', 'c.department_id');
  }

  private summary(r: SummaryRow, who: Who, today: string, openPauseKind: string | null): CaseSummary {
    const clockOf = (due: string | null) => {
      if (due === null || !['accepted', 'reviewing', 'decided'].includes(r.state)) return { due, remaining: null, overdue: false };
      const asOf = r.paused_since ?? today;
      const remaining = remainingWorkingDays(this.calendar, asOf, due);
      return { due, remaining, overdue: asOf > due };
    };
    const actions = actionsFrom(r.state).filter((a) => {
      if (a === 'approve_extension' || a === 'refuse_extension') return who.canExtend && r.extension_state === 'requested';
      if (a === 'request_extension') return who.canHandle && r.extension_state === null;
      if (a === 'resubmit') return (who.isApplicant || who.canHandle) && openPauseKind === 'correction';
      if (a === 'resume') return who.canHandle && openPauseKind !== null;
      if (a === 'pause') return who.canHandle && openPauseKind === null;
      if (a === 'withdraw') return who.isApplicant || who.canHandle;
      return who.canHandle && STAFF_ACTIONS.has(a) && !((a === 'decide' || a === 'conclude') && openPauseKind !== null);
    });
    return {
      id: r.id,
      caseNo: r.case_no,
      item: { id: r.item_id, name: r.item_name },
      department: { id: r.department_id, name: r.department_name },
      channel: r.channel,
      applicantName: r.applicant_name,
      applicantIdNumber: who.canHandle || who.isApplicant ? r.applicant_id_number : maskIdNumber(r.applicant_id_number),
      state: r.state,
      decision: r.decision,
      appliedOn: r.applied_on,
      acceptedOn: r.accepted_on,
      concludedOn: r.concluded_on,
      statutory: clockOf(r.statutory_due),
      promised: clockOf(r.promised_due),
      provisional: r.due_provisional,
      pausedSince: r.paused_since,
      handlerId: r.handler_id,
      version: r.version,
      actions,
    };
  }

  /** The workbench: open cases first, soonest statutory due first. */
  async list(ctx: RequestContext, query: CaseQuery): Promise<CaseList> {
    const access = staffAccess(ctx, this.clock);
    await this.calendar.ensureFresh();
    const today = this.today();
    const cols = { path: 'c.region_path', department: 'c.department_id' };
    const scope = query.scope ?? 'department';
    const where: Expression<SqlBool> =
      scope === 'mine' ? sql<SqlBool>`(c.handler_id = ${access.actor.userId} OR c.registered_by = ${access.actor.userId})` : scope === 'department' ? scopeSql(access.handle, cols) : caseVisibleSql(access);
    const q = this.base()
      .where(where)
      .where(caseVisibleSql(access))
      .$if(query.state !== undefined, (qb) => qb.where('c.state', '=', query.state!))
      .$if(query.overdue === true, (qb) => qb.where(overdueSql(today)))
      .$if(query.q !== undefined, (qb) => qb.where((eb) => eb.or([eb('c.case_no', '=', query.q!), eb('c.applicant_name', '=', query.q!), eb('i.name', 'ilike', `%${query.q!.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)])));
    const [rows, total] = await Promise.all([
      q
        .select([...SUMMARY_COLS, sql<boolean>`${scopeSql(access.handle, cols)}`.as('can_handle'), sql<boolean>`${scopeSql(access.extend, cols)}`.as('can_extend'), sql<string | null>`(SELECT p.kind FROM approval_case_pause p WHERE p.case_id = c.id AND p.ended_on IS NULL)`.as('open_pause')])
        .orderBy(sql`CASE WHEN c.state IN ('submitted', 'accepted', 'reviewing', 'decided') THEN 0 ELSE 1 END`)
        .orderBy(sql`coalesce(c.statutory_due, c.applied_on + 30)`)
        .orderBy('c.case_no')
        .offset(query.offset ?? 0)
        .limit(query.limit ?? 50)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map((r) => this.summary(r, { canHandle: r.can_handle, canExtend: r.can_extend, isApplicant: false }, today, r.open_pause)), total: Number(total.n) };
  }

  /** The signed-in citizen's own cases (their account, or their ID number at the counter). */
  async mine(ctx: RequestContext): Promise<CaseList> {
    const idNumber = await this.citizenIdNumber(ctx);
    await this.calendar.ensureFresh();
    const today = this.today();
    const actor = requireActor(ctx.actor);
    const rows = await this.base()
      .select([...SUMMARY_COLS, sql<string | null>`(SELECT p.kind FROM approval_case_pause p WHERE p.case_id = c.id AND p.ended_on IS NULL)`.as('open_pause')])
      .where((eb) => eb.or([eb('c.citizen_id', '=', actor.userId), eb('c.applicant_id_number', '=', idNumber)]))
      .orderBy('c.registered_at', 'desc')
      .limit(200)
      .execute();
    return { items: rows.map((r) => this.summary(r, { canHandle: false, canExtend: false, isApplicant: true }, today, r.open_pause)), total: rows.length };
  }

  private async citizenIdNumber(ctx: RequestContext): Promise<string> {
    const actor = requireActor(ctx.actor);
    const row = actor.kind === 'citizen' ? await this.db.selectFrom('citizen').select('id_number').where('user_id', '=', actor.userId).executeTakeFirst() : undefined;
    if (!row) throw caseNotFound();
    return row.id_number;
  }

  /** One case with its ledgers; staff within read ∪ handle scope, or the citizen who applied. */
  async get(ctx: RequestContext, id: string): Promise<CaseView> {
    const actor = requireActor(ctx.actor);
    if (!isUuid(id)) throw caseNotFound();
    await this.calendar.ensureFresh();
    const cols = { path: 'c.region_path', department: 'c.department_id' };
    let who: Who;
    let visible: Expression<SqlBool>;
    if (actor.kind === 'citizen') {
      const idNumber = await this.citizenIdNumber(ctx);
      visible = sql<SqlBool>`(c.citizen_id = ${actor.userId} OR c.applicant_id_number = ${idNumber})`;
      who = { canHandle: false, canExtend: false, isApplicant: true };
    } else {
      const access = staffAccess(ctx, this.clock);
      visible = caseVisibleSql(access);
      const flags = await this.db.selectFrom('approval_case as c').select([sql<boolean>`${scopeSql(access.handle, cols)}`.as('h'), sql<boolean>`${scopeSql(access.extend, cols)}`.as('e')]).where('c.id', '=', id).executeTakeFirst();
      who = { canHandle: flags?.h ?? false, canExtend: flags?.e ?? false, isApplicant: false };
    }
    const r = await this.base()
      .select([...SUMMARY_COLS, 'c.applicant_kind', 'c.applicant_phone', 'c.reason', 'c.delivered_on', 'c.fee_yuan', 'c.statutory_days', 'c.promised_days', 'c.extension_days', 'c.corrections'])
      .where('c.id', '=', id)
      .where(visible)
      .executeTakeFirst();
    if (!r) throw caseNotFound();
    const [events, pauses, steps, materials, files] = await Promise.all([
      this.db.selectFrom('approval_case_event as e').leftJoin('app_user as u', 'u.id', 'e.actor_id').selectAll('e').select('u.display_name').where('e.case_id', '=', id).orderBy('e.seq').execute(),
      this.db.selectFrom('approval_case_pause').selectAll().where('case_id', '=', id).orderBy('started_on').orderBy('created_at').execute(),
      this.db.selectFrom('approval_case_step').selectAll().where('case_id', '=', id).orderBy('started_on').orderBy(sql`array_position(ARRAY['accept', 'review', 'decide', 'conclude', 'deliver']::text[], step::text)`).execute(),
      this.db.selectFrom('approval_item_material').selectAll().where('item_id', '=', r.item_id).orderBy('seq').execute(),
      this.db
        .selectFrom('approval_case_material as cm')
        .innerJoin('file_record as f', (j) => j.on(sql<boolean>`f.id = cm.file_id`))
        .select(['cm.material_seq', 'f.id', 'f.original_name', 'f.size', 'f.media_type'])
        .where('cm.case_id', '=', id)
        .orderBy('cm.uploaded_at')
        .execute(),
    ]);
    const openPause = pauses.find((p) => p.ended_on === null)?.kind ?? null;
    return {
      ...this.summary(r, who, this.today(), openPause),
      applicantKind: r.applicant_kind,
      applicantPhone: who.canHandle || who.isApplicant ? r.applicant_phone : r.applicant_phone && `${r.applicant_phone.slice(0, 3)}****${r.applicant_phone.slice(-4)}`,
      reason: r.reason,
      deliveredOn: r.delivered_on,
      feeYuan: r.fee_yuan,
      statutoryDays: r.statutory_days,
      promisedDays: r.promised_days,
      extensionDays: r.extension_days,
      extensionState: r.extension_state,
      corrections: r.corrections,
      events: events.map((e) => ({ seq: e.seq, action: e.action, fromState: e.from_state, toState: e.to_state, onDate: e.on_date, at: e.at.toISOString(), note: e.note, actorName: e.display_name })),
      pauses: pauses.map((p) => ({ kind: p.kind, specialKind: p.special_kind, reason: p.reason, startedOn: p.started_on, endedOn: p.ended_on, materials: p.materials })),
      steps: steps.map((s) => ({ step: s.step, startedOn: s.started_on, dueOn: s.due_on, completedOn: s.completed_on })),
      materials: materials.map((m) => ({
        seq: m.seq,
        name: m.name,
        required: m.required,
        mimeTypes: m.mime_types,
        maxBytes: m.max_bytes,
        files: files.filter((f) => f.material_seq === m.seq).map((f) => ({ id: f.id, name: f.original_name, size: Number(f.size), mediaType: f.media_type })),
      })),
    };
  }

  /** 我的待办: open cases of the caller's department tree awaiting action, soonest due first. */
  async todo(ctx: RequestContext, limit: number): Promise<TodoItem[]> {
    const actor = ctx.actor;
    const handle = actor && actor.kind === 'staff' ? scopeOf(actor, 'approval.handle', this.clock) : null;
    if (!handle || handle.departments.length === 0) return [];
    const rows = await this.base()
      .select(['c.id', 'c.case_no', 'c.state', 'i.name as item_name', 'c.applicant_name', 'c.statutory_due', 'c.registered_at', 'c.applied_on'])
      .where(scopeSql({ ...handle, paths: [] }, { path: 'c.region_path', department: 'c.department_id' }))
      .where('c.state', 'in', OPEN_STATES)
      .where('c.paused_since', 'is', null)
      .orderBy(sql`coalesce(c.statutory_due, c.applied_on + 5)`)
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      module: 'approval',
      kind: `approval.case.${r.state}`,
      id: r.id,
      title: `${STATE_NAMES[r.state]}：${r.item_name}（${r.applicant_name}，${r.case_no}）`,
      deadline: r.statutory_due,
      link: `/approval/cases/${r.id}`,
      createdAt: r.registered_at.toISOString(),
    }));
  }

  async todoCount(ctx: RequestContext): Promise<number> {
    const actor = ctx.actor;
    const handle = actor && actor.kind === 'staff' ? scopeOf(actor, 'approval.handle', this.clock) : null;
    if (!handle || handle.departments.length === 0) return 0;
    const row = await this.db
      .selectFrom('approval_case as c')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(scopeSql({ ...handle, paths: [] }, { path: 'c.region_path', department: 'c.department_id' }))
      .where('c.state', 'in', OPEN_STATES)
      .where('c.paused_since', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

interface SummaryRow {
  id: string;
  case_no: string;
  item_id: string;
  item_name: string;
  department_id: string;
  department_name: string;
  channel: 'online' | 'counter';
  applicant_name: string;
  applicant_id_number: string;
  citizen_id: string | null;
  state: CaseState;
  decision: 'approve' | 'deny' | null;
  applied_on: string;
  accepted_on: string | null;
  concluded_on: string | null;
  statutory_due: string | null;
  promised_due: string | null;
  due_provisional: boolean;
  paused_since: string | null;
  handler_id: string | null;
  version: number;
  extension_state: 'requested' | 'approved' | 'refused' | null;
}
