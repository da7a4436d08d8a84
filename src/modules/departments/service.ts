// Departments (tenants): the directory of party, government and public bodies, each placed in one region.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { authorize, roleFor, scopeCovers, scopeOf, type Actor, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, forbidden, invalid, notFound } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import { createDepartments, type DepartmentRecord } from './batch.ts';
import type { CountedPage } from '../../shared/pagination.ts';
import type { AuditService } from '../audit/index.ts';
import { findRegion } from '../regions/index.ts';
import { validateCreditCode } from '../../shared/validators/credit-code.ts';
import { DEPARTMENT_CODE_PATTERN, DISPLAY_TEXT_PATTERN } from '../../shared/validators/text.ts';
import { DEPARTMENT_KINDS, isDepartmentKind, type DepartmentKind } from './kinds.ts';
import { departmentPolicy, needsTenant, type DepartmentAbility } from './policy.ts';
import * as repo from './repository.ts';

export interface Department {
  id: string;
  /** Stable short code, e.g. `6505-FGW`. */
  code: string;
  name: string;
  shortName: string | null;
  kind: string;
  regionCode: string;
  regionName: string;
  parentId: string | null;
  /** 统一社会信用代码 (GB 32100), when known. */
  creditCode: string | null;
  createdAt: string;
  /** What the caller may do to this department. */
  abilities: DepartmentAbility[];
}

export interface NewDepartment {
  code: string;
  name: string;
  shortName?: string | null;
  kind: DepartmentKind;
  regionCode: string;
  parentId?: string | null;
  creditCode?: string | null;
}

/** Fields a PATCH may change; `null` clears an optional one. Code and region are fixed once created. */
export interface DepartmentPatch {
  name?: string;
  shortName?: string | null;
  kind?: DepartmentKind;
  parentId?: string | null;
  creditCode?: string | null;
}

export interface DepartmentQuery {
  q?: string;
  /** Departments located in this region or anywhere below it. */
  regionCode?: string;
  kind?: DepartmentKind;
  parentId?: string;
  cursor?: string;
  limit?: number;
}

const DISPLAY_TEXT = new RegExp(DISPLAY_TEXT_PATTERN, 'u');
export const DEPARTMENT_CODE = new RegExp(DEPARTMENT_CODE_PATTERN);

function toDepartment(row: repo.DepartmentRow, abilities: DepartmentAbility[]): Department {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    shortName: row.short_name,
    kind: row.kind,
    regionCode: row.region_code,
    regionName: row.region_name,
    parentId: row.parent_id,
    creditCode: row.credit_code,
    createdAt: row.created_at.toISOString(),
    abilities,
  };
}

// The same rules the HTTP schemas enforce, for callers that do not come through HTTP.
export function assertText(value: string, field: string, max: number): void {
  if (value.length === 0 || value.length > max || !DISPLAY_TEXT.test(value)) {
    throw invalid('department.invalid_text', field, `${field} must be 1–${max} characters without < > or control characters, and not start or end with a space.`);
  }
}

export function assertKind(kind: string): void {
  if (!isDepartmentKind(kind)) throw invalid('department.unknown_kind', 'kind', `kind must be one of ${DEPARTMENT_KINDS.join(', ')}.`);
}

export function assertCreditCode(creditCode: string | null | undefined): void {
  if (creditCode === null || creditCode === undefined) return;
  const check = validateCreditCode(creditCode);
  if (!check.ok) throw invalid('department.invalid_credit_code', 'creditCode', `Not a valid unified social credit code: ${check.reason}`);
}

export class DepartmentService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: RequestContext, query: DepartmentQuery): Promise<CountedPage<Department>> {
    const { actor, scope } = authorize(ctx, 'departments.read');
    const limit = query.limit ?? 50;
    let regionPath: string | undefined;
    if (query.regionCode !== undefined) {
      const region = await findRegion(this.db, query.regionCode);
      if (!region) throw invalid('region.unknown', 'regionCode', `No region has code "${query.regionCode}".`);
      regionPath = region.path;
    }
    const filter = { q: query.q, regionPath, kind: query.kind, parentId: query.parentId };
    const after = query.cursor === undefined ? undefined : decodeKeyset(query.cursor, ['integer', 'integer', 'string']);
    const [rows, total] = await Promise.all([repo.listDepartments(this.db, scope, { ...filter, after, limit }), repo.countDepartments(this.db, scope, filter)]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const abilities = await this.policy(actor);
    return { items: page.map((row) => toDepartment(row, abilities(row))), total, nextCursor: rows.length > limit && last ? encodeKeyset([last.kind_rank, last.sort_order, last.code]) : null };
  }

  async get(ctx: RequestContext, id: string): Promise<Department> {
    const { actor, scope } = authorize(ctx, 'departments.read');
    const row = await repo.findDepartmentInScope(this.db, scope, id);
    if (!row) throw notFound('department.not_found', 'No department with that id in your jurisdiction.', 'id');
    return toDepartment(row, (await this.policy(actor))(row));
  }

  /** The abilities rule for this caller, with its own department tree loaded when the rule needs it. */
  private async policy(actor: Actor) {
    return departmentPolicy(actor, new Set(needsTenant(actor) ? await repo.descendantIds(this.db, actor.departmentId!) : []));
  }

  async create(ctx: RequestContext, input: NewDepartment): Promise<Department> {
    const { actor, scope } = authorize(ctx, 'departments.manage');
    if (!DEPARTMENT_CODE.test(input.code)) throw invalid('department.invalid_code', 'code', 'code must be 1–32 letters, digits and hyphens, e.g. 6505-FGW.');
    assertText(input.name, 'name', 100);
    if (input.shortName != null) assertText(input.shortName, 'shortName', 50);
    assertKind(input.kind);
    const region = await findRegion(this.db, input.regionCode);
    if (!region || region.valid_to !== null) throw invalid('region.unknown', 'regionCode', `No current region has code "${input.regionCode}".`);
    if (!scopeCovers(scope, region.path)) throw forbidden('auth.outside_jurisdiction', `Region ${input.regionCode} is outside your jurisdiction.`);
    assertCreditCode(input.creditCode);
    const parentId = input.parentId ?? null;
    const creditCode = input.creditCode ?? null;

    const id = await this.db.transaction().execute(async (trx) => {
      if (parentId !== null) await this.assertParent(trx, scope, { parentId, regionPath: region.path });
      if (await repo.codeExists(trx, input.code)) throw conflict('department.code_taken', `The department code "${input.code}" is taken.`, 'code');
      if (creditCode !== null && (await repo.creditCodeOwner(trx, creditCode)) !== undefined) {
        throw conflict('department.credit_code_taken', `Another department already has credit code ${creditCode}.`, 'creditCode');
      }
      const created = await repo.insertDepartment(trx, {
        code: input.code,
        name: input.name,
        shortName: input.shortName ?? null,
        kind: input.kind,
        regionCode: region.code,
        parentId,
        creditCode,
      });
      if (!created) {
        // Lost a race with a concurrent create: say which value was taken.
        if (await repo.codeExists(trx, input.code)) throw conflict('department.code_taken', `The department code "${input.code}" is taken.`, 'code');
        throw conflict('department.credit_code_taken', `Another department already has credit code ${creditCode}.`, 'creditCode');
      }
      await this.audit.record(trx, ctx, {
        action: 'department.create',
        objectType: 'department',
        objectId: created.id,
        regionCode: region.code,
        role: roleFor(actor, 'departments.manage'),
        detail: { code: input.code, name: input.name, shortName: input.shortName ?? null, kind: input.kind, parentId, creditCode },
      });
      return created.id;
    });
    const created = (await repo.findDepartmentInScope(this.db, scope, id))!;
    return toDepartment(created, (await this.policy(actor))(created));
  }

  async update(ctx: RequestContext, id: string, patch: DepartmentPatch): Promise<Department> {
    const { actor, scope } = authorize(ctx, 'departments.manage');
    if (patch.name !== undefined) assertText(patch.name, 'name', 100);
    if (patch.shortName != null) assertText(patch.shortName, 'shortName', 50);
    if (patch.kind !== undefined) assertKind(patch.kind);
    assertCreditCode(patch.creditCode);

    const updated = await this.db.transaction().execute(async (trx) => {
      await repo.lockDepartment(trx, id);
      const current = await repo.findDepartmentInScope(trx, scope, id);
      if (!current) await this.throwNotManageable(trx, actor, id);
      const before = current!;
      const changes: repo.DepartmentChanges = {};
      if (patch.name !== undefined && patch.name !== before.name) changes.name = patch.name;
      if (patch.shortName !== undefined && patch.shortName !== before.short_name) changes.shortName = patch.shortName;
      if (patch.kind !== undefined && patch.kind !== before.kind) changes.kind = patch.kind;
      if (patch.parentId !== undefined && patch.parentId !== before.parent_id) {
        if (patch.parentId !== null) {
          await this.assertParent(trx, scope, { parentId: patch.parentId, regionPath: before.region_path });
          if (patch.parentId === id || (await repo.ancestorIds(trx, patch.parentId)).includes(id)) {
            throw invalid('department.parent_cycle', 'parentId', 'That parent is this department or one of its sub-departments: the hierarchy would loop.');
          }
        }
        changes.parentId = patch.parentId;
      }
      if (patch.creditCode !== undefined && patch.creditCode !== before.credit_code) {
        if (patch.creditCode !== null) {
          const owner = await repo.creditCodeOwner(trx, patch.creditCode);
          if (owner !== undefined && owner !== id) {
            throw conflict('department.credit_code_taken', `Another department already has credit code ${patch.creditCode}.`, 'creditCode');
          }
        }
        changes.creditCode = patch.creditCode;
      }
      if (Object.keys(changes).length === 0) return before;
      try {
        await repo.updateDepartment(trx, id, changes);
      } catch (error) {
        if (repo.isUniqueViolation(error)) throw conflict('department.credit_code_taken', `Another department already has credit code ${patch.creditCode}.`, 'creditCode');
        throw error;
      }
      const previous = {
        name: before.name,
        shortName: before.short_name,
        kind: before.kind,
        parentId: before.parent_id,
        creditCode: before.credit_code,
      };
      await this.audit.record(trx, ctx, {
        action: 'department.update',
        objectType: 'department',
        objectId: id,
        regionCode: before.region_code,
        role: roleFor(actor, 'departments.manage'),
        detail: {
          code: before.code,
          before: Object.fromEntries(Object.keys(changes).map((k) => [k, previous[k as keyof typeof previous]])),
          after: changes,
        },
      });
      return (await repo.findDepartmentInScope(trx, scope, id))!;
    });
    return toDepartment(updated, (await this.policy(actor))(updated));
  }

  /** The parent must exist in the actor's jurisdiction and sit in the department's region or one enclosing it. */
  /** Many departments in one transaction, the caller's when given; the platform's own (system) writes only. See batch.ts. */
  createMany(ctx: RequestContext, items: readonly DepartmentRecord[], trx?: Transaction<Database>): Promise<string[]> {
    return createDepartments(this.db, this.audit, ctx, items, trx);
  }

  private async assertParent(trx: Transaction<Database>, scope: Scope, input: { parentId: string; regionPath: string }): Promise<void> {
    const parent = await repo.findDepartmentInScope(trx, scope, input.parentId);
    if (!parent) throw invalid('department.unknown_parent', 'parentId', 'No department with that id in your jurisdiction.');
    if (!input.regionPath.startsWith(parent.region_path)) {
      throw invalid('department.parent_outside_region', 'parentId', `The parent sits in ${parent.region_name}, which does not contain this department's region.`);
    }
  }

  /** Out of the manage scope: 403 when the actor can at least see it, 404 otherwise (do not reveal it exists). */
  private async throwNotManageable(trx: Transaction<Database>, actor: Actor, id: string): Promise<never> {
    const readable = scopeOf(actor, 'departments.read');
    if (readable) {
      const visible = await repo.findDepartmentInScope(trx, readable, id);
      if (visible) throw forbidden('auth.outside_jurisdiction', `${visible.name} is outside the jurisdiction in which you manage departments.`);
    }
    throw notFound('department.not_found', 'No department with that id in your jurisdiction.', 'id');
  }
}
