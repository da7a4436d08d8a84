// 好差评 and the monthly score: a concluded case is rated once (portal or counter), a bad rating is followed up within
// working days on the calendar, and the monthly score is computed set-based, published and ranked. Authorization is
// every method's first line; reads filter by jurisdiction in SQL.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { TodoItem } from '../../platform/module.ts';
import { authorize, requireActor, scopeOf, type Actor, type Permission, type Scope } from '../../shared/access.ts';
import { systemActorContext, type RequestContext } from '../../shared/context.ts';
import { conflict, forbidden, invalid, notFound } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { BAD_RATING_MAX, RATING_TAGS, type RatingChannel } from './kinds.ts';
import * as repo from './repository.ts';
import * as scores from './scores.ts';

export interface EvaluationDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditService;
  calendar: CalendarService;
  /** Working days a department has to follow up a bad rating (default 3). */
  followUpDays: number;
}

export interface RatingInput {
  level: number;
  comment?: string;
  tags?: string[];
}

export interface RatingQuery extends repo.RatingFilter {
  cursor?: string;
  limit?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string) => UUID.test(id);
const isoDate = (d: Date | null) => (d ? d.toISOString() : null);

/** 张三 → 张*; 欧阳娜娜 → 欧阳**. */
export function maskName(name: string): string {
  const chars = [...name];
  const keep = chars.length >= 4 ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(Math.max(1, chars.length - keep));
}

/** The union of the actor's scopes for several permissions, or null when it holds none of them. */
export function unionScope(actor: Actor, permissions: readonly Permission[], clock: Clock): Scope | null {
  const parts = permissions.map((p) => scopeOf(actor, p, clock)).filter((s): s is Scope => s !== null);
  if (parts.length === 0) return null;
  return { permission: parts[0]!.permission, paths: [...new Set(parts.flatMap((s) => s.paths))], departments: [...new Set(parts.flatMap((s) => s.departments))], shares: [] };
}

/** First line of a read: the union scope, or the forbidden error of the first permission. */
export function authorizeAny(ctx: RequestContext, permissions: readonly Permission[], clock: Clock): { actor: Actor; scope: Scope } {
  const actor = requireActor(ctx.actor);
  const scope = unionScope(actor, permissions, clock);
  if (!scope) return authorize(ctx, permissions[0]!, clock);
  return { actor, scope };
}

export function ratingView(row: repo.RatingRow, today: string) {
  return {
    id: row.id,
    caseId: row.case_id,
    caseNo: row.case_no,
    applicantName: maskName(row.applicant_name),
    itemName: row.item_name,
    department: { id: row.department_id, name: row.department_name },
    regionCode: row.region_code,
    level: row.level,
    comment: row.comment,
    tags: row.tags,
    channel: row.channel,
    ratedAt: row.rated_at.toISOString(),
    followUp:
      row.follow_up_due === null
        ? null
        : {
            due: row.follow_up_due,
            overdue: row.followed_up_on === null ? row.follow_up_due < today : row.followed_up_on > row.follow_up_due,
            doneAt: isoDate(row.followed_up_at),
            contacted: row.follow_up_contacted,
            result: row.follow_up_result,
            satisfied: row.follow_up_satisfied,
          },
  };
}
export type RatingView = ReturnType<typeof ratingView>;

export class EvaluationService {
  constructor(readonly deps: EvaluationDeps) {}

  private get db() {
    return this.deps.db;
  }

  today(): string {
    return this.deps.calendar.today();
  }

  private checkRating(input: RatingInput): { level: number; comment: string; tags: string[] } {
    if (!Number.isInteger(input.level) || input.level < 1 || input.level > 5) throw invalid('evaluation.invalid_level', 'level', 'The rating must be a whole number 1–5.');
    const comment = (input.comment ?? '').trim();
    if (comment.length > 500) throw invalid('evaluation.invalid_text', 'comment', 'The comment may have at most 500 characters.');
    const tags = [...new Set(input.tags ?? [])];
    tags.forEach((t, i) => {
      if (!(RATING_TAGS as readonly string[]).includes(t)) throw invalid('evaluation.invalid_tag', `tags/${i}`, `Unknown tag ${t}.`);
    });
    return { level: input.level, comment, tags };
  }

  /** The case a citizen may rate: theirs by account or by ID number; anyone else's is 404. */
  async citizenCase(ctx: RequestContext, caseId: string) {
    const actor = requireActor(ctx.actor);
    if (actor.kind !== 'citizen') throw forbidden('citizen.only', 'Only the applicant’s own citizen account rates online.');
    const row = isUuid(caseId) ? await repo.findCase(this.db, caseId) : undefined;
    const idNumber = await repo.citizenIdNumber(this.db, actor.userId);
    if (!row || (row.citizen_id !== actor.userId && row.applicant_id_number !== idNumber)) throw notFound('evaluation.case_not_found', 'No such case of yours.', 'caseId');
    const rating = await this.db.selectFrom('evaluation_rating').select(['level', 'comment', 'tags', 'rated_at']).where('case_id', '=', row.id).executeTakeFirst();
    return {
      row,
      view: {
        caseId: row.id,
        caseNo: row.case_no,
        itemName: row.item_name,
        departmentName: row.department_name,
        state: row.state,
        concludedOn: row.concluded_on,
        ratable: (row.state === 'concluded' || row.state === 'delivered') && !rating,
        rating: rating ? { level: rating.level, comment: rating.comment, tags: rating.tags, ratedAt: rating.rated_at.toISOString() } : null,
      },
    };
  }

  async rateAsCitizen(ctx: RequestContext, caseId: string, input: RatingInput): Promise<RatingView> {
    const { row } = await this.citizenCase(ctx, caseId);
    return this.rate(ctx, row, this.checkRating(input), 'portal');
  }

  /** Staff record a rating the applicant gave on the counter's device, for a case of their own department. */
  async rateAtCounter(ctx: RequestContext, input: RatingInput & { caseId: string }): Promise<RatingView> {
    const { scope } = authorize(ctx, 'evaluation.follow_up', this.deps.clock);
    const row = isUuid(input.caseId) ? await repo.findCase(this.db, input.caseId) : undefined;
    if (!row || !(await repo.caseInScope(this.db, row.id, scope))) throw notFound('evaluation.case_not_found', 'No such case of your department.', 'caseId');
    return this.rate(ctx, row, this.checkRating(input), 'counter');
  }

  private async rate(ctx: RequestContext, row: repo.CaseRow, input: { level: number; comment: string; tags: string[] }, channel: RatingChannel): Promise<RatingView> {
    const actor = requireActor(ctx.actor);
    if (row.state !== 'concluded' && row.state !== 'delivered') throw conflict('evaluation.not_concluded', 'The case can be rated after it is concluded.', 'caseId');
    const ratedOn = this.today();
    const bad = input.level <= BAD_RATING_MAX;
    const due = bad ? this.deps.calendar.addWorkingDays(ratedOn, this.deps.followUpDays).date : null;
    const id = await this.db.transaction().execute(async (trx) => {
      // the unique case_id decides between concurrent ratings: the loser inserts nothing
      const inserted = await trx
        .insertInto('evaluation_rating')
        .values({
          case_id: row.id,
          department_id: row.department_id,
          region_code: row.region_code,
          region_path: row.region_path,
          level: input.level,
          comment: input.comment,
          tags: input.tags,
          channel,
          citizen_id: actor.kind === 'citizen' ? actor.userId : null,
          recorded_by: actor.kind === 'staff' && actor.via !== 'system' ? actor.userId : null,
          rated_at: this.deps.clock.now(),
          rated_on: ratedOn,
          follow_up_due: due,
        })
        .onConflict((oc) => oc.column('case_id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) throw conflict('evaluation.already_rated', 'The case has been rated already.', 'caseId');
      await this.deps.audit.record(trx, ctx, {
        action: 'evaluation.rating.create',
        objectType: 'evaluation_rating',
        objectId: inserted.id,
        regionCode: row.region_code,
        detail: { caseNo: row.case_no, level: input.level, channel, followUpDue: due },
      });
      return inserted.id;
    });
    return ratingView((await repo.findRating(this.db, id, null))!, this.today());
  }

  async listRatings(ctx: RequestContext, query: RatingQuery) {
    const { scope } = authorizeAny(ctx, ['evaluation.read', 'evaluation.follow_up'], this.deps.clock);
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeKeyset(query.cursor, ['string', 'string'] as const) : null;
    const today = this.today();
    const { rows, total } = await repo.listRatings(this.db, scope, query, today, { after: after as [string, string] | null, limit });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map((r) => ratingView(r, today)), total, nextCursor: rows.length > limit && last ? encodeKeyset([last.rated_at.toISOString(), last.id]) : null };
  }

  async getRating(ctx: RequestContext, id: string): Promise<RatingView> {
    const { scope } = authorizeAny(ctx, ['evaluation.read', 'evaluation.follow_up'], this.deps.clock);
    const row = isUuid(id) ? await repo.findRating(this.db, id, scope) : undefined;
    if (!row) throw notFound('evaluation.rating_not_found', 'No such rating that you may see.', 'id');
    return ratingView(row, this.today());
  }

  /** 差评整改回访: once, by the department, with whether contact was made, the result, and the applicant's satisfaction. */
  async followUp(ctx: RequestContext, id: string, input: { contacted: boolean; result: string; satisfied: boolean | null }): Promise<RatingView> {
    const { actor, scope } = authorize(ctx, 'evaluation.follow_up', this.deps.clock);
    const result = input.result.trim();
    if (result.length === 0 || result.length > 1000) throw invalid('evaluation.result_required', 'result', 'Describe the follow-up in 1–1000 characters.');
    await this.db.transaction().execute(async (trx) => {
      const row = isUuid(id) ? await repo.findRating(trx, id, scope, true) : undefined;
      if (!row) throw notFound('evaluation.rating_not_found', 'No such rating of your department.', 'id');
      if (row.follow_up_due === null) throw conflict('evaluation.no_follow_up_needed', 'Only a bad rating (1–2) is followed up.', 'id');
      if (row.followed_up_at !== null) throw conflict('evaluation.already_followed_up', 'The bad rating has been followed up already.', 'id');
      const now = this.deps.clock.now();
      const on = this.today();
      await trx
        .updateTable('evaluation_rating')
        .set({ followed_up_at: now, followed_up_on: on, follow_up_by: actor.via === 'system' ? null : actor.userId, follow_up_contacted: input.contacted, follow_up_result: result, follow_up_satisfied: input.satisfied })
        .where('id', '=', id)
        .execute();
      await this.deps.audit.record(trx, ctx, {
        action: 'evaluation.rating.follow_up',
        objectType: 'evaluation_rating',
        objectId: id,
        regionCode: row.region_code,
        detail: { caseNo: row.case_no, contacted: input.contacted, satisfied: input.satisfied, late: on > row.follow_up_due, permission: 'evaluation.follow_up' },
      });
    });
    return this.getRating(ctx, id);
  }

  // ---- monthly scores

  private checkMonth(month: string): void {
    const current = this.today().slice(0, 7);
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month) || month > current || month < '2000-01') throw invalid('evaluation.invalid_month', 'month', 'The month must be YYYY-MM, not after this month.');
  }

  /** Computing and publishing need evaluation.manage over a region (a department admin's own-department scope is not enough). */
  private authorizeRegionManage(ctx: RequestContext) {
    const granted = authorize(ctx, 'evaluation.manage', this.deps.clock);
    if (granted.scope.paths.length === 0) throw forbidden('evaluation.region_scope_required', 'Computing and publishing scores need evaluation.manage over a region.');
    return granted;
  }

  async compute(ctx: RequestContext, month: string): Promise<{ month: string; departments: number }> {
    const { scope } = this.authorizeRegionManage(ctx);
    this.checkMonth(month);
    const departments = await this.db.transaction().execute(async (trx) => {
      await scores.lockMonth(trx, month);
      if (await scores.isPublished(trx, month)) throw conflict('evaluation.month_published', 'The month was published: it cannot be recomputed.', 'month');
      const n = await scores.computeScores(trx, month, this.today());
      await this.deps.audit.record(trx, ctx, { action: 'evaluation.score.compute', objectType: 'evaluation_score', objectId: month, detail: { month, departments: n, permission: 'evaluation.manage', scope: scope.paths } });
      return n;
    });
    return { month, departments };
  }

  async publish(ctx: RequestContext, month: string): Promise<{ month: string; departments: number }> {
    const { scope } = this.authorizeRegionManage(ctx);
    this.checkMonth(month);
    const departments = await this.db.transaction().execute(async (trx) => {
      await scores.lockMonth(trx, month);
      const n = await scores.publish(trx, month, this.deps.clock.now());
      if (n === 0) {
        if (await scores.isPublished(trx, month)) throw conflict('evaluation.month_published', 'The month is published already.', 'month');
        throw conflict('evaluation.nothing_to_publish', 'The month has not been scored yet.', 'month');
      }
      await this.deps.audit.record(trx, ctx, { action: 'evaluation.score.publish', objectType: 'evaluation_score', objectId: month, detail: { month, departments: n, permission: 'evaluation.manage', scope: scope.paths } });
      return n;
    });
    return { month, departments };
  }

  /** The schedule (1st of the month): scores the previous month unless it was published already. */
  async computePreviousMonth(): Promise<void> {
    const today = this.today();
    const [y, m] = today.split('-').map(Number) as [number, number];
    const previous = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const published = await scores.isPublished(this.db, previous);
    if (!published) await this.compute(systemActorContext(), previous);
  }

  async scores(ctx: RequestContext, query: { month: string; countyCode?: string }) {
    const { scope } = authorize(ctx, 'evaluation.read', this.deps.clock);
    this.checkMonth(query.month);
    const rows = await scores.scoresOf(this.db, query.month, { scope, countyCode: query.countyCode, publishedOnly: false });
    return { month: query.month, items: rows.map(scoreView) };
  }

  async trend(ctx: RequestContext, departmentId: string) {
    const { scope } = authorize(ctx, 'evaluation.read', this.deps.clock);
    if (!isUuid(departmentId)) throw notFound('evaluation.department_not_found', 'No such department.', 'departmentId');
    const rows = await scores.trendOf(this.db, departmentId, scope, 12);
    return { departmentId, items: rows.reverse().map((r) => ({ month: r.month, score: Number(r.score), grade: r.grade, rank: r.rank, components: r.components, published: r.published_at !== null })) };
  }

  async months(ctx: RequestContext | null) {
    if (ctx) authorize(ctx, 'evaluation.read', this.deps.clock);
    return { items: await scores.scoredMonths(this.db, ctx === null) };
  }

  /** 公开排名: a published month only; no sign-in. The newest published month when none is asked for. */
  async publicRanking(query: { month?: string; countyCode?: string }) {
    const month = query.month ?? (await scores.scoredMonths(this.db, true))[0]?.month;
    if (month === undefined) return { month: null, items: [] };
    this.checkMonth(month);
    const rows = await scores.scoresOf(this.db, month, { scope: null, countyCode: query.countyCode, publishedOnly: true });
    return { month, items: rows.map((r) => ({ rank: r.rank, departmentName: r.department_name, regionName: r.region_name, score: Number(r.score), grade: r.grade })) };
  }

  // ---- 我的待办: bad ratings awaiting follow-up, for department admins (who hold follow_up and read)

  private followUpScope(ctx: RequestContext): Scope | null {
    const actor = ctx.actor;
    if (!actor || actor.kind !== 'staff' || !scopeOf(actor, 'evaluation.read', this.deps.clock)) return null;
    return scopeOf(actor, 'evaluation.follow_up', this.deps.clock);
  }

  async todoList(ctx: RequestContext, limit: number): Promise<TodoItem[]> {
    const scope = this.followUpScope(ctx);
    if (!scope) return [];
    const rows = await repo.pendingFollowUps(this.db, scope, limit);
    return rows.map((r) => ({
      module: 'evaluation',
      kind: 'evaluation.follow_up',
      id: r.id,
      title: `差评回访：${r.case_no}「${r.item_name}」${r.level} 星`,
      deadline: r.follow_up_due,
      link: `/evaluation/follow-ups`,
      createdAt: r.rated_at.toISOString(),
    }));
  }

  async todoCount(ctx: RequestContext): Promise<number> {
    const scope = this.followUpScope(ctx);
    return scope ? repo.countPendingFollowUps(this.db, scope) : 0;
  }
}

export function scoreView(r: Awaited<ReturnType<typeof scores.scoresOf>>[number]) {
  return {
    departmentId: r.department_id,
    departmentName: r.department_name,
    regionCode: r.region_code,
    regionName: r.region_name,
    score: Number(r.score),
    grade: r.grade,
    rank: r.rank,
    components: r.components,
    computedAt: r.computed_at.toISOString(),
    publishedAt: isoDate(r.published_at),
  };
}
