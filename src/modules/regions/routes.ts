// HTTP routes for browsing administrative regions and recording their effective-dated changes.
import { Type } from 'typebox';
import { Page, PageQuery, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { CodeParams, GetQuery, ListQuery, MergeBody, RegionDetailSchema, RegionSchema, RegionTreeSchema, RenameBody, RetireBody, TreeQuery } from './schema.ts';

export function regionRoutes(app: App, services: Services): void {
  app.get(
    '/api/regions',
    {
      schema: {
        tags: ['regions'],
        summary: 'Regions in your jurisdiction, ordered by code',
        querystring: Type.Object({ ...ListQuery, ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(RegionSchema), ...errorResponses },
      },
    },
    async (request) => services.regions.list(request.ctx, request.query),
  );

  app.get(
    '/api/regions/:code',
    {
      schema: {
        tags: ['regions'],
        summary: 'One region with its history; ?at=YYYY-MM-DD also gives the name it bore that day',
        params: CodeParams,
        querystring: GetQuery,
        response: { 200: RegionDetailSchema, ...errorResponses },
      },
    },
    async (request) => services.regions.get(request.ctx, request.params.code, request.query.at),
  );

  app.get(
    '/api/regions/:code/tree',
    {
      schema: {
        tags: ['regions'],
        summary: 'The current subtree under a region, depth levels deep',
        params: CodeParams,
        querystring: TreeQuery,
        response: { 200: RegionTreeSchema, ...errorResponses },
      },
    },
    async (request) => services.regions.tree(request.ctx, request.params.code, request.query.depth),
  );

  app.post(
    '/api/regions/:code/rename',
    {
      schema: {
        tags: ['regions'],
        summary: 'Rename a region from a date; the old name is kept in its history',
        params: CodeParams,
        body: RenameBody,
        response: { 200: RegionDetailSchema, ...errorResponses },
      },
    },
    async (request) => services.regions.rename(request.ctx, request.params.code, request.body),
  );

  app.post(
    '/api/regions/:code/merge',
    {
      schema: {
        tags: ['regions'],
        summary: 'Merge a region (without current sub-regions) into another of the same level from a date',
        params: CodeParams,
        body: MergeBody,
        response: { 200: RegionDetailSchema, ...errorResponses },
      },
    },
    async (request) => services.regions.merge(request.ctx, request.params.code, request.body),
  );

  app.post(
    '/api/regions/:code/retire',
    {
      schema: {
        tags: ['regions'],
        summary: 'Retire (abolish) a region without current sub-regions from a date',
        params: CodeParams,
        body: RetireBody,
        response: { 200: RegionDetailSchema, ...errorResponses },
      },
    },
    async (request) => services.regions.retire(request.ctx, request.params.code, request.body),
  );
}
