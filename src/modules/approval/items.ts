// 事项目录: the service item catalogue — search with facets, the portal's public read, and writes (create, change with
// a version bump, retire) checked against approval.items.manage over the item's department.
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { escapeLike } from '../../db/jurisdiction.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize, requireActor, scopeOf, type Scope } from '../../shared/access.ts';
import { forItem, groupsOf } from '../../shared/batch.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, DomainError, forbidden, invalid, notFound } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { isUuid, scopeSql } from './access.ts';
import { ITEM_KINDS, STEPS, type Step } from './kinds.ts';
import type { ItemList, ItemQuery, ItemSummary, ItemView, NewItem, UpdateItem } from './schema.ts';

const KIND_LABELS: Record<(typeof ITEM_KINDS)[number], string> = { licence: '行政许可', confirmation: '行政确认', payment: '行政给付', levy: '行政征收', other: '其他' };
export const STEP_NAMES: Record<Step, string> = { accept: '受理', review: '审查', decide: '决定', conclude: '办结', deliver: '送达' };
const ITEM_COLS = ['i.id', 'i.code', 'i.name', 'i.department_id', 'd.name as department_name', 'i.region_code', 'i.kind', 'i.statutory_days', 'i.promised_days', 'i.fee_yuan', 'i.online', 'i.status', 'i.version'] as const;

type Db = Kysely<Database> | Transaction<Database>;
const itemNotFound = () => notFound('approval.item_not_found', 'No such service item that you may see.', 'id');

export class ItemService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Items (alias i) a signed-in staff member may see; null: the public (active online items only). */
  private visible(ctx: RequestContext | null): Expression<SqlBool> {
    if (ctx === null) return sql<SqlBool>`(i.status = 'active' AND i.online)`;
    const actor = requireActor(ctx.actor);
    const cols = { path: 'i.region_path', department: 'i.department_id' };
    const scopes = (['approval.read', 'approval.handle', 'approval.items.manage'] as const).map((p) => scopeOf(actor, p, this.clock));
    if (scopes.every((s) => s === null)) throw forbidden('auth.forbidden', 'Your roles do not include approval.read.');
    return sql<SqlBool>`(${sql.join(scopes.map((s) => scopeSql(s, cols)), sql` OR `)})`;
  }

  /** Search (Chinese partial match on name or code) with facets by department, kind and online; ctx null = public. */
  async list(ctx: RequestContext | null, query: ItemQuery): Promise<ItemList> {
    const visible = this.visible(ctx);
    const base = this.db
      .selectFrom('approval_item as i')
      .innerJoin('department as d', 'd.id', 'i.department_id')
      .where(visible)
      .$if(query.q !== undefined, (qb) => qb.where((eb) => eb.or([eb('i.name', 'ilike', `%${escapeLike(query.q!)}%`), eb('i.code', '=', query.q!)])))
      .$if(query.status !== undefined && ctx !== null, (qb) => qb.where('i.status', '=', query.status!))
      .$if(query.status === undefined && ctx !== null, (qb) => qb.where('i.status', '=', 'active'));
    const filtered = base
      .$if(query.departmentId !== undefined, (qb) => qb.where('i.department_id', '=', query.departmentId!))
      .$if(query.kind !== undefined, (qb) => qb.where('i.kind', '=', query.kind!))
      .$if(query.online !== undefined, (qb) => qb.where('i.online', '=', query.online!));
    const [rows, total, byDepartment, byKind, byOnline] = await Promise.all([
      filtered
        .select([...ITEM_COLS])
        .orderBy('d.name')
        .orderBy('i.code')
        .offset(query.offset ?? 0)
        .limit(query.limit ?? 50)
        .execute(),
      filtered.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      base.select(['i.department_id as value', 'd.name as label', (eb) => eb.fn.countAll<string>().as('n')]).groupBy(['i.department_id', 'd.name']).orderBy('d.name').execute(),
      base.select(['i.kind as value', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('i.kind').execute(),
      base.select(['i.online as value', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('i.online').execute(),
    ]);
    return {
      items: rows.map(summaryOf),
      total: Number(total.n),
      facets: {
        department: byDepartment.map((f) => ({ value: f.value, label: f.label, count: Number(f.n) })),
        kind: byKind.map((f) => ({ value: f.value, label: KIND_LABELS[f.value], count: Number(f.n) })),
        online: byOnline.map((f) => ({ value: String(f.value), label: f.value ? '可网上申请' : '仅窗口办理', count: Number(f.n) })),
      },
    };
  }

  async get(ctx: RequestContext | null, id: string): Promise<ItemView> {
    if (!isUuid(id)) throw itemNotFound();
    const row = await this.db
      .selectFrom('approval_item as i')
      .innerJoin('department as d', 'd.id', 'i.department_id')
      .select([...ITEM_COLS, 'i.legal_basis', 'i.fee_lawful', 'i.fee_basis', 'i.updated_at'])
      .where('i.id', '=', id)
      .where(this.visible(ctx))
      .executeTakeFirst();
    if (!row) throw itemNotFound();
    const [materials, steps] = await Promise.all([
      this.db.selectFrom('approval_item_material').selectAll().where('item_id', '=', id).orderBy('seq').execute(),
      this.db.selectFrom('approval_item_step').selectAll().where('item_id', '=', id).orderBy('seq').execute(),
    ]);
    return {
      ...summaryOf(row),
      legalBasis: row.legal_basis,
      feeLawful: row.fee_lawful,
      feeBasis: row.fee_basis,
      materials: materials.map((m) => ({ seq: m.seq, name: m.name, required: m.required, mimeTypes: m.mime_types, maxBytes: m.max_bytes })),
      steps: steps.map((s) => ({ seq: s.seq, step: s.step, name: s.name, limitDays: s.limit_days })),
      updatedAt: row.updated_at.toISOString(),
    };
  }

  /** The department if the caller manages items there; else 403/400. */
  private async managedDepartment(trx: Db, ctx: RequestContext, departmentId: string, field: string) {
    const { scope } = authorize(ctx, 'approval.items.manage', this.clock);
    const [dept] = await managedDepartments(trx, scope, [departmentId]);
    return { scope, dept: checkedDepartment(dept, field) };
  }

  async create(ctx: RequestContext, input: NewItem): Promise<ItemView> {
    checkItem(input);
    const id = await this.db.transaction().execute(async (trx) => {
      const { scope, dept } = await this.managedDepartment(trx, ctx, input.departmentId, 'departmentId');
      const row = await trx
        .insertInto('approval_item')
        .values({ code: input.code, name: input.name.trim(), department_id: dept.id, region_code: dept.region_code, region_path: dept.path, kind: input.kind, legal_basis: input.legalBasis, statutory_days: input.statutoryDays, promised_days: input.promisedDays, fee_lawful: input.feeLawful ?? false, fee_yuan: input.feeYuan ?? 0, fee_basis: input.feeBasis ?? '', online: input.online ?? true, updated_at: this.clock.now() })
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) throw conflict('approval.duplicate_code', 'An item with this code exists already.', 'code');
      await writeParts(trx, [{ itemId: row.id, ...input }]);
      await this.audit.record(trx, ctx, { action: 'approval.item.create', objectType: 'approval_item', objectId: row.id, regionCode: dept.region_code, detail: { code: input.code, name: input.name, permission: scope.permission } });
      return row.id;
    });
    return this.get(ctx, id);
  }

  /**
   * Many items in one transaction (the demo, imports): each checked as create checks it (a failure names `<index>/<field>`),
   * the rows written by a few multi-row INSERTs, and one audit record per region listing the batch's ids and codes.
   * Returns the new ids in input order.
   */
  async createMany(ctx: RequestContext, inputs: readonly NewItem[]): Promise<string[]> {
    const { scope } = authorize(ctx, 'approval.items.manage', this.clock);
    for (const [i, input] of inputs.entries()) await forItem(i, () => checkItem(input));
    const seen = new Map<string, number>();
    for (const [i, input] of inputs.entries()) {
      if (seen.has(input.code)) throw conflict('approval.duplicate_code', `Items ${seen.get(input.code)} and ${i} have the same code.`, `${i}/code`);
      seen.set(input.code, i);
    }
    if (inputs.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      const found = new Map((await managedDepartments(trx, scope, [...new Set(inputs.map((x) => x.departmentId))])).map((d) => [d.id, d]));
      const depts = await Promise.all(inputs.map((input, i) => forItem(i, () => checkedDepartment(found.get(input.departmentId), 'departmentId'))));
      const now = this.clock.now();
      const rows = await trx
        .insertInto('approval_item')
        .values(inputs.map((input, i) => ({ code: input.code, name: input.name.trim(), department_id: depts[i]!.id, region_code: depts[i]!.region_code, region_path: depts[i]!.path, kind: input.kind, legal_basis: input.legalBasis, statutory_days: input.statutoryDays, promised_days: input.promisedDays, fee_lawful: input.feeLawful ?? false, fee_yuan: input.feeYuan ?? 0, fee_basis: input.feeBasis ?? '', online: input.online ?? true, updated_at: now })))
        .onConflict((oc) => oc.column('code').doNothing())
        .returning(['id', 'code'])
        .execute();
      const ids = new Map(rows.map((r) => [r.code, r.id]));
      const taken = inputs.findIndex((input) => !ids.has(input.code));
      if (taken >= 0) throw conflict('approval.duplicate_code', 'An item with this code exists already.', `${taken}/code`);
      await writeParts(trx, inputs.map((input) => ({ itemId: ids.get(input.code)!, materials: input.materials, steps: input.steps })));
      for (const group of groupsOf(inputs.map((input, i) => ({ input, dept: depts[i]! })), (x) => x.dept.region_code, 500)) {
        const detail = { created: group.items.length, ids: group.items.map((x) => ids.get(x.input.code)!), codes: group.items.map((x) => x.input.code), permission: scope.permission };
        await this.audit.record(trx, ctx, { action: 'approval.item.create_many', objectType: 'approval_item', regionCode: group.key, detail });
      }
      return inputs.map((input) => ids.get(input.code)!);
    });
  }

  /** The item locked for an edit the caller may make at the version they saw; else 404 / 403 / 409 approval.stale. */
  private async lockForEdit(trx: Transaction<Database>, ctx: RequestContext, id: string, version: number) {
    const item = await trx.selectFrom('approval_item').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!item) throw itemNotFound();
    const { scope } = await this.managedDepartment(trx, ctx, item.department_id, 'id');
    if (item.version !== version) throw new DomainError('approval.stale', 'conflict', `The item is at version ${item.version}, not ${version}.`, 'version', { version: item.version });
    return { item, scope };
  }

  /** Changes an item: its version moves on (running cases keep the limits copied at their submission). */
  async update(ctx: RequestContext, id: string, input: UpdateItem): Promise<ItemView> {
    if (!isUuid(id)) throw itemNotFound();
    await this.db.transaction().execute(async (trx) => {
      const { item, scope } = await this.lockForEdit(trx, ctx, id, input.version);
      const merged = { statutoryDays: input.statutoryDays ?? item.statutory_days, promisedDays: input.promisedDays ?? item.promised_days, feeLawful: input.feeLawful ?? item.fee_lawful, feeYuan: input.feeYuan ?? Number(item.fee_yuan), steps: input.steps ?? [{ step: 'accept' as const }] };
      checkItem(merged);
      await trx
        .updateTable('approval_item')
        .set({
          ...(input.name !== undefined ? { name: input.name.trim() } : {}),
          ...(input.kind !== undefined ? { kind: input.kind } : {}),
          ...(input.legalBasis !== undefined ? { legal_basis: input.legalBasis } : {}),
          ...(input.feeBasis !== undefined ? { fee_basis: input.feeBasis } : {}),
          ...(input.online !== undefined ? { online: input.online } : {}),
          statutory_days: merged.statutoryDays,
          promised_days: merged.promisedDays,
          fee_lawful: merged.feeLawful,
          fee_yuan: merged.feeYuan,
          version: item.version + 1,
          updated_at: this.clock.now(),
        })
        .where('id', '=', id)
        .execute();
      if (input.materials) await trx.deleteFrom('approval_item_material').where('item_id', '=', id).execute();
      if (input.steps) await trx.deleteFrom('approval_item_step').where('item_id', '=', id).execute();
      await writeParts(trx, [{ itemId: id, ...input }]);
      await this.audit.record(trx, ctx, { action: 'approval.item.update', objectType: 'approval_item', objectId: id, regionCode: item.region_code, detail: { version: item.version + 1, fields: Object.keys(input).filter((k) => k !== 'version'), permission: scope.permission } });
    });
    return this.get(ctx, id);
  }

  /** 停用: takes no new applications; running cases go on. */
  async retire(ctx: RequestContext, id: string, version: number): Promise<ItemView> {
    if (!isUuid(id)) throw itemNotFound();
    await this.db.transaction().execute(async (trx) => {
      const { item, scope } = await this.lockForEdit(trx, ctx, id, version);
      await trx.updateTable('approval_item').set({ status: 'retired', version: item.version + 1, updated_at: this.clock.now() }).where('id', '=', id).execute();
      await this.audit.record(trx, ctx, { action: 'approval.item.retire', objectType: 'approval_item', objectId: id, regionCode: item.region_code, detail: { code: item.code, permission: scope.permission } });
    });
    return this.get(ctx, id);
  }
}

function summaryOf(r: { id: string; code: string; name: string; department_id: string; department_name: string; region_code: string; kind: ItemSummary['kind']; statutory_days: number; promised_days: number; fee_yuan: string; online: boolean; status: 'active' | 'retired'; version: number }): ItemSummary {
  return { id: r.id, code: r.code, name: r.name, department: { id: r.department_id, name: r.department_name }, regionCode: r.region_code, kind: r.kind, statutoryDays: r.statutory_days, promisedDays: r.promised_days, feeYuan: r.fee_yuan, online: r.online, status: r.status, version: r.version };
}

function checkItem(input: { statutoryDays: number; promisedDays: number; feeLawful?: boolean | undefined; feeYuan?: number | undefined; steps: readonly { step: Step }[] }): void {
  if (input.promisedDays > input.statutoryDays) throw invalid('approval.invalid_limits', 'promisedDays', 'The promised limit may not exceed the statutory limit.');
  if (!(input.feeLawful ?? false) && (input.feeYuan ?? 0) > 0) throw invalid('approval.invalid_fee', 'feeYuan', 'An item whose law sets no fee may not charge one.');
  const order = input.steps.map((s) => STEPS.indexOf(s.step));
  if (order.some((o, i) => i > 0 && o <= order[i - 1]!)) throw invalid('approval.invalid_steps', 'steps', 'Steps follow accept, review, decide, conclude, deliver in order, each once.');
}

/** The departments (with their region paths) among `ids`, each flagged whether `scope` covers it. */
function managedDepartments(trx: Db, scope: Scope, ids: readonly string[]) {
  return trx
    .selectFrom('department as d')
    .innerJoin('region as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.region_code', 'r.path', sql<boolean>`${scopeSql(scope, { path: 'r.path', department: 'd.id' })}`.as('in_scope')])
    .where('d.id', 'in', ids)
    .execute();
}

function checkedDepartment<T extends { in_scope: boolean }>(dept: T | undefined, field: string): T {
  if (!dept) throw invalid('approval.unknown_department', field, 'No such department.');
  if (!dept.in_scope) throw new DomainError('approval.department_out_of_scope', 'forbidden', 'The department lies outside your scope (approval.items.manage).', field);
  return dept;
}

/** The materials and steps of items, each list numbered from 1, in one INSERT per table. */
async function writeParts(trx: Transaction<Database>, parts: readonly ({ itemId: string } & Pick<Partial<NewItem>, 'materials' | 'steps'>)[]): Promise<void> {
  const materials = parts.flatMap((p) => (p.materials ?? []).map((m, i) => ({ item_id: p.itemId, seq: i + 1, name: m.name, required: m.required ?? true, ...(m.mimeTypes ? { mime_types: m.mimeTypes } : {}), ...(m.maxBytes ? { max_bytes: m.maxBytes } : {}) })));
  if (materials.length > 0) await trx.insertInto('approval_item_material').values(materials).execute();
  const steps = parts.flatMap((p) => (p.steps ?? []).map((s, i) => ({ item_id: p.itemId, seq: i + 1, step: s.step, name: s.name ?? STEP_NAMES[s.step], limit_days: s.limitDays ?? null })));
  if (steps.length > 0) await trx.insertInto('approval_item_step').values(steps).execute();
}
