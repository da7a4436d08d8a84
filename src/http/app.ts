// Builds the Fastify application: plugins, authentication, error boundary, module routes, console.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import Fastify, { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { WEB_DIST } from '../paths.ts';
import { forbidden } from '../shared/errors.ts';
import { createServices, type Services } from '../services.ts';
import { ProblemSchema, problem, sendProblem, toProblem } from './problem.ts';
import type { App } from './types.ts';
import type { Clock } from '../platform/clock.ts';
import type { SmsSender } from '../modules/sms/index.ts';
import { registerRoutes } from './routes.ts';
import type { ModuleList } from '../modules/registry.ts';
import { lazySerializers, lazyValidators } from './lazy-schemas.ts';
import { assertSameOrigin, auditedParams, clientErrorProblem, expectationProblem, frameworkProblem, nonFiniteNumber, rejectUnstorableText } from './boundary.ts';

import { SESSION_COOKIE } from './cookie.ts';
export { SESSION_COOKIE };
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Probes answer every few seconds; at info they would drown the log. */
const PROBES = new Set(['/livez', '/readyz']);
/** A client's own x-request-id is kept (as clientRequestId) only when it looks like an id. */
const CLIENT_REQUEST_ID = /^[\w.:-]{8,64}$/;

/** One log line per request, with the signed-in user, instead of Fastify's 'incoming' and 'completed' pair. */
class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) request.log.error({ ...this.line(request, reply), err: error }, 'request failed');
    else if (PROBES.has(request.url) && reply.statusCode < 400) {
      if (['trace', 'debug'].includes(request.log.level)) request.log.debug(this.line(request, reply), 'request');
    } else if (['trace', 'debug', 'info'].includes(request.log.level)) request.log.info(this.line(request, reply), 'request');
  }

  private line(request: FastifyRequest, reply: FastifyReply) {
    const client = request.ctx?.clientRequestId;
    return {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      user: request.ctx?.actor?.username,
      ...(client === undefined ? {} : { clientRequestId: client }),
    };
  }
}

/**
 * Query strings, params and headers arrive as text, so their validators coerce ("20" → 20); JSON bodies are typed
 * already, so theirs do not: `{"limit": "20"}` or `{"name": ["x"]}` is a 400 naming the field, not silently accepted.
 */
const ajvPool = AjvCompiler();
const AJV_OPTIONS = { removeAdditional: false, useDefaults: true, allErrors: false } as const;
const strictBodies: ValidatorFactory = (externalSchemas) => {
  const lenient = ajvPool(externalSchemas, { customOptions: { ...AJV_OPTIONS, coerceTypes: 'array' } });
  const strict = ajvPool(externalSchemas, { customOptions: { ...AJV_OPTIONS, coerceTypes: false } });
  return (route) => (route.httpPart === 'body' ? strict(route) : finiteOnly(lenient(route)));
};

type Validate = ReturnType<ReturnType<typeof ajvPool>>;

/**
 * A coercing validator that also refuses a value coerced to ±Infinity ("Infinity", "1e400"): Ajv 8.20, set up as
 * Fastify's compiler sets it up, lets one through `integer`, `minimum` and `maximum` (D161). The refusal is an Ajv
 * error like any other, so it becomes the same `request.invalid` problem naming the field.
 */
function finiteOnly(validate: Validate): Validate {
  const checked: Validate = Object.assign((data: unknown) => {
    if (!validate(data)) {
      checked.errors = validate.errors;
      return false;
    }
    const field = nonFiniteNumber(data);
    if (field === undefined) return true;
    checked.errors = [{ instancePath: `/${field}`, schemaPath: '#', keyword: 'type', params: {}, message: 'must be a finite number' }];
    return false;
  }, validate);
  return checked;
}

/** Constant-time comparison of a header value with the expected secret. */
function sameSecret(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface AppOptions {
  db: Kysely<Database>;
  config: Config;
  /** The time source of the services (tests pass a ManualClock). */
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** Serve the built console from web/dist (default: when it exists). */
  serveWeb?: boolean;
  /** A readiness probe beyond the database ping (e.g. migrations finished). */
  isReady?: () => boolean;
  /** Channel for administrators' sign-in codes (no second factor without one). */
  sms?: SmsSender;
  /** The modules to build and mount (default: the registry's). */
  modules?: ModuleList;
  /** Compile each route's schemas on its first request rather than at boot (the server's start; tests compile all). */
  lazySchemas?: boolean;
}

export async function buildApp(options: AppOptions): Promise<{ app: App; services: Services }> {
  const { db, config } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new OneLineRequestLog(),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // the id in logs and the audit trail is always ours; a client's x-request-id is kept apart (clientRequestId)
    requestIdHeader: false,
    genReqId: () => randomUUID(),
    // slow or never-finished requests (slowloris) are cut off; Node checks the deadlines every connectionsCheckingInterval
    requestTimeout: config.requestTimeoutMs,
    http: { headersTimeout: config.headersTimeoutMs, connectionsCheckingInterval: Math.min(1000, Math.ceil(config.headersTimeoutMs / 2)) },
    frameworkErrors: frameworkProblem,
    clientErrorHandler: clientErrorProblem,
    schemaController: {
      compilersFactory: options.lazySchemas ? { buildValidator: lazyValidators(strictBodies), buildSerializer: lazySerializers() } : { buildValidator: strictBodies },
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  app.server.on('checkExpectation', expectationProblem);

  const services = createServices(db, config, options.sms, options.clock, options.modules);

  app.addSchema(ProblemSchema);
  // JSON only: anything else is answered 415 rather than parsed as a string.
  app.removeContentTypeParser(['text/plain']);
  await app.register(cookie);
  // Security headers (helmet), built once and applied to every response; the console needs inline styles
  // (antd's CSS-in-JS) and data: images, nothing else from outside.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: config.cookieSecure,
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error instanceof Error ? error : undefined)));
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'GovCloud API (政务云平台)',
        version: '0.1.0',
        description: 'E-government cloud platform. Errors are RFC 9457 problem+json with a stable `code`. Lists use cursor pagination.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (gct_…) created at POST /api/tokens' },
          exchangeToken: { type: 'http', scheme: 'bearer', description: 'Exchange access token (gcx_…) from POST /api/exchange/token' },
          exchangeClient: { type: 'http', scheme: 'basic', description: 'A client application’s client_id:client_secret' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.decorateRequest('ctx', null as never);
  const allowedOrigins = new Set(config.allowedOrigins);

  app.addHook('onRequest', async (request, reply) => {
    request.ctx = { actor: undefined, clientAddr: request.ip ?? null, requestId: String(request.id), audited: false };
    const clientRequestId = request.headers['x-request-id'];
    if (typeof clientRequestId === 'string' && CLIENT_REQUEST_ID.test(clientRequestId)) request.ctx.clientRequestId = clientRequestId;
    void reply.header('x-request-id', String(request.id));
    // API answers carry personal data: no browser or proxy cache may keep them
    if (request.url.startsWith('/api/') || PROBES.has(request.url)) void reply.header('cache-control', 'no-store');
    // the exchange gateway authenticates consuming systems itself (their Bearer tokens are not API tokens; no cookies)
    if (request.routeOptions.config?.clientCredentials) return;
    const authorization = request.headers.authorization;
    if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) {
      const actor = await services.auth.authenticateToken(authorization.slice(7).trim());
      if (!actor) return sendProblem(reply, problem(401, 'auth.invalid_token', 'The API token is unknown, expired or revoked.', { requestId: String(request.id) }));
      request.ctx.actor = actor;
      return;
    }
    // browser writes (cookie sessions, and the sign-in that starts one) must come from our own pages
    if (MUTATING.has(request.method)) assertSameOrigin(request, allowedOrigins);
    const sid = request.cookies[SESSION_COOKIE];
    if (!sid) return;
    const identity = await services.auth.authenticateSession(sid, { write: MUTATING.has(request.method) });
    if (!identity) {
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return;
    }
    request.ctx.actor = identity.actor;
    request.sessionToken = sid;
    request.csrfToken = identity.csrfToken;
    if (MUTATING.has(request.method) && !request.routeOptions.config?.skipCsrf) {
      if (!sameSecret(request.headers['x-csrf-token'], identity.csrfToken)) throw forbidden('auth.csrf', 'Missing or wrong X-CSRF-Token header for a signed-in request.');
    }
  });

  // Text the database cannot store as sent (NUL, lone surrogates) is refused before schemas and handlers see it.
  app.addHook('preValidation', rejectUnstorableText);

  // Every write is audited, signed in or not: services record their own; anything that did not (mostly failures) gets
  // a generic record, written before the response leaves so that a client never sees an answer whose record is not
  // there yet. So is a read refused to a signed-in caller (403/404: probing for what lies outside their jurisdiction).
  app.addHook('onSend', (request, reply, payload, done) => {
    const ctx = request.ctx;
    const status = reply.statusCode;
    // successful reads and already-audited requests pass straight through, without a promise per request
    if (!ctx || ctx.audited) return done(null, payload);
    if (!MUTATING.has(request.method) && !(ctx.actor && (status === 403 || status === 404))) return done(null, payload);
    const outcome = status < 400 ? 'success' : status === 401 || status === 403 ? 'denied' : 'failure';
    const detail = { status, ...auditedParams(request.params), ...(ctx.clientRequestId === undefined ? {} : { clientRequestId: ctx.clientRequestId }) };
    services.audit
      .recordNow(ctx, { action: `http.${request.method.toLowerCase()} ${request.routeOptions.url ?? request.url.split('?')[0]}`, outcome, detail })
      .catch((error: unknown) => request.log.error({ err: error }, 'could not write the audit record'))
      .finally(() => done(null, payload));
  });

  app.setErrorHandler((error, request, reply) => {
    const body = toProblem(error, request);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, body);
  });

  const serveWeb = options.serveWeb ?? fs.existsSync(path.join(WEB_DIST, 'index.html'));
  if (serveWeb) {
    // scripts/build-web.mjs writes .br and .gz beside each asset: sent as they are, no compression per request
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: false, cacheControl: false, preCompressed: true });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    if (serveWeb && request.method === 'GET' && !url.startsWith('/api/') && url !== '/api') {
      const file = path.join(WEB_DIST, path.normalize(url).replace(/^(\.\.[/\\])+/, ''));
      if (url !== '/' && file.startsWith(WEB_DIST) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        const rel = path.relative(WEB_DIST, file);
        const immutable = rel.startsWith('assets');
        void reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        return reply.sendFile(rel);
      }
      void reply.header('cache-control', 'no-cache');
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return sendProblem(reply, problem(404, 'route.not_found', `No route ${request.method} ${url}.`, { instance: url, requestId: String(request.id) }));
  });

  registerRoutes(app, services, { db, isReady: options.isReady ?? (() => true), cookieSecure: config.cookieSecure, sessionMaxHours: config.sessionMaxHours }, options.modules);
  await app.ready();
  return { app, services };
}
