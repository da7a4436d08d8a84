// HTTP routes of the exchange: the token endpoint and the gateway (client credentials only, no session, no CSRF),
// and the statistics for staff.
import { errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { CallHeaders, gatewayErrors, LookupQuery, ResourceParams, RowParams, RowsSchema, SearchQuery, StatsQuerySchema, StatsSchema, TokenBodySchema, TokenSchema } from './schema.ts';
import type { ExchangeService } from './service.ts';

const clientSecurity: Record<string, string[]>[] = [{ exchangeToken: [] }, { exchangeClient: [] }];

export function exchangeRoutes(app: App, exchange: ExchangeService): void {
  // calls still in flight when the module's background work stopped are counted too: flush once the server has closed
  app.addHook('onClose', async () => exchange.close());
  void app.register(async (scoped: App) => {
    // OAuth 2.0 token requests are form-encoded (RFC 6749 §4.4.2); JSON is accepted too
    scoped.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    scoped.post(
      '/api/exchange/token',
      {
        config: { clientCredentials: true },
        schema: {
          tags: ['exchange'],
          summary: 'Access token for a consuming system (OAuth 2.0 client_credentials; client id and secret in HTTP Basic or the body)',
          security: [{ exchangeClient: [] }],
          body: TokenBodySchema,
          response: { 200: TokenSchema, ...gatewayErrors },
        },
      },
      async (request) => exchange.issueToken(request.ctx, request.headers, request.body),
    );
  });

  app.get(
    '/api/exchange/v1/resources/:code/rows/:key',
    {
      config: { clientCredentials: true },
      schema: {
        tags: ['exchange'],
        summary: 'One row of a resource by its key, as the grant lets it out (masked, granted items only; recorded in the access log)',
        security: clientSecurity,
        headers: CallHeaders,
        params: RowParams,
        querystring: LookupQuery,
        response: { 200: RowsSchema, ...gatewayErrors },
      },
    },
    async (request) => exchange.lookup(request.ctx, request.headers, { ...request.params, ...request.query }),
  );

  app.get(
    '/api/exchange/v1/resources/:code/rows',
    {
      config: { clientCredentials: true },
      schema: {
        tags: ['exchange'],
        summary: 'Rows of a resource by equality on granted items (?item=value…), paged by key',
        security: clientSecurity,
        headers: CallHeaders,
        params: ResourceParams,
        querystring: SearchQuery,
        response: { 200: RowsSchema, ...gatewayErrors },
      },
    },
    async (request) => {
      const { fields, cursor, limit, ...filters } = request.query as Record<string, string | number | undefined>;
      return exchange.search(request.ctx, request.headers, {
        code: request.params.code,
        ...(typeof fields === 'string' ? { fields } : {}),
        ...(typeof cursor === 'string' ? { cursor } : {}),
        ...(typeof limit === 'number' ? { limit } : {}),
        filters: filters as Record<string, string>,
      });
    },
  );

  app.get(
    '/api/exchange/stats',
    {
      schema: {
        tags: ['exchange'],
        summary: 'Exchange statistics per day × client application × resource (calls, rows, refusals)',
        querystring: StatsQuerySchema,
        response: { 200: StatsSchema, ...errorResponses },
      },
    },
    async (request) => exchange.listStats(request.ctx, request.query),
  );
}

