// The one HTTP client: openapi-fetch over the generated types (schema.d.ts), plus what the console adds on top —
// the CSRF header on writes, problem+json errors as ApiError, "session ended" broadcasts, and abort signals.
import createClient from 'openapi-fetch';
import type { paths } from './schema.d.ts';

/** RFC 9457 problem details as the server sends them (components.schemas.Problem plus the extras some codes carry). */
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

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

let csrfToken: string | null = null;
const unauthorizedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The CSRF header for a write sent outside openapi-fetch (an upload with progress through XMLHttpRequest). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

/** Called whenever an API request (other than sign-in and the /me probe) answers 401, i.e. the session ended. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => {
    unauthorizedListeners.delete(listener);
  };
}

export const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin', headers: { accept: 'application/json, application/problem+json' } });

client.use({
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function toProblem(value: unknown): Problem {
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

type QueryValue = string | number | boolean | null | undefined;

/** Drops empty filters: the server rejects `q=` (a search term has at least one character). */
export function cleanQuery<Q extends Record<string, QueryValue>>(query: Q): { [K in keyof Q]?: Exclude<Q[K], null> } {
  const out: Record<string, QueryValue> = {};
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') out[key] = value;
  return out as { [K in keyof Q]?: Exclude<Q[K], null> };
}

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Awaits one openapi-fetch call and returns its data, or throws ApiError (problem+json, or status 0 when no answer
 * came). Aborts pass through as AbortError. `quiet401`: sign-in and the /me probe do not broadcast "session ended".
 */
export async function call<T>(pending: Promise<Outcome<T>>, options: { quiet401?: boolean } = {}): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await pending;
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError(0, { title: 'Network error', detail: err instanceof Error ? err.message : String(err) });
  }
  const { response } = outcome;
  if (!response.ok) {
    if (response.status === 401 && !options.quiet401) for (const listener of unauthorizedListeners) listener();
    throw new ApiError(response.status, { ...toProblem(outcome.error), status: response.status });
  }
  if (response.status === 204) return undefined as T;
  if (outcome.data === undefined) {
    throw new ApiError(response.status, { title: 'Invalid response', detail: 'The server did not return JSON.', code: 'response.invalid' });
  }
  return outcome.data;
}
