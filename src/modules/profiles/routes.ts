// HTTP routes of the resident profile (居民画像) and its 重点人群 labels.
import { Type } from 'typebox';
import { Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { AttachBody, LabelCode, LabelCountsSchema, LabelsResultSchema, Note, ProfileSchema } from './schema.ts';
import type { ProfileService } from './service.ts';

const tags = ['profiles'];

export function profileRoutes(app: App, profiles: ProfileService): void {
  app.get(
    '/api/profiles/labels',
    {
      schema: {
        tags,
        summary: '重点人群 labels with the number of active residents carrying each in your jurisdiction',
        response: { 200: LabelCountsSchema, ...errorResponses },
      },
    },
    async (request) => profiles.labelCounts(request.ctx),
  );

  app.get(
    '/api/profiles/:residentId',
    {
      schema: {
        tags,
        summary: '居民画像: registry record, household, labels, fact flags and the person-keyed resources read through the digital community system’s grants (logged)',
        params: Type.Object({ residentId: Uuid }),
        querystring: Type.Object({ purpose: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\x00-\\x1f]*$' })) }, { additionalProperties: false }),
        response: { 200: ProfileSchema, ...errorResponses },
      },
    },
    async (request) => profiles.profile(request.ctx, request.params.residentId, request.query.purpose),
  );

  app.post(
    '/api/profiles/:residentId/labels',
    {
      schema: {
        tags,
        summary: 'Attach a 重点人群 label with a note (community.manage; audited; attaching one already there changes nothing)',
        params: Type.Object({ residentId: Uuid }),
        body: AttachBody,
        response: { 200: LabelsResultSchema, ...errorResponses },
      },
    },
    async (request) => profiles.attachLabel(request.ctx, request.params.residentId, request.body),
  );

  app.delete(
    '/api/profiles/:residentId/labels/:label',
    {
      schema: {
        tags,
        summary: 'Detach a 重点人群 label, the note giving the reason (community.manage; audited)',
        params: Type.Object({ residentId: Uuid, label: LabelCode }),
        querystring: Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false }),
        response: { 200: Type.Object({ labels: LabelsResultSchema.properties.labels }), ...errorResponses },
      },
    },
    async (request) => profiles.detachLabel(request.ctx, request.params.residentId, request.params.label, request.query.note),
  );
}
