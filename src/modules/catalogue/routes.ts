// HTTP routes of the resource catalogue: reads need catalogue.read, writes catalogue.manage (checked in the service).
import { contentDisposition } from '../../http/content-disposition.ts';
import { Type } from 'typebox';
import { CountedPage, Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import {
  DecideDemandBody,
  DemandQuerySchema,
  DemandSchema,
  DiffSchema,
  ExportQuerySchema,
  NewDemandBody,
  NewResourceBody,
  ResourceDetailSchema,
  SearchQuerySchema,
  SearchResultSchema,
  UpdateResourceBody,
  VersionSchema,
  VersionsSchema,
} from './schema.ts';
import type { CatalogueService } from './service.ts';

/** A resource code holds a slash (650500-01/00001): it travels percent-encoded in one path segment. */
const CodeParam = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64, description: 'Resource code (percent-encode the /) or id' }) });

export function catalogueRoutes(app: App, catalogue: CatalogueService): void {
  const tags = ['catalogue'];
  app.get(
    '/api/catalogue/resources',
    { schema: { tags, summary: 'Search the catalogue (Chinese partial words, abbreviations, synonyms), with facets (catalogue.read)', querystring: SearchQuerySchema, response: { 200: SearchResultSchema, ...errorResponses } } },
    async (request) => catalogue.search(request.ctx, request.query),
  );
  app.post(
    '/api/catalogue/resources',
    { schema: { tags, summary: 'Catalogue a resource as a draft (catalogue.manage)', body: NewResourceBody, response: { 201: ResourceDetailSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await catalogue.create(request.ctx, request.body)),
  );
  app.get(
    '/api/catalogue/export',
    {
      schema: {
        tags,
        summary: 'Export the matching resources as JSON, CSV (one line per info item) or DCAT-AP JSON-LD (catalogue.read)',
        querystring: ExportQuerySchema,
        response: { 200: Type.String({ description: 'The export file' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { format, ...filters } = request.query;
      const file = await catalogue.export(request.ctx, filters, format);
      return reply.header('content-type', file.contentType).header('content-disposition', contentDisposition(file.fileName)).send(file.body);
    },
  );
  app.get(
    '/api/catalogue/resources/:code',
    { schema: { tags, summary: 'A resource with its info items (catalogue.read)', params: CodeParam, response: { 200: ResourceDetailSchema, ...errorResponses } } },
    async (request) => catalogue.get(request.ctx, request.params.code),
  );
  app.put(
    '/api/catalogue/resources/:code',
    { schema: { tags, summary: 'Replace the metadata and items of a resource; bumps its version (catalogue.manage)', params: CodeParam, body: UpdateResourceBody, response: { 200: ResourceDetailSchema, ...errorResponses } } },
    async (request) => catalogue.update(request.ctx, request.params.code, request.body),
  );
  app.post(
    '/api/catalogue/resources/:code/publish',
    { schema: { tags, summary: 'Publish a resource (catalogue.manage)', params: CodeParam, response: { 200: ResourceDetailSchema, ...errorResponses } } },
    async (request) => catalogue.publish(request.ctx, request.params.code),
  );
  app.post(
    '/api/catalogue/resources/:code/withdraw',
    { schema: { tags, summary: 'Withdraw a published resource (catalogue.manage)', params: CodeParam, response: { 200: ResourceDetailSchema, ...errorResponses } } },
    async (request) => catalogue.withdraw(request.ctx, request.params.code),
  );
  app.get(
    '/api/catalogue/resources/:code/versions',
    { schema: { tags, summary: 'Metadata versions of a resource, newest first, with field-level changes (catalogue.read)', params: CodeParam, response: { 200: VersionsSchema, ...errorResponses } } },
    async (request) => catalogue.versions(request.ctx, request.params.code),
  );
  app.get(
    '/api/catalogue/resources/:code/versions/:version',
    {
      schema: {
        tags,
        summary: 'The metadata as it stood at a version (catalogue.read)',
        params: Type.Object({ ...CodeParam.properties, version: Type.Integer({ minimum: 1 }) }),
        response: { 200: VersionSchema, ...errorResponses },
      },
    },
    async (request) => catalogue.version(request.ctx, request.params.code, request.params.version),
  );
  app.get(
    '/api/catalogue/resources/:code/diff',
    {
      schema: {
        tags,
        summary: 'Field-level changes between two versions (catalogue.read)',
        params: CodeParam,
        querystring: Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: { 200: DiffSchema, ...errorResponses },
      },
    },
    async (request) => catalogue.diff(request.ctx, request.params.code, request.query.from, request.query.to),
  );
  app.get(
    '/api/catalogue/demands',
    { schema: { tags, summary: 'The demand list (需求清单): data departments need that nobody catalogues yet (catalogue.read)', querystring: DemandQuerySchema, response: { 200: CountedPage(DemandSchema), ...errorResponses } } },
    async (request) => catalogue.listDemands(request.ctx, request.query),
  );
  app.post(
    '/api/catalogue/demands',
    { schema: { tags, summary: "Register data your department needs (catalogue.read)", body: NewDemandBody, response: { 201: DemandSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await catalogue.createDemand(request.ctx, request.body)),
  );
  app.post(
    '/api/catalogue/demands/:id/decide',
    { schema: { tags, summary: 'Match a demand to a resource you manage, or close it with a note (catalogue.manage)', params: Type.Object({ id: Uuid }), body: DecideDemandBody, response: { 200: DemandSchema, ...errorResponses } } },
    async (request) => catalogue.decideDemand(request.ctx, request.params.id, request.body),
  );
}
