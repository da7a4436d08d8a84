// Checks at the HTTP boundary that hold for every route: text that PostgreSQL can store, the origin of browser
// writes, and problem+json for errors Fastify and Node raise before (or instead of) routing.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, invalid, type DomainError } from '../shared/errors.ts';
import { isStorableText } from '../shared/validators/text.ts';
import { problem, sendProblem, toProblem } from './problem.ts';


/**
 * The first string (value or key) in a parsed JSON value, query or params object that is not storable text, as a
 * field path (`grants/0/regionCode`; `root` names a bare string). Iterative, so a deeply nested body cannot overflow
 * the stack.
 */
export function findUnstorableText(value: unknown, root: string): string | undefined {
  const pending: Array<[unknown, string]> = [[value, '']];
  while (pending.length > 0) {
    const [item, path] = pending.pop()!;
    if (typeof item === 'string') {
      if (!isStorableText(item)) return path || root;
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) pending.push([item[i], path ? `${path}/${i}` : String(i)]);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        const childPath = path ? `${path}/${key}` : key;
        if (!isStorableText(key)) return childPath;
        pending.push([child, childPath]);
      }
    }
  }
  return undefined;
}

/** preValidation: a 400 naming the field before any schema or handler sees text the database would refuse or alter. */
export function rejectUnstorableText(request: FastifyRequest, _reply: FastifyReply, done: (error?: DomainError) => void): void {
  const field = findUnstorableText(request.params, 'path') ?? findUnstorableText(request.query, 'query') ?? findUnstorableText(request.body, 'body');
  if (field === undefined) return done();
  done(invalid('request.invalid_text', field, `${field} contains a NUL byte or an unpaired UTF-16 surrogate, which is not valid text.`));
}

/** The first property of parsed path parameters, query or headers (or element of one) that is a number but not finite. */
export function nonFiniteNumber(values: unknown): string | undefined {
  if (values === null || typeof values !== 'object') return undefined;
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'number' && !Number.isFinite(value)) return key;
    if (Array.isArray(value) && value.some((v) => typeof v === 'number' && !Number.isFinite(v))) return key;
  }
  return undefined;
}

/** The path parameters of a refused request, for its audit record: only those that are storable text. */
export function auditedParams(params: unknown): { params?: Record<string, string> } {
  if (params === null || typeof params !== 'object') return {};
  const kept = Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && isStorableText(entry[1]));
  return kept.length > 0 ? { params: Object.fromEntries(kept) } : {};
}

/**
 * Whether an origin (`https://a.example:8443`) names the host a request was sent to (its Host header, or
 * X-Forwarded-Host behind a trusted proxy); a default port is the same whether written or not.
 */
function isOwnHost(origin: string, requestHost: string): boolean {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return url.host === new URL(`${url.protocol}//${requestHost}`).host;
  } catch {
    return false;
  }
}

/**
 * Where a browser says a write comes from: the Origin header, else the origin of the Referer. Undefined when it sends
 * neither (a non-browser client, or a privacy setting that strips both).
 */
function claimedOrigin(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== '') return origin;
  const referer = request.headers.referer;
  if (typeof referer !== 'string' || referer === '') return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

/**
 * Throws auth.bad_origin when a browser write names an origin other than this server (compared by host and port: TLS
 * usually ends at a proxy, so the scheme seen here is not the browser's) and other than the configured extra origins.
 */
export function assertSameOrigin(request: FastifyRequest, allowedOrigins: ReadonlySet<string>): void {
  const claimed = claimedOrigin(request);
  if (claimed === undefined || allowedOrigins.has(claimed)) return;
  if (isOwnHost(claimed, request.host)) return;
  throw forbidden('auth.bad_origin', `Writes from ${claimed} are not accepted; a browser write must come from this server's own pages.`);
}

/** Fastify's frameworkErrors: errors raised while routing (bad percent-encoding, over-long parameters), as problems. */
export function frameworkProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('cache-control', 'no-store').header('x-request-id', String(request.id));
  void sendProblem(reply, toProblem(error, request));
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request.timeout', 'The request was not received in time.'],
  HPE_HEADER_OVERFLOW: [431, 'request.headers_too_large', 'The request line and headers are larger than this server accepts.'],
};

/**
 * Node's clientError (unparseable requests, header overflow, header and request timeouts), answered as problem+json
 * on the raw socket, as Node would with its bare 400, and the connection closed.
 */
export function clientErrorProblem(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // a response already under way on this connection cannot be followed by another status line
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const [status, code, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'request.unparseable', 'The request is not valid HTTP/1.1.'];
    const body = JSON.stringify(problem(status, code, detail));
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Node's checkExpectation: an `Expect` header other than 100-continue, refused as problem+json instead of a bare 417. */
export function expectationProblem(request: IncomingMessage, response: ServerResponse): void {
  const body = JSON.stringify(problem(417, 'request.expectation_failed', `Expect: ${String(request.headers.expect)} is not supported; only 100-continue is.`, { field: 'expect' }));
  response.writeHead(417, { 'content-type': 'application/problem+json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', connection: 'close' });
  response.end(body);
}
