// Fastify typing shared by every module's routes.
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RequestContext } from '../shared/context.ts';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
    /** The raw session cookie value, when the request came with one that resolved. */
    sessionToken?: string;
    /** The session's CSRF token, for routes that hand it back to the console. */
    csrfToken?: string;
  }
  interface FastifyContextConfig {
    /** Skip the CSRF check (only for routes that start a session). */
    skipCsrf?: boolean;
    /** Consuming systems' routes (exchange gateway): authenticated by client credentials in the handler, never by session or API token. */
    clientCredentials?: boolean;
  }
}
