// Typed client for the GovCloud HTTP API: a fetch wrapper with CSRF handling and problem+json errors.

export type Role =
  | 'platform_admin'
  | 'department_admin'
  | 'department_staff'
  | 'community_worker'
  | 'supervisor'
  | 'auditor'
  | 'leader';

export const ROLES: readonly Role[] = [
  'platform_admin',
  'department_admin',
  'department_staff',
  'community_worker',
  'supervisor',
  'auditor',
  'leader',
];

export type Permission =
  | 'dashboard.read'
  | 'regions.read'
  | 'regions.manage'
  | 'departments.read'
  | 'departments.manage'
  | 'users.read'
  | 'users.manage'
  | 'audit.read'
  | 'jobs.manage'
  | 'calendar.read'
  | 'calendar.manage'
  | 'sms.read'
  | 'sms.manage'
  | 'sms.send';

export const PERMISSIONS: readonly Permission[] = [
  'dashboard.read',
  'regions.read',
  'regions.manage',
  'departments.read',
  'departments.manage',
  'users.read',
  'users.manage',
  'audit.read',
  'jobs.manage',
  'calendar.read',
  'calendar.manage',
  'sms.read',
  'sms.manage',
  'sms.send',
];

/** The kinds of department the server accepts (the `kind` enum of POST /api/departments). */
export type DepartmentKind =
  | 'party'
  | 'government'
  | 'people_congress'
  | 'cppcc'
  | 'court'
  | 'procuratorate'
  | 'mass_org'
  | 'public_institution'
  | 'enterprise'
  | 'media';

export const DEPARTMENT_KINDS: readonly DepartmentKind[] = [
  'party',
  'government',
  'people_congress',
  'cppcc',
  'court',
  'procuratorate',
  'mass_org',
  'public_institution',
  'enterprise',
  'media',
];

export interface DepartmentRef {
  id: string;
  code: string;
  name: string;
}

export interface Grant {
  role: Role | string;
  regionCode: string;
  regionName: string;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'citizen';
  department: DepartmentRef | null;
  grants: Grant[];
  permissions: string[];
}

export interface Session {
  user: Me;
  csrfToken: string;
}

/** Sign-in's answer for an administrator: the password was right and a code went by SMS; no session yet. */
export interface SecondFactorChallenge {
  secondFactor: { challengeId: string; phoneMasked: string; expiresAt: string; resendAfterSeconds: number };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** Rows matching the same filter in the caller's jurisdiction; lists that count (departments, users) send it. */
  total?: number;
}

export interface CountedPage<T> extends Page<T> {
  total: number;
}

/** 1 prefecture (地级) · 2 county (县级) · 3 township/street (乡级) · 4 community/village (村级). */
export type RegionLevel = 1 | 2 | 3 | 4;

export interface RegionNode {
  code: string;
  name: string;
  level: RegionLevel;
  departments: number;
  users: number;
  children: RegionNode[];
}

export interface RegionRef {
  code: string;
  name: string;
  level: RegionLevel;
}

export interface JurisdictionRoot extends RegionRef {
  /** Enclosing regions, prefecture first. */
  ancestors: RegionRef[];
}

export interface DashboardSummary {
  generatedAt: string;
  /** One entry per region the caller's grants are rooted at. */
  jurisdiction: JurisdictionRoot[];
  totals: {
    regions: { prefecture: number; county: number; township: number; community: number };
    departments: number;
    users: number;
  };
  tree: RegionNode;
}

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  path: string;
  validFrom: string;
  validTo: string | null;
  successorCode: string | null;
}

export type RegionChange = 'rename' | 'merge' | 'retire' | 'reparent';

export interface RegionHistoryEntry {
  name: string;
  parentCode: string | null;
  validFrom: string;
  validTo: string;
  change: RegionChange | string;
}

export interface RegionDetail extends Region {
  history: RegionHistoryEntry[];
}

export interface Department {
  id: string;
  code: string;
  name: string;
  shortName: string | null;
  kind: string;
  regionCode: string;
  regionName: string;
  parentId: string | null;
  creditCode: string | null;
  createdAt: string;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'citizen';
  department: DepartmentRef | null;
  phone: string | null;
  status: 'active' | 'disabled' | string;
  /** False until a password is set: the account cannot sign in yet. */
  activated: boolean;
  /** Set while sign-in is locked after failed attempts. */
  lockedUntil: string | null;
  /** Whether the signed-in user may manage this account (decided by the server). */
  manageable: boolean;
  grants: Grant[];
  lastLoginAt: string | null;
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

/** The fields to change; null clears shortName, parentId or creditCode. Code and region are fixed. */
export interface DepartmentPatch {
  name?: string;
  shortName?: string | null;
  kind?: DepartmentKind;
  parentId?: string | null;
  creditCode?: string | null;
}

export interface NewGrant {
  role: Role;
  regionCode: string;
}

export interface NewUser {
  username: string;
  displayName: string;
  departmentId: string;
  password?: string;
  phone?: string;
  email?: string;
  grants?: NewGrant[];
}

export interface UserPatch {
  displayName?: string;
  phone?: string | null;
  email?: string | null;
  status?: 'active' | 'disabled';
}

export interface ApiToken {
  id: string;
  name: string;
  scopes: string[];
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface NewApiToken {
  name: string;
  scopes: Permission[];
  expiresInDays?: number;
}

export interface CreatedApiToken {
  id: string;
  name: string;
  scopes: string[];
  expiresAt: string;
  createdAt: string;
  /** The secret; the server shows it only once. */
  token: string;
}

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditRecord {
  seq: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  role: string | null;
  departmentId: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  regionCode: string | null;
  outcome: AuditOutcome | string;
  clientAddr: string | null;
  requestId: string | null;
  detail: Record<string, unknown> | null;
  hash: string;
  /** Label from the server's action catalogue. */
  actionLabel: AuditLabel;
  actorDisplayName: string | null;
  departmentName: string | null;
  regionName: string | null;
  objectName: string | null;
  detailFields: { key: string; label: AuditLabel; value: string | number | boolean | null }[];
}

export interface AuditLabel {
  zh: string;
  en: string;
}

export interface AuditAlertPage extends Page<AuditRecord> {
  total: number;
}

export interface AuditVerifyResult {
  ok: boolean;
  records: number;
  headSeq: string;
  brokenAt?: { seq: string; reason: string };
}

export interface Captcha {
  id: string;
  svg: string;
}

export interface CaptchaAnswer {
  id: string;
  answer: string;
}

/** RFC 9457 problem details as the server sends them. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  field?: string;
  requestId?: string;
  lockedUntil?: string;
  /** Tries left on a second-factor code or a current password (never on sign-in, which must not tell names apart). */
  remainingAttempts?: number;
}

/** An unsuccessful API call. `code` is the machine-readable problem code (`network.error` when no response came). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly field: string | undefined;
  readonly type: string | undefined;
  readonly requestId: string | undefined;
  readonly lockedUntil: string | undefined;
  readonly remainingAttempts: number | undefined;

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? (status === 0 ? 'network.error' : `http.${status}`);
    this.title = problem.title ?? `HTTP ${status}`;
    this.detail = problem.detail;
    this.field = problem.field;
    this.type = problem.type;
    this.requestId = problem.requestId;
    this.lockedUntil = problem.lockedUntil;
    this.remainingAttempts = problem.remainingAttempts;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

// ---------------------------------------------------------------------------------------------
// Session state shared by every request.

let csrfToken: string | null = null;
const unauthorizedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called whenever an API request (other than login/me) answers 401, i.e. the session ended. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => {
    unauthorizedListeners.delete(listener);
  };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not broadcast a 401 to the session listeners (login and the initial /me probe). */
  quiet401?: boolean;
}

function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toProblem(value: unknown): Problem {
  if (!isRecord(value)) return {};
  const str = (k: string): string | undefined => (typeof value[k] === 'string' ? (value[k] as string) : undefined);
  const num = (k: string): number | undefined => (typeof value[k] === 'number' ? (value[k] as number) : undefined);
  return {
    type: str('type'),
    title: str('title') ?? str('error'),
    status: num('status') ?? num('statusCode'),
    detail: str('detail') ?? str('message'),
    code: str('code'),
    field: str('field'),
    requestId: str('requestId'),
    lockedUntil: str('lockedUntil'),
    remainingAttempts: num('remainingAttempts'),
  };
}

/** One API call; modules' own clients (web/src/modules/<m>/api.ts) use it too. */
/** The one fetch wrapper (CSRF header, problem+json errors, 401 broadcast); module folders build their calls on it. */
export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  const mutating = method !== 'GET';
  if (mutating) {
    headers['content-type'] = 'application/json';
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: mutating ? JSON.stringify(options.body ?? {}) : undefined,
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, { title: 'Network error', detail: err instanceof Error ? err.message : String(err) });
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let payload: unknown = undefined;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
  }
  if (!response.ok) {
    const problem = toProblem(payload);
    if (response.status === 401 && !options.quiet401) {
      for (const listener of unauthorizedListeners) listener();
    }
    throw new ApiError(response.status, { ...problem, status: response.status });
  }
  if (payload === undefined) {
    throw new ApiError(response.status, { title: 'Invalid response', detail: 'The server did not return JSON.', code: 'response.invalid' });
  }
  return payload as T;
}

// ---------------------------------------------------------------------------------------------
// Endpoints.

export interface ListParams {
  cursor?: string | null;
  limit?: number;
}

export interface RegionQuery extends ListParams {
  parent?: string;
  q?: string;
  level?: RegionLevel;
  /** Only the roots of the caller's jurisdiction. */
  roots?: boolean;
}

export interface DepartmentQuery extends ListParams {
  q?: string;
  regionCode?: string;
}

export interface UserQuery extends ListParams {
  q?: string;
  departmentId?: string;
}

export interface AuditFilterQuery {
  /** Action code or words of its label (登录). */
  action?: string;
  person?: string;
  department?: string;
  object?: string;
  outcome?: AuditOutcome;
  from?: string;
  to?: string;
}

export interface AuditQuery extends AuditFilterQuery, ListParams {}

export const api = {
  async login(username: string, password: string, captcha?: CaptchaAnswer): Promise<Session | SecondFactorChallenge> {
    const body = { username, password, ...(captcha ? { captchaId: captcha.id, captchaAnswer: captcha.answer } : {}) };
    const session = await request<Session | SecondFactorChallenge>('POST', '/api/auth/login', { body, quiet401: true });
    if ('csrfToken' in session) setCsrfToken(session.csrfToken);
    return session;
  },
  /** A sign-in captcha (required after repeated failures): its id and the image as SVG markup. */
  captcha(): Promise<Captcha> {
    return request<Captcha>('POST', '/api/auth/captcha', { quiet401: true });
  },
  async completeSecondFactor(challengeId: string, code: string): Promise<Session> {
    const session = await request<Session>('POST', '/api/auth/second-factor', { body: { challengeId, code }, quiet401: true });
    setCsrfToken(session.csrfToken);
    return session;
  },
  resendSecondFactor(challengeId: string): Promise<SecondFactorChallenge> {
    return request<SecondFactorChallenge>('POST', '/api/auth/second-factor/resend', { body: { challengeId }, quiet401: true });
  },
  async logout(): Promise<void> {
    try {
      await request<void>('POST', '/api/auth/logout', { quiet401: true });
    } finally {
      setCsrfToken(null);
    }
  },
  async me(signal?: AbortSignal): Promise<Session> {
    const session = await request<Session>('GET', '/api/auth/me', { signal, quiet401: true });
    setCsrfToken(session.csrfToken);
    return session;
  },
  dashboardSummary(signal?: AbortSignal): Promise<DashboardSummary> {
    return request<DashboardSummary>('GET', '/api/dashboard/summary', { signal });
  },
  regions(query: RegionQuery, signal?: AbortSignal): Promise<Page<Region>> {
    return request<Page<Region>>('GET', '/api/regions', { query: { ...query }, signal });
  },
  region(code: string, signal?: AbortSignal): Promise<RegionDetail> {
    return request<RegionDetail>('GET', `/api/regions/${encodeURIComponent(code)}`, { signal });
  },
  departments(query: DepartmentQuery, signal?: AbortSignal): Promise<CountedPage<Department>> {
    return request<CountedPage<Department>>('GET', '/api/departments', { query: { ...query }, signal });
  },
  users(query: UserQuery, signal?: AbortSignal): Promise<CountedPage<User>> {
    return request<CountedPage<User>>('GET', '/api/users', { query: { ...query }, signal });
  },
  audit(query: AuditQuery, signal?: AbortSignal): Promise<Page<AuditRecord>> {
    return request<Page<AuditRecord>>('GET', '/api/audit', { query: { ...query }, signal });
  },
  auditAlerts(query: AuditQuery, signal?: AbortSignal): Promise<AuditAlertPage> {
    return request<AuditAlertPage>('GET', '/api/audit/alerts', { query: { ...query }, signal });
  },
  /** The filtered records as an XLSX file. */
  async exportAudit(query: AuditFilterQuery): Promise<{ blob: Blob; filename: string }> {
    const response = await fetch(buildUrl('/api/audit/export.xlsx', { ...query }), { credentials: 'same-origin' });
    if (!response.ok) {
      const payload: unknown = await response.json().catch(() => undefined);
      throw new ApiError(response.status, { ...toProblem(payload), status: response.status });
    }
    const filename = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'audit.xlsx';
    return { blob: await response.blob(), filename };
  },
  verifyAudit(): Promise<AuditVerifyResult> {
    return request<AuditVerifyResult>('POST', '/api/audit/verify', { body: {} });
  },

  // ---- own account
  changePassword(currentPassword: string, newPassword: string): Promise<void> {
    return request<void>('POST', '/api/auth/password', { body: { currentPassword, newPassword } });
  },
  async tokens(signal?: AbortSignal): Promise<ApiToken[]> {
    return (await request<{ items: ApiToken[] }>('GET', '/api/tokens', { signal })).items;
  },
  createToken(input: NewApiToken): Promise<CreatedApiToken> {
    return request<CreatedApiToken>('POST', '/api/tokens', { body: input });
  },
  revokeToken(id: string): Promise<void> {
    return request<void>('DELETE', `/api/tokens/${encodeURIComponent(id)}`);
  },

  // ---- departments
  department(id: string, signal?: AbortSignal): Promise<Department> {
    return request<Department>('GET', `/api/departments/${encodeURIComponent(id)}`, { signal });
  },
  createDepartment(input: NewDepartment): Promise<Department> {
    return request<Department>('POST', '/api/departments', { body: input });
  },
  updateDepartment(id: string, patch: DepartmentPatch): Promise<Department> {
    return request<Department>('PATCH', `/api/departments/${encodeURIComponent(id)}`, { body: patch });
  },

  // ---- users
  createUser(input: NewUser): Promise<User> {
    return request<User>('POST', '/api/users', { body: input });
  },
  updateUser(id: string, patch: UserPatch): Promise<User> {
    return request<User>('PATCH', `/api/users/${encodeURIComponent(id)}`, { body: patch });
  },
  setUserPassword(id: string, password: string): Promise<void> {
    return request<void>('POST', `/api/users/${encodeURIComponent(id)}/password`, { body: { password } });
  },
  unlockUser(id: string): Promise<void> {
    return request<void>('POST', `/api/users/${encodeURIComponent(id)}/unlock`, { body: {} });
  },
  addGrant(id: string, grant: NewGrant): Promise<User> {
    return request<User>('POST', `/api/users/${encodeURIComponent(id)}/grants`, { body: grant });
  },
  removeGrant(id: string, grant: { role: string; regionCode: string }): Promise<User> {
    return request<User>('DELETE', `/api/users/${encodeURIComponent(id)}/grants/${encodeURIComponent(grant.role)}/${encodeURIComponent(grant.regionCode)}`);
  },

  // ---- regions
  renameRegion(code: string, input: { name: string; effectiveDate: string }): Promise<RegionDetail> {
    return request<RegionDetail>('POST', `/api/regions/${encodeURIComponent(code)}/rename`, { body: input });
  },
  mergeRegion(code: string, input: { into: string; effectiveDate: string }): Promise<RegionDetail> {
    return request<RegionDetail>('POST', `/api/regions/${encodeURIComponent(code)}/merge`, { body: input });
  },
  retireRegion(code: string, input: { effectiveDate: string }): Promise<RegionDetail> {
    return request<RegionDetail>('POST', `/api/regions/${encodeURIComponent(code)}/retire`, { body: input });
  },
};

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
