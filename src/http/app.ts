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
import type { SmsSender } from '../modules/sms/index.ts';
import { registerRoutes } from './routes.ts';

import { SESSION_COOKIE } from './cookie.ts';
export { SESSION_COOKIE };
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One log line per request, with the signed-in user, instead of Fastify's 'incoming' and 'completed' pair. */
class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) request.log.error({ ...this.line(request, reply), err: error }, 'request failed');
    else if (request.log.level !== 'silent' && ['trace', 'debug', 'info'].includes(request.log.level)) request.log.info(this.line(request, reply), 'request');
  }

  private line(request: FastifyRequest, reply: FastifyReply) {
    return { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime), user: request.ctx?.actor?.username };
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
  return (route) => (route.httpPart === 'body' ? strict : lenient)(route);
};

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
  logger?: FastifyServerOptions['logger'];
  /** Serve the built console from web/dist (default: when it exists). */
  serveWeb?: boolean;
  /** A readiness probe beyond the database ping (e.g. migrations finished). */
  isReady?: () => boolean;
  /** Channel for administrators' sign-in codes (no second factor without one). */
  sms?: SmsSender;
}

export async function buildApp(options: AppOptions): Promise<{ app: App; services: Services }> {
  const { db, config } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new OneLineRequestLog(),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // genReqId reads x-request-id itself, so that only well-formed ids are passed on
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
    },
    schemaController: { compilersFactory: { buildValidator: strictBodies } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  const services = createServices(db, config, options.sms);

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
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.decorateRequest('ctx', null as never);

  app.addHook('onRequest', async (request, reply) => {
    request.ctx = { actor: undefined, clientAddr: request.ip ?? null, requestId: String(request.id), audited: false };
    void reply.header('x-request-id', String(request.id));
    const authorization = request.headers.authorization;
    if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) {
      const actor = await services.auth.authenticateToken(authorization.slice(7).trim());
      if (!actor) return sendProblem(reply, problem(401, 'auth.invalid_token', 'The API token is unknown, expired or revoked.', { requestId: String(request.id) }));
      request.ctx.actor = actor;
      return;
    }
    const sid = request.cookies[SESSION_COOKIE];
    if (!sid) return;
    const identity = await services.auth.authenticateSession(sid);
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

  // Every write is audited: services record their own; anything that did not (mostly failures) gets a generic record,
  // written before the response leaves so that a client never sees an answer whose record is not there yet.
  app.addHook('onSend', (request, reply, payload, done) => {
    const ctx = request.ctx;
    // reads and already-audited writes pass straight through, without a promise per request
    if (!ctx || ctx.audited || !MUTATING.has(request.method) || !ctx.actor) return done(null, payload);
    const status = reply.statusCode;
    const outcome = status < 400 ? 'success' : status === 401 || status === 403 ? 'denied' : 'failure';
    services.audit
      .recordNow(ctx, { action: `http.${request.method.toLowerCase()} ${request.routeOptions.url ?? request.url.split('?')[0]}`, outcome, detail: { status } })
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
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: false, cacheControl: false });
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

  registerRoutes(app, services, { db, isReady: options.isReady ?? (() => true), cookieSecure: config.cookieSecure, sessionMaxHours: config.sessionMaxHours });
  await app.ready();
  return { app, services };
}
