// The community registry's domain logic: authorization first, jurisdiction in SQL, one transaction per write with
// its audit record inside; residents' residence history kept as intervals; ID numbers and phones masked unless the
// caller holds community.read_sensitive (each unmasked read and each export goes to the access log).
import { randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize, scopeCovers, scopeOf, type Permission, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, conflict, invalid, notFound } from '../../shared/errors.ts';
import { checkIdNumber, chinaDate, isCnMobile } from '../../shared/id-number.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import { maskIdNumber, maskPhone } from '../../shared/sensitive.ts';
import type { AuditService } from '../audit/index.ts';
import { countyCodeExists } from '../citizens/index.ts';
import { isEthnicity } from './ethnicities.ts';
import { ResidentImports, type OutboxPort } from './imports.ts';
import { BuildingService } from './buildings.ts';
import type { ResidentFilter } from './filter.ts';
import { FACTS, RESIDENCE_STATUSES, type Fact, type ResidenceStatus } from './kinds.ts';
import * as repo from './repository.ts';
import type { EditResident, GridView, HouseholdView, LeaveInput, MoveInput, NewResident, ResidentListQuery, ResidentView } from './schema.ts';
import './permissions.ts';

/** Roles whose grant makes a user assignable to a grid (they work in the community). */
const GRID_WORKER_ROLES = ['community_worker', 'department_staff', 'department_admin'] as const;
export const EXPORT_LIMIT = 50_000;

type Region = NonNullable<Awaited<ReturnType<typeof repo.regionByCode>>>;

export interface ImportRejection {
  /** 1-based row of the file (after its header). */
  row: number;
  field: string | null;
  code: string;
  message: string;
}

export interface ImportReport {
  rows: number;
  accepted: number;
  rejected: number;
  rejections: ImportRejection[];
}

const outOfJurisdiction = (field: string) => new DomainError('community.out_of_jurisdiction', 'forbidden', 'That community is outside your jurisdiction.', field);

/** Whole years between a birth date and today. */
export function ageOn(birthDate: string, today: string): number {
  let age = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (today.slice(5) < birthDate.slice(5)) age -= 1;
  return age;
}

const splitList = (text: string | undefined): string[] => (text ? text.split(',').filter((s) => s.length > 0) : []);

export class CommunityService {
  /** File and population-resource imports (imports.ts). */
  readonly imports: ResidentImports;
  /** A building with its residents, and its edits (buildings.ts). */
  readonly buildingDetail: BuildingService;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    outbox?: OutboxPort,
  ) {
    this.imports = new ResidentImports(db, audit, clock, outbox);
    this.buildingDetail = new BuildingService(db, audit, clock);
  }

  private today(): string {
    return chinaDate(this.clock.now());
  }

  /** A current level-4 region inside the scope, else 400 (not a community) or 403 naming the field. */
  private async community(db: Kysely<Database> | Transaction<Database>, scope: Scope, code: string, field: string): Promise<Region> {
    const region = await repo.regionByCode(db, code);
    if (!region || region.level !== 4 || region.valid_to !== null) throw invalid('community.not_a_community', field, 'Not a current community or village (level 4) region.');
    if (!scopeCovers(scope, region.path)) throw outOfJurisdiction(field);
    return region;
  }

  // ---- residents: read ----------------------------------------------------------------------------------------------

  /** The one filter from query parameters; an unknown region is a 400 naming `region`. */
  async filterOf(query: Omit<ResidentListQuery, 'cursor' | 'limit'>): Promise<ResidentFilter> {
    const filter: ResidentFilter = {};
    if (query.region) {
      const region = await repo.regionByCode(this.db, query.region);
      if (!region) throw invalid('community.unknown_region', 'region', 'No region has this code.');
      filter.regionPath = region.path;
    }
    if (query.q) filter.q = query.q;
    if (query.gridId) filter.gridId = query.gridId;
    if (query.sex) filter.sex = query.sex;
    if (query.ageMin !== undefined) filter.ageMin = query.ageMin;
    if (query.ageMax !== undefined) filter.ageMax = query.ageMax;
    if (query.ethnicity) filter.ethnicity = splitList(query.ethnicity);
    if (query.residenceStatus) {
      const statuses = splitList(query.residenceStatus);
      const bad = statuses.find((s) => !(RESIDENCE_STATUSES as readonly string[]).includes(s));
      if (bad) throw invalid('request.invalid', 'residenceStatus', `Unknown residence status ${bad}.`);
      filter.residenceStatus = statuses as ResidenceStatus[];
    }
    if (query.labels) filter.labels = splitList(query.labels);
    const facts: Partial<Record<Fact, boolean>> = {};
    for (const [field, value] of [['hasFacts', true], ['lacksFacts', false]] as const) {
      for (const fact of splitList(query[field])) {
        if (!(FACTS as readonly string[]).includes(fact)) throw invalid('request.invalid', field, `Unknown fact ${fact}.`);
        facts[fact as Fact] = value;
      }
    }
    if (Object.keys(facts).length > 0) filter.facts = facts;
    if (query.status) filter.status = query.status;
    return filter;
  }

  async list(ctx: RequestContext, query: ResidentListQuery): Promise<{ items: ResidentView[]; total: number; totalExact: boolean; nextCursor: string | null }> {
    const { actor, scope } = authorize(ctx, 'community.read', this.clock);
    const after = query.cursor === undefined ? undefined : decodeKeyset(query.cursor, ['string', 'string'] as const);
    if (after && !/^[0-9a-f-]{36}$/.test(after[1])) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not one this API issued.');
    const filter = await this.filterOf(query);
    const today = this.today();
    const limit = query.limit ?? 50;
    const [rows, count] = await Promise.all([repo.listResidents(this.db, scope, filter, today, { after, limit: limit + 1 }), repo.countResidents(this.db, scope, filter, today)]);
    const page = rows.slice(0, limit);
    const items = await this.present(ctx, actor, page, 'community.resident.list');
    const last = page.at(-1);
    return { items, total: count.total, totalExact: count.exact, nextCursor: rows.length > limit && last ? encodeKeyset([last.name, last.id]) : null };
  }

  async get(ctx: RequestContext, id: string): Promise<ResidentView> {
    const { actor, scope } = authorize(ctx, 'community.read', this.clock);
    const row = await repo.residentById(this.db, scope, id);
    if (!row) throw notFound('community.resident_not_found', 'No such resident in your jurisdiction.');
    return (await this.present(ctx, actor, [row], 'community.resident'))[0]!;
  }

  async history(ctx: RequestContext, id: string) {
    const { scope } = authorize(ctx, 'community.read', this.clock);
    const row = await repo.residentById(this.db, scope, id);
    if (!row) throw notFound('community.resident_not_found', 'No such resident in your jurisdiction.');
    const items = await repo.residenceHistory(this.db, id);
    return {
      items: items.map((h) => ({ communityCode: h.community_code, communityName: h.community_name, residenceStatus: h.residence_status, validFrom: h.valid_from, validTo: h.valid_to, reason: h.reason })),
    };
  }

  /** Rows → views, masked where the caller lacks community.read_sensitive over the row; unmasked reads logged. */
  private async present(ctx: RequestContext, actor: NonNullable<RequestContext['actor']>, rows: repo.ResidentRow[], resource: string): Promise<ResidentView[]> {
    const sensitive = scopeOf(actor, 'community.read_sensitive', this.clock);
    const labels = await repo.labelsOf(
      this.db,
      rows.map((r) => r.id),
    );
    const today = this.today();
    const revealed: repo.ResidentRow[] = [];
    const views = rows.map((r): ResidentView => {
      const reveal = sensitive !== null && scopeCovers(sensitive, r.region_path);
      if (reveal) revealed.push(r);
      return {
        id: r.id,
        idNumber: reveal ? r.id_number : maskIdNumber(r.id_number),
        name: r.name,
        sex: r.sex,
        birthDate: r.birth,
        age: ageOn(r.birth, today),
        ethnicity: r.ethnicity.trim(),
        phone: r.phone === null ? null : reveal ? r.phone : maskPhone(r.phone),
        householdId: r.household_id,
        relation: r.relation,
        buildingId: r.building_id,
        gridId: r.grid_id,
        communityCode: r.community_code,
        communityName: r.community_name,
        address: r.address,
        residenceStatus: r.residence_status,
        status: r.status,
        movedInOn: r.moved_in,
        labels: labels.filter((l) => l.resident_id === r.id).map((l) => l.label_code),
        version: r.version,
        masked: !reveal,
        updatedAt: r.updated_at.toISOString(),
      };
    });
    if (revealed.length > 0 && sensitive) {
      await this.audit.recordAccess(ctx, {
        resource,
        subjectIds: revealed.map((r) => r.id_number),
        fields: ['id_number', 'phone'],
        permission: 'community.read_sensitive',
        scope: sensitive,
        regionCode: revealed.length === 1 ? revealed[0]!.community_code : null,
        detail: { rows: revealed.length },
      });
    }
    return views;
  }

  /** The current filter as CSV or XLSX (at most EXPORT_LIMIT rows), masked as on screen; audited and access-logged. */
  async export(ctx: RequestContext, query: Omit<ResidentListQuery, 'cursor' | 'limit'>, format: 'csv' | 'xlsx'): Promise<{ contentType: string; fileName: string; body: Buffer }> {
    const { actor, scope } = authorize(ctx, 'community.read', this.clock);
    const filter = await this.filterOf(query);
    const today = this.today();
    const rows = await repo.listResidents(this.db, scope, filter, today, { limit: EXPORT_LIMIT });
    const sensitive = scopeOf(actor, 'community.read_sensitive', this.clock);
    const header = ['公民身份号码', '姓名', '性别', '出生日期', '民族', '手机号码', '社区', '地址', '居住类型', '状态'];
    const lines = rows.map((r) => {
      const reveal = sensitive !== null && scopeCovers(sensitive, r.region_path);
      return [
        reveal ? r.id_number : maskIdNumber(r.id_number),
        r.name,
        r.sex === 'M' ? '男' : '女',
        r.birth,
        r.ethnicity.trim(),
        r.phone === null ? '' : reveal ? r.phone : maskPhone(r.phone),
        r.community_name,
        r.address,
        r.residence_status,
        r.status,
      ];
    });
    await this.audit.recordAccess(ctx, {
      resource: 'community.resident.export',
      subjectIds: rows.map((r) => r.id_number),
      fields: sensitive ? ['id_number', 'name', 'phone', 'birth_date', 'address'] : ['name', 'birth_date', 'address'],
      permission: 'community.read',
      scope,
      detail: { rows: rows.length, format, filter: { ...query } },
    });
    await this.db.transaction().execute((trx) => this.audit.record(trx, ctx, { action: 'community.resident_export', objectType: 'community_resident', detail: { rows: rows.length, format } }));
    const stamp = today;
    if (format === 'csv') {
      const cell = (v: string) => (/[",\n\r]/.test(v) || /^[=+\-@]/.test(v) ? `"${(/^[=+\-@]/.test(v) ? `'${v}` : v).replaceAll('"', '""')}"` : v);
      const text = '\uFEFF' + [header, ...lines].map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n';
      return { contentType: 'text/csv; charset=utf-8', fileName: `residents-${stamp}.csv`, body: Buffer.from(text, 'utf8') };
    }
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('居民');
    sheet.addRow(header);
    for (const l of lines) sheet.addRow(l);
    const body = Buffer.from(await book.xlsx.writeBuffer());
    return { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `residents-${stamp}.xlsx`, body };
  }

  // ---- residents: write ---------------------------------------------------------------------------------------------

  /** Validates a registration (no writes): the checked ID number, derived sex and birth date, the community. */
  private async checkNew(trx: Transaction<Database>, scope: Scope, input: NewResident) {
    const today = this.today();
    const check = checkIdNumber(input.idNumber, { today, regionExists: countyCodeExists });
    if (!check.ok) throw invalid('community.invalid_id_number', 'idNumber', `Not a valid ID number (${check.problem}).`, { problem: check.problem });
    const sex = check.sex === 'male' ? 'M' : 'F';
    if (input.sex !== undefined && input.sex !== sex) throw invalid('community.id_mismatch', 'sex', 'The sex does not match the ID number.');
    if (input.birthDate !== undefined && input.birthDate !== check.birthDate) throw invalid('community.id_mismatch', 'birthDate', 'The birth date does not match the ID number.');
    if (!isEthnicity(input.ethnicity)) throw invalid('community.unknown_ethnicity', 'ethnicity', 'Not a GB/T 3304 ethnic group code.');
    if (input.phone && !isCnMobile(input.phone)) throw invalid('community.invalid_phone', 'phone', 'Not a mainland mobile number.');
    const movedInOn = input.movedInOn ?? today;
    if (movedInOn > today || movedInOn < check.birthDate) throw invalid('community.invalid_date', 'movedInOn', 'The move-in date is before the birth date or after today.');
    const region = await this.community(trx, scope, input.communityCode, 'communityCode');
    await this.checkPlace(trx, region, input);
    return { idNumber: check.idNumber, sex, birthDate: check.birthDate, region, movedInOn } as const;
  }

  /** Grid, building and household must lie in the community. */
  private async checkPlace(db: Kysely<Database> | Transaction<Database>, region: Region, input: { gridId?: string | null; buildingId?: string | null; householdId?: string | null }) {
    if (input.gridId) {
      const grid = await repo.gridById(db, input.gridId);
      if (!grid || grid.community_code !== region.code) throw invalid('community.grid_not_found', 'gridId', 'No such grid in that community.');
    }
    if (input.buildingId) {
      const building = await repo.buildingById(db, input.buildingId);
      if (!building || building.community_code !== region.code) throw invalid('community.building_not_found', 'buildingId', 'No such building in that community.');
    }
    if (input.householdId) {
      const household = await repo.householdById(db, input.householdId);
      if (!household || household.community_code !== region.code) throw invalid('community.household_not_found', 'householdId', 'No such household in that community.');
    }
  }

  async register(ctx: RequestContext, input: NewResident): Promise<ResidentView> {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    const id = await this.db.transaction().execute(async (trx) => {
      const ok = await this.checkNew(trx, scope, input);
      return this.insertResident(trx, ctx, scope, input, ok, 'community.resident_register');
    });
    return this.get(ctx, id);
  }

  private async insertResident(
    trx: Transaction<Database>,
    ctx: RequestContext,
    scope: Scope,
    input: NewResident,
    ok: Awaited<ReturnType<CommunityService['checkNew']>>,
    action: string | null,
  ): Promise<string> {
    const at = this.clock.now();
    // ON CONFLICT waits for a concurrent registration of the same number to commit, then answers nothing: one 409
    const inserted = await trx
      .insertInto('community_resident')
      .values({
        id_number: ok.idNumber,
        name: input.name.trim(),
        sex: ok.sex,
        birth_date: ok.birthDate,
        ethnicity: input.ethnicity,
        phone: input.phone || null,
        household_id: input.householdId ?? null,
        relation: input.householdId ? (input.relation ?? 'other') : (input.relation ?? null),
        building_id: input.buildingId ?? null,
        grid_id: input.gridId ?? null,
        community_code: ok.region.code,
        region_path: ok.region.path,
        address: input.address ?? '',
        residence_status: input.residenceStatus,
        moved_in_on: ok.movedInOn,
        updated_at: at,
      })
      .onConflict((oc) => oc.column('id_number').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const [existing] = await repo.residentsByIdNumber(trx, [ok.idNumber]);
      throw new DomainError('community.duplicate_resident', 'conflict', 'A resident with this ID number is already registered.', 'idNumber', {
        existingResidentId: existing && scopeCovers(scope, (await repo.regionByCode(trx, existing.community_code))?.path ?? '') ? existing.id : null,
      });
    }
    await trx
      .insertInto('community_residence')
      .values({ resident_id: inserted.id, community_code: ok.region.code, region_path: ok.region.path, grid_id: input.gridId ?? null, residence_status: input.residenceStatus, valid_from: ok.movedInOn, reason: 'register' })
      .execute();
    if (input.householdId) await repo.recountMembers(trx, input.householdId, at);
    if (action === null) return inserted.id;
    await this.audit.record(trx, ctx, {
      action,
      objectType: 'community_resident',
      objectId: inserted.id,
      regionCode: ok.region.code,
      role: this.roleOf(ctx, 'community.manage'),
      detail: { idNumber: maskIdNumber(ok.idNumber), name: input.name.trim(), communityCode: ok.region.code },
    });
    return inserted.id;
  }

  /**
   * Registers many residents at once (a file's rows, parsed by the caller): every row is checked as a single
   * registration is; rows with a problem (per row and field, incl. out_of_jurisdiction, duplicates within the rows and
   * against the registry) are reported and the accepted rows commit together, with one audit record.
   */
  async importRows(ctx: RequestContext, rows: readonly NewResident[]): Promise<ImportReport> {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    const rejections: ImportRejection[] = [];
    const seen = new Map<string, number>();
    const registered = new Set((await repo.residentsByIdNumber(this.db, rows.map((r) => r.idNumber.trim().toUpperCase()))).map((r) => r.id_number));
    let accepted = 0;
    await this.db.transaction().execute(async (trx) => {
      for (const [i, row] of rows.entries()) {
        const line = i + 1;
        try {
          const ok = await this.checkNew(trx, scope, row);
          const first = seen.get(ok.idNumber);
          if (first !== undefined) throw new DomainError('community.duplicate_resident', 'conflict', `The same ID number is on row ${first}.`, 'idNumber', { row: first });
          seen.set(ok.idNumber, line);
          if (registered.has(ok.idNumber)) throw new DomainError('community.duplicate_resident', 'conflict', 'A resident with this ID number is already registered.', 'idNumber');
          await this.insertResident(trx, ctx, scope, row, ok, null);
          accepted += 1;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          rejections.push({ row: line, field: error.field ?? null, code: error.code === 'community.out_of_jurisdiction' ? 'out_of_jurisdiction' : error.code, message: error.message });
        }
      }
      if (accepted > 0) {
        await this.audit.record(trx, ctx, { action: 'community.resident_import', objectType: 'community_resident', role: this.roleOf(ctx, 'community.manage'), detail: { rows: rows.length, accepted, rejected: rejections.length } });
      }
    });
    return { rows: rows.length, accepted, rejected: rejections.length, rejections };
  }

  private roleOf(ctx: RequestContext, permission: Permission): string | null {
    const actor = ctx.actor;
    if (!actor || actor.via === 'system') return null;
    return actor.grants.find((g) => scopeOf({ ...actor, grants: [g] }, permission, this.clock) !== null)?.role ?? null;
  }

  /** Locks the resident (inside the manage scope) and checks its version and status. */
  private async locked(trx: Transaction<Database>, scope: Scope, id: string, version: number, active = true) {
    const row = await repo.residentById(trx, scope, id, true);
    if (!row) throw notFound('community.resident_not_found', 'No such resident in your jurisdiction.');
    if (row.version !== version) throw conflict('community.version_conflict', `The resident is at version ${row.version}; reload and try again.`, 'version');
    if (active && row.status !== 'active') throw conflict('community.resident_inactive', 'The resident has moved out or died.', 'status');
    return row;
  }

  async edit(ctx: RequestContext, id: string, input: EditResident): Promise<ResidentView> {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    if (input.ethnicity !== undefined && !isEthnicity(input.ethnicity)) throw invalid('community.unknown_ethnicity', 'ethnicity', 'Not a GB/T 3304 ethnic group code.');
    if (input.phone && !isCnMobile(input.phone)) throw invalid('community.invalid_phone', 'phone', 'Not a mainland mobile number.');
    await this.db.transaction().execute(async (trx) => {
      const row = await this.locked(trx, scope, id, input.version);
      const region = (await repo.regionByCode(trx, row.community_code))!;
      await this.checkPlace(trx, region, input);
      const changes: Record<string, unknown> = {};
      const set: Partial<{ name: string; ethnicity: string; phone: string | null; address: string; residence_status: ResidenceStatus; building_id: string | null; grid_id: string | null }> = {};
      if (input.name !== undefined && input.name.trim() !== row.name) set.name = changes.name = input.name.trim();
      if (input.ethnicity !== undefined && input.ethnicity !== row.ethnicity.trim()) set.ethnicity = changes.ethnicity = input.ethnicity;
      if (input.phone !== undefined && (input.phone || null) !== row.phone) {
        set.phone = input.phone || null;
        changes.phone = 'changed';
      }
      if (input.address !== undefined && input.address !== row.address) set.address = changes.address = input.address;
      if (input.residenceStatus !== undefined && input.residenceStatus !== row.residence_status) set.residence_status = changes.residenceStatus = input.residenceStatus;
      if (input.buildingId !== undefined && input.buildingId !== row.building_id) set.building_id = changes.buildingId = input.buildingId;
      if (input.gridId !== undefined && input.gridId !== row.grid_id) set.grid_id = changes.gridId = input.gridId;
      await trx
        .updateTable('community_resident')
        .set({ ...set, version: row.version + 1, updated_at: this.clock.now() })
        .where('id', '=', id)
        .execute();
      if (set.grid_id !== undefined || set.residence_status !== undefined) {
        await trx
          .updateTable('community_residence')
          .set({ ...(set.grid_id !== undefined ? { grid_id: set.grid_id } : {}), ...(set.residence_status ? { residence_status: set.residence_status } : {}) })
          .where('resident_id', '=', id)
          .where('valid_to', 'is', null)
          .execute();
      }
      await this.audit.record(trx, ctx, { action: 'community.resident_edit', objectType: 'community_resident', objectId: id, regionCode: row.community_code, role: this.roleOf(ctx, 'community.manage'), detail: { changes } });
    });
    return this.get(ctx, id);
  }

  /** Moves a resident to another community: closes the open interval on `on` and opens one there (both in scope). */
  async move(ctx: RequestContext, id: string, input: MoveInput): Promise<ResidentView> {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    const today = this.today();
    const on = input.on ?? today;
    if (on > today) throw invalid('community.invalid_date', 'on', 'The move date is after today.');
    await this.db.transaction().execute(async (trx) => {
      const row = await this.locked(trx, scope, id, input.version);
      const target = await this.community(trx, scope, input.communityCode, 'communityCode');
      if (target.code === row.community_code) throw invalid('community.same_community', 'communityCode', 'The resident already lives in that community.');
      const from = await repo.openResidenceStart(trx, id);
      if (from !== undefined && on <= from) throw invalid('community.invalid_date', 'on', `The move date must be after ${from}, when the current residence began.`);
      await repo.closeResidence(trx, id, on);
      await trx
        .insertInto('community_residence')
        .values({ resident_id: id, community_code: target.code, region_path: target.path, grid_id: null, residence_status: row.residence_status, valid_from: on, reason: input.reason ?? 'move' })
        .execute();
      // the household, grid and building belong to the old community
      await trx
        .updateTable('community_resident')
        .set({ community_code: target.code, region_path: target.path, grid_id: null, building_id: null, household_id: null, relation: null, address: input.address ?? '', moved_in_on: on, version: row.version + 1, updated_at: this.clock.now() })
        .where('id', '=', id)
        .execute();
      if (row.household_id) await repo.recountMembers(trx, row.household_id, this.clock.now());
      await this.audit.record(trx, ctx, {
        action: 'community.resident_move',
        objectType: 'community_resident',
        objectId: id,
        regionCode: target.code,
        role: this.roleOf(ctx, 'community.manage'),
        detail: { from: row.community_code, to: target.code, on },
      });
    });
    return this.get(ctx, id);
  }

  /** Moved out (迁出) or deceased: closes the open interval; the resident stays on record with the status. */
  async leave(ctx: RequestContext, id: string, input: LeaveInput): Promise<ResidentView> {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    const today = this.today();
    const on = input.on ?? today;
    if (on > today) throw invalid('community.invalid_date', 'on', 'The date is after today.');
    await this.db.transaction().execute(async (trx) => {
      const row = await this.locked(trx, scope, id, input.version);
      const from = await repo.openResidenceStart(trx, id);
      if (from !== undefined && on <= from) throw invalid('community.invalid_date', 'on', `The date must be after ${from}, when the current residence began.`);
      await repo.closeResidence(trx, id, on);
      await trx.updateTable('community_resident').set({ status: input.status, version: row.version + 1, updated_at: this.clock.now() }).where('id', '=', id).execute();
      if (row.household_id) await repo.recountMembers(trx, row.household_id, this.clock.now());
      await this.audit.record(trx, ctx, {
        action: input.status === 'deceased' ? 'community.resident_deceased' : 'community.resident_move_out',
        objectType: 'community_resident',
        objectId: id,
        regionCode: row.community_code,
        role: this.roleOf(ctx, 'community.manage'),
        detail: { on, reason: input.reason ?? '' },
      });
    });
    return this.get(ctx, id);
  }

  // ---- grids --------------------------------------------------------------------------------------------------------

  async grids(ctx: RequestContext, community: string | undefined): Promise<{ items: GridView[] }> {
    const { scope } = authorize(ctx, 'community.read', this.clock);
    let path: string | undefined;
    if (community) {
      const region = await repo.regionByCode(this.db, community);
      if (!region) throw invalid('community.unknown_region', 'community', 'No region has this code.');
      path = region.path;
    }
    const rows = await repo.gridsIn(this.db, scope, path);
    const workers = await repo.workersOf(
      this.db,
      rows.map((g) => g.id),
    );
    return {
      items: rows.map((g) => ({
        id: g.id,
        code: g.code,
        name: g.name,
        communityCode: g.community_code,
        communityName: g.community_name,
        residents: Number(g.residents ?? 0),
        workers: workers.filter((w) => w.grid_id === g.id).map((w) => ({ userId: w.user_id, displayName: w.display_name, username: w.username })),
      })),
    };
  }

  private async gridView(ctx: RequestContext, id: string): Promise<GridView> {
    const grid = await repo.gridById(this.db, id);
    const all = await this.grids(ctx, grid?.community_code);
    return all.items.find((g) => g.id === id)!;
  }

  private async managedGrid(trx: Transaction<Database>, scope: Scope, id: string) {
    const grid = await repo.gridById(trx, id);
    if (!grid || !scopeCovers(scope, grid.region_path)) throw notFound('community.grid_not_found', 'No such grid in your jurisdiction.', 'id');
    return grid;
  }

  async createGrid(ctx: RequestContext, input: { communityCode: string; name: string }): Promise<GridView> {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    const id = await this.db.transaction().execute(async (trx) => {
      const region = await this.community(trx, scope, input.communityCode, 'communityCode');
      const code = `${region.code}-${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
      const grid = await trx.insertInto('community_grid').values({ code, name: input.name.trim(), community_code: region.code, region_path: region.path }).returning('id').executeTakeFirstOrThrow();
      await this.audit.record(trx, ctx, { action: 'community.grid_create', objectType: 'community_grid', objectId: grid.id, regionCode: region.code, role: this.roleOf(ctx, 'community.manage'), detail: { name: input.name.trim() } });
      return grid.id;
    });
    return this.gridView(ctx, id);
  }

  async renameGrid(ctx: RequestContext, id: string, name: string): Promise<GridView> {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    await this.db.transaction().execute(async (trx) => {
      const grid = await this.managedGrid(trx, scope, id);
      await trx.updateTable('community_grid').set({ name: name.trim() }).where('id', '=', id).execute();
      await this.audit.record(trx, ctx, { action: 'community.grid_rename', objectType: 'community_grid', objectId: id, regionCode: grid.community_code, role: this.roleOf(ctx, 'community.manage'), detail: { from: grid.name, to: name.trim() } });
    });
    return this.gridView(ctx, id);
  }

  async assignWorker(ctx: RequestContext, gridId: string, userId: string): Promise<GridView> {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    await this.db.transaction().execute(async (trx) => {
      const grid = await this.managedGrid(trx, scope, gridId);
      if (!(await repo.userCovers(trx, userId, GRID_WORKER_ROLES, grid.region_path))) throw invalid('community.worker_out_of_scope', 'userId', 'That user holds no community role covering this community.');
      await trx.insertInto('community_grid_worker').values({ grid_id: gridId, user_id: userId }).onConflict((oc) => oc.doNothing()).execute();
      await this.audit.record(trx, ctx, { action: 'community.grid_assign', objectType: 'community_grid', objectId: gridId, regionCode: grid.community_code, role: this.roleOf(ctx, 'community.manage'), detail: { userId } });
    });
    return this.gridView(ctx, gridId);
  }

  async unassignWorker(ctx: RequestContext, gridId: string, userId: string): Promise<GridView> {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    await this.db.transaction().execute(async (trx) => {
      const grid = await this.managedGrid(trx, scope, gridId);
      await trx.deleteFrom('community_grid_worker').where('grid_id', '=', gridId).where('user_id', '=', userId).execute();
      await this.audit.record(trx, ctx, { action: 'community.grid_unassign', objectType: 'community_grid', objectId: gridId, regionCode: grid.community_code, role: this.roleOf(ctx, 'community.manage'), detail: { userId } });
    });
    return this.gridView(ctx, gridId);
  }

  // ---- buildings ----------------------------------------------------------------------------------------------------

  async buildings(ctx: RequestContext, community: string | undefined) {
    const { scope } = authorize(ctx, 'community.read', this.clock);
    let path: string | undefined;
    if (community) {
      const region = await repo.regionByCode(this.db, community);
      if (!region) throw invalid('community.unknown_region', 'community', 'No region has this code.');
      path = region.path;
    }
    const rows = await repo.buildingsIn(this.db, scope, path);
    return { items: rows.map((b) => ({ id: b.id, communityCode: b.community_code, gridId: b.grid_id, name: b.name, address: b.address, floors: b.floors })) };
  }

  async createBuilding(ctx: RequestContext, input: { communityCode: string; gridId?: string | null; name: string; address?: string; floors?: number | null }) {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    return this.db.transaction().execute(async (trx) => {
      const region = await this.community(trx, scope, input.communityCode, 'communityCode');
      await this.checkPlace(trx, region, { gridId: input.gridId ?? null });
      const b = await trx
        .insertInto('community_building')
        .values({ community_code: region.code, region_path: region.path, grid_id: input.gridId ?? null, name: input.name.trim(), address: input.address ?? '', floors: input.floors ?? null })
        .returning(['id', 'community_code', 'grid_id', 'name', 'address', 'floors'])
        .executeTakeFirstOrThrow();
      await this.audit.record(trx, ctx, { action: 'community.building_create', objectType: 'community_building', objectId: b.id, regionCode: region.code, role: this.roleOf(ctx, 'community.manage'), detail: { name: b.name } });
      return { id: b.id, communityCode: b.community_code, gridId: b.grid_id, name: b.name, address: b.address, floors: b.floors };
    });
  }

  // ---- households ---------------------------------------------------------------------------------------------------

  async households(ctx: RequestContext, query: { community?: string; cursor?: string; limit?: number }) {
    const { scope } = authorize(ctx, 'community.read', this.clock);
    let path: string | undefined;
    if (query.community) {
      const region = await repo.regionByCode(this.db, query.community);
      if (!region) throw invalid('community.unknown_region', 'community', 'No region has this code.');
      path = region.path;
    }
    const after = query.cursor === undefined ? undefined : decodeKeyset(query.cursor, ['string'] as const)[0];
    const limit = query.limit ?? 50;
    const { rows, total } = await repo.householdsIn(this.db, scope, path, { after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return {
      items: page.map((h) => ({ id: h.id, householdNo: h.household_no, communityCode: h.community_code, gridId: h.grid_id, buildingId: h.building_id, address: h.address, memberCount: h.member_count })),
      total,
      nextCursor: rows.length > limit ? encodeKeyset([page.at(-1)!.household_no]) : null,
    };
  }

  async household(ctx: RequestContext, id: string): Promise<HouseholdView> {
    const { scope } = authorize(ctx, 'community.read', this.clock);
    const h = await repo.householdById(this.db, id);
    if (!h || !scopeCovers(scope, h.region_path)) throw notFound('community.household_not_found', 'No such household in your jurisdiction.', 'id');
    const members = await repo.membersOf(this.db, id);
    const today = this.today();
    return {
      id: h.id,
      householdNo: h.household_no,
      communityCode: h.community_code,
      gridId: h.grid_id,
      buildingId: h.building_id,
      address: h.address,
      memberCount: h.member_count,
      members: members.map((m) => ({ residentId: m.id, name: m.name, relation: m.relation, sex: m.sex, age: ageOn(m.birth, today) })),
    };
  }

  async createHousehold(ctx: RequestContext, input: { communityCode: string; gridId?: string | null; buildingId?: string | null; address?: string }): Promise<HouseholdView> {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    const id = await this.db.transaction().execute(async (trx) => {
      const region = await this.community(trx, scope, input.communityCode, 'communityCode');
      await this.checkPlace(trx, region, input);
      const householdNo = `${region.code}${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
      const h = await trx
        .insertInto('community_household')
        .values({ household_no: householdNo, community_code: region.code, region_path: region.path, grid_id: input.gridId ?? null, building_id: input.buildingId ?? null, address: input.address ?? '', updated_at: this.clock.now() })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.audit.record(trx, ctx, { action: 'community.household_create', objectType: 'community_household', objectId: h.id, regionCode: region.code, role: this.roleOf(ctx, 'community.manage'), detail: { householdNo } });
      return h.id;
    });
    return this.household(ctx, id);
  }

  /** Adds a resident of the same community to the household (one head at most); member_count in the same transaction. */
  async addMember(ctx: RequestContext, householdId: string, input: { residentId: string; relation: NonNullable<ResidentView['relation']> }): Promise<HouseholdView> {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    await this.db.transaction().execute(async (trx) => {
      const h = await repo.householdById(trx, householdId, true);
      if (!h || !scopeCovers(scope, h.region_path)) throw notFound('community.household_not_found', 'No such household in your jurisdiction.', 'id');
      const r = await repo.residentById(trx, scope, input.residentId, true);
      if (!r || r.status !== 'active' || r.community_code !== h.community_code) throw invalid('community.resident_not_found', 'residentId', 'No such active resident in this household’s community.');
      if (r.household_id !== null) throw conflict('community.already_member', 'The resident already belongs to a household; remove them first.', 'residentId');
      if (input.relation === 'head') {
        const head = await trx.selectFrom('community_resident').select('id').where('household_id', '=', householdId).where('relation', '=', 'head').where('status', '=', 'active').executeTakeFirst();
        if (head) throw conflict('community.head_exists', 'The household already has a head.', 'relation');
      }
      await trx
        .updateTable('community_resident')
        .set({ household_id: householdId, relation: input.relation, version: r.version + 1, updated_at: this.clock.now() })
        .where('id', '=', r.id)
        .execute();
      await repo.recountMembers(trx, householdId, this.clock.now());
      await this.audit.record(trx, ctx, { action: 'community.household_add_member', objectType: 'community_household', objectId: householdId, regionCode: h.community_code, role: this.roleOf(ctx, 'community.manage'), detail: { residentId: r.id, relation: input.relation } });
    });
    return this.household(ctx, householdId);
  }

  async removeMember(ctx: RequestContext, householdId: string, residentId: string): Promise<HouseholdView> {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    await this.db.transaction().execute(async (trx) => {
      const h = await repo.householdById(trx, householdId, true);
      if (!h || !scopeCovers(scope, h.region_path)) throw notFound('community.household_not_found', 'No such household in your jurisdiction.', 'id');
      const r = await repo.residentById(trx, scope, residentId, true);
      if (!r || r.household_id !== householdId) throw invalid('community.not_member', 'residentId', 'The resident is not a member of this household.');
      await trx.updateTable('community_resident').set({ household_id: null, relation: null, version: r.version + 1, updated_at: this.clock.now() }).where('id', '=', r.id).execute();
      await repo.recountMembers(trx, householdId, this.clock.now());
      await this.audit.record(trx, ctx, { action: 'community.household_remove_member', objectType: 'community_household', objectId: householdId, regionCode: h.community_code, role: this.roleOf(ctx, 'community.manage'), detail: { residentId } });
    });
    return this.household(ctx, householdId);
  }

  async labels(ctx: RequestContext) {
    authorize(ctx, 'community.read', this.clock);
    const rows = await this.db.selectFrom('community_label').select(['code', 'name', 'name_en', 'color']).orderBy('sort_order').execute();
    return { items: rows.map((l) => ({ code: l.code, name: l.name, nameEn: l.name_en, color: l.color })) };
  }
}

