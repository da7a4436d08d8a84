// The cockpit's reads (issue 9 §8): warnings with filters, counts by department and by county, overdue rate per
// county, orders, explanations, one case's ledger — each filtered by the caller's scope in SQL (region subtrees ∪
// own department tree), plus the to-do rows.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inRoleScope, inTenant } from '../../db/jurisdiction.ts';
import type { Clock } from '../../platform/clock.ts';
import type { TodoItem } from '../../platform/module.ts';
import { authorize, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { invalid, notFound } from '../../shared/errors.ts';
import { CLOCK_STATES, overdueSql } from '../approval/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { WarningLevel, WarningState } from './kinds.ts';

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
    const scope = this.scope(ctx);
    const rows = await this.warnings(scope, f)
      .select(['w.id', 'w.subject_kind', 'w.subject_id', 'w.rule', 'w.level', 'w.department_id', 'd.name as department_name', 'w.region_code', 'w.fired_on', 'w.fired_at', 'w.summary', 'w.state'])
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
    const rates = await this.db
      .selectFrom('approval_case as c')
      .where('c.state', 'in', CLOCK_STATES)
      .where((eb) => inRoleScope(eb, { region: eb.ref('c.region_code'), department: eb.ref('c.department_id') }, scope))
      .select([caseCounty.as('county'), (eb) => eb.fn.countAll<string>().as('running'), sql<string>`count(*) FILTER (WHERE ${overdueSql(today)})`.as('overdue')])
      .groupBy(caseCounty)
      .execute();
    const names = new Map((await this.db.selectFrom('region').select(['code', 'name']).where('code', 'in', [...new Set([...byCounty.map((r) => r.county), ...rates.map((r) => r.county), ''])]).execute()).map((r) => [r.code, r.name]));
    const departments = new Map<string, { id: string; name: string; counts: Record<string, number> }>();
    for (const r of byDepartment) {
      const d = departments.get(r.department_id) ?? { id: r.department_id, name: r.name, counts: {} };
      d.counts[r.level] = Number(r.n);
      departments.set(r.department_id, d);
    }
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
      c.overdueRate = c.running === 0 ? 0 : Math.round((c.overdue / c.running) * 10000) / 10000;
    }
    return { today, departments: [...departments.values()], counties: [...counties.values()].sort((a, b) => a.code.localeCompare(b.code)) };
  }

  async listOrders(ctx: RequestContext, f: { state?: string; limit?: number }) {
    const scope = this.scope(ctx);
    return this.db
      .selectFrom('supervision_order as o')
      .innerJoin('department as d', 'd.id', 'o.department_id')
      .where((eb) => inRoleScope(eb, { region: eb.ref('o.region_code'), department: eb.ref('o.department_id') }, scope))
      .$if(f.state !== undefined, (q) => q.where('o.state', '=', f.state as never))
      .select(['o.id', 'o.order_no', 'o.warning_id', 'o.case_id', 'o.department_id', 'd.name as department_name', 'o.content', 'o.issued_on', 'o.respond_by', 'o.state', 'o.response', 'o.decision_note', 'o.version'])
      .orderBy('o.issued_at', 'desc')
      .limit(Math.min(Math.max(f.limit ?? 50, 1), 200))
      .execute();
  }

  async listExplanations(ctx: RequestContext, f: { state?: string; limit?: number }) {
    const scope = this.scope(ctx);
    return this.db
      .selectFrom('supervision_explanation as e')
      .innerJoin('supervision_warning as w', 'w.id', 'e.warning_id')
      .where((eb) => inRoleScope(eb, { region: eb.ref('w.region_code'), department: eb.ref('w.department_id') }, scope))
      .$if(f.state !== undefined, (q) => q.where('e.state', '=', f.state as never))
      .select(['e.id', 'e.warning_id', 'w.summary', 'w.level', 'e.text', 'e.state', 'e.filed_at', 'e.decision_reason'])
      .orderBy('e.filed_at', 'desc')
      .limit(Math.min(Math.max(f.limit ?? 50, 1), 200))
      .execute();
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
