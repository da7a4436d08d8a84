// 其他监察事项 — supervised matters of five kinds: recorded by the owning department's staff, read by supervisors by
// region prefix, evaluated against their kind's rules in the transaction of every change and by a daily sweep; the
// warnings go into supervision_warning once per subject and rule. Decided penalties are disclosed without sign-in.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authOrThrow } from './policy.ts';
import { authorOf, authorize, roleFor } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, conflict, invalid, notFound } from '../../shared/errors.ts';
import { chinaDate } from '../../shared/id-number.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import { maskName } from '../../shared/sensitive.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { baseRule, evaluateMatter, type MatterFacts } from './rules.ts';
import { checkKindData, startedOn } from './validate.ts';
import { periodFits } from './dates.ts';
import { RULE_NAMES_ZH, type MatterKind } from './kinds.ts';
import * as repo from './repository.ts';
import type { KindData, ListQueryInput, MatterBody, MatterDetailDto, MatterSummaryDto, MatterUpdateBody, PublicationInput, WarningDto } from './schema.ts';
import './permissions.ts';

/** Open matters evaluated per sweep transaction. */
export const SWEEP_BATCH = 200;

export class MattersService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
  ) {}

  today(): string {
    return chinaDate(this.clock.now());
  }

  // ---- reads -----------------------------------------------------------------------------------------------------

  async list(ctx: RequestContext, query: ListQueryInput): Promise<{ items: MatterSummaryDto[]; nextCursor: string | null }> {
    const { view, manage } = authOrThrow(ctx, this.clock);
    const limit = query.limit ?? 50;
    const after = query.cursor === undefined ? undefined : (([startedOn, id]) => ({ startedOn, id }))(decodeKeyset(query.cursor, ['string', 'string']));
    if (after && (!/^\d{4}-\d{2}-\d{2}$/.test(after.startedOn) || !/^[0-9a-f-]{36}$/i.test(after.id))) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not one this API issued.');
    const regionPath = query.regionCode === undefined ? undefined : (await repo.region(this.db, query.regionCode))?.path;
    if (query.regionCode !== undefined && regionPath === undefined) throw invalid('matters.unknown_region', 'regionCode', `No region has code "${query.regionCode}".`);
    const rows = await repo.listMatters(this.db, view, manage, { kind: query.kind, state: query.state, q: query.q, regionPath, warned: query.warned, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const milestones = await repo.milestonesOf(this.db, page.filter((r) => r.kind === 'project').map((r) => r.id));
    const last = rows.length > limit ? page[page.length - 1] : undefined;
    return { items: page.map((r) => toSummary(r, milestones.get(r.id))), nextCursor: last ? encodeKeyset([last.started_on, last.id]) : null };
  }

  async detail(ctx: RequestContext, id: string): Promise<MatterDetailDto> {
    const { view, manage } = authOrThrow(ctx, this.clock);
    const row = await repo.findMatter(this.db, id, view, manage);
    if (!row) throw notFound('matters.not_found', 'No such supervised matter in your jurisdiction.', 'id');
    const [milestones, publications, warnings] = await Promise.all([repo.milestonesOf(this.db, [id]), repo.publicationsOf(this.db, [id]), repo.warningsOf(this.db, id)]);
    return {
      ...toSummary(row, milestones.get(id)),
      warnings: warnings.map(toWarning),
      publications: publications.map((p) => ({
        id: p.id,
        period: p.period,
        publishedOn: p.published_on,
        summary: p.summary,
        incomeYuan: p.income_yuan === null ? null : Number(p.income_yuan),
        expenseYuan: p.expense_yuan === null ? null : Number(p.expense_yuan),
      })),
    };
  }

  async articles(ctx: RequestContext) {
    authOrThrow(ctx, this.clock);
    const rows = await repo.articles(this.db);
    return { items: rows.map((a) => ({ code: a.code, law: a.law, article: a.article, summary: a.summary, minYuan: Number(a.min_yuan), maxYuan: Number(a.max_yuan) })) };
  }

  async warnings(ctx: RequestContext, query: { kind?: MatterKind; level?: 'yellow' | 'red' | 'irregular'; cursor?: string; limit?: number }): Promise<{ items: WarningDto[]; nextCursor: string | null }> {
    const { view } = authOrThrow(ctx, this.clock);
    const limit = query.limit ?? 50;
    const after = query.cursor === undefined ? undefined : (([firedAt, id]) => ({ firedAt, id }))(decodeKeyset(query.cursor, ['string', 'string']));
    if (after && (Number.isNaN(Date.parse(after.firedAt)) || !/^[0-9a-f-]{36}$/i.test(after.id))) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not one this API issued.');
    const rows = await repo.listWarnings(this.db, view, { kind: query.kind, level: query.level, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = rows.length > limit ? page[page.length - 1] : undefined;
    return { items: page.map(toWarning), nextCursor: last ? encodeKeyset([last.fired_at.toISOString(), last.id]) : null };
  }

  // ---- writes ----------------------------------------------------------------------------------------------------

  async create<K extends MatterKind>(ctx: RequestContext, kind: K, body: MatterBody<K>): Promise<MatterDetailDto> {
    const { actor, scope } = authorize(ctx, 'matters.manage', this.clock);
    const departmentId = body.departmentId ?? actor.departmentId;
    if (!departmentId) throw invalid('matters.unknown_department', 'departmentId', 'Name the department the matter belongs to.');
    const id = await this.db.transaction().execute(async (trx) => {
      const department = await repo.department(trx, departmentId);
      if (!department) throw invalid('matters.unknown_department', 'departmentId', 'No such department.');
      if (!(await repo.departmentWithin(trx, departmentId, scope))) throw new DomainError('matters.department_out_of_scope', 'forbidden', 'You may record matters of your own department tree only.', 'departmentId');
      const where = await this.placeIn(trx, kind, department, body.regionCode);
      const data = await this.checked(trx, kind, body.data, null);
      const made = await repo.insertMatter(trx, {
        kind,
        departmentId,
        regionCode: where.code,
        regionPath: where.path,
        title: body.title.trim(),
        refNo: body.refNo.trim(),
        state: body.state ?? 'open',
        startedOn: startedOn(kind, body.data),
        data: data.stored,
        createdBy: authorOf(actor),
        now: this.clock.now(),
      });
      if (made === null) throw conflict('matters.duplicate_ref', `The department has a ${kind} matter numbered ${body.refNo}.`, 'refNo');
      if (kind === 'project') await repo.replaceMilestones(trx, made, (body.data as KindData['project']).milestones.map(milestoneRow));
      await this.audit.record(trx, ctx, { action: 'matters.create', objectType: subjectType(kind), objectId: made, role: roleFor(actor, 'matters.manage'), regionCode: where.code, detail: { title: body.title, refNo: body.refNo, data: body.data } });
      await this.evaluate(trx, made);
      return made;
    });
    return this.detail(ctx, id);
  }

  async update<K extends MatterKind>(ctx: RequestContext, kind: K, id: string, body: MatterUpdateBody<K>): Promise<MatterDetailDto> {
    const { actor, scope } = authorize(ctx, 'matters.manage', this.clock);
    await this.db.transaction().execute(async (trx) => {
      const before = await repo.lockMatter(trx, id);
      if (!before || before.kind !== kind || !(await repo.departmentWithin(trx, before.department_id, scope))) throw notFound('matters.not_found', 'No such supervised matter in your department tree.', 'id');
      if (before.version !== body.version) throw conflict('matters.version_conflict', `The matter is at version ${before.version}; you sent ${body.version}.`, 'version');
      const department = (await repo.department(trx, before.department_id))!;
      const where = await this.placeIn(trx, kind, department, body.regionCode ?? before.region_code);
      const data = await this.checked(trx, kind, body.data, id);
      const ok = await repo.updateMatter(trx, id, {
        regionCode: where.code,
        regionPath: where.path,
        title: body.title.trim(),
        refNo: body.refNo.trim(),
        state: body.state ?? before.state,
        startedOn: startedOn(kind, body.data),
        data: data.stored,
        now: this.clock.now(),
      });
      if (!ok) throw conflict('matters.duplicate_ref', `The department has a ${kind} matter numbered ${body.refNo}.`, 'refNo');
      if (kind === 'project') await repo.replaceMilestones(trx, id, (body.data as KindData['project']).milestones.map(milestoneRow));
      await this.audit.record(trx, ctx, {
        action: 'matters.update',
        objectType: subjectType(kind),
        objectId: id,
        role: roleFor(actor, 'matters.manage'),
        regionCode: where.code,
        detail: { before: { title: before.title, refNo: before.ref_no, state: before.state, data: before.data }, after: { title: body.title, refNo: body.refNo, state: body.state ?? before.state, data: body.data } },
      });
      await this.evaluate(trx, id);
    });
    return this.detail(ctx, id);
  }

  /** Records a village's publication of a period's finances (audited); the period's missed-warning stays if it fired. */
  async addPublication(ctx: RequestContext, id: string, body: PublicationInput): Promise<MatterDetailDto> {
    const { actor, scope } = authorize(ctx, 'matters.manage', this.clock);
    await this.db.transaction().execute(async (trx) => {
      const matter = await repo.lockMatter(trx, id);
      if (!matter || !(await repo.departmentWithin(trx, matter.department_id, scope))) throw notFound('matters.not_found', 'No such supervised matter in your department tree.', 'id');
      if (matter.kind !== 'village') throw invalid('matters.wrong_kind', 'id', 'Publications belong to village schedules.');
      if (matter.state !== 'open') throw conflict('matters.not_open', 'The schedule is closed or cancelled.', 'id');
      const data = matter.data as KindData['village'];
      if (!periodFits(body.period, data.frequency)) throw invalid('matters.invalid_period', 'period', `A ${data.frequency} schedule publishes periods like ${data.frequency === 'monthly' ? '2026-10' : '2026-Q3'}.`);
      if (body.publishedOn > this.today()) throw invalid('matters.future_date', 'publishedOn', 'A publication cannot be dated after today.');
      const made = await repo.insertPublication(trx, {
        matterId: id,
        period: body.period,
        publishedOn: body.publishedOn,
        summary: body.summary.trim(),
        incomeYuan: body.incomeYuan ?? null,
        expenseYuan: body.expenseYuan ?? null,
        recordedBy: authorOf(actor),
        now: this.clock.now(),
      });
      if (made === null) throw conflict('matters.duplicate_publication', `The period ${body.period} is published already.`, 'period');
      await this.audit.record(trx, ctx, { action: 'matters.publication_add', objectType: subjectType('village'), objectId: id, role: roleFor(actor, 'matters.manage'), regionCode: matter.region_code, detail: { ...body } });
      await this.evaluate(trx, id);
    });
    return this.detail(ctx, id);
  }

  // ---- rules -----------------------------------------------------------------------------------------------------

  /** Evaluates one matter's rules as of today, in the caller's transaction; returns the warnings that are new. */
  async evaluate(trx: Transaction<Database>, id: string, today = this.today()): Promise<number> {
    return this.evaluateMany(trx, [id], today);
  }

  /** Evaluates matters' rules as of today with a query per table (not per matter) and one insert of what fired. */
  private async evaluateMany(trx: Transaction<Database>, ids: readonly string[], today: string): Promise<number> {
    const rows = await repo.mattersForRules(trx, ids);
    const idsOf = (kind: MatterKind) => rows.filter((m) => m.kind === kind).map((m) => m.id);
    const [milestones, publications, articles] = await Promise.all([
      repo.milestonesOf(trx, idsOf('project')),
      repo.publicationsOf(trx, idsOf('village')),
      idsOf('penalty').length > 0 ? repo.articles(trx) : Promise.resolve([]),
    ]);
    const articleOf = new Map(articles.map((a) => [a.code, { minYuan: Number(a.min_yuan), maxYuan: Number(a.max_yuan), law: a.law, article: a.article }]));
    const fired = rows.flatMap((m) => {
      const data = m.kind === 'project' ? { ...m.data, milestones: milestones.get(m.id) ?? [] } : m.data;
      const facts: MatterFacts = { kind: m.kind, state: m.state, data: data as never };
      if (m.kind === 'village') facts.publications = publications.filter((p) => p.matter_id === m.id).map((p) => ({ period: p.period, publishedOn: p.published_on }));
      const article = m.kind === 'penalty' ? articleOf.get(String(m.data.articleCode)) : undefined;
      const subject = { kind: m.kind, id: m.id, departmentId: m.department_id, regionCode: m.region_code, regionPath: m.region_path, label: `${m.department_name} ${m.title} ${m.ref_no}` };
      return evaluateMatter(facts, { today, calendar: this.calendar, article }).map((warning) => ({ subject, warning }));
    });
    return repo.insertWarnings(trx, fired, today);
  }

  /** The daily sweep (a schedule): every open matter evaluated, a batch per transaction. Returns new warnings. */
  async sweep(today = this.today()): Promise<number> {
    let after: string | null = null;
    let fired = 0;
    for (;;) {
      const ids = await repo.openMatterIds(this.db, after, SWEEP_BATCH);
      if (ids.length === 0) break;
      fired += await this.db.transaction().execute((trx) => this.evaluateMany(trx, ids, today));
      after = ids[ids.length - 1]!;
    }
    return fired;
  }

  // ---- public disclosure -----------------------------------------------------------------------------------------

  /** 行政处罚公示: decided penalties, no sign-in; organisations named, persons masked (张*), ID numbers never. */
  async publicPenalties(query: { q?: string; cursor?: string; limit?: number }) {
    const limit = Math.min(query.limit ?? 20, 100);
    const after = query.cursor === undefined ? undefined : (([decidedOn, id]) => ({ decidedOn, id }))(decodeKeyset(query.cursor, ['string', 'string']));
    if (after && (!/^\d{4}-\d{2}-\d{2}$/.test(after.decidedOn) || !/^[0-9a-f-]{36}$/i.test(after.id))) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not one this API issued.');
    const rows = await repo.publicPenalties(this.db, { q: query.q, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = rows.length > limit ? page[page.length - 1] : undefined;
    return {
      items: page.map((r) => {
        const d = r.data as KindData['penalty'];
        return {
          id: r.id,
          refNo: r.ref_no,
          title: r.title,
          partyKind: d.partyKind,
          partyName: d.partyKind === 'organization' ? d.partyName : maskName(d.partyName),
          law: r.law ?? '',
          article: r.article ?? d.articleCode,
          amountYuan: d.amountYuan,
          decidedOn: r.decided_on,
          departmentName: r.department_name,
          regionName: r.region_name,
        };
      }),
      nextCursor: last ? encodeKeyset([last.decided_on, last.id]) : null,
    };
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  /** The matter's region: the one named (inside the department's region; a village level 4), else the department's. */
  private async placeIn(trx: Transaction<Database>, kind: MatterKind, department: { region_code: string; path: string }, code: string | undefined) {
    const where = await repo.region(trx, code ?? department.region_code);
    if (!where) throw invalid('matters.unknown_region', 'regionCode', `No region has code "${code}".`);
    if (!where.path.startsWith(department.path)) throw invalid('matters.region_outside_department', 'regionCode', `${where.name} lies outside the department's region.`);
    if (kind === 'village' && where.level !== 4) throw invalid('matters.not_a_village', 'regionCode', `${where.name} is not a village or community (level 4).`);
    return where;
  }

  private async checked<K extends MatterKind>(trx: Transaction<Database>, kind: K, data: KindData[K], _id: string | null) {
    checkKindData(kind, data, this.today());
    if (kind === 'penalty') {
      const code = (data as KindData['penalty']).articleCode;
      if (!(await repo.article(trx, code))) throw invalid('matters.unknown_article', 'data/articleCode', `No article "${code}" in the discretion table.`);
    }
    const { milestones: _m, ...rest } = data as Record<string, unknown>;
    return { stored: kind === 'project' ? rest : (data as Record<string, unknown>) };
  }
}

/** The audit record's object type of a matter: `matter.penalty`, …. */
function subjectType(kind: MatterKind): string {
  return `matter.${kind}`;
}

function milestoneRow(m: KindData['project']['milestones'][number]): repo.MilestoneRow {
  return { seq: m.seq, name: m.name.trim(), plannedOn: m.plannedOn, completedOn: m.completedOn ?? null };
}

function toSummary(r: repo.SummaryRow, milestones: repo.MilestoneRow[] | undefined): MatterSummaryDto {
  const counts = r.warning_counts ? (JSON.parse(r.warning_counts) as { yellow: number; red: number; irregular: number }) : { yellow: 0, red: 0, irregular: 0 };
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    refNo: r.ref_no,
    state: r.state,
    departmentId: r.department_id,
    departmentName: r.department_name,
    regionCode: r.region_code,
    regionName: r.region_name,
    startedOn: r.started_on,
    version: r.version,
    data: r.kind === 'project' ? { ...r.data, milestones: milestones ?? [] } : r.data,
    openWarnings: { yellow: Number(counts.yellow), red: Number(counts.red), irregular: Number(counts.irregular) },
    abilities: { edit: Boolean(r.editable) },
    updatedAt: r.updated_at.toISOString(),
  };
}

function toWarning(w: Awaited<ReturnType<typeof repo.warningsOf>>[number]): WarningDto {
  const base = baseRule(w.rule);
  return {
    id: w.id,
    subjectKind: w.subject_kind,
    subjectId: w.subject_id,
    rule: w.rule,
    ruleName: base ? RULE_NAMES_ZH[base] : w.rule,
    level: w.level,
    state: w.state,
    firedOn: w.fired_on,
    summary: w.summary,
    detail: w.detail,
  };
}
