// HTTP routes of the public channels (/api/public/…): no session needed (`security: []`), thin handlers.
import { errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { DomainError } from '../../shared/errors.ts';
import { feedBytes } from './feed.ts';
import { DisclosurePageSchema, DisclosureQuerySchema, FeedQuerySchema, ProgressQuerySchema, ProgressSchema, ScreenSnapshotSchema } from './schema.ts';
import type { PublicityService } from './service.ts';

export function publicityRoutes(app: App, publicity: PublicityService): void {
  const tags = ['public'];
  // open event streams would hold the server's close until their clients left
  app.addHook('preClose', async () => publicity.screen.close());

  app.get(
    '/api/public/progress',
    {
      schema: {
        tags,
        summary: 'A case’s progress for its applicant, without signing in: the case number with the applicant’s name or ID number (rate-limited per address; a captcha after repeated misses)',
        security: [],
        querystring: ProgressQuerySchema,
        response: { 200: ProgressSchema, ...errorResponses },
      },
    },
    async (request) => publicity.progress(request.ctx, request.query),
  );

  app.get(
    '/api/public/approvals',
    {
      schema: {
        tags,
        summary: 'Concluded approvals (公示): item, department, applicant (natural persons masked), decision, date; newest first',
        security: [],
        querystring: DisclosureQuerySchema,
        response: { 200: DisclosurePageSchema, ...errorResponses },
      },
    },
    async (request) => publicity.approvals(request.query),
  );

  app.get(
    '/api/public/bigscreen',
    { schema: { tags, summary: 'The big screen’s figures now: today’s counts by county, latest warnings, latest published ranking', security: [], response: { 200: ScreenSnapshotSchema, ...errorResponses } } },
    async () => publicity.snapshot(),
  );

  app.get(
    '/api/public/bigscreen/stream',
    {
      schema: {
        tags,
        summary: 'Server-sent events: a `snapshot` event (the figures as JSON) at once and after every change',
        security: [],
        produces: ['text/event-stream', 'application/problem+json'],
        response: errorResponses,
      },
    },
    async (request, reply) => {
      if (!publicity.screen.hasRoom()) throw new DomainError('publicity.too_many_streams', 'rate_limited', 'This node serves as many big screens as it may.', undefined, { retryAfterSeconds: 5 });
      reply.hijack();
      await publicity.screen.add(reply.raw);
    },
  );

  app.get(
    '/api/public/bigscreen/feed.txt',
    {
      schema: {
        tags,
        summary: 'The big screen as short plain-text lines for LED controllers that poll (UTF-8, or GBK with charset=gbk)',
        security: [],
        querystring: FeedQuerySchema,
        produces: ['text/plain', 'application/problem+json'],
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const charset = request.query.charset ?? 'utf-8';
      return reply.type(`text/plain; charset=${charset === 'gbk' ? 'GBK' : 'utf-8'}`).send(feedBytes(await publicity.snapshot(), charset));
    },
  );
}
