// SQL of ratings and complaints: jurisdiction in every read (region subtree ∪ department tree), keyset paging.
import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { countedPage } from '../../db/counted-page.ts';
import { inRoleScope } from '../../db/jurisdiction.ts';
import type { Scope } from '../../shared/access.ts';
import type { ComplaintState } from './kinds.ts';

type Db = Kysely<Database> | Transaction<Database>;
/** The part of a scope rows are filtered by (a union of several permissions' scopes). */
export type RowScope = Pick<Scope, 'permission' | 'paths' | 'departments' | 'shares'>;

/** A case as a rating or complaint needs it, with the item's and department's names. */
export async function findCase(db: Db, id: string) {
  return db
    .selectFrom('approval_case as c')
    .innerJoin('approval_item as i', 'i.id', 'c.item_id')
    .innerJoin('department as d', 'd.id', 'c.department_id')
    .select(['c.id', 'c.case_no', 'c.state', 'c.department_id', 'c.region_code', 'c.region_path', 'c.citizen_id', 'c.applicant_id_number', 'c.applicant_name', 'c.applicant_phone', 'c.concluded_on', 'i.name as item_name', 'd.name as department_name'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}
export type CaseRow = NonNullable<Awaited<ReturnType<typeof findCase>>>;

/** Whether the case lies in the scope (SQL, so tenancy's department tree is walked by the database). */
export async function caseInScope(db: Db, id: string, scope: RowScope): Promise<boolean> {
  const row = await db
    .selectFrom('approval_case as c')
    .select('c.id')
    .where('c.id', '=', id)
    .where((eb) => inRoleScope(eb, { region: eb.ref('c.region_code'), department: eb.ref('c.department_id') }, scope as Scope))
    .executeTakeFirst();
  return row !== undefined;
}

export async function departmentInScope(db: Db, id: string, scope: RowScope | null) {
  return db
    .selectFrom('department as d')
    .innerJoin('region as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.name', 'd.region_code', 'r.path'])
    .where('d.id', '=', id)
    .$if(scope !== null, (q) => q.where((eb) => inRoleScope(eb, { region: eb.ref('d.region_code'), department: eb.ref('d.id') }, scope as Scope)))
    .executeTakeFirst();
}

/** The citizen's ID number (citizen accounts only). */
export async function citizenIdNumber(db: Db, userId: string): Promise<string | null> {
  const row = await db.selectFrom('citizen').select('id_number').where('user_id', '=', userId).executeTakeFirst();
  return row?.id_number ?? null;
}

// ---- ratings

export function ratingsQuery(db: Db) {
  return db
    .selectFrom('evaluation_rating as r')
    .innerJoin('approval_case as c', 'c.id', 'r.case_id')
    .innerJoin('approval_item as i', 'i.id', 'c.item_id')
    .innerJoin('department as d', 'd.id', 'r.department_id');
}

const RATING_COLUMNS = [
  'r.id',
  'r.case_id',
  'c.case_no',
  'c.applicant_name',
  'i.name as item_name',
  'r.department_id',
  'd.name as department_name',
  'r.region_code',
  'r.level',
  'r.comment',
  'r.tags',
  'r.channel',
  'r.rated_at',
  'r.rated_on',
  'r.follow_up_due',
  'r.followed_up_on',
  'r.followed_up_at',
  'r.follow_up_contacted',
  'r.follow_up_result',
  'r.follow_up_satisfied',
] as const;

export interface RatingFilter {
  departmentId?: string;
  level?: number;
  bad?: boolean;
  followUp?: 'pending' | 'overdue' | 'done';
  month?: string;
  caseNo?: string;
}

function ratingWhere(db: Db, scope: RowScope, f: RatingFilter, today: string) {
  return ratingsQuery(db)
    .where((eb) => inRoleScope(eb, { region: eb.ref('r.region_code'), department: eb.ref('r.department_id') }, scope as Scope))
    .$if(f.departmentId !== undefined, (q) => q.where('r.department_id', '=', f.departmentId!))
    .$if(f.level !== undefined, (q) => q.where('r.level', '=', f.level!))
    .$if(f.bad === true, (q) => q.where('r.level', '<=', 2))
    .$if(f.bad === false, (q) => q.where('r.level', '>', 2))
    .$if(f.followUp === 'pending', (q) => q.where('r.follow_up_due', 'is not', null).where('r.followed_up_at', 'is', null))
    .$if(f.followUp === 'overdue', (q) => q.where('r.follow_up_due', '<', today).where('r.followed_up_at', 'is', null))
    .$if(f.followUp === 'done', (q) => q.where('r.followed_up_at', 'is not', null))
    .$if(f.month !== undefined, (q) => q.where('r.rated_on', '>=', `${f.month}-01`).where('r.rated_on', '<', sql<string>`(${`${f.month}-01`}::date + interval '1 month')::date`))
    .$if(f.caseNo !== undefined, (q) => q.where('c.case_no', '=', f.caseNo!));
}

export async function listRatings(db: Db, scope: RowScope, f: RatingFilter, today: string, page: { after: [string, string] | null; limit: number }) {
  return countedPage(
    db,
    ratingWhere(db, scope, f, today).select(RATING_COLUMNS),
    (q) =>
      q
        .$if(page.after !== null, (w) => w.where(sql<SqlBool>`(r.rated_at, r.id) < (${page.after![0]}::timestamptz, ${page.after![1]}::uuid)`))
        .orderBy('r.rated_at', 'desc')
        .orderBy('r.id', 'desc')
        .limit(page.limit + 1),
    [
      ['rated_at', 'desc'],
      ['id', 'desc'],
    ],
  );
}
export type RatingRow = Awaited<ReturnType<typeof listRatings>>['rows'][number];

export async function findRating(db: Db, id: string, scope: RowScope | null, lock = false) {
  return ratingsQuery(db)
    .select(RATING_COLUMNS)
    .select(['r.region_path'])
    .where('r.id', '=', id)
    .$if(scope !== null, (q) => q.where((eb) => inRoleScope(eb, { region: eb.ref('r.region_code'), department: eb.ref('r.department_id') }, scope as Scope)))
    .$if(lock, (q) => q.forUpdate('r'))
    .executeTakeFirst();
}

/** Bad ratings awaiting follow-up in the scope, soonest deadline first (我的待办). */
export async function pendingFollowUps(db: Db, scope: RowScope, limit: number) {
  return ratingsQuery(db)
    .select(['r.id', 'c.case_no', 'i.name as item_name', 'r.level', 'r.follow_up_due', 'r.rated_at'])
    .where('r.follow_up_due', 'is not', null)
    .where('r.followed_up_at', 'is', null)
    .where((eb) => inRoleScope(eb, { region: eb.ref('r.region_code'), department: eb.ref('r.department_id') }, scope as Scope))
    .orderBy('r.follow_up_due')
    .limit(limit)
    .execute();
}

export async function countPendingFollowUps(db: Db, scope: RowScope): Promise<number> {
  const row = await db
    .selectFrom('evaluation_rating as r')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.follow_up_due', 'is not', null)
    .where('r.followed_up_at', 'is', null)
    .where((eb) => inRoleScope(eb, { region: eb.ref('r.region_code'), department: eb.ref('r.department_id') }, scope as Scope))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---- complaints

function complaintsQuery(db: Db) {
  return db
    .selectFrom('evaluation_complaint as p')
    .innerJoin('department as d', 'd.id', 'p.department_id')
    .leftJoin('approval_case as c', 'c.id', 'p.case_id')
    .select([
      'p.id',
      'p.department_id',
      'd.name as department_name',
      'p.region_code',
      'p.region_path',
      'p.case_id',
      'c.case_no',
      'p.complainant_name',
      'p.complainant_phone',
      'p.citizen_id',
      'p.channel',
      'p.subject',
      'p.body',
      'p.state',
      'p.filed_at',
      'p.filed_on',
      'p.decide_due',
      'p.decided_at',
      'p.decision_reason',
      'p.handled_at',
      'p.result',
      'p.closed_at',
    ]);
}
export type ComplaintRow = NonNullable<Awaited<ReturnType<typeof findComplaint>>>;

export interface ComplaintFilter {
  state?: ComplaintState;
  departmentId?: string;
  overdue?: boolean;
}

/** Complaints in the scope (staff) or of one citizen (citizenId), newest first. */
export async function listComplaints(db: Db, who: { scope: RowScope } | { citizenId: string }, f: ComplaintFilter, today: string, page: { after: [string, string] | null; limit: number }) {
  const base = complaintsQuery(db)
    .$if('scope' in who, (q) => q.where((eb) => inRoleScope(eb, { region: eb.ref('p.region_code'), department: eb.ref('p.department_id') }, (who as { scope: Scope }).scope)))
    .$if('citizenId' in who, (q) => q.where('p.citizen_id', '=', (who as { citizenId: string }).citizenId))
    .$if(f.state !== undefined, (q) => q.where('p.state', '=', f.state!))
    .$if(f.departmentId !== undefined, (q) => q.where('p.department_id', '=', f.departmentId!))
    .$if(f.overdue === true, (q) => q.where('p.state', '=', 'filed').where('p.decide_due', '<', today));
  // page and total in one statement: a complaint filed or decided meanwhile is in both or in neither
  return countedPage(
    db,
    base,
    (q) =>
      q
        .$if(page.after !== null, (w) => w.where(sql<SqlBool>`(p.filed_at, p.id) < (${page.after![0]}::timestamptz, ${page.after![1]}::uuid)`))
        .orderBy('p.filed_at', 'desc')
        .orderBy('p.id', 'desc')
        .limit(page.limit + 1),
    [
      ['filed_at', 'desc'],
      ['id', 'desc'],
    ],
  );
}

export async function findComplaint(db: Db, id: string, scope: RowScope | null, lock = false) {
  return complaintsQuery(db)
    .where('p.id', '=', id)
    .$if(scope !== null, (q) => q.where((eb) => inRoleScope(eb, { region: eb.ref('p.region_code'), department: eb.ref('p.department_id') }, scope as Scope)))
    .$if(lock, (q) => q.forUpdate('p'))
    .executeTakeFirst();
}

/** Complaints awaiting the decision to accept in the scope, soonest deadline first (我的待办). */
export async function pendingComplaints(db: Db, scope: RowScope, limit: number) {
  return complaintsQuery(db)
    .where('p.state', 'in', ['filed', 'accepted'])
    .where((eb) => inRoleScope(eb, { region: eb.ref('p.region_code'), department: eb.ref('p.department_id') }, scope as Scope))
    .orderBy('p.decide_due')
    .limit(limit)
    .execute();
}

export async function countPendingComplaints(db: Db, scope: RowScope): Promise<number> {
  const row = await db
    .selectFrom('evaluation_complaint as p')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('p.state', 'in', ['filed', 'accepted'])
    .where((eb) => inRoleScope(eb, { region: eb.ref('p.region_code'), department: eb.ref('p.department_id') }, scope as Scope))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Departments that offer service items (the complaint form's choices), in directory order. */
export async function complaintDepartments(db: Db) {
  return db
    .selectFrom('department as d')
    .select(['d.id', 'd.name', 'd.region_code'])
    .where((eb) => eb.exists(eb.selectFrom('approval_item as i').select('i.id').whereRef('i.department_id', '=', 'd.id')))
    .orderBy('d.kind_rank')
    .orderBy('d.sort_order')
    .orderBy('d.code')
    .limit(500)
    .execute();
}
