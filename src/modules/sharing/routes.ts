// HTTP routes of the sharing module: thin handlers over SharingService and ClientAppService.
import { Type } from 'typebox';
import { CountedPage, Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { notFound } from '../../shared/errors.ts';
import type { ClientAppService } from './client-apps.ts';
import * as s from './schema.ts';
import type { SharingService } from './service.ts';

const IdParams = Type.Object({ id: Uuid });

export function sharingRoutes(app: App, sharing: SharingService, clients: ClientAppService): void {
  app.post(
    '/api/sharing/requests',
    {
      schema: {
        tags: ['sharing'],
        summary: 'Apply for items of a resource (sharing.request); unconditional items are granted at once, conditional ones go to the provider',
        headers: s.IdempotencyHeaders,
        body: s.NewRequestBody,
        response: { 200: s.RequestSchema, 201: s.RequestSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { request: view, created } = await sharing.submit(request.ctx, request.body, request.headers['idempotency-key']);
      return reply.code(created ? 201 : 200).send(view);
    },
  );

  app.get(
    '/api/sharing/request-options',
    {
      schema: {
        tags: ['sharing'],
        summary: 'The request wizard’s choices: a resource’s items with their share types, the caller’s client applications (sharing.request)',
        querystring: Type.Object({ resource: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
        response: { 200: s.RequestOptionsSchema, ...errorResponses },
      },
    },
    async (request) => sharing.requestOptions(request.ctx, request.query.resource),
  );

  app.get(
    '/api/sharing/requests',
    { schema: { tags: ['sharing'], summary: 'Sharing requests: mine (consumer), to me (provider), escalated (authority); newest first', querystring: s.RequestListQuery, response: { 200: CountedPage(s.RequestSchema), ...errorResponses } } },
    async (request) => sharing.list(request.ctx, request.query),
  );

  app.get(
    '/api/sharing/requests/:id',
    { schema: { tags: ['sharing'], summary: 'One sharing request', params: IdParams, response: { 200: s.RequestSchema, ...errorResponses } } },
    async (request) => {
      const view = await sharing.get(request.ctx, request.params.id);
      if (!view) throw notFound('sharing.request_not_found', 'No such sharing request in your jurisdiction.', 'id');
      return view;
    },
  );

  app.post(
    '/api/sharing/requests/:id/decision',
    { schema: { tags: ['sharing'], summary: 'Approve all or some conditional items, or refuse with a reason (sharing.decide; sharing.authority once escalated)', params: IdParams, body: s.DecisionBody, response: { 200: s.RequestSchema, ...errorResponses } } },
    async (request) => sharing.decide(request.ctx, request.params.id, request.body),
  );

  app.post(
    '/api/sharing/requests/:id/withdraw',
    { schema: { tags: ['sharing'], summary: 'Withdraw an unanswered request (sharing.request, the consumer)', params: IdParams, response: { 200: s.RequestSchema, ...errorResponses } } },
    async (request) => sharing.withdraw(request.ctx, request.params.id),
  );

  app.get(
    '/api/sharing/grants',
    { schema: { tags: ['sharing'], summary: 'Data grants: mine (consumer) or to me (provider); newest first', querystring: s.GrantListQuery, response: { 200: CountedPage(s.GrantSchema), ...errorResponses } } },
    async (request) => sharing.listGrants(request.ctx, request.query),
  );

  app.get(
    '/api/sharing/grants/:id',
    { schema: { tags: ['sharing'], summary: 'One data grant (by its share grant id)', params: IdParams, response: { 200: s.GrantSchema, ...errorResponses } } },
    async (request) => sharing.getGrant(request.ctx, request.params.id),
  );

  app.post(
    '/api/sharing/grants/:id/revoke',
    { schema: { tags: ['sharing'], summary: 'Revoke a data grant now; the next gateway call is refused (sharing.decide, sharing.authority or shares.manage)', params: IdParams, body: Type.Optional(s.RevokeBody), response: { 200: s.GrantSchema, ...errorResponses } } },
    async (request) => sharing.revokeGrant(request.ctx, request.params.id, request.body?.reason),
  );

  app.put(
    '/api/sharing/grants/:id/masks',
    { schema: { tags: ['sharing'], summary: 'Set the grant’s masking policy per item (sharing.decide, the provider; sharing.authority)', params: IdParams, body: s.MasksBody, response: { 200: s.GrantSchema, ...errorResponses } } },
    async (request) => sharing.setGrantMasks(request.ctx, request.params.id, request.body.masks),
  );

  app.post(
    '/api/sharing/clients',
    { schema: { tags: ['sharing'], summary: 'Register a client application (clients.manage); the secret is returned once', body: s.NewClientBody, response: { 201: s.ClientWithSecret, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await clients.create(request.ctx, request.body)),
  );

  app.get(
    '/api/sharing/clients',
    { schema: { tags: ['sharing'], summary: 'Client applications of departments in your jurisdiction (clients.manage)', querystring: s.ClientListQuery, response: { 200: CountedPage(s.ClientSchema), ...errorResponses } } },
    async (request) => clients.list(request.ctx, request.query),
  );

  app.get(
    '/api/sharing/clients/:id',
    { schema: { tags: ['sharing'], summary: 'One client application', params: IdParams, response: { 200: s.ClientSchema, ...errorResponses } } },
    async (request) => clients.get(request.ctx, request.params.id),
  );

  app.patch(
    '/api/sharing/clients/:id',
    { schema: { tags: ['sharing'], summary: 'Rename, describe, set the rate limit or the secret’s expiry (clients.manage)', params: IdParams, body: s.ClientPatchBody, response: { 200: s.ClientSchema, ...errorResponses } } },
    async (request) => clients.update(request.ctx, request.params.id, request.body),
  );

  app.post(
    '/api/sharing/clients/:id/rotate',
    { schema: { tags: ['sharing'], summary: 'A new secret (returned once); the previous one works 24 h more (clients.manage)', params: IdParams, response: { 200: s.ClientWithSecret, ...errorResponses } } },
    async (request) => clients.rotate(request.ctx, request.params.id),
  );

  app.post(
    '/api/sharing/clients/:id/disable',
    { schema: { tags: ['sharing'], summary: 'Disable a client application (clients.manage)', params: IdParams, response: { 200: s.ClientSchema, ...errorResponses } } },
    async (request) => clients.setStatus(request.ctx, request.params.id, 'disabled'),
  );

  app.post(
    '/api/sharing/clients/:id/enable',
    { schema: { tags: ['sharing'], summary: 'Enable a client application (clients.manage)', params: IdParams, response: { 200: s.ClientSchema, ...errorResponses } } },
    async (request) => clients.setStatus(request.ctx, request.params.id, 'active'),
  );
}
