// HTTP routes for share grants (shares.manage).
import { Type } from 'typebox';
import { Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { AccessService } from './service.ts';
import { NewShareBody, ShareSchema } from './schema.ts';

export function accessRoutes(app: App, access: AccessService): void {
  app.get(
    '/api/shares',
    {
      schema: {
        tags: ['shares'],
        summary: 'Share grants of departments in your jurisdiction (shares.manage), newest first',
        querystring: Type.Object(
          {
            resource: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' })),
            active: Type.Optional(Type.Boolean({ description: 'Only grants neither revoked nor expired' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ShareSchema) }), ...errorResponses },
      },
    },
    async (request) => access.listShares(request.ctx, request.query),
  );

  app.post(
    '/api/shares',
    {
      schema: {
        tags: ['shares'],
        summary: 'Let a department or a client application read named fields of a resource, for a purpose, until an expiry (shares.manage)',
        body: NewShareBody,
        response: { 201: ShareSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await access.createShare(request.ctx, request.body)),
  );

  app.post(
    '/api/shares/:id/revoke',
    { schema: { tags: ['shares'], summary: 'End a share grant now (shares.manage)', params: Type.Object({ id: Uuid }), response: { 200: ShareSchema, ...errorResponses } } },
    async (request) => access.revokeShare(request.ctx, request.params.id),
  );
}
