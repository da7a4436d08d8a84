// HTTP routes of the feeds module: subscriptions for signed-in staff (/api/feeds) and for the consuming system
// itself, authenticated by its client credentials (/api/exchange/v1/feeds), including the pull of changes.
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { ChangesQuery, ChangesSchema, ClientCreateBody, CreateBody, CreatedSchema, GrantOptionSchema, IdParams, ListQuery, SubscriptionPage, SubscriptionSchema, TestResultSchema } from './schema.ts';
import type { FeedsService } from './service.ts';

const tags = ['feeds'];
const clientSecurity: Record<string, string[]>[] = [{ exchangeToken: [] }, { exchangeClient: [] }];

export function feedsRoutes(app: App, feeds: FeedsService): void {
  app.get(
    '/api/feeds/subscriptions',
    { schema: { tags, summary: 'Subscriptions of own client applications and on own resources, with status and lag (feeds.manage)', querystring: ListQuery, response: { 200: SubscriptionPage, ...errorResponses } } },
    async (request) => feeds.list(request.ctx, request.query),
  );
  app.get(
    '/api/feeds/grants',
    { schema: { tags, summary: 'Usable data grants of own departments and the client applications that may subscribe (feeds.manage)', response: { 200: Type.Array(GrantOptionSchema), ...errorResponses } } },
    async (request) => feeds.grantOptions(request.ctx),
  );
  app.post(
    '/api/feeds/subscriptions',
    { schema: { tags, summary: 'Subscribe a client application through a data grant; a webhook’s signing secret is shown once (feeds.manage)', body: CreateBody, response: { 201: CreatedSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await feeds.create({ ctx: request.ctx }, request.body)),
  );
  app.get(
    '/api/feeds/subscriptions/:id',
    { schema: { tags, summary: 'One subscription (feeds.manage; consumer or provider side)', params: IdParams, response: { 200: SubscriptionSchema, ...errorResponses } } },
    async (request) => feeds.get({ ctx: request.ctx }, request.params.id),
  );
  app.post(
    '/api/feeds/subscriptions/:id/pause',
    { schema: { tags, summary: 'Pause webhook deliveries (feeds.manage, consumer side)', params: IdParams, response: { 200: SubscriptionSchema, ...errorResponses } } },
    async (request) => feeds.setPaused({ ctx: request.ctx }, request.params.id, true),
  );
  app.post(
    '/api/feeds/subscriptions/:id/resume',
    { schema: { tags, summary: 'Resume; a webhook catches up from its cursor (feeds.manage, consumer side)', params: IdParams, response: { 200: SubscriptionSchema, ...errorResponses } } },
    async (request) => feeds.setPaused({ ctx: request.ctx }, request.params.id, false),
  );
  app.post(
    '/api/feeds/subscriptions/:id/test',
    { schema: { tags, summary: 'Send a signed test delivery (no changes) and report the answer (feeds.manage, consumer side)', params: IdParams, response: { 200: TestResultSchema, ...errorResponses } } },
    async (request) => feeds.testDelivery({ ctx: request.ctx }, request.params.id),
  );
  app.delete(
    '/api/feeds/subscriptions/:id',
    { schema: { tags, summary: 'Delete a subscription (feeds.manage, consumer side)', params: IdParams, response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      await feeds.remove({ ctx: request.ctx }, request.params.id);
      return reply.code(204).send(null);
    },
  );

  // ---- the consuming system itself (HTTP Basic with its client credentials) ----
  const client = (headers: Record<string, string | string[] | undefined>) => feeds.authenticateClient(headers);
  app.get(
    '/api/exchange/v1/feeds',
    { config: { clientCredentials: true }, schema: { tags, security: clientSecurity, summary: 'The calling client application’s subscriptions', response: { 200: Type.Array(SubscriptionSchema), ...errorResponses } } },
    async (request) => feeds.listOwn(await client(request.headers)),
  );
  app.post(
    '/api/exchange/v1/feeds',
    { config: { clientCredentials: true }, schema: { tags, security: clientSecurity, summary: 'Subscribe the calling client application through one of its data grants', body: ClientCreateBody, response: { 201: CreatedSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await feeds.create({ ctx: request.ctx, client: await client(request.headers) }, request.body)),
  );
  app.get(
    '/api/exchange/v1/feeds/:id/changes',
    {
      config: { clientCredentials: true },
      schema: {
        tags,
        security: clientSecurity,
        summary: 'Changes after a cursor in seq order: granted items, masked, inside the grant’s region filter; tombstones as op "delete"',
        params: IdParams,
        querystring: ChangesQuery,
        response: { 200: ChangesSchema, ...errorResponses },
      },
    },
    async (request) => feeds.pull(await client(request.headers), request.ctx, request.params.id, request.query),
  );
  app.post(
    '/api/exchange/v1/feeds/:id/pause',
    { config: { clientCredentials: true }, schema: { tags, security: clientSecurity, summary: 'Pause webhook deliveries', params: IdParams, response: { 200: SubscriptionSchema, ...errorResponses } } },
    async (request) => feeds.setPaused({ ctx: request.ctx, client: await client(request.headers) }, request.params.id, true),
  );
  app.post(
    '/api/exchange/v1/feeds/:id/resume',
    { config: { clientCredentials: true }, schema: { tags, security: clientSecurity, summary: 'Resume deliveries from the cursor', params: IdParams, response: { 200: SubscriptionSchema, ...errorResponses } } },
    async (request) => feeds.setPaused({ ctx: request.ctx, client: await client(request.headers) }, request.params.id, false),
  );
  app.delete(
    '/api/exchange/v1/feeds/:id',
    { config: { clientCredentials: true }, schema: { tags, security: clientSecurity, summary: 'Delete a subscription', params: IdParams, response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      await feeds.remove({ ctx: request.ctx, client: await client(request.headers) }, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
