// The console's API: one function per call the pages make, over the generated client (client.ts, schema.d.ts).
// Enums come from the server's own pure modules, types from the OpenAPI document: nothing here restates either.
import { DEPARTMENT_KINDS } from '../../../src/modules/departments/kinds.ts';
import { PERMISSIONS as SERVER_PERMISSIONS, ROLES, type Permission, type Role } from '../../../src/shared/access.ts';
import { call, cleanQuery, client, setCsrfToken, toProblem, ApiError } from './client.ts';
import type * as T from './types.ts';

export * from './types.ts';
export { ApiError, isAbortError, isApiError, onUnauthorized, setCsrfToken, type Problem } from './client.ts';
export { DEPARTMENT_KINDS, ROLES, type Permission, type Role };
/** The core permissions (console modules that add permissions import their own). */
export const PERMISSIONS: readonly Permission[] = [...SERVER_PERMISSIONS];

type Cursor = { cursor?: string | null; limit?: number };
/** A list query: its filters, and the cursor as the pager keeps it (null on page 1). */
type Paged<Q> = Omit<Q, 'cursor' | 'limit'> & Cursor;
const quiet = { quiet401: true };
const withCursor = <Q extends object>(query: Paged<Q>) => cleanQuery(query as Record<string, string | number | boolean | null | undefined>);

export const api = {
  async login(username: string, password: string, captcha?: T.CaptchaAnswer): Promise<T.Session | T.SecondFactorChallenge> {
    const body = { username, password, ...(captcha ? { captchaId: captcha.id, captchaAnswer: captcha.answer } : {}) };
    const session = await call(client.POST('/api/auth/login', { body }), quiet);
    if ('csrfToken' in session) setCsrfToken(session.csrfToken);
    return session;
  },
  /** A sign-in captcha (required after repeated failures): its id and the image as SVG markup. */
  captcha(): Promise<T.Captcha> {
    return call(client.POST('/api/auth/captcha'), quiet);
  },
  async completeSecondFactor(challengeId: string, code: string): Promise<T.Session> {
    const session = await call(client.POST('/api/auth/second-factor', { body: { challengeId, code } }), quiet);
    setCsrfToken(session.csrfToken);
    return session;
  },
  resendSecondFactor(challengeId: string): Promise<T.SecondFactorChallenge> {
    return call(client.POST('/api/auth/second-factor/resend', { body: { challengeId } }), quiet);
  },
  async logout(): Promise<void> {
    try {
      await call(client.POST('/api/auth/logout'), quiet);
    } finally {
      setCsrfToken(null);
    }
  },
  async me(signal?: AbortSignal): Promise<T.Session> {
    const session = await call(client.GET('/api/auth/me', { signal }), quiet);
    setCsrfToken(session.csrfToken);
    return session;
  },
  dashboardSummary(signal?: AbortSignal): Promise<T.DashboardSummary> {
    return call(client.GET('/api/dashboard/summary', { signal }));
  },
  regions(query: Paged<T.RegionQuery>, signal?: AbortSignal): Promise<T.Page<T.Region>> {
    return call(client.GET('/api/regions', { params: { query: withCursor(query) }, signal }));
  },
  region(code: string, signal?: AbortSignal): Promise<T.RegionDetail> {
    return call(client.GET('/api/regions/{code}', { params: { path: { code } }, signal }));
  },
  departments(query: Paged<T.DepartmentQuery>, signal?: AbortSignal) {
    return call(client.GET('/api/departments', { params: { query: withCursor(query) }, signal }));
  },
  users(query: Paged<T.UserQuery>, signal?: AbortSignal) {
    return call(client.GET('/api/users', { params: { query: withCursor(query) }, signal }));
  },
  user(id: string, signal?: AbortSignal): Promise<T.User> {
    return call(client.GET('/api/users/{id}', { params: { path: { id } }, signal }));
  },
  audit(query: Paged<T.AuditQuery>, signal?: AbortSignal): Promise<T.Page<T.AuditRecord>> {
    return call(client.GET('/api/audit', { params: { query: withCursor(query) }, signal }));
  },
  auditAlerts(query: Paged<T.AuditQuery>, signal?: AbortSignal): Promise<T.AuditAlertPage> {
    return call(client.GET('/api/audit/alerts', { params: { query: withCursor(query) }, signal }));
  },
  /** Reads of personal data (the access log), newest first. */
  auditAccess(query: Paged<T.AccessQuery>, signal?: AbortSignal): Promise<T.Page<T.AccessEntry>> {
    return call(client.GET('/api/audit/access', { params: { query: withCursor(query) }, signal }));
  },
  /** The filtered records as an XLSX file. */
  async exportAudit(query: T.AuditFilterQuery): Promise<{ blob: Blob; filename: string; total: number | null; rows: number | null; truncated: boolean }> {
    const { data, error, response } = await client.GET('/api/audit/export.xlsx', { params: { query: cleanQuery(query) }, parseAs: 'blob' });
    if (!response.ok || !(data instanceof Blob)) throw new ApiError(response.status, { ...toProblem(error), status: response.status });
    const filename = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'audit.xlsx';
    const count = (name: string) => {
      const value = response.headers.get(name);
      return value === null ? null : Number(value);
    };
    return { blob: data, filename, total: count('x-export-total'), rows: count('x-export-rows'), truncated: response.headers.get('x-export-truncated') === 'true' };
  },
  verifyAudit(): Promise<T.AuditVerifyResult> {
    return call(client.POST('/api/audit/verify'));
  },

  // ---- own account
  changePassword(currentPassword: string, newPassword: string): Promise<void> {
    return call(client.POST('/api/auth/password', { body: { currentPassword, newPassword } }));
  },
  async tokens(signal?: AbortSignal): Promise<T.ApiToken[]> {
    return (await call(client.GET('/api/tokens', { signal }))).items;
  },
  createToken(input: T.NewApiToken): Promise<T.CreatedApiToken> {
    return call(client.POST('/api/tokens', { body: input }));
  },
  revokeToken(id: string): Promise<void> {
    return call(client.DELETE('/api/tokens/{id}', { params: { path: { id } } }));
  },

  // ---- departments
  department(id: string, signal?: AbortSignal): Promise<T.Department> {
    return call(client.GET('/api/departments/{id}', { params: { path: { id } }, signal }));
  },
  createDepartment(input: T.NewDepartment): Promise<T.Department> {
    return call(client.POST('/api/departments', { body: input }));
  },
  updateDepartment(id: string, patch: T.DepartmentPatch): Promise<T.Department> {
    return call(client.PATCH('/api/departments/{id}', { params: { path: { id } }, body: patch }));
  },

  // ---- users
  createUser(input: T.NewUser): Promise<T.User> {
    return call(client.POST('/api/users', { body: input }));
  },
  updateUser(id: string, patch: T.UserPatch): Promise<T.User> {
    return call(client.PATCH('/api/users/{id}', { params: { path: { id } }, body: patch }));
  },
  setUserPassword(id: string, password: string): Promise<void> {
    return call(client.POST('/api/users/{id}/password', { params: { path: { id } }, body: { password } }));
  },
  unlockUser(id: string): Promise<void> {
    return call(client.POST('/api/users/{id}/unlock', { params: { path: { id } } }));
  },
  addGrant(id: string, grant: T.NewGrant): Promise<T.User> {
    return call(client.POST('/api/users/{id}/grants', { params: { path: { id } }, body: grant }));
  },
  removeGrant(id: string, grant: { role: Role; regionCode: string }): Promise<T.User> {
    return call(client.DELETE('/api/users/{id}/grants/{role}/{regionCode}', { params: { path: { id, role: grant.role, regionCode: grant.regionCode } } }));
  },

  // ---- regions
  renameRegion(code: string, input: T.BodyOf<'/api/regions/{code}/rename', 'post'>): Promise<T.RegionDetail> {
    return call(client.POST('/api/regions/{code}/rename', { params: { path: { code } }, body: input }));
  },
  mergeRegion(code: string, input: T.BodyOf<'/api/regions/{code}/merge', 'post'>): Promise<T.RegionDetail> {
    return call(client.POST('/api/regions/{code}/merge', { params: { path: { code } }, body: input }));
  },
  retireRegion(code: string, input: T.BodyOf<'/api/regions/{code}/retire', 'post'>): Promise<T.RegionDetail> {
    return call(client.POST('/api/regions/{code}/retire', { params: { path: { code } }, body: input }));
  },
};
