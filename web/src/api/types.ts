// The console's names for the API's shapes, all read off the generated paths (schema.d.ts): none is restated by hand.
import type { paths } from './schema.d.ts';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type JsonOf<S> = S extends { content: { 'application/json': infer T } } ? T : never;

/** The JSON a successful call answers with (200 or 201). */
export type ResponseOf<P extends keyof paths, M extends Method> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer S }
    ? JsonOf<S>
    : R extends { 201: infer S }
      ? JsonOf<S>
      : never
  : never;
/** The JSON body a call sends. */
export type BodyOf<P extends keyof paths, M extends Method> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
/** The query parameters of a GET. */
export type QueryOf<P extends keyof paths> = paths[P]['get'] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

type Item<L> = L extends { items: (infer T)[] } ? T : never;

export type Session = Extract<ResponseOf<'/api/auth/login', 'post'>, { csrfToken: string }>;
/** Sign-in's answer for an administrator: the password was right and a code went by SMS; no session yet. */
export type SecondFactorChallenge = Extract<ResponseOf<'/api/auth/login', 'post'>, { secondFactor: unknown }>;
export type Me = Session['user'];
export type Grant = Me['grants'][number];
export type DepartmentRef = NonNullable<Me['department']>;
export type Captcha = ResponseOf<'/api/auth/captcha', 'post'>;
export interface CaptchaAnswer {
  id: string;
  answer: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** Rows matching the same filter in the caller's jurisdiction; lists that count (departments, users) send it. */
  total?: number;
  /** false when the server stopped counting at its cap: `total` is then a lower bound, shown as "10,000+". */
  totalExact?: boolean;
}

export type DashboardSummary = ResponseOf<'/api/dashboard/summary', 'get'>;
export type JurisdictionRoot = DashboardSummary['jurisdiction'][number];
export type RegionRef = JurisdictionRoot['ancestors'][number];
export type RegionNode = DashboardSummary['tree'];
/** 1 prefecture (地级) · 2 county (县级) · 3 township/street (乡级) · 4 community/village (村级). */
export type RegionLevel = 1 | 2 | 3 | 4;

export type Region = Item<ResponseOf<'/api/regions', 'get'>>;
export type RegionDetail = ResponseOf<'/api/regions/{code}', 'get'>;
export type RegionQuery = QueryOf<'/api/regions'>;

export type Department = ResponseOf<'/api/departments/{id}', 'get'>;
export type DepartmentQuery = QueryOf<'/api/departments'>;
export type DepartmentKind = NonNullable<DepartmentQuery['kind']>;
export type NewDepartment = BodyOf<'/api/departments', 'post'>;
/** The fields to change; null clears shortName, parentId or creditCode. Code and region are fixed. */
export type DepartmentPatch = BodyOf<'/api/departments/{id}', 'patch'>;

export type User = ResponseOf<'/api/users/{id}', 'get'>;
export type UserQuery = QueryOf<'/api/users'>;
export type NewUser = BodyOf<'/api/users', 'post'>;
export type UserPatch = BodyOf<'/api/users/{id}', 'patch'>;
export type NewGrant = BodyOf<'/api/users/{id}/grants', 'post'>;

export type ApiToken = Item<ResponseOf<'/api/tokens', 'get'>>;
export type NewApiToken = BodyOf<'/api/tokens', 'post'>;
export type CreatedApiToken = ResponseOf<'/api/tokens', 'post'>;

export type AuditRecord = Item<ResponseOf<'/api/audit', 'get'>>;
export type AuditLabel = AuditRecord['actionLabel'];
export type AuditQuery = QueryOf<'/api/audit'>;
export type AuditFilterQuery = Omit<AuditQuery, 'cursor' | 'limit'>;
export type AuditOutcome = NonNullable<AuditQuery['outcome']>;
export type AuditAlertPage = ResponseOf<'/api/audit/alerts', 'get'>;
export type AuditVerifyResult = ResponseOf<'/api/audit/verify', 'post'>;
/** One read of personal data in the access log (D47). */
export type AccessEntry = Item<ResponseOf<'/api/audit/access', 'get'>>;
export type AccessQuery = QueryOf<'/api/audit/access'>;
