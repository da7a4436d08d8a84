// Mobile grid work (网格化管理): the worker's area (grids, else community) with masked residents, buildings and
// households; due visits of 重点人群; visits (走访) with idempotent submission; incidents (事件上报) through the street's
// dispatch (working-day deadline) to the department's conclusion or return, each step audited and told to the reporter.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { TodoItem } from '../../platform/module.ts';
import { authorize, requireActor, scopeOf, type Actor, type Permission, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, forbidden, invalid, notFound } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import { maskIdNumber, maskPhone } from '../../shared/sensitive.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { FileOwner, OwnerAccess } from '../files/index.ts';
import type { InboxService } from '../inbox/index.ts';
import type { SmsService } from '../sms/index.ts';
import {
  DEFAULT_DEADLINE_WORKING_DAYS,
  INCIDENT_CATEGORIES,
  MAX_DEADLINE_WORKING_DAYS,
  TRANSITIONS,
  VISIT_KINDS,
  type IncidentAction,
  type IncidentCategory,
  type IncidentStatus,
  type VisitKind,
} from './kinds.ts';
import { incidentAbilities, reachAllows, type IncidentAbility } from './policy.ts';
import * as repo from './repository.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;
/** A visit time may run ahead of the server's clock by this much (phones' clocks drift). */
const CLOCK_SKEW_MS = 5 * 60_000;

/** YYYY-MM-DD in Beijing time. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export interface AreaView {
  grids: { id: string; code: string; name: string; communityCode: string; communityName: string }[];
  communities: { code: string; name: string }[];
  /** true: the caller is assigned to no grid and works the whole community (or reads the jurisdiction). */
  wholeCommunity: boolean;
  counts: { residents: number; buildings: number; households: number; dueVisits: number };
}

export interface ResidentItem {
  id: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  /** Masked 6+4. */
  idNumber: string;
  /** Masked 3+4. */
  phone: string | null;
  address: string;
  communityCode: string;
  gridName: string | null;
  householdId: string | null;
  relation: string | null;
  labels: string[];
}

export interface DueItem {
  residentId: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  phone: string | null;
  address: string;
  communityCode: string;
  gridName: string | null;
  labels: string[];
  intervalDays: number;
  lastVisitAt: string | null;
  /** When the next visit fell due; null: never visited. */
  dueAt: string | null;
  /** Whole days past due (0 on the day); null: never visited. */
  overdueDays: number | null;
}

export interface VisitInput {
  residentId: string;
  kind: VisitKind;
  visitedAt?: string;
  notes?: string;
  latitude?: number | null;
  longitude?: number | null;
  /** Client-generated submission key: a retried POST answers the visit it created. */
  clientKey: string;
}

export interface VisitView {
  id: string;
  residentId: string;
  residentName: string;
  communityCode: string;
  visitor: { id: string; name: string } | null;
  kind: VisitKind;
  visitedAt: string;
  notes: string;
  latitude: number | null;
  longitude: number | null;
  createdAt: string;
}

export interface IncidentInput {
  category: IncidentCategory;
  description: string;
  address: string;
  latitude?: number | null;
  longitude?: number | null;
  /** The community it happened in (defaults to the reporter's only one). */
  communityCode?: string;
  clientKey: string;
}

export interface TransitionInput {
  departmentId?: string;
  workingDays?: number;
  note?: string;
  /** resubmit: an amended description. */
  description?: string;
}

export interface IncidentView {
  id: string;
  number: string;
  category: IncidentCategory;
  description: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  community: { code: string; name: string };
  street: { code: string; name: string };
  reporter: { id: string; name: string } | null;
  status: IncidentStatus;
  department: { id: string; name: string } | null;
  deadline: string | null;
  deadlineProvisional: boolean;
  /** Dispatched and past its deadline, as of today (derived when read). */
  overdue: boolean;
  dispatchedAt: string | null;
  concludedAt: string | null;
  conclusion: string | null;
  returnReason: string | null;
  reportedAt: string;
  updatedAt: string;
  abilities: IncidentAbility[];
}

export interface IncidentDetail extends IncidentView {
  events: { action: string; fromStatus: string | null; toStatus: string; note: string; at: string; actorName: string | null; departmentName: string | null }[];
}

export type IncidentListView = 'all' | 'mine' | 'dispatch' | 'handle';

export interface GridworkDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditService;
  calendar: CalendarService;
  inbox: InboxService;
  sms: SmsService | undefined;
}

const text = (value: string | undefined, field: string, max: number, required: boolean): string => {
  const t = (value ?? '').trim();
  if (required && t === '') throw invalid('request.invalid', field, `${field} is required.`);
  if (t.length > max) throw invalid('request.invalid', field, `${field} has at most ${max} characters.`);
  return t;
};

function location(latitude: number | null | undefined, longitude: number | null | undefined): { latitude: number | null; longitude: number | null } {
  const lat = latitude ?? null;
  const lng = longitude ?? null;
  if ((lat === null) !== (lng === null)) throw invalid('gridwork.invalid_location', lat === null ? 'latitude' : 'longitude', 'Give both latitude and longitude, or neither.');
  if (lat !== null && (!Number.isFinite(lat) || lat < -90 || lat > 90)) throw invalid('gridwork.invalid_location', 'latitude', 'latitude lies between -90 and 90.');
  if (lng !== null && (!Number.isFinite(lng) || lng < -180 || lng > 180)) throw invalid('gridwork.invalid_location', 'longitude', 'longitude lies between -180 and 180.');
  return { latitude: lat, longitude: lng };
}

const toVisit = (r: repo.VisitRow): VisitView => ({
  id: r.id,
  residentId: r.resident_id,
  residentName: r.resident_name,
  communityCode: r.community_code,
  visitor: r.visitor_id ? { id: r.visitor_id, name: r.visitor_name ?? '' } : null,
  kind: r.kind,
  visitedAt: r.visited_at.toISOString(),
  notes: r.notes,
  latitude: r.latitude,
  longitude: r.longitude,
  createdAt: r.created_at.toISOString(),
});

/** The audit action (also the 站内信 kind and SMS purpose) of each transition. */
const AUDIT_ACTIONS: Readonly<Record<IncidentAction, string>> = {
  dispatch: 'gridwork.incident.dispatch',
  conclude: 'gridwork.incident.conclude',
  return: 'gridwork.incident.return',
  resubmit: 'gridwork.incident.resubmit',
};

const STATUS_ZH: Record<IncidentStatus, string> = { reported: '已上报', dispatched: '已派遣', returned: '已退回', concluded: '已办结' };

export class GridworkService {
  private readonly db: Kysely<Database>;
  private readonly clock: Clock;
  constructor(private readonly deps: GridworkDeps) {
    this.db = deps.db;
    this.clock = deps.clock;
  }

  private today(): string {
    return beijingDate(this.clock.now());
  }

  // ---- the area

  /** The caller's area: as a worker (their grids, else their community), else as a reader (the jurisdiction). */
  private async area(ctx: RequestContext): Promise<{ actor: Actor; area: repo.Area }> {
    const actor = requireActor(ctx.actor);
    const work = scopeOf(actor, 'gridwork.work', this.clock);
    if (work && work.paths.length > 0) {
      const grids = await repo.assignedGrids(this.db, actor.via === 'system' ? '' : actor.userId, work.paths);
      return { actor, area: { permission: 'gridwork.work', scope: work, paths: work.paths, gridIds: grids.length > 0 ? grids.map((g) => g.id) : null } };
    }
    const { scope } = authorize(ctx, 'gridwork.read', this.clock);
    return { actor, area: { permission: 'gridwork.read', scope, paths: scope.paths, gridIds: null } };
  }

  async myArea(ctx: RequestContext): Promise<AreaView> {
    const { actor, area } = await this.area(ctx);
    const today = this.today();
    const grids = area.gridIds ? await repo.assignedGrids(this.db, actor.userId, area.paths) : [];
    const [communities, counts, due] = await Promise.all([repo.areaCommunities(this.db, area), repo.countArea(this.db, area, today), repo.countDue(this.db, area, today, this.clock.now())]);
    return {
      grids: grids.map((g) => ({ id: g.id, code: g.code, name: g.name, communityCode: g.community_code, communityName: g.community_name })),
      communities: communities.map((c) => ({ code: c.code, name: c.name })),
      wholeCommunity: area.gridIds === null,
      counts: { ...counts, dueVisits: due },
    };
  }

  async residents(ctx: RequestContext, query: { q?: string; cursor?: string; limit?: number }): Promise<{ items: ResidentItem[]; total: number; nextCursor: string | null }> {
    const { area } = await this.area(ctx);
    const today = this.today();
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeKeyset(query.cursor, ['string', 'string'] as const) : undefined;
    const q = query.q?.trim() || undefined;
    const [rows, total] = await Promise.all([repo.residentsPage(this.db, area, today, { q, after, limit }), repo.countResidents(this.db, area, today, q)]);
    const page = rows.slice(0, limit);
    const labels = await repo.labelsOf(this.db, page.map((r) => r.id));
    const items = page.map((r) => ({
      id: r.id,
      name: r.name,
      sex: r.sex,
      birthDate: r.birth_date,
      idNumber: maskIdNumber(r.id_number),
      phone: r.phone === null ? null : maskPhone(r.phone),
      address: r.address,
      communityCode: r.community_code,
      gridName: r.grid_name,
      householdId: r.household_id,
      relation: r.relation,
      labels: labels.get(r.id) ?? [],
    }));
    if (items.length > 0) {
      await this.deps.audit.recordAccess(ctx, {
        resource: 'community_resident.list',
        subjectIds: items.map((i) => i.id),
        fields: ['name', 'sex', 'birthDate', 'address', 'labels'],
        permission: area.permission,
        scope: area.scope,
        detail: { view: 'gridwork.residents', count: items.length, q: q ?? null },
      });
    }
    const last = page.at(-1);
    return { items, total, nextCursor: rows.length > limit && last ? encodeKeyset([last.name, last.id]) : null };
  }

  async buildings(ctx: RequestContext, query: { cursor?: string; limit?: number }) {
    const { area } = await this.area(ctx);
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeKeyset(query.cursor, ['string', 'string'] as const) : undefined;
    const rows = await repo.buildingsPage(this.db, area, { after, limit });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((b) => ({ id: b.id, name: b.name, address: b.address, floors: b.floors, communityCode: b.community_code, gridName: b.grid_name, households: Number(b.households ?? 0) })),
      nextCursor: rows.length > limit && last ? encodeKeyset([last.name, last.id]) : null,
    };
  }

  async households(ctx: RequestContext, query: { cursor?: string; limit?: number }) {
    const { area } = await this.area(ctx);
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeKeyset(query.cursor, ['string', 'string'] as const) : undefined;
    const rows = await repo.householdsPage(this.db, area, { after, limit });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((h) => ({
        id: h.id,
        householdNo: h.household_no,
        address: h.address,
        memberCount: h.member_count,
        communityCode: h.community_code,
        gridName: h.grid_name,
        buildingName: h.building_name,
        headName: h.head_name ?? null,
      })),
      nextCursor: rows.length > limit && last ? encodeKeyset([last.household_no, last.id]) : null,
    };
  }

  // ---- due visits

  async dueVisits(ctx: RequestContext, query: { cursor?: string; limit?: number }): Promise<{ items: DueItem[]; total: number; nextCursor: string | null }> {
    const { area } = await this.area(ctx);
    const limit = query.limit ?? 50;
    // the due list is bounded by one worker's area: an offset cursor is enough
    const offset = query.cursor ? decodeKeyset(query.cursor, ['integer'])[0] : 0;
    if (!Number.isInteger(offset) || offset < 0) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not valid.');
    const now = this.clock.now();
    const today = this.today();
    const [rows, total] = await Promise.all([repo.duePage(this.db, area, today, now, offset, limit), repo.countDue(this.db, area, today, now)]);
    const items = rows.slice(0, limit).map((r) => this.toDue(r, now));
    return { items, total, nextCursor: rows.length > limit ? encodeKeyset([offset + limit]) : null };
  }

  private toDue(r: repo.DueRow, now: Date): DueItem {
    const dueAt = r.due_at ? new Date(r.due_at) : null;
    return {
      residentId: r.id,
      name: r.name,
      sex: r.sex,
      birthDate: r.birth_date,
      phone: r.phone === null ? null : maskPhone(r.phone),
      address: r.address,
      communityCode: r.community_code,
      gridName: r.grid_name,
      labels: r.labels,
      intervalDays: Number(r.interval_days),
      lastVisitAt: r.last_visit ? new Date(r.last_visit).toISOString() : null,
      dueAt: dueAt ? dueAt.toISOString() : null,
      overdueDays: dueAt ? Math.max(0, Math.floor((now.getTime() - dueAt.getTime()) / DAY_MS)) : null,
    };
  }

  // ---- visits

  async recordVisit(ctx: RequestContext, input: VisitInput): Promise<{ visit: VisitView; created: boolean }> {
    const { actor, scope } = authorize(ctx, 'gridwork.work', this.clock);
    const { area } = await this.area(ctx);
    if (!(VISIT_KINDS as readonly string[]).includes(input.kind)) throw invalid('request.invalid', 'kind', `kind is one of ${VISIT_KINDS.join(', ')}.`);
    const clientKey = text(input.clientKey, 'clientKey', 64, true);
    const now = this.clock.now();
    const visitedAt = input.visitedAt ? new Date(input.visitedAt) : now;
    if (Number.isNaN(visitedAt.getTime())) throw invalid('request.invalid', 'visitedAt', 'visitedAt is an ISO date-time.');
    if (visitedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw invalid('gridwork.invalid_time', 'visitedAt', 'The visit time cannot lie in the future.');
    const notes = text(input.notes, 'notes', 2000, false);
    const where = location(input.latitude, input.longitude);
    const visitorId = actor.via === 'system' ? null : actor.userId;

    // a retry finds the visit its first attempt created, before anything else is checked again
    const existing = await this.visitByKey(visitorId, clientKey);
    if (existing) return this.replayed(existing, input.residentId);

    const resident = UUID.test(input.residentId) ? await repo.residentForVisit(this.db, area, this.today(), input.residentId) : undefined;
    if (!resident) throw notFound('gridwork.resident_not_found', 'No such resident in your grids or community.', 'residentId');
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('gridwork_visit')
        .values({
          resident_id: resident.id,
          community_code: resident.community_code,
          region_path: resident.region_path,
          grid_id: resident.grid_id,
          visitor_id: visitorId,
          kind: input.kind,
          visited_at: visitedAt,
          notes,
          latitude: where.latitude,
          longitude: where.longitude,
          client_key: clientKey,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) return null; // a concurrent attempt with the same key won
      await this.deps.audit.record(trx, ctx, {
        action: 'gridwork.visit.create',
        objectType: 'gridwork_visit',
        objectId: row.id,
        regionCode: resident.community_code,
        detail: { residentId: resident.id, kind: input.kind, visitedAt: visitedAt.toISOString(), located: where.latitude !== null, permission: scope.permission },
      });
      return row.id;
    });
    if (id === null) return this.replayed((await this.visitByKey(visitorId, clientKey))!, input.residentId);
    const visit = await repo.visitsQuery(this.db).where('v.id', '=', id).executeTakeFirstOrThrow();
    return { visit: toVisit(visit), created: true };
  }

  private async visitByKey(visitorId: string | null, clientKey: string) {
    let q = repo.visitsQuery(this.db).where('v.client_key', '=', clientKey);
    q = visitorId === null ? q.where('v.visitor_id', 'is', null) : q.where('v.visitor_id', '=', visitorId);
    return q.executeTakeFirst();
  }

  private replayed(row: repo.VisitRow, residentId: string): { visit: VisitView; created: boolean } {
    if (row.resident_id !== residentId) throw new DomainError('gridwork.idempotency_mismatch', 'conflict', 'The submission key was used for a visit to another resident.', 'clientKey');
    return { visit: toVisit(row), created: false };
  }

  async visits(ctx: RequestContext, query: { residentId?: string; cursor?: string; limit?: number }): Promise<{ items: VisitView[]; nextCursor: string | null }> {
    const { area } = await this.area(ctx);
    const limit = query.limit ?? 50;
    let q = repo
      .visitsQuery(this.db)
      .where((eb) => repo.pathIn(eb.ref('v.region_path'), area.paths))
      .$if(area.gridIds !== null, (qb) => qb.where((eb) => (area.gridIds!.length === 0 ? eb.val(false) : eb.or([eb('v.grid_id', 'in', area.gridIds!), eb('v.visitor_id', '=', ctx.actor!.userId)]))))
      .$if(query.residentId !== undefined, (qb) => qb.where('v.resident_id', '=', query.residentId!));
    if (query.cursor) {
      const [at, id] = decodeKeyset(query.cursor, ['string', 'string'] as const);
      const when = new Date(at);
      if (Number.isNaN(when.getTime())) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not valid.');
      q = q.where((eb) => eb.or([eb('v.visited_at', '<', when), eb.and([eb('v.visited_at', '=', when), eb('v.id', '<', id)])]));
    }
    const rows = await q.orderBy('v.visited_at', 'desc').orderBy('v.id', 'desc').limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map(toVisit), nextCursor: rows.length > limit && last ? encodeKeyset([last.visited_at.toISOString(), last.id]) : null };
  }

  // ---- incidents

  private reach(actor: Actor): repo.Reach {
    return {
      userId: actor.via === 'system' ? '' : actor.userId,
      work: scopeOf(actor, 'gridwork.work', this.clock),
      dispatch: scopeOf(actor, 'gridwork.dispatch', this.clock),
      handle: scopeOf(actor, 'gridwork.handle', this.clock),
      read: scopeOf(actor, 'gridwork.read', this.clock),
    };
  }

  private reachOf(ctx: RequestContext): repo.Reach {
    const actor = requireActor(ctx.actor);
    const reach = this.reach(actor);
    if (!reach.work && !reach.dispatch && !reach.handle && !reach.read) authorize(ctx, 'gridwork.read', this.clock);
    return reach;
  }

  private toIncident(r: repo.IncidentRow, today: string): IncidentView {
    const flags = { status: r.status, in_dispatch: Boolean(r.in_dispatch), in_handle: Boolean(r.in_handle), is_reporter: Boolean(r.is_reporter) };
    return {
      id: r.id,
      number: r.number,
      category: r.category,
      description: r.description,
      address: r.address,
      latitude: r.latitude,
      longitude: r.longitude,
      community: { code: r.community_code, name: r.community_name },
      street: { code: r.street_code, name: r.street_name },
      reporter: r.reporter_id ? { id: r.reporter_id, name: r.reporter_name ?? '' } : null,
      status: r.status,
      department: r.department_id ? { id: r.department_id, name: r.department_name ?? '' } : null,
      deadline: r.deadline,
      deadlineProvisional: r.deadline_provisional,
      overdue: r.status === 'dispatched' && r.deadline !== null && r.deadline < today,
      dispatchedAt: r.dispatched_at?.toISOString() ?? null,
      concludedAt: r.concluded_at?.toISOString() ?? null,
      conclusion: r.conclusion,
      returnReason: r.return_reason,
      reportedAt: r.reported_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      abilities: incidentAbilities(flags),
    };
  }

  async report(ctx: RequestContext, input: IncidentInput): Promise<{ incident: IncidentView; created: boolean }> {
    const { actor, scope } = authorize(ctx, 'gridwork.work', this.clock);
    const { area } = await this.area(ctx);
    if (!(INCIDENT_CATEGORIES as readonly string[]).includes(input.category)) throw invalid('request.invalid', 'category', `category is one of ${INCIDENT_CATEGORIES.join(', ')}.`);
    const clientKey = text(input.clientKey, 'clientKey', 64, true);
    const description = text(input.description, 'description', 2000, true);
    const address = text(input.address, 'address', 200, true);
    const where = location(input.latitude, input.longitude);
    const reporterId = actor.via === 'system' ? null : actor.userId;
    const reach = this.reach(actor);

    const existing = await this.incidentByKey(reach, reporterId, clientKey);
    if (existing) {
      if (existing.description !== description || existing.category !== input.category) {
        throw new DomainError('gridwork.idempotency_mismatch', 'conflict', 'The submission key was used for a different incident.', 'clientKey');
      }
      return { incident: this.toIncident(existing, this.today()), created: false };
    }

    const communities = input.communityCode ? await repo.areaCommunities(this.db, area, input.communityCode) : await repo.areaCommunities(this.db, area);
    if (!input.communityCode && communities.length === 0) throw invalid('gridwork.no_community', 'communityCode', 'You are assigned to no community.');
    const community = input.communityCode || communities.length === 1 ? communities[0] : undefined;
    if (!community || !community.parent_code) throw invalid('gridwork.invalid_community', 'communityCode', 'Name one of the communities you work in.');
    const street = await this.db.selectFrom('region').select(['code', 'path']).where('code', '=', community.parent_code).executeTakeFirstOrThrow();
    const gridId = area.gridIds?.length === 1 ? area.gridIds[0]! : null;

    const id = await this.db.transaction().execute(async (trx) => {
      const { n } = await trx.selectNoFrom((eb) => eb.fn<string>('nextval', [eb.val('gridwork_incident_seq')]).as('n')).executeTakeFirstOrThrow();
      const number = `SJ${this.today().replaceAll('-', '')}${String(n).padStart(6, '0')}`;
      const row = await trx
        .insertInto('gridwork_incident')
        .values({
          number,
          category: input.category,
          description,
          address,
          latitude: where.latitude,
          longitude: where.longitude,
          community_code: community.code,
          region_path: community.path,
          street_code: street.code,
          street_path: street.path,
          grid_id: gridId,
          reporter_id: reporterId,
          client_key: clientKey,
          reported_at: this.clock.now(),
          updated_at: this.clock.now(),
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) return null;
      await trx.insertInto('gridwork_incident_event').values({ incident_id: row.id, action: 'report', from_status: null, to_status: 'reported', actor_id: reporterId, department_id: null, note: '' }).execute();
      await this.deps.audit.record(trx, ctx, {
        action: 'gridwork.incident.report',
        objectType: 'gridwork_incident',
        objectId: row.id,
        regionCode: community.code,
        detail: { number, category: input.category, streetCode: street.code, located: where.latitude !== null, permission: scope.permission },
      });
      return row.id;
    });
    if (id === null) return this.report(ctx, input); // a concurrent attempt with the same key won: answer it
    const row = await repo.incidentsQuery(this.db, reach).where('i.id', '=', id).executeTakeFirstOrThrow();
    return { incident: this.toIncident(row, this.today()), created: true };
  }

  private async incidentByKey(reach: repo.Reach, reporterId: string | null, clientKey: string) {
    let q = repo.incidentsQuery(this.db, reach).where('i.client_key', '=', clientKey);
    q = reporterId === null ? q.where('i.reporter_id', 'is', null) : q.where('i.reporter_id', '=', reporterId);
    return q.executeTakeFirst();
  }

  async incidents(
    ctx: RequestContext,
    query: { view?: IncidentListView; status?: IncidentStatus; category?: IncidentCategory; cursor?: string; limit?: number },
  ): Promise<{ items: IncidentView[]; nextCursor: string | null }> {
    const reach = this.reachOf(ctx);
    const view = query.view ?? 'all';
    const limit = query.limit ?? 50;
    const byDeadline = view === 'handle';
    let q = repo
      .incidentsQuery(this.db, reach)
      .$if(view === 'mine', (qb) => qb.where((eb) => repo.isReporter(eb, reach)))
      .$if(view === 'dispatch', (qb) => qb.where((eb) => repo.inDispatch(eb, reach)).where('i.status', 'in', TRANSITIONS.dispatch.from))
      .$if(view === 'handle', (qb) => qb.where((eb) => repo.inHandle(eb, reach)).where('i.status', '=', 'dispatched'))
      .$if(query.status !== undefined, (qb) => qb.where('i.status', '=', query.status!))
      .$if(query.category !== undefined, (qb) => qb.where('i.category', '=', query.category!));
    if (query.cursor) {
      const [key, id] = decodeKeyset(query.cursor, ['string', 'string'] as const);
      if (byDeadline) q = q.where((eb) => eb.or([eb('i.deadline', '>', key), eb.and([eb('i.deadline', '=', key), eb('i.id', '>', id)])]));
      else {
        const when = new Date(key);
        if (Number.isNaN(when.getTime())) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not valid.');
        q = q.where((eb) => eb.or([eb('i.reported_at', '<', when), eb.and([eb('i.reported_at', '=', when), eb('i.id', '<', id)])]));
      }
    }
    q = byDeadline ? q.orderBy('i.deadline').orderBy('i.id') : q.orderBy('i.reported_at', 'desc').orderBy('i.id', 'desc');
    const rows = await q.limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const today = this.today();
    return {
      items: page.map((r) => this.toIncident(r, today)),
      nextCursor: rows.length > limit && last ? encodeKeyset(byDeadline ? [last.deadline ?? '', last.id] : [last.reported_at.toISOString(), last.id]) : null,
    };
  }

  async incident(ctx: RequestContext, id: string): Promise<IncidentDetail> {
    const reach = this.reachOf(ctx);
    const row = UUID.test(id) ? await repo.incidentsQuery(this.db, reach).where('i.id', '=', id).executeTakeFirst() : undefined;
    if (!row) throw notFound('gridwork.incident_not_found', 'No such incident in your jurisdiction.', 'id');
    const events = await repo.incidentEvents(this.db, id);
    return {
      ...this.toIncident(row, this.today()),
      events: events.map((e) => ({ action: e.action, fromStatus: e.from_status, toStatus: e.to_status, note: e.note, at: e.at.toISOString(), actorName: e.actor_name, departmentName: e.department_name })),
    };
  }

  /** The departments the incident's street may dispatch it to. */
  async dispatchDepartments(ctx: RequestContext, id: string, q?: string): Promise<{ id: string; name: string; regionCode: string; regionName: string }[]> {
    const reach = this.reachOf(ctx);
    const row = UUID.test(id) ? await repo.incidentsQuery(this.db, reach).where('i.id', '=', id).where((eb) => repo.inDispatch(eb, reach)).executeTakeFirst() : undefined;
    if (!row) throw notFound('gridwork.incident_not_found', 'No such incident you may dispatch.', 'id');
    const rows = await repo.dispatchDepartments(this.db, row.street_path, q?.trim() || undefined, 100);
    return rows.map((d) => ({ id: d.id, name: d.name, regionCode: d.region_code, regionName: d.region_name }));
  }

  async transition(ctx: RequestContext, id: string, step: IncidentAction, input: TransitionInput): Promise<IncidentDetail> {
    const permission: Permission = step === 'dispatch' ? 'gridwork.dispatch' : step === 'resubmit' ? 'gridwork.work' : 'gridwork.handle';
    const { actor, scope } = authorize(ctx, permission, this.clock);
    const reach = this.reach(actor);
    const note = text(input.note, 'note', 2000, step === 'conclude' || step === 'return');
    if ((step === 'conclude' || step === 'return') && note === '') throw invalid('gridwork.note_required', 'note', 'State the outcome or the reason.');
    const description = step === 'resubmit' && input.description !== undefined ? text(input.description, 'description', 2000, true) : undefined;
    let workingDays = DEFAULT_DEADLINE_WORKING_DAYS;
    if (step === 'dispatch') {
      if (!input.departmentId) throw invalid('request.invalid', 'departmentId', 'Name the responsible department.');
      if (input.workingDays !== undefined) {
        if (!Number.isInteger(input.workingDays) || input.workingDays < 1 || input.workingDays > MAX_DEADLINE_WORKING_DAYS) {
          throw invalid('request.invalid', 'workingDays', `workingDays is 1–${MAX_DEADLINE_WORKING_DAYS}.`);
        }
        workingDays = input.workingDays;
      }
    }
    if (!UUID.test(id)) throw notFound('gridwork.incident_not_found', 'No such incident in your jurisdiction.', 'id');
    const actorId = actor.via === 'system' ? null : actor.userId;

    await this.db.transaction().execute(async (trx) => {
      // the row lock serialises concurrent transitions: the second sees the first's state and is refused (409)
      const row = await repo.incidentsQuery(trx, reach).where('i.id', '=', id).forUpdate('i').executeTakeFirst();
      if (!row) throw notFound('gridwork.incident_not_found', 'No such incident in your jurisdiction.', 'id');
      const rule = TRANSITIONS[step];
      if (!rule.from.includes(row.status)) {
        throw new DomainError('gridwork.invalid_transition', 'conflict', `The incident is ${row.status}: ${step} needs it ${rule.from.join(' or ')}.`, 'status', { state: row.status, step });
      }
      if (!reachAllows({ in_dispatch: Boolean(row.in_dispatch), in_handle: Boolean(row.in_handle), is_reporter: Boolean(row.is_reporter) }, step)) {
        throw forbidden('gridwork.not_allowed', `You may not ${step} this incident.`);
      }
      const now = this.clock.now();
      let department: { id: string; name: string } | undefined;
      let deadline: { date: string; provisional: boolean } | undefined;
      if (step === 'dispatch') {
        department = UUID.test(input.departmentId!) ? await repo.departmentForDispatch(trx, row.street_path, input.departmentId!) : undefined;
        if (!department) throw invalid('gridwork.unknown_department', 'departmentId', 'Name a department of the street, its county or prefecture.');
        deadline = this.deps.calendar.addWorkingDays(this.today(), workingDays);
      }
      const updated = await trx
        .updateTable('gridwork_incident')
        .set((eb) => ({
          status: rule.to,
          version: eb('version', '+', 1),
          updated_at: now,
          ...(step === 'dispatch'
            ? { department_id: department!.id, deadline: deadline!.date, deadline_provisional: deadline!.provisional, dispatched_at: now, dispatched_by: actorId, return_reason: null }
            : {}),
          ...(step === 'conclude' ? { concluded_at: now, conclusion: note } : {}),
          ...(step === 'return' ? { return_reason: note } : {}),
          ...(step === 'resubmit' ? { department_id: null, deadline: null, deadline_provisional: false, ...(description ? { description } : {}) } : {}),
        }))
        .where('id', '=', id)
        .where('status', 'in', rule.from)
        .returning('id')
        .executeTakeFirst();
      if (!updated) throw new DomainError('gridwork.invalid_transition', 'conflict', 'The incident changed meanwhile.', 'status');
      await trx
        .insertInto('gridwork_incident_event')
        .values({ incident_id: id, action: step, from_status: row.status, to_status: rule.to, actor_id: actorId, department_id: department?.id ?? row.department_id, note, at: now })
        .execute();
      await this.deps.audit.record(trx, ctx, {
        action: AUDIT_ACTIONS[step],
        objectType: 'gridwork_incident',
        objectId: id,
        regionCode: row.community_code,
        detail: {
          number: row.number,
          from: row.status,
          to: rule.to,
          permission: scope.permission,
          ...(department ? { departmentId: department.id, deadline: deadline!.date, deadlineProvisional: deadline!.provisional, workingDays } : {}),
          ...(note ? { note } : {}),
        },
      });
      await this.notify(trx, row, step, rule.to, { department, deadline: deadline?.date, note });
    });
    return this.incident(ctx, id);
  }

  /** Tells the reporter (站内信, and SMS on conclusion or return) and, on dispatch, the department's handlers. */
  private async notify(
    trx: Transaction<Database>,
    row: repo.IncidentRow,
    step: IncidentAction,
    to: IncidentStatus,
    facts: { department?: { id: string; name: string }; deadline?: string; note: string },
  ): Promise<void> {
    const link = `/gridwork/incidents?incident=${row.id}`;
    if (row.reporter_id && step !== 'resubmit') {
      const body =
        step === 'dispatch'
          ? `已派遣至 ${facts.department!.name}，办理期限 ${facts.deadline}。`
          : step === 'conclude'
            ? `办结意见：${facts.note}`
            : `退回理由：${facts.note}`;
      await this.deps.inbox.send(trx, {
        to: row.reporter_id,
        module: 'gridwork',
        kind: AUDIT_ACTIONS[step],
        title: `事件 ${row.number} ${STATUS_ZH[to]}`,
        body,
        link,
        key: `${AUDIT_ACTIONS[step]}:${row.id}:${row.version}`,
      });
      if (this.deps.sms && row.reporter_phone && (step === 'conclude' || step === 'return')) {
        await this.deps.sms.send(trx, { to: row.reporter_phone, text: `【政务云】您上报的事件 ${row.number}${STATUS_ZH[to]}，请登录平台查看。`, purpose: AUDIT_ACTIONS[step] });
      }
    }
    if (step === 'dispatch' && facts.department) {
      const handlers = await repo.departmentHolders(trx, facts.department.id, 'gridwork.handle');
      if (handlers.length > 0) {
        await this.deps.inbox.send(trx, {
          to: handlers.map((h) => h.id),
          module: 'gridwork',
          kind: 'gridwork.incident.assigned',
          title: `新派遣事件 ${row.number}（${row.street_name}），期限 ${facts.deadline}`,
          body: row.description.slice(0, 500),
          link,
          key: `gridwork.assigned:${row.id}:${row.version}`,
        });
      }
    }
  }

  // ---- files (visit and incident photos)

  /** Photos of a visit: attached by its visitor, read by whoever sees the visit. */
  visitFileOwner(): Pick<FileOwner, 'canRead' | 'canAttach'> {
    const access = async (ctx: RequestContext, visitId: string, attach: boolean): Promise<OwnerAccess | null> => {
      if (!UUID.test(visitId)) return null;
      let area: repo.Area;
      try {
        area = (await this.area(ctx)).area;
      } catch {
        return null;
      }
      if (attach && area.permission !== 'gridwork.work') return null;
      const actor = requireActor(ctx.actor);
      const row = await this.db
        .selectFrom('gridwork_visit as v')
        .select(['v.community_code', 'v.visitor_id', 'v.grid_id'])
        .where('v.id', '=', visitId)
        .where((eb) => repo.pathIn(eb.ref('v.region_path'), area.paths))
        .executeTakeFirst();
      if (!row) return null;
      const own = actor.via === 'system' ? row.visitor_id === null : row.visitor_id === actor.userId;
      if (attach && !own) return null;
      if (!attach && area.gridIds && !own && !(row.grid_id && area.gridIds.includes(row.grid_id))) return null;
      return { permission: area.permission, scope: area.scope, regionCode: row.community_code };
    };
    return { canRead: (ctx, id) => access(ctx, id, false), canAttach: (ctx, id) => access(ctx, id, true) };
  }

  /** Photos of an incident: attached by its reporter while it is with them, read by whoever sees the incident. */
  incidentFileOwner(): Pick<FileOwner, 'canRead' | 'canAttach'> {
    const access = async (ctx: RequestContext, incidentId: string, attach: boolean): Promise<OwnerAccess | null> => {
      if (!UUID.test(incidentId) || !ctx.actor) return null;
      const reach = this.reach(ctx.actor);
      const row = await repo.incidentsQuery(this.db, reach).where('i.id', '=', incidentId).executeTakeFirst();
      if (!row) return null;
      if (attach && !incidentAbilities({ status: row.status, in_dispatch: Boolean(row.in_dispatch), in_handle: Boolean(row.in_handle), is_reporter: Boolean(row.is_reporter) }).includes('attach')) return null;
      const [permission, scope] = this.readingPermission(reach, row);
      return { permission, scope, regionCode: row.community_code };
    };
    return { canRead: (ctx, id) => access(ctx, id, false), canAttach: (ctx, id) => access(ctx, id, true) };
  }

  private readingPermission(reach: repo.Reach, row: repo.IncidentRow): [Permission, Scope] {
    if (row.is_reporter && reach.work) return ['gridwork.work', reach.work];
    if (row.in_handle && reach.handle) return ['gridwork.handle', reach.handle];
    if (row.in_dispatch && reach.dispatch) return ['gridwork.dispatch', reach.dispatch];
    const scope = reach.work ?? reach.read ?? reach.dispatch ?? reach.handle!;
    return [scope.permission, scope];
  }

  // ---- 我的待办

  async todoList(ctx: RequestContext, limit: number): Promise<TodoItem[]> {
    const actor = ctx.actor;
    if (!actor || actor.kind !== 'staff' || actor.via === 'system') return [];
    const reach = this.reach(actor);
    const items: TodoItem[] = [];
    const today = this.today();
    if (reach.work && reach.work.paths.length > 0) {
      const { area } = await this.area(ctx);
      const now = this.clock.now();
      for (const r of await repo.duePage(this.db, area, today, now, 0, limit)) {
        const due = this.toDue(r, now);
        items.push({
          module: 'gridwork',
          kind: 'gridwork.visit_due',
          id: r.id,
          title: `走访 ${r.name}（${due.overdueDays === null ? '从未走访' : `逾期 ${due.overdueDays} 天`}）`,
          deadline: due.dueAt ? beijingDate(new Date(due.dueAt)) : today,
          link: `/gridwork/visits?resident=${r.id}`,
          createdAt: due.lastVisitAt ?? now.toISOString(),
        });
      }
    }
    const todoDispatch = this.todoDispatchReach(reach);
    const rows = await repo
      .incidentsQuery(this.db, reach)
      .where((eb) =>
        eb.or([
          eb.and([repo.isReporter(eb, reach), eb('i.status', '=', 'returned')]),
          eb.and([repo.inDispatch(eb, todoDispatch), eb('i.status', '=', 'reported')]),
          eb.and([repo.inHandle(eb, this.todoHandleReach(reach)), eb('i.status', '=', 'dispatched')]),
        ]),
      )
      .orderBy('i.deadline')
      .orderBy('i.reported_at')
      .limit(limit)
      .execute();
    for (const r of rows) {
      const kind = r.status === 'returned' ? 'gridwork.incident_returned' : r.status === 'reported' ? 'gridwork.incident_dispatch' : 'gridwork.incident_handle';
      const verb = r.status === 'returned' ? '被退回，请补充后重新上报' : r.status === 'reported' ? '待派遣' : '待办理';
      items.push({
        module: 'gridwork',
        kind,
        id: r.id,
        title: `事件 ${r.number}（${r.community_name}）${verb}`,
        deadline: r.status === 'dispatched' ? r.deadline : null,
        link: `/gridwork/${r.status === 'returned' ? 'incidents' : 'handling'}?incident=${r.id}`,
        createdAt: r.updated_at.toISOString(),
      });
    }
    return items;
  }

  async todoCount(ctx: RequestContext): Promise<number> {
    const actor = ctx.actor;
    if (!actor || actor.kind !== 'staff' || actor.via === 'system') return 0;
    const reach = this.reach(actor);
    let n = 0;
    if (reach.work && reach.work.paths.length > 0) {
      const { area } = await this.area(ctx);
      n += await repo.countDue(this.db, area, this.today(), this.clock.now());
    }
    const todoDispatch = this.todoDispatchReach(reach);
    const row = await this.db
      .selectFrom('gridwork_incident as i')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where((eb) =>
        eb.or([
          eb.and([repo.isReporter(eb, reach), eb('i.status', '=', 'returned')]),
          eb.and([repo.inDispatch(eb, todoDispatch), eb('i.status', '=', 'reported')]),
          eb.and([repo.inHandle(eb, this.todoHandleReach(reach)), eb('i.status', '=', 'dispatched')]),
        ]),
      )
      .executeTakeFirstOrThrow();
    return n + Number(row.n);
  }

  /** 我的待办 lists incidents to dispatch only at a street's own desk: grants at street level (county or prefecture holders may still act from the page). */
  private todoDispatchReach(reach: repo.Reach): repo.Reach {
    if (!reach.dispatch) return reach;
    const streetLevel = reach.dispatch.paths.filter((p) => p.split('/').filter(Boolean).length >= 3);
    return { ...reach, dispatch: { ...reach.dispatch, paths: streetLevel } };
  }

  /** …and incidents to handle only where one's own department is the responsible one. */
  private todoHandleReach(reach: repo.Reach): repo.Reach {
    if (!reach.handle) return reach;
    return { ...reach, handle: { ...reach.handle, paths: [] } };
  }
}
