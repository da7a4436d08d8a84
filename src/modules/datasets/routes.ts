// HTTP routes of the datasets module: file upload (streamed raw body), pushed rows, loads, rejections and reports, rows.
import { Type } from 'typebox';
import { errorResponses, PageQuery, Page, Uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { contentDisposition } from '../../http/content-disposition.ts';
import { rejectionCsv, rejectionXlsx } from './report.ts';
import { LoadMode, LoadSchema, MyResourceSchema, PreviewSchema, RejectionSchema, ResourceRef } from './schema.ts';
import { MAX_PUSH_ROWS, type DatasetsService } from './service.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A push of 10,000 rows of a wide resource fits in this (the global body limit is smaller). */
const PUSH_BODY_LIMIT = 32 * 1024 * 1024;

export function datasetRoutes(app: App, datasets: DatasetsService): void {
  // the upload's body is the file itself, streamed from request.raw: no parser reads or buffers it
  void app.register(async (scoped: App) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    scoped.post(
      '/api/datasets/resources/:resource/uploads',
      {
        schema: {
          tags: ['datasets'],
          summary: 'Load a file into a resource: the request body is the file (CSV, XLSX, JSON array or NDJSON; UTF-8 or GB18030/GBK), streamed, validated, committed atomically',
          params: Type.Object({ resource: ResourceRef }),
          querystring: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 255, description: 'The file name, e.g. 人口信息.csv (its extension gives the format unless format is given)' }),
              format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx'), Type.Literal('json')])),
              encoding: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('utf-8'), Type.Literal('gb18030'), Type.Literal('gbk')], { description: 'auto (default): BOM, else valid UTF-8, else GB18030' })),
              mode: Type.Optional(LoadMode),
              allOrNothing: Type.Optional(Type.Boolean({ description: 'Any rejected row rejects the whole load' })),
            },
            { additionalProperties: false },
          ),
          response: { 201: LoadSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const length = request.headers['content-length'];
        const q = request.query;
        try {
          const load = await datasets.upload(request.ctx, {
            resource: request.params.resource,
            fileName: q.name,
            ...(q.format ? { format: q.format } : {}),
            ...(q.encoding ? { encoding: q.encoding === 'gbk' ? 'gb18030' : q.encoding } : {}),
            ...(q.mode ? { mode: q.mode } : {}),
            ...(q.allOrNothing === undefined ? {} : { allOrNothing: q.allOrNothing }),
            ...(length === undefined ? {} : { declaredLength: Number(length) }),
            body: request.raw,
          });
          return await reply.status(201).send(load);
        } catch (error) {
          if (!request.raw.readableEnded) void reply.header('connection', 'close');
          throw error;
        }
      },
    );
  });

  app.post(
    '/api/datasets/resources/:resource/rows',
    {
      bodyLimit: PUSH_BODY_LIMIT,
      schema: {
        tags: ['datasets'],
        summary: `Push up to ${MAX_PUSH_ROWS} rows (objects keyed by item code or name), validated as a file's; atomic, upserted by key`,
        params: Type.Object({ resource: ResourceRef }),
        body: Type.Object(
          {
            rows: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_PUSH_ROWS }),
            mode: Type.Optional(LoadMode),
            allOrNothing: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: LoadSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const load = await datasets.push(request.ctx, { resource: request.params.resource, rows: b.rows, ...(b.mode ? { mode: b.mode } : {}), ...(b.allOrNothing === undefined ? {} : { allOrNothing: b.allOrNothing }) });
      return reply.status(201).send(load);
    },
  );

  app.get(
    '/api/datasets/resources',
    { schema: { tags: ['datasets'], summary: "The resources your department provides (to load into), with their row counts", response: { 200: Type.Object({ items: Type.Array(MyResourceSchema) }), ...errorResponses } } },
    async (request) => ({ items: await datasets.myResources(request.ctx) }),
  );

  app.get(
    '/api/datasets/resources/:resource/loads',
    {
      schema: {
        tags: ['datasets'],
        summary: "A resource's loads, newest first",
        params: Type.Object({ resource: ResourceRef }),
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(LoadSchema), ...errorResponses },
      },
    },
    async (request) => datasets.listLoads(request.ctx, request.params.resource, request.query),
  );

  app.get(
    '/api/datasets/resources/:resource/rows',
    {
      schema: {
        tags: ['datasets'],
        summary: "The resource's current rows, newest first (masked per item unless you may read sensitive data)",
        params: Type.Object({ resource: ResourceRef }),
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })) }, { additionalProperties: false }),
        response: { 200: PreviewSchema, ...errorResponses },
      },
    },
    async (request) => datasets.previewRows(request.ctx, request.params.resource, request.query.limit ?? 20),
  );

  app.get(
    '/api/datasets/loads/:id',
    { schema: { tags: ['datasets'], summary: 'A load with its progress (bytes read, rows so far) and outcome', params: Type.Object({ id: Uuid }), response: { 200: LoadSchema, ...errorResponses } } },
    async (request) => datasets.getLoad(request.ctx, request.params.id),
  );

  app.get(
    '/api/datasets/loads/:id/rejections',
    {
      schema: {
        tags: ['datasets'],
        summary: "A load's rejected cells and rows, by row",
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(RejectionSchema), ...errorResponses },
      },
    },
    async (request) => datasets.rejections(request.ctx, request.params.id, request.query),
  );

  app.get(
    '/api/datasets/loads/:id/rejections.:format',
    {
      schema: {
        tags: ['datasets'],
        summary: 'The rejection report as CSV or XLSX (formula-like cells escaped)',
        params: Type.Object({ id: Uuid, format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]) }),
        produces: ['text/csv', XLSX, 'application/problem+json'],
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const name = await datasets.reportName(request.ctx, request.params.id);
      const rows = datasets.allRejections(request.ctx, request.params.id);
      if (request.params.format === 'csv') {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', contentDisposition(`${name}.csv`)).send(rejectionCsv(rows));
      }
      return reply.type(XLSX).header('content-disposition', contentDisposition(`${name}.xlsx`)).send(rejectionXlsx(rows));
    },
  );
}
