// Many departments in one transaction (the demo seed, imports, test factories): every item is checked as a single
// create checks it, the rows go in with a few multi-row INSERTs, and the audit trail gets one record per region and
// batch (D40) — or the ordinary department.create record when the batch holds one department.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { isSystemActor, requireScope } from '../../shared/access.ts';
import { forItem, groupsOf, inTransaction } from '../../shared/batch.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, forbidden, invalid } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { currentRegions } from '../regions/index.ts';
import { DEPARTMENT_CODE, assertCreditCode, assertKind, assertText, type NewDepartment } from './service.ts';
import * as repo from './repository.ts';

/** One department of a batch; `id` lets later items of the same batch name it as their parent. */
export interface DepartmentRecord extends NewDepartment {
  id?: string;
  /** 排序号 within its kind (default 1000). */
  sortOrder?: number;
}

/** Objects listed in one audit record at most. */
const PER_RECORD = 500;
const PER_INSERT = 500;

export async function createDepartments(
  db: Kysely<Database>,
  audit: AuditService,
  ctx: RequestContext,
  items: readonly DepartmentRecord[],
  trx?: Transaction<Database>,
): Promise<string[]> {
  const scope = requireScope(ctx.actor, 'departments.manage');
  if (!isSystemActor(ctx.actor)) throw forbidden('auth.system_only', 'Departments are created in bulk by the platform itself (seed, import), not over the API.');
  if (items.length === 0) return [];
  const rows = items.map((item) => ({ ...item, id: item.id ?? randomUUID(), shortName: item.shortName ?? null, parentId: item.parentId ?? null, creditCode: item.creditCode ?? null }));
  const regions = new Map((await currentRegions(trx ?? db, [...new Set(rows.map((r) => r.regionCode))])).map((r) => [r.code, r]));
  const batchPaths = new Map<string, string>();
  for (const [i, row] of rows.entries()) {
    await forItem(i, () => {
      if (!DEPARTMENT_CODE.test(row.code)) throw invalid('department.invalid_code', 'code', 'code must be 1–32 letters, digits and hyphens, e.g. 6505-FGW.');
      assertText(row.name, 'name', 100);
      if (row.shortName !== null) assertText(row.shortName, 'shortName', 50);
      assertKind(row.kind);
      assertCreditCode(row.creditCode);
      const region = regions.get(row.regionCode);
      if (!region) throw invalid('region.unknown', 'regionCode', `No current region has code "${row.regionCode}".`);
      batchPaths.set(row.id, region.path);
    });
  }
  assertUnique(rows.map((r) => r.code.toLowerCase()), 'code', 'department.code_taken');
  assertUnique(rows.flatMap((r) => (r.creditCode === null ? [] : [r.creditCode])), 'creditCode', 'department.credit_code_taken');

  return inTransaction(db, trx, async (trx) => {
    const outside = rows.flatMap((r) => (r.parentId !== null && !batchPaths.has(r.parentId) ? [r.parentId] : []));
    const parents = new Map((await repo.departmentPaths(trx, scope, [...new Set(outside)])).map((p) => [p.id, p.region_path]));
    for (const [i, row] of rows.entries()) {
      if (row.parentId === null) continue;
      const parentPath = batchPaths.get(row.parentId) ?? parents.get(row.parentId);
      if (parentPath === undefined) throw invalid('department.unknown_parent', `${i}/parentId`, 'No department with that id in your jurisdiction.');
      if (!batchPaths.get(row.id)!.startsWith(parentPath)) throw invalid('department.parent_outside_region', `${i}/parentId`, "The parent's region does not contain this department's region.");
    }
    const taken = await repo.takenCodes(trx, rows.map((r) => r.code), rows.flatMap((r) => (r.creditCode === null ? [] : [r.creditCode])));
    const clash = rows.findIndex((r) => taken.codes.has(r.code.toLowerCase()) || (r.creditCode !== null && taken.creditCodes.has(r.creditCode)));
    if (clash >= 0) {
      const row = rows[clash]!;
      if (taken.codes.has(row.code.toLowerCase())) throw conflict('department.code_taken', `The department code "${row.code}" is taken.`, `${clash}/code`);
      throw conflict('department.credit_code_taken', `Another department already has credit code ${row.creditCode}.`, `${clash}/creditCode`);
    }
    try {
      for (let i = 0; i < rows.length; i += PER_INSERT) await repo.insertDepartments(trx, rows.slice(i, i + PER_INSERT));
    } catch (error) {
      // a concurrent writer took a code between the check and the insert
      if (repo.isUniqueViolation(error)) throw conflict('department.code_taken', 'Another department took one of these codes or credit codes meanwhile; nothing was written.');
      throw error;
    }
    if (rows.length === 1) {
      const [row] = rows as [(typeof rows)[number]];
      const detail = { code: row.code, name: row.name, shortName: row.shortName, kind: row.kind, parentId: row.parentId, creditCode: row.creditCode };
      await audit.record(trx, ctx, { action: 'department.create', objectType: 'department', objectId: row.id, regionCode: row.regionCode, detail });
    } else {
      for (const group of groupsOf(rows, (r) => r.regionCode, PER_RECORD)) {
        const detail = { created: group.items.length, ids: group.items.map((r) => r.id), codes: group.items.map((r) => r.code) };
        await audit.record(trx, ctx, { action: 'department.create_many', objectType: 'department', regionCode: group.key, detail });
      }
    }
    return rows.map((r) => r.id);
  });
}

/** A value repeated within the batch is refused like one already taken. */
function assertUnique(values: readonly string[], field: string, code: string): void {
  const seen = new Map<string, number>();
  for (const [i, value] of values.entries()) {
    if (seen.has(value)) throw conflict(code, `Items ${seen.get(value)} and ${i} have the same ${field} "${value}".`, `${i}/${field}`);
    seen.set(value, i);
  }
}

