// SQL of the supervised matters: rows with jurisdiction in the query (region prefix ∪ department tree), the kinds'
// child rows, warnings into the contract table (each once per subject and rule), the public penalty list.
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { inTenant, likePrefix } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { Scope } from '../../shared/access.ts';
import type { MatterKind, MatterState } from './kinds.ts';
import type { Fired } from './rules.ts';

type Db = Kysely<Database> | Transaction<Database>;
/** Where rows are visible or writable: region subtrees ∪ department trees. */
export type Reach = Pick<Scope, 'paths' | 'departments'>;

/** `region_path` in one of the subtrees, or `department_id` in one of the department trees. */
function within(reach: Reach, pathColumn: string, departmentColumn: string): Expression<SqlBool> {
  const parts = reach.paths.map((p) => sql<SqlBool>`${sql.ref(pathColumn)} LIKE ${likePrefix(p)}`);
  if (reach.departments.length > 0) parts.push(inTenant(sql.ref(departmentColumn), reach) as never);
  return parts.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

export async function articles(db: Db) {
  return db.selectFrom('matter_penalty_article').selectAll().orderBy('code').execute();
}

export async function article(db: Db, code: string) {
  return db.selectFrom('matter_penalty_article').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function department(db: Db, id: string) {
  return db.selectFrom('department as d').innerJoin('region as r', 'r.code', 'd.region_code').select(['d.id', 'd.name', 'd.region_code', 'r.path']).where('d.id', '=', id).executeTakeFirst();
}

export async function region(db: Db, code: string) {
  return db.selectFrom('region').select(['code', 'name', 'path', 'level']).where('code', '=', code).executeTakeFirst();
}

/** Whether a department lies in the reach (its region in a subtree, or itself in a department tree). */
export async function departmentWithin(db: Db, id: string, reach: Reach): Promise<boolean> {
  const row = await db
    .selectFrom('department as d')
    .innerJoin('region as r', 'r.code', 'd.region_code')
    .select('d.id')
    .where('d.id', '=', id)
    .where(() => within(reach, 'r.path', 'd.id'))
    .executeTakeFirst();
  return row !== undefined;
}

export interface NewMatter {
  kind: MatterKind;
  departmentId: string;
  regionCode: string;
  regionPath: string;
  title: string;
  refNo: string;
  state: MatterState;
  startedOn: string;
  data: Record<string, unknown>;
  createdBy: string | null;
  now: Date;
}

/** The new matter's id, or null when the department has a matter of this kind with this number. */
export async function insertMatter(trx: Transaction<Database>, m: NewMatter): Promise<string | null> {
  const row = await trx
    .insertInto('supervised_matter')
    .values({
      kind: m.kind,
      department_id: m.departmentId,
      region_code: m.regionCode,
      region_path: m.regionPath,
      title: m.title,
      ref_no: m.refNo,
      state: m.state,
      started_on: m.startedOn,
      data: JSON.stringify(m.data),
      created_by: m.createdBy,
      created_at: m.now,
      updated_at: m.now,
    })
    .onConflict((oc) => oc.columns(['department_id', 'kind', 'ref_no']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function lockMatter(trx: Transaction<Database>, id: string) {
  return trx.selectFrom('supervised_matter').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export type MatterRow = NonNullable<Awaited<ReturnType<typeof lockMatter>>>;

export async function updateMatter(trx: Transaction<Database>, id: string, m: Pick<NewMatter, 'regionCode' | 'regionPath' | 'title' | 'refNo' | 'state' | 'startedOn' | 'data' | 'now'>): Promise<boolean> {
  const taken = await trx
    .selectFrom('supervised_matter as o')
    .innerJoin('supervised_matter as m', (j) => j.onRef('m.department_id', '=', 'o.department_id').onRef('m.kind', '=', 'o.kind'))
    .select('o.id')
    .where('m.id', '=', id)
    .where('o.id', '<>', id)
    .where('o.ref_no', '=', m.refNo)
    .executeTakeFirst();
  if (taken) return false;
  await trx
    .updateTable('supervised_matter')
    .set({
      region_code: m.regionCode,
      region_path: m.regionPath,
      title: m.title,
      ref_no: m.refNo,
      state: m.state,
      started_on: m.startedOn,
      data: JSON.stringify(m.data),
      version: sql`version + 1`,
      updated_at: m.now,
    })
    .where('id', '=', id)
    .execute();
  return true;
}

export interface MilestoneRow {
  seq: number;
  name: string;
  plannedOn: string;
  completedOn: string | null;
}

export async function replaceMilestones(trx: Transaction<Database>, matterId: string, milestones: readonly MilestoneRow[]): Promise<void> {
  await trx.deleteFrom('matter_project_milestone').where('matter_id', '=', matterId).execute();
  if (milestones.length === 0) return;
  await trx
    .insertInto('matter_project_milestone')
    .values(milestones.map((m) => ({ matter_id: matterId, seq: m.seq, name: m.name, planned_on: m.plannedOn, completed_on: m.completedOn })))
    .execute();
}

export async function milestonesOf(db: Db, ids: readonly string[]): Promise<Map<string, MilestoneRow[]>> {
  const out = new Map<string, MilestoneRow[]>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('matter_project_milestone').selectAll().where('matter_id', 'in', [...ids]).orderBy('matter_id').orderBy('seq').execute();
  for (const r of rows) {
    const list = out.get(r.matter_id) ?? [];
    list.push({ seq: r.seq, name: r.name, plannedOn: r.planned_on, completedOn: r.completed_on });
    out.set(r.matter_id, list);
  }
  return out;
}

export async function publicationsOf(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('matter_village_publication').selectAll().where('matter_id', 'in', [...ids]).orderBy('matter_id').orderBy('period', 'desc').execute();
}

/** The new publication's id, or null when the period is published already. */
export async function insertPublication(
  trx: Transaction<Database>,
  p: { matterId: string; period: string; publishedOn: string; summary: string; incomeYuan: number | null; expenseYuan: number | null; recordedBy: string | null; now: Date },
): Promise<string | null> {
  const row = await trx
    .insertInto('matter_village_publication')
    .values({ matter_id: p.matterId, period: p.period, published_on: p.publishedOn, summary: p.summary, income_yuan: p.incomeYuan, expense_yuan: p.expenseYuan, recorded_by: p.recordedBy, recorded_at: p.now })
    .onConflict((oc) => oc.columns(['matter_id', 'period']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

const summaryColumns = (db: Db, manage: Reach) =>
  db
    .selectFrom('supervised_matter as m')
    .innerJoin('department as d', 'd.id', 'm.department_id')
    .innerJoin('region as r', 'r.code', 'm.region_code')
    .selectAll('m')
    .select(['d.name as department_name', 'r.name as region_name'])
    .select(sql<boolean>`${within(manage, 'm.region_path', 'm.department_id')}`.as('editable'))
    .select((eb) =>
      eb
        .selectFrom('supervision_warning as w')
        .select(sql<string>`json_build_object('yellow', count(*) FILTER (WHERE w.level = 'yellow'), 'red', count(*) FILTER (WHERE w.level = 'red'), 'irregular', count(*) FILTER (WHERE w.level = 'irregular'))::text`.as('c'))
        .whereRef('w.subject_id', '=', 'm.id')
        .where('w.state', '<>', 'closed')
        .as('warning_counts'),
    );

export type SummaryRow = NonNullable<Awaited<ReturnType<ReturnType<typeof summaryColumns>['executeTakeFirst']>>>;

export interface ListFilter {
  kind?: MatterKind;
  state?: MatterState;
  q?: string;
  regionPath?: string;
  warned?: boolean;
  after?: { startedOn: string; id: string };
  limit: number;
}

export async function listMatters(db: Db, view: Reach, manage: Reach, f: ListFilter): Promise<SummaryRow[]> {
  return summaryColumns(db, manage)
    .where(() => within(view, 'm.region_path', 'm.department_id'))
    .$if(f.kind !== undefined, (q) => q.where('m.kind', '=', f.kind!))
    .$if(f.state !== undefined, (q) => q.where('m.state', '=', f.state!))
    .$if(f.regionPath !== undefined, (q) => q.where('m.region_path', 'like', likePrefix(f.regionPath!)))
    .$if(f.q !== undefined, (q) => q.where((eb) => eb.or([eb('m.title', 'ilike', `%${f.q!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`), eb('m.ref_no', '=', f.q!)])))
    .$if(f.warned === true, (q) => q.where(({ exists, selectFrom }) => exists(selectFrom('supervision_warning as w').select('w.id').whereRef('w.subject_id', '=', 'm.id').where('w.state', '<>', 'closed'))))
    .$if(f.after !== undefined, (q) => q.where(sql<SqlBool>`(m.started_on, m.id) < (${f.after!.startedOn}::date, ${f.after!.id}::uuid)`))
    .orderBy('m.started_on', 'desc')
    .orderBy('m.id', 'desc')
    .limit(f.limit)
    .execute();
}

export async function findMatter(db: Db, id: string, view: Reach, manage: Reach): Promise<SummaryRow | undefined> {
  return summaryColumns(db, manage)
    .where('m.id', '=', id)
    .where(() => within(view, 'm.region_path', 'm.department_id'))
    .executeTakeFirst();
}

export async function warningsOf(db: Db, subjectId: string) {
  return db.selectFrom('supervision_warning').selectAll().where('subject_id', '=', subjectId).orderBy('fired_at').orderBy('rule').execute();
}

export async function listWarnings(db: Db, view: Reach, f: { kind?: MatterKind; level?: string; after?: { firedAt: string; id: string }; limit: number }) {
  return db
    .selectFrom('supervision_warning as w')
    .selectAll('w')
    .where('w.subject_kind', 'in', f.kind ? [f.kind] : ['penalty', 'enforcement', 'trading', 'village', 'project'])
    .where(() => within(view, 'w.region_path', 'w.department_id'))
    .$if(f.level !== undefined, (q) => q.where('w.level', '=', f.level as never))
    .$if(f.after !== undefined, (q) => q.where(sql<SqlBool>`(w.fired_at, w.id) < (${f.after!.firedAt}::timestamptz, ${f.after!.id}::uuid)`))
    .orderBy('w.fired_at', 'desc')
    .orderBy('w.id', 'desc')
    .limit(f.limit)
    .execute();
}

export interface WarningSubject {
  kind: MatterKind;
  id: string;
  departmentId: string;
  regionCode: string;
  regionPath: string;
  label: string;
}

/** Stores warnings of many subjects in one statement; a (subject, rule) already there is left alone (each fires once). Returns how many were new. */
export async function insertWarnings(trx: Transaction<Database>, fired: readonly { subject: WarningSubject; warning: Fired }[], today: string): Promise<number> {
  if (fired.length === 0) return 0;
  const rows = await trx
    .insertInto('supervision_warning')
    .values(
      fired.map(({ subject, warning: f }) => ({
        subject_kind: subject.kind,
        subject_id: subject.id,
        rule: f.rule,
        level: f.level,
        department_id: subject.departmentId,
        region_code: subject.regionCode,
        region_path: subject.regionPath,
        fired_on: today,
        summary: `${subject.label} ${f.text}`.slice(0, 500),
        detail: JSON.stringify(f.detail),
      })),
    )
    .onConflict((oc) => oc.columns(['subject_id', 'rule']).doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

/** A batch of open matters' ids after `after` (the sweep walks them in id order). */
export async function openMatterIds(db: Db, after: string | null, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('supervised_matter')
    .select('id')
    .where('state', '=', 'open')
    .$if(after !== null, (q) => q.where('id', '>', after!))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function mattersForRules(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('supervised_matter as m')
    .innerJoin('department as d', 'd.id', 'm.department_id')
    .selectAll('m')
    .select('d.name as department_name')
    .where('m.id', 'in', [...ids])
    .where('m.state', '<>', 'cancelled')
    .execute();
}

/** Decided, not cancelled penalties for the public disclosure, newest decision first. */
export async function publicPenalties(db: Db, f: { q?: string; after?: { decidedOn: string; id: string }; limit: number }) {
  return db
    .selectFrom('supervised_matter as m')
    .innerJoin('department as d', 'd.id', 'm.department_id')
    .innerJoin('region as r', 'r.code', 'm.region_code')
    .leftJoin('matter_penalty_article as a', (j) => j.on(sql<SqlBool>`a.code = m.data->>'articleCode'`))
    .select(['m.id', 'm.ref_no', 'm.title', 'm.data', 'd.name as department_name', 'r.name as region_name', 'a.law', 'a.article'])
    .select(sql<string>`m.data->>'decidedOn'`.as('decided_on'))
    .where('m.kind', '=', 'penalty')
    .where('m.state', '<>', 'cancelled')
    .where(sql<SqlBool>`m.data->>'decidedOn' IS NOT NULL`)
    .$if(f.q !== undefined, (q) => {
      const like = `%${f.q!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      // a person's name is not searchable (it is masked); an organisation's is
      return q.where(sql<SqlBool>`(m.title ILIKE ${like} OR m.ref_no = ${f.q!} OR (m.data->>'partyKind' = 'organization' AND m.data->>'partyName' ILIKE ${like}))`);
    })
    .$if(f.after !== undefined, (q) => q.where(sql<SqlBool>`(m.data->>'decidedOn', m.id) < (${f.after!.decidedOn}, ${f.after!.id}::uuid)`))
    .orderBy(sql`m.data->>'decidedOn'`, 'desc')
    .orderBy('m.id', 'desc')
    .limit(f.limit)
    .execute();
}
