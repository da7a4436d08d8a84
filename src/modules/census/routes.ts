// HTTP routes of community statistics (统计分析).
import { Type } from 'typebox';
import { contentDisposition } from '../../http/content-disposition.ts';
import { errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { BreakdownQuery, BreakdownSchema, CrossTabQuery, CrossTabSchema, ExportQuery } from './schema.ts';
import type { CensusService } from './service.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function censusRoutes(app: App, census: CensusService): void {
  app.get(
    '/api/census/breakdown',
    {
      schema: {
        tags: ['census'],
        summary: 'Residents of a region node and of its children by one dimension, today or on a past day',
        querystring: BreakdownQuery,
        response: { 200: BreakdownSchema, ...errorResponses },
      },
    },
    async (request) => census.breakdown(request.ctx, request.query),
  );
  app.get(
    '/api/census/crosstab',
    {
      schema: {
        tags: ['census'],
        summary: 'Residents of a region node by two dimensions at once',
        querystring: CrossTabQuery,
        response: { 200: CrossTabSchema, ...errorResponses },
      },
    },
    async (request) => census.crossTab(request.ctx, request.query),
  );
  app.get(
    '/api/census/export.xlsx',
    {
      schema: {
        tags: ['census'],
        summary: 'The breakdown (node and children) and, with a second dimension, the cross-tab as an XLSX workbook; audited',
        querystring: ExportQuery,
        produces: [XLSX, 'application/problem+json'],
        response: { 200: Type.String({ description: 'The workbook' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { filename, body } = await census.exportWorkbook(request.ctx, request.query);
      return reply.type(XLSX).header('content-disposition', contentDisposition(filename)).send(body);
    },
  );
}
