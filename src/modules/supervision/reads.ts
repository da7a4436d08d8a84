// The cockpit's reads (issue 9 §8): warnings with filters, counts by department and by county, overdue rate per
// county, orders, explanations, one case's ledger — each filtered by the caller's scope in SQL (region subtrees ∪
// own department tree), plus the to-do rows.
import { sql, type Kysely, type SqlBool } from 'kysely';
import { countedPage } from '../../db/counted-page.ts';
import type { Database } from '../../db/schema.ts';
import { inRoleScope, inTenant } from '../../db/jurisdiction.ts';
import type { Clock } from '../../platform/clock.ts';
import type { TodoItem } from '../../platform/module.ts';
import { authorize, isSystemActor, scopeCovers, scopeOf, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { invalid, notFound } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import { CLOCK_STATES, overdueSql } from '../approval/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { WarningLevel, WarningState } from './kinds.ts';
import type { ExplanationState, OrderState } from './order-tables.ts';

/** 督办 list views: open = awaiting an answer or a decision; overdue = awaiting the answer past respondBy. */
export type OrderViewFilter = 'open' | 'overdue' | 'closed';
const AWAITING_ANSWER = ['issued', 'reopened'] as const satisfies readonly OrderState[];
const OPEN_ORDER = ['issued', 'responded', 'reopened'] as const satisfies readonly OrderState[];

/** What the caller may do beyond reading: where it may issue/decide (order) and for which department trees it answers (respond). */
interface Abilities {
  order: Scope | null;
  respond: Scope | null;
  system: boolean;
}
const NO_DEPARTMENTS: Pick<Scope, 'departments'> = { departments: [] };

export interface WarningFilter {
  level?: WarningLevel;
  rule?: string;
  state?: WarningState;
  departmentId?: string;
  /** A county (or any region) code: its subtree. */
  regionCode?: string;
  from?: string;
  to?: string;
  limit?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** What toISOString writes: the only instants a cursor of ours holds. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const rate = (overdue: number, running: number) => (running === 0 ? 0 : Math.round((overdue / running) * 10000) / 10000);

function checkDates(f: { from?: string; to?: string }) {
  for (const field of ['from', 'to'] as const) {
    const v = f[field];
    if (v !== undefined && (!DATE.test(v) || Number.isNaN(Date.parse(v)))) throw invalid('supervision.invalid_date', field, `${field} must be YYYY-MM-DD.`);
  }
}

export class CockpitReads {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
  ) {}

  private scope(ctx: RequestContext): Scope {
    return authorize(ctx, 'supervision.read', this.clock).scope;
  }

  /** The read scope plus the scopes that decide the rows' abilities (computed here, never from role names). */
  private access(ctx: RequestContext): { scope: Scope; can: Abilities } {
    const { actor, scope } = authorize(ctx, 'supervision.read', this.clock);
    return { scope, can: { order: scopeOf(actor, 'supervision.order', this.clock), respond: scopeOf(actor, 'supervision.respond', this.clock), system: isSystemActor(actor) } };
  }

  /** `department_id` lies in the caller's own department tree (it may answer for it), as a boolean column. */
  private own(column: string, can: Abilities) {
    if (can.system) return sql<boolean>`true`;
    return sql<boolean>`(${inTenant(sql.ref(column), can.respond ?? NO_DEPARTMENTS)})`;
  }

  private warnings(scope: Scope, f: WarningFilter) {
    checkDates(f);
    return this.db
      .selectFrom('supervision_warning as w')
      .innerJoin('department as d', 'd.id', 'w.department_id')
      .where((eb) => inRoleScope(eb, { region: eb.ref('w.region_code'), department: eb.ref('w.department_id') }, scope))
      .$if(f.level !== undefined, (q) => q.where('w.level', '=', f.level!))
      .$if(f.rule !== undefined, (q) => q.where('w.rule', '=', f.rule!))
      .$if(f.state !== undefined, (q) => q.where('w.state', '=', f.state!))
      .$if(f.departmentId !== undefined, (q) => q.where('w.department_id', '=', f.departmentId!))
      .$if(f.regionCode !== undefined, (q) => q.where('w.region_code', 'in', sql<string>`(SELECT r.code FROM region r WHERE r.path LIKE (SELECT p.path FROM region p WHERE p.code = ${f.regionCode!}) || '%')`))
      .$if(f.from !== undefined, (q) => q.where('w.fired_on', '>=', f.from!))
      .$if(f.to !== undefined, (q) => q.where('w.fired_on', '<=', f.to!));
  }

  async listWarnings(ctx: RequestContext, f: WarningFilter) {
    const { scope, can } = this.access(ctx);
    const rows = await this.warnings(scope, f)
      .select(['w.id', 'w.subject_kind', 'w.subject_id', 'w.rule', 'w.level', 'w.department_id', 'd.name as department_name', 'w.region_code', 'w.region_path', 'w.fired_on', 'w.fired_at', 'w.summary', 'w.state', this.own('w.department_id', can).as('own')])
      .orderBy('w.fired_at', 'desc')
      .orderBy('w.id')
      .limit(Math.min(Math.max(f.limit ?? 50, 1), 200))
      .execute();
    return rows.map((r) => ({
      id: r.id,
      subjectKind: r.subject_kind,
      subjectId: r.subject_id,
      rule: r.rule,
      level: r.level,
      department: { id: r.department_id, name: r.department_name },
      regionCode: r.region_code,
      firedOn: r.fired_on,
      firedAt: r.fired_at.toISOString(),
      summary: r.summary,
      state: r.state,
      abilities: [
        ...(can.order && scopeCovers(can.order, r.region_path) ? ['order' as const] : []),
        ...(can.respond !== null && r.own === true && r.state === 'open' && (r.level === 'yellow' || r.level === 'red') ? ['explain' as const] : []),
      ],
    }));
  }

  /** Counts by department and by county (level × state), and each county's overdue rate among its running cases. */
  async overview(ctx: RequestContext, f: WarningFilter) {
    const scope = this.scope(ctx);
    const county = sql<string>`coalesce(nullif(split_part(w.region_path, '/', 3), ''), split_part(w.region_path, '/', 2))`;
    const byDepartment = await this.warnings(scope, f)
      .select(['w.department_id', 'd.name', 'w.level', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy(['w.department_id', 'd.name', 'w.level'])
      .execute();
    const byCounty = await this.warnings(scope, f)
      .select([county.as('county'), 'w.level', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy([county, 'w.level'])
      .execute();
    const today = this.calendar.today();
    const caseCounty = sql<string>`coalesce(nullif(split_part(c.region_path, '/', 3), ''), split_part(c.region_path, '/', 2))`;
    const running = () =>
      this.db
        .selectFrom('approval_case as c')
        .where('c.state', 'in', CLOCK_STATES)
        .where((eb) => inRoleScope(eb, { region: eb.ref('c.region_code'), department: eb.ref('c.department_id') }, scope))
        .$if(f.departmentId !== undefined, (q) => q.where('c.department_id', '=', f.departmentId!))
        .$if(f.regionCode !== undefined, (q) => q.where('c.region_code', 'in', sql<string>`(SELECT r.code FROM region r WHERE r.path LIKE (SELECT p.path FROM region p WHERE p.code = ${f.regionCode!}) || '%')`));
    const rateColumns = [sql<string>`count(*)`.as('running'), sql<string>`count(*) FILTER (WHERE ${overdueSql(today)})`.as('overdue')] as const;
    const rates = await running()
      .select([caseCounty.as('county'), ...rateColumns])
      .groupBy(caseCounty)
      .execute();
    const departmentRates = await running()
      .innerJoin('department as d', 'd.id', 'c.department_id')
      .select(['c.department_id', 'd.name', ...rateColumns])
      .groupBy(['c.department_id', 'd.name'])
      .execute();
    const openCards = await this.warnings(scope, { ...f, state: 'open' })
      .where('w.level', 'in', ['yellow', 'red'])
      .select(['w.level', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('w.level')
      .execute();
    const orders = await this.db
      .selectFrom('supervision_order as o')
      .where('o.state', 'in', OPEN_ORDER)
      .where((eb) => inRoleScope(eb, { region: eb.ref('o.region_code'), department: eb.ref('o.department_id') }, scope))
      .$if(f.departmentId !== undefined, (q) => q.where('o.department_id', '=', f.departmentId!))
      .$if(f.regionCode !== undefined, (q) => q.where('o.region_code', 'in', sql<string>`(SELECT r.code FROM region r WHERE r.path LIKE (SELECT p.path FROM region p WHERE p.code = ${f.regionCode!}) || '%')`))
      .select([sql<string>`count(*)`.as('open'), sql<string>`count(*) FILTER (WHERE o.state IN ('issued', 'reopened') AND o.respond_by < ${today}::date)`.as('overdue')])
      .executeTakeFirstOrThrow();
    const names = new Map((await this.db.selectFrom('region').select(['code', 'name']).where('code', 'in', [...new Set([...byCounty.map((r) => r.county), ...rates.map((r) => r.county), ''])]).execute()).map((r) => [r.code, r.name]));
    const departments = new Map<string, { id: string; name: string; counts: Record<string, number>; running: number; overdue: number; overdueRate: number }>();
    const departmentOf = (id: string, name: string) => {
      const d = departments.get(id) ?? { id, name, counts: {}, running: 0, overdue: 0, overdueRate: 0 };
      departments.set(id, d);
      return d;
    };
    for (const r of byDepartment) departmentOf(r.department_id, r.name).counts[r.level] = Number(r.n);
    for (const r of departmentRates) {
      const d = departmentOf(r.department_id, r.name);
      d.running = Number(r.running);
      d.overdue = Number(r.overdue);
      d.overdueRate = rate(d.overdue, d.running);
    }
    const sum = (rows: readonly { running: string; overdue: string }[]) => rows.reduce((a, r) => ({ running: a.running + Number(r.running), overdue: a.overdue + Number(r.overdue) }), { running: 0, overdue: 0 });
    const all = sum(rates);
    const cards = new Map(openCards.map((r) => [r.level, Number(r.n)]));
    const totals = { ...all, overdueRate: rate(all.overdue, all.running), yellow: cards.get('yellow') ?? 0, red: cards.get('red') ?? 0, openOrders: Number(orders.open), overdueOrders: Number(orders.overdue) };
    const counties = new Map<string, { code: string; name: string; counts: Record<string, number>; running: number; overdue: number; overdueRate: number }>();
    const countyOf = (code: string) => {
      const c = counties.get(code) ?? { code, name: names.get(code) ?? code, counts: {}, running: 0, overdue: 0, overdueRate: 0 };
      counties.set(code, c);
      return c;
    };
    for (const r of byCounty) countyOf(r.county).counts[r.level] = Number(r.n);
    for (const r of rates) {
      const c = countyOf(r.county);
      c.running = Number(r.running);
      c.overdue = Number(r.overdue);
      c.overdueRate = rate(c.overdue, c.running);
    }
    return { today, totals, departments: [...departments.values()], counties: [...counties.values()].sort((a, b) => a.code.localeCompare(b.code)) };
  }

  async listOrders(ctx: RequestContext, f: { state?: OrderState; view?: OrderViewFilter; departmentId?: string; id?: string; limit?: number }) {
    const { scope, can } = this.access(ctx);
    const today = this.calendar.today();
    const rows = await this.db
      .selectFrom('supervision_order as o')
      .innerJoin('department as d', 'd.id', 'o.department_id')
      .leftJoin('supervision_warning as w', 'w.id', 'o.warning_id')
      .where((eb) => inRoleScope(eb, { region: eb.ref('o.region_code'), department: eb.ref('o.department_id') }, scope))
      .$if(f.id !== undefined, (q) => q.where('o.id', '=', f.id!))
      .$if(f.state !== undefined, (q) => q.where('o.state', '=', f.state!))
      .$if(f.departmentId !== undefined, (q) => q.where('o.department_id', '=', f.departmentId!))
      .$if(f.view === 'open', (q) => q.where('o.state', 'in', OPEN_ORDER))
      .$if(f.view === 'overdue', (q) => q.where('o.state', 'in', AWAITING_ANSWER).where('o.respond_by', '<', today))
      .$if(f.view === 'closed', (q) => q.where('o.state', 'in', ['rectified', 'closed']))
      .select(['o.id', 'o.order_no', 'o.warning_id', 'o.case_id', 'o.department_id', 'd.name as department_name', 'o.content', 'o.issued_on', 'o.respond_by', 'o.state', 'o.response', 'o.decision_note', 'o.version', 'o.region_path', 'w.summary', this.own('o.department_id', can).as('own')])
      .orderBy('o.issued_at', 'desc')
      .orderBy('o.id')
      .limit(Math.min(Math.max(f.limit ?? 50, 1), 200))
      .execute();
    return rows.map(({ own, region_path, ...r }) => {
      const awaiting = (AWAITING_ANSWER as readonly string[]).includes(r.state);
      const decides = can.order !== null && scopeCovers(can.order, region_path);
      const abilities: ('respond' | 'rectified' | 'reopen' | 'close')[] = [];
      if (awaiting && can.respond !== null && own === true) abilities.push('respond');
      if (decides && r.state === 'responded') abilities.push('rectified', 'reopen');
      if (decides && r.state === 'rectified') abilities.push('close');
      return { ...r, overdue: awaiting && r.respond_by < today, abilities };
    });
  }

  /** One order (drill-down and the answer to a write); 404 outside the scope. */
  async order(ctx: RequestContext, id: string) {
    const [row] = await this.listOrders(ctx, { id, limit: 1 });
    if (!row) throw notFound('supervision.not_found', 'No such order that you may see.', 'id');
    return row;
  }

  private explanations(scope: Scope, f: { state?: ExplanationState; departmentId?: string; id?: string }) {
    return this.db
      .selectFrom('supervision_explanation as e')
      .innerJoin('supervision_warning as w', 'w.id', 'e.warning_id')
      .innerJoin('department as d', 'd.id', 'w.department_id')
      .where((eb) => inRoleScope(eb, { region: eb.ref('w.region_code'), department: eb.ref('w.department_id') }, scope))
      .$if(f.id !== undefined, (q) => q.where('e.id', '=', f.id!))
      .$if(f.state !== undefined, (q) => q.where('e.state', '=', f.state!))
      .$if(f.departmentId !== undefined, (q) => q.where('w.department_id', '=', f.departmentId!))
      .select(['e.id', 'e.warning_id', 'w.summary', 'w.level', 'w.region_path', 'd.name as department_name', 'e.text', 'e.state', 'e.filed_at', 'e.decision_reason']);
  }

  private explanationAbilities(can: Abilities) {
    return <R extends { region_path: string; state: ExplanationState }>({ region_path, ...r }: R) => ({ ...r, abilities: r.state === 'pending' && can.order !== null && scopeCovers(can.order, region_path) ? ['decide' as const] : [] });
  }

  /** 说明理由 in the scope, newest first, a keyset page with the total of the filter (one statement). */
  async listExplanations(ctx: RequestContext, f: { state?: ExplanationState; departmentId?: string; cursor?: string; limit?: number }) {
    const { scope, can } = this.access(ctx);
    const limit = f.limit ?? 50;
    const after = f.cursor === undefined ? null : decodeKeyset(f.cursor, ['string', 'string'] as const);
    if (after && (!ISO_INSTANT.test(after[0]) || Number.isNaN(Date.parse(after[0])) || !UUID.test(after[1]))) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not one this API issued.');
    const { rows, total } = await countedPage(
      this.db,
      this.explanations(scope, f),
      (q) =>
        q
          .$if(after !== null, (w) => w.where(sql<SqlBool>`(e.filed_at, e.id) < (${after![0]}::timestamptz, ${after![1]}::uuid)`))
          .orderBy('e.filed_at', 'desc')
          .orderBy('e.id', 'desc')
          .limit(limit + 1),
      [
        ['filed_at', 'desc'],
        ['id', 'desc'],
      ],
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map(this.explanationAbilities(can)), total, nextCursor: rows.length > limit && last ? encodeKeyset([last.filed_at.toISOString(), last.id]) : null };
  }

  /** One explanation (the answer to a write); 404 outside the scope. */
  async explanation(ctx: RequestContext, id: string) {
    const { scope, can } = this.access(ctx);
    const row = await this.explanations(scope, { id }).executeTakeFirst();
    if (!row) throw notFound('supervision.not_found', 'No such explanation that you may see.', 'id');
    return this.explanationAbilities(can)(row);
  }

  /** One case's ledger (approval_case_event) and its warnings, for the drill-down; 404 outside the scope. */
  async caseLedger(ctx: RequestContext, caseId: string) {
    const scope = this.scope(ctx);
    const c = await this.db
      .selectFrom('approval_case as c')
      .innerJoin('approval_item as i', 'i.id', 'c.item_id')
      .innerJoin('department as d', 'd.id', 'c.department_id')
      .where('c.id', '=', caseId)
      .where((eb) => inRoleScope(eb, { region: eb.ref('c.region_code'), department: eb.ref('c.department_id') }, scope))
      .select(['c.id', 'c.case_no', 'i.name as item_name', 'd.name as department_name', 'c.state', 'c.applied_on', 'c.accepted_on', 'c.concluded_on', 'c.statutory_due', 'c.promised_due', 'c.paused_since'])
      .executeTakeFirst();
    if (!c) throw notFound('supervision.not_found', 'No such case that you may see.', 'caseId');
    const [events, warnings] = await Promise.all([
      this.db.selectFrom('approval_case_event').select(['seq', 'action', 'from_state', 'to_state', 'on_date', 'at', 'note']).where('case_id', '=', caseId).orderBy('seq').execute(),
      this.db.selectFrom('supervision_warning').select(['id', 'rule', 'level', 'fired_on', 'summary', 'state']).where('subject_id', '=', caseId).orderBy('fired_at').execute(),
    ]);
    return { case: c, events: events.map((e) => ({ ...e, at: e.at.toISOString() })), warnings };
  }

  /** Orders to answer (respond scope: own department tree) and answers/explanations to decide (order scope). */
  async todo(respond: Scope | null, order: Scope | null, limit: number): Promise<{ items: TodoItem[]; count: number }> {
    const items: TodoItem[] = [];
    let count = 0;
    if (respond && respond.departments.length > 0) {
      const q = this.db.selectFrom('supervision_order as o').where('o.state', 'in', ['issued', 'reopened']).where(inTenant(sql.ref('o.department_id'), respond));
      count += Number((await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      for (const o of await q.select(['o.id', 'o.order_no', 'o.content', 'o.respond_by', 'o.issued_at']).orderBy('o.respond_by').limit(limit).execute()) {
        items.push({ module: 'supervision', kind: 'supervision.order', id: o.id, title: `答复督办单 ${o.order_no}：${o.content.slice(0, 60)}`, deadline: o.respond_by, link: `/supervision/orders/${o.id}`, createdAt: o.issued_at.toISOString() });
      }
    }
    if (order && order.paths.length > 0) {
      const q = this.db.selectFrom('supervision_order as o').where('o.state', '=', 'responded').where((eb) => inRoleScope(eb, { region: eb.ref('o.region_code'), department: eb.ref('o.department_id') }, order));
      count += Number((await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      for (const o of await q.select(['o.id', 'o.order_no', 'o.responded_at', 'o.issued_at']).orderBy('o.responded_at').limit(limit).execute()) {
        items.push({ module: 'supervision', kind: 'supervision.order_answer', id: o.id, title: `审核督办单 ${o.order_no} 的整改答复`, deadline: null, link: `/supervision/orders/${o.id}`, createdAt: (o.responded_at ?? o.issued_at).toISOString() });
      }
      const e = this.db.selectFrom('supervision_explanation as e').innerJoin('supervision_warning as w', 'w.id', 'e.warning_id').where('e.state', '=', 'pending').where((eb) => inRoleScope(eb, { region: eb.ref('w.region_code'), department: eb.ref('w.department_id') }, order));
      count += Number((await e.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      for (const x of await e.select(['e.id', 'w.summary', 'e.filed_at']).orderBy('e.filed_at').limit(limit).execute()) {
        items.push({ module: 'supervision', kind: 'supervision.explanation', id: x.id, title: `审核说明理由：${x.summary}`.slice(0, 120), deadline: null, link: '/supervision/explanations', createdAt: x.filed_at.toISOString() });
      }
    }
    return { items: items.slice(0, limit), count };
  }
}
