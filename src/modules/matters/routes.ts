// HTTP routes of the supervised matters: a create and an update route per kind, lists, detail, publications,
// warnings, the discretion table, and the public penalty disclosure (no sign-in).
import { Type } from 'typebox';
import { Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { MATTER_KINDS, type MatterKind } from './kinds.ts';
import { ArticleList, ListQuery, MatterDetail, MatterPage, PublicPenaltyPage, PublicPenaltyQuery, PublicationBody, WarningPage, WarningQuery, createBody, updateBody, type MatterBody, type MatterUpdateBody } from './schema.ts';
import type { MattersService } from './service.ts';

const tags = ['matters'];
const IdParams = Type.Object({ id: Uuid });
const KIND_NAMES: Record<MatterKind, string> = { penalty: '行政处罚', enforcement: '执法案件', trading: '公共资源交易', village: '阳光村务 (a village’s publication schedule)', project: '重点项目' };

export function mattersRoutes(app: App, matters: MattersService): void {
  app.get(
    '/api/matters',
    { schema: { tags, summary: 'Supervised matters in your jurisdiction, newest first, with their open warnings (matters.read or matters.manage)', querystring: ListQuery, response: { 200: MatterPage, ...errorResponses } } },
    async (request) => matters.list(request.ctx, request.query),
  );

  app.get(
    '/api/matters/articles',
    { schema: { tags, summary: '行政处罚裁量基准: the articles a penalty may cite with their fine ranges', response: { 200: ArticleList, ...errorResponses } } },
    async (request) => matters.articles(request.ctx),
  );

  app.get(
    '/api/matters/warnings',
    { schema: { tags, summary: 'Warnings of the supervised matters in your jurisdiction, newest first', querystring: WarningQuery, response: { 200: WarningPage, ...errorResponses } } },
    async (request) => matters.warnings(request.ctx, request.query),
  );

  app.get(
    '/api/matters/:id',
    { schema: { tags, summary: 'One supervised matter with its warnings (and a village’s publications)', params: IdParams, response: { 200: MatterDetail, ...errorResponses } } },
    async (request) => matters.detail(request.ctx, request.params.id),
  );

  for (const kind of MATTER_KINDS) {
    app.post(
      `/api/matters/${kind}`,
      {
        schema: {
          tags,
          summary: `Record a ${KIND_NAMES[kind]} matter of your department tree; its rules run in the same transaction (matters.manage, audited)`,
          body: createBody(kind),
          response: { 200: MatterDetail, ...errorResponses },
        },
      },
      async (request) => matters.create(request.ctx, kind, request.body as MatterBody<typeof kind>),
    );
    app.put(
      `/api/matters/${kind}/:id`,
      {
        schema: {
          tags,
          summary: `Change a ${KIND_NAMES[kind]} matter (the version read; a stale one is 409); its rules run again (matters.manage, audited)`,
          params: IdParams,
          body: updateBody(kind),
          response: { 200: MatterDetail, ...errorResponses },
        },
      },
      async (request) => matters.update(request.ctx, kind, request.params.id, request.body as MatterUpdateBody<typeof kind>),
    );
  }

  app.post(
    '/api/matters/:id/publications',
    {
      schema: {
        tags,
        summary: 'Record a village’s publication of a period’s finances: its date and content summary (matters.manage, audited)',
        params: IdParams,
        body: PublicationBody,
        response: { 200: MatterDetail, ...errorResponses },
      },
    },
    async (request) => matters.addPublication(request.ctx, request.params.id, request.body),
  );

  app.get(
    '/api/public/penalties',
    {
      schema: {
        tags: ['public'],
        summary: '行政处罚公示 without signing in: decided penalties, organisations named, persons masked (张*), no ID numbers',
        querystring: PublicPenaltyQuery,
        response: { 200: PublicPenaltyPage, ...errorResponses },
      },
    },
    async (request) => matters.publicPenalties(request.query),
  );
}
