// The one boundary where errors become RFC 9457 problem+json responses.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError, type ErrorKind } from '../shared/errors.ts';

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable machine-readable error code, e.g. department.invalid_credit_code' }),
    field: Type.Optional(Type.String({ description: 'The request field at fault' })),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
);

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  field?: string;
  instance?: string;
  requestId?: string;
  [extra: string]: unknown;
}

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_type: 415,
  locked: 423,
  rate_limited: 429,
  unavailable: 503,
  bad_gateway: 502,
  gateway_timeout: 504,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  417: 'Expectation Failed',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: `/problems/${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...extra };
}

interface AjvError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** 'body' + '/grants/0/regionCode' -> 'grants/0/regionCode'; a missing property names itself. */
function fieldOf(error: AjvError, context: string | undefined): string {
  const path = (error.instancePath ?? '').replace(/^\//, '');
  const missing = typeof error.params?.missingProperty === 'string' ? error.params.missingProperty : undefined;
  const extra = typeof error.params?.additionalProperty === 'string' ? error.params.additionalProperty : undefined;
  const leaf = missing ?? extra;
  const field = [path, leaf].filter(Boolean).join('/');
  return field || (context === 'body' ? 'body' : (context ?? 'request'));
}

export function toProblem(error: unknown, request: FastifyRequest): Problem {
  const base = { instance: request.url.split('?')[0], requestId: String(request.id) };
  if (error instanceof DomainError) {
    return problem(STATUS[error.kind], error.code, error.message, { ...base, ...(error.field ? { field: error.field } : {}), ...error.details });
  }
  const fe = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fe.validation && fe.validation.length > 0) {
    const first = fe.validation[0]!;
    const field = fieldOf(first, fe.validationContext);
    const reason = first.keyword === 'additionalProperties' ? 'is not a known field' : (first.message ?? 'is invalid');
    return problem(400, 'request.invalid', `${field} ${reason}.`, {
      ...base,
      field,
      errors: fe.validation.map((v) => ({ field: fieldOf(v, fe.validationContext), message: v.message ?? 'is invalid' })),
    });
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'request.body_too_large', 'The request body is larger than this server accepts.', { ...base, field: 'body' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'request.unsupported_media_type', `Content-Type ${String(request.headers['content-type'] ?? '(none)')} is not accepted; send application/json.`, {
        ...base,
        field: 'content-type',
      });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'request.malformed_json', `The body is not valid JSON: ${fe.message}`, { ...base, field: 'body' });
    case 'FST_ERR_BAD_URL':
      return problem(400, 'request.bad_url', 'The path is not valid percent-encoded UTF-8.', { ...base, field: 'path' });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return problem(414, 'request.uri_too_long', 'A path parameter is longer than this server accepts.', { ...base, field: 'path' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem(400, 'request.invalid_content_length', fe.message, { ...base, field: 'content-length' });
    default:
      break;
  }
  if (error instanceof SyntaxError && fe.statusCode === 400) {
    return problem(400, 'request.malformed_json', `The body is not valid JSON: ${error.message}`, { ...base, field: 'body' });
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return problem(fe.statusCode, `request.${(fe.code ?? 'rejected').toLowerCase()}`, fe.message, base);
  }
  return problem(500, 'internal', 'An unexpected error occurred. Quote the request id when reporting it.', base);
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  if (typeof body.retryAfterSeconds === 'number') void reply.header('retry-after', String(body.retryAfterSeconds));
  return reply.code(body.status).type('application/problem+json; charset=utf-8').send(body);
}
