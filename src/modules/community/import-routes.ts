// HTTP routes of resident imports: a file upload (the body is the file, streamed), a pull from the population resource
// through a share grant (a job), an import's progress, its rejections and the report as CSV or XLSX.
import { Type } from 'typebox';
import { contentDisposition } from '../../http/content-disposition.ts';
import { errorResponses, PageQuery, Page, Uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { rejectionCsv, rejectionXlsx } from '../datasets/index.ts';
import { HOUSEHOLD_TEMPLATE_HEADER } from './household-import.ts';
import { TEMPLATE_HEADER } from './import-rows.ts';
import type { ResidentImports } from './imports.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

const ImportSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('residents'), Type.Literal('households')], { description: 'residents (by ID number) or households (by household number)' }),
  source: Type.Union([Type.Literal('file'), Type.Literal('sharing')]),
  fileName: Nullable(Type.String()),
  format: Nullable(Type.String()),
  encoding: Nullable(Type.String({ description: 'utf-8 or gb18030 as read (auto-detected unless given)' })),
  resourceId: Nullable(Type.String()),
  allOrNothing: Type.Boolean(),
  status: Type.Union([Type.Literal('queued'), Type.Literal('receiving'), Type.Literal('validating'), Type.Literal('committing'), Type.Literal('committed'), Type.Literal('rejected'), Type.Literal('failed')]),
  bytesTotal: Nullable(Type.Integer()),
  bytesRead: Type.Integer(),
  totalRows: Type.Integer(),
  acceptedRows: Type.Integer(),
  rejectedRows: Type.Integer(),
  insertedRows: Type.Integer(),
  updatedRows: Type.Integer(),
  error: Nullable(Type.String()),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});

const RejectionSchema = Type.Object({
  rowNo: Type.Integer({ description: 'data row of the file (header not counted); 0 for the header' }),
  item: Type.String({ description: 'the column at fault, as its header reads' }),
  value: Nullable(Type.String()),
  code: Type.String(),
  message: Type.String(),
});

export function importRoutes(app: App, imports: ResidentImports): void {
  void app.register(async (scoped: App) => {
    // the body is the file itself, streamed from request.raw: no parser reads or buffers it
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const files = [
      {
        url: '/api/community/imports/files',
        summary: 'Import residents from a file: the body is the CSV or XLSX (UTF-8 or GB18030/GBK), validated per row and column, accepted rows committed together',
        upload: (ctx: Parameters<ResidentImports['upload']>[0], input: Parameters<ResidentImports['upload']>[1]) => imports.upload(ctx, input),
      },
      {
        url: '/api/community/imports/households',
        summary:
          'Import households from a file (户号, 地址, 户主身份证号, 成员 as 身份证号:关系; optional 社区代码): validated per row and column against the registry, upserted by household number in one transaction',
        upload: (ctx: Parameters<ResidentImports['upload']>[0], input: Parameters<ResidentImports['upload']>[1]) => imports.uploadHouseholds(ctx, input),
      },
    ];
    for (const file of files) {
      scoped.post(
        file.url,
        {
          schema: {
            tags: ['community'],
            summary: file.summary,
            querystring: Type.Object(
              {
                name: Type.String({ minLength: 1, maxLength: 255, description: 'The file name, e.g. 居民.csv (its extension gives the format unless format is given)' }),
                format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')])),
                encoding: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('utf-8'), Type.Literal('gb18030'), Type.Literal('gbk')])),
                allOrNothing: Type.Optional(Type.Boolean({ description: 'Any rejected row rejects the whole import' })),
              },
              { additionalProperties: false },
            ),
            response: { 201: ImportSchema, ...errorResponses },
          },
        },
        async (request, reply) => {
          const q = request.query;
          const length = request.headers['content-length'];
          try {
            const view = await file.upload(request.ctx, {
              fileName: q.name,
              ...(q.format ? { format: q.format } : {}),
              ...(q.encoding ? { encoding: q.encoding === 'gbk' ? 'gb18030' : q.encoding } : {}),
              ...(q.allOrNothing === undefined ? {} : { allOrNothing: q.allOrNothing }),
              ...(length === undefined ? {} : { declaredLength: Number(length) }),
              body: request.raw,
            });
            return await reply.status(201).send(view);
          } catch (error) {
            if (!request.raw.readableEnded) void reply.header('connection', 'close');
            throw error;
          }
        },
      );
    }
  });

  app.get(
    '/api/community/imports/template.csv',
    { schema: { tags: ['community'], summary: 'The import template: the header row (UTF-8 with BOM)', produces: ['text/csv'], response: errorResponses } },
    async (_request, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', contentDisposition('居民导入模板.csv')).send(`\ufeff${TEMPLATE_HEADER.join(',')}\r\n`),
  );

  app.get(
    '/api/community/imports/households/template.csv',
    { schema: { tags: ['community'], summary: 'The household import template: the header row (UTF-8 with BOM)', produces: ['text/csv'], response: errorResponses } },
    async (_request, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', contentDisposition('户籍导入模板.csv')).send(`\ufeff${HOUSEHOLD_TEMPLATE_HEADER.join(',')}\r\n`),
  );

  app.get(
    '/api/community/imports/sources',
    {
      schema: {
        tags: ['community'],
        summary: "Person resources the caller's department may pull residents from (usable share grants)",
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ resourceId: Type.String(), code: Type.String(), name: Type.String(), regionPrefix: Nullable(Type.String()), expiresAt: Type.String() })) }), ...errorResponses },
      },
    },
    async (request) => imports.sources(request.ctx),
  );

  app.post(
    '/api/community/imports/population',
    {
      schema: {
        tags: ['community'],
        summary: 'Pull the residents of the jurisdiction from a population resource through the department’s share grant (a job; upsert by ID number)',
        body: Type.Object({ resourceId: Uuid, allOrNothing: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 202: ImportSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(202).send(await imports.requestPull(request.ctx, request.body)),
  );

  app.get(
    '/api/community/imports',
    { schema: { tags: ['community'], summary: "The caller's last 20 imports with their progress", response: { 200: Type.Object({ items: Type.Array(ImportSchema) }), ...errorResponses } } },
    async (request) => imports.list(request.ctx),
  );

  app.get(
    '/api/community/imports/:id',
    { schema: { tags: ['community'], summary: 'An import with its progress (bytes read, rows so far) and outcome', params: Type.Object({ id: Uuid }), response: { 200: ImportSchema, ...errorResponses } } },
    async (request) => imports.get(request.ctx, request.params.id),
  );

  app.get(
    '/api/community/imports/:id/rejections',
    {
      schema: {
        tags: ['community'],
        summary: "An import's rejected cells and rows, by row",
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(RejectionSchema), ...errorResponses },
      },
    },
    async (request) => imports.rejections(request.ctx, request.params.id, request.query),
  );

  app.get(
    '/api/community/imports/:id/report.:format',
    {
      schema: {
        tags: ['community'],
        summary: 'The per-row per-column report as CSV or XLSX (formula-like cells escaped)',
        params: Type.Object({ id: Uuid, format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]) }),
        produces: ['text/csv', XLSX, 'application/problem+json'],
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const { name, rows } = await imports.report(request.ctx, request.params.id);
      if (request.params.format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', contentDisposition(`${name}.csv`)).send(rejectionCsv(rows));
      return reply.type(XLSX).header('content-disposition', contentDisposition(`${name}.xlsx`)).send(rejectionXlsx(rows));
    },
  );
}
