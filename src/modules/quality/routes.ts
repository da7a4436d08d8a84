// HTTP routes of the quality module: a resource's figures, all resources' figures, the departments' ranking.
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { RankingSchema, ResourceQualityListSchema, ResourceQualitySchema } from './schema.ts';
import type { QualityService } from './service.ts';

const tags = ['quality'];

export function qualityRoutes(app: App, quality: QualityService): void {
  app.get(
    '/api/quality/resources',
    {
      schema: {
        tags,
        summary: 'Quality figures of every data resource in your jurisdiction (completeness, rejection rate, freshness)',
        querystring: Type.Object({ overdue: Type.Optional(Type.Boolean({ description: 'Only resources past (true) or within (false) their update cycle' })) }, { additionalProperties: false }),
        response: { 200: ResourceQualityListSchema, ...errorResponses },
      },
    },
    async (request) => quality.resources(request.ctx, request.query),
  );

  app.get(
    '/api/quality/resources/:code',
    {
      schema: {
        tags,
        summary: 'Quality figures of one data resource',
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 60, pattern: '^[^\\x00-\\x1f/]*$' }) }),
        response: { 200: ResourceQualitySchema, ...errorResponses },
      },
    },
    async (request) => quality.resource(request.ctx, request.params.code),
  );

  app.get(
    '/api/quality/ranking',
    {
      schema: { tags, summary: 'The departments’ ranking (质量评估与排名) with the documented score, and the overdue resources', response: { 200: RankingSchema, ...errorResponses } },
    },
    async (request) => quality.ranking(request.ctx),
  );
}
