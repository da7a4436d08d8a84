// The one resident filter (lists, search, statistics' drill-through, notice targeting, exports): jurisdiction first,
// then the caller's criteria. Jurisdiction is a prefix range on the resident's community path (no join).
import { sql, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { escapeLike, likePrefix } from '../../db/jurisdiction.ts';
import type { Scope } from '../../shared/access.ts';
import type { Fact, ResidenceStatus, ResidentStatus } from './kinds.ts';

export interface ResidentFilter {
  /** Materialized path of a region node at any level (resolve a code with regionPathOf). */
  regionPath?: string;
  gridId?: string;
  sex?: 'M' | 'F';
  /** Age in whole years on `asOf`, inclusive bounds. */
  ageMin?: number;
  ageMax?: number;
  /** GB/T 3304 codes. */
  ethnicity?: readonly string[];
  residenceStatus?: readonly ResidenceStatus[];
  /** Residents carrying any of these labels. */
  labels?: readonly string[];
  /** true: the fact holds; false: it does not hold or is unknown. */
  facts?: Partial<Record<Fact, boolean>>;
  /** A fragment of the name or of the ID number. */
  q?: string;
  /** Default 'active'. */
  status?: ResidentStatus;
}

type ResidentEb = ExpressionBuilder<Database & { r: Database['community_resident'] }, 'r'>;

/** 'YYYY-MM-DD' minus whole years (29 Feb → 28 Feb). */
export function minusYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const year = y - years;
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The day after 'YYYY-MM-DD'. */
function nextDay(day: string): string {
  const t = new Date(`${day}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

/** Rows of `community_resident as r` inside the scope's region subtrees (share grants and tenancy open no residents). */
export function residentInScope(eb: ResidentEb, scope: Pick<Scope, 'paths'>) {
  if (scope.paths.length === 0) return sql<SqlBool>`false`;
  if (scope.paths.includes('/')) return sql<SqlBool>`true`;
  return eb.or(scope.paths.map((p) => eb('r.region_path', 'like', likePrefix(p))));
}

/** Whether the rows searched lie in one street or community (level ≥ 3): few enough to scan for any fragment. */
function narrow(scope: Pick<Scope, 'paths'>, filter: ResidentFilter): boolean {
  const depth = (path: string) => path.split('/').filter(Boolean).length;
  if (filter.regionPath !== undefined) return depth(filter.regionPath) >= 3;
  return scope.paths.length > 0 && scope.paths.every((p) => depth(p) >= 3);
}

/** Jurisdiction ∧ criteria, for `selectFrom('community_resident as r')`. `today` is the China date 'YYYY-MM-DD'. */
export function residentWhere(eb: ResidentEb, scope: Pick<Scope, 'paths'>, filter: ResidentFilter, today: string) {
  const parts = [residentInScope(eb, scope), eb('r.status', '=', filter.status ?? 'active')];
  if (filter.regionPath) parts.push(eb('r.region_path', 'like', likePrefix(filter.regionPath)));
  if (filter.gridId) parts.push(eb('r.grid_id', '=', filter.gridId));
  if (filter.sex) parts.push(eb('r.sex', '=', filter.sex));
  // age a on `today` ⇔ birth_date in (today − (a+1) years, today − a years]
  if (filter.ageMin !== undefined) parts.push(eb('r.birth_date', '<=', minusYears(today, filter.ageMin)));
  if (filter.ageMax !== undefined) parts.push(eb('r.birth_date', '>=', nextDay(minusYears(today, filter.ageMax + 1))));
  if (filter.ethnicity?.length) parts.push(eb('r.ethnicity', 'in', [...filter.ethnicity]));
  if (filter.residenceStatus?.length) parts.push(eb('r.residence_status', 'in', [...filter.residenceStatus]));
  if (filter.labels?.length) {
    const labels = [...filter.labels];
    parts.push(eb.exists(eb.selectFrom('community_resident_label as l').select('l.resident_id').whereRef('l.resident_id', '=', 'r.id').where('l.label_code', 'in', labels)));
  }
  for (const [fact, wanted] of Object.entries(filter.facts ?? {}) as [Fact, boolean | undefined][]) {
    if (wanted === undefined) continue;
    const holds = eb.exists(
      eb.selectFrom('community_resident_fact as f').select('f.resident_id').whereRef('f.resident_id', '=', 'r.id').where('f.fact', '=', fact).where('f.value', '=', true),
    );
    parts.push(wanted ? holds : eb.not(holds));
  }
  if (filter.q) {
    const q = filter.q.trim();
    // 1–2 characters over a county or more match as a prefix (a surname; index-served), anywhere in a street (D64)
    const anywhere = [...q].length >= 3 || narrow(scope, filter);
    const pattern = anywhere ? `%${escapeLike(q)}%` : `${escapeLike(q)}%`;
    parts.push(/^[0-9xX]+$/.test(q) ? eb('r.id_number', 'like', pattern.toUpperCase()) : eb('r.name', 'like', pattern));
  }
  return eb.and(parts);
}

/** The materialized path of a region code, or undefined when there is no such region. */
export async function regionPathOf(db: Kysely<Database>, code: string): Promise<string | undefined> {
  const row = await db.selectFrom('region').select('path').where('code', '=', code).executeTakeFirst();
  return row?.path;
}
