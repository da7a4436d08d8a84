// HTTP routes of the working-day calendar.
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { CalendarService } from './service.ts';
import { CalendarStatusSchema, CalendarYearSchema, ComputeQuery, ComputeResult, ScheduleBody, ScheduleTextBody, YearDaysSchema } from './schema.ts';

export function calendarRoutes(app: App, calendar: CalendarService): void {
  app.get(
    '/api/calendar',
    { schema: { tags: ['calendar'], summary: 'Loaded years, where coverage ends, and coverage alerts (for those who may load a year)', response: { 200: CalendarStatusSchema, ...errorResponses } } },
    async (request) => calendar.status(request.ctx),
  );

  app.get(
    '/api/calendar/years/:year',
    { schema: { tags: ['calendar'], summary: 'A loaded year’s holidays and make-up workdays', params: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2099 }) }), response: { 200: YearDaysSchema, ...errorResponses } } },
    async (request) => calendar.year(request.ctx, request.params.year),
  );

  app.get(
    '/api/calendar/add',
    { schema: { tags: ['calendar'], summary: 'The date n working days after date (n < 0: before); provisional past the loaded years', querystring: ComputeQuery, response: { 200: ComputeResult, ...errorResponses } } },
    async (request) => calendar.compute(request.ctx, request.query.date, request.query.n),
  );

  app.post(
    '/api/calendar/years',
    { schema: { tags: ['calendar'], summary: 'Load a year’s schedule (calendar.manage; audited)', body: ScheduleBody, response: { 201: CalendarYearSchema, ...errorResponses } } },
    async (request, reply) => {
      const { replace, ...input } = request.body;
      return reply.code(201).send(await calendar.load(request.ctx, input, { replace }));
    },
  );

  app.post(
    '/api/calendar/years/import',
    { schema: { tags: ['calendar'], summary: 'Load a year’s schedule from a file’s text, JSON or CSV (calendar.manage; audited)', body: ScheduleTextBody, response: { 201: CalendarYearSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await calendar.loadText(request.ctx, request.body.text, { replace: request.body.replace })),
  );
}
