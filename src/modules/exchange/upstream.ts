// Proxying a lookup to a provider's upstream HTTP endpoint: GET <url>/rows/<key> or <url>/rows?…, JSON { rows: [...] }.
// The answer is checked (shape, item codes, value types) before the gateway applies the grant to it.
import { DomainError } from '../../shared/errors.ts';

export const UPSTREAM_TIMEOUT_MS = 5_000;
const MAX_UPSTREAM_BYTES = 10 * 1024 * 1024;

export interface UpstreamAnswer {
  rows: Record<string, unknown>[];
  nextCursor: string | null;
}

const failed = (message: string) => new DomainError('exchange.upstream_failed', 'bad_gateway', message);

/** Calls the upstream; null for a key lookup the upstream answers 404. */
export async function callUpstream(url: string, itemCodes: ReadonlySet<string>, timeoutMs = UPSTREAM_TIMEOUT_MS): Promise<UpstreamAnswer | null> {
  let response: Response;
  const signal = AbortSignal.timeout(timeoutMs);
  let text: string;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal, redirect: 'error' });
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw failed(`The upstream provider answered HTTP ${response.status}.`);
    }
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > MAX_UPSTREAM_BYTES) {
      await response.body?.cancel();
      throw failed('The upstream provider answered more than 10 MB.');
    }
    text = await response.text();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    if (signal.aborted) throw new DomainError('exchange.upstream_timeout', 'gateway_timeout', `The upstream provider did not answer within ${timeoutMs} ms.`);
    throw failed('The upstream provider could not be reached.');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw failed('The upstream provider answered something that is not JSON.');
  }
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { rows?: unknown }).rows)) throw failed('The upstream answer has no rows array.');
  const rows = (body as { rows: unknown[] }).rows;
  for (const row of rows) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw failed('An upstream row is not an object.');
    for (const [code, value] of Object.entries(row)) {
      if (!itemCodes.has(code)) throw failed(`The upstream row names an item the catalogue does not list: ${code.slice(0, 64)}.`);
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) throw failed(`The upstream value of ${code} is not a scalar.`);
    }
  }
  const next = (body as { nextCursor?: unknown }).nextCursor;
  return { rows: rows as Record<string, unknown>[], nextCursor: typeof next === 'string' && next.length <= 400 ? next : null };
}
