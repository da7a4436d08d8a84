// HTTP routes of grid work: thin handlers over GridworkService.
import { Type } from 'typebox';
import { CountedPage, Page, SearchTerm, Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import * as s from './schema.ts';
import type { GridworkService } from './service.ts';

const IdParams = Type.Object({ id: Uuid });
const tags = ['gridwork'];

export function gridworkRoutes(app: App, gridwork: GridworkService): void {
  app.get(
    '/api/gridwork/area',
    { schema: { tags, summary: '我的网格: the grids assigned to me (else my whole community) with counts (gridwork.work, or gridwork.read over the jurisdiction)', response: { 200: s.AreaSchema, ...errorResponses } } },
    async (request) => gridwork.myArea(request.ctx),
  );
  app.get(
    '/api/gridwork/area/residents',
    { schema: { tags, summary: 'Residents of my area by name (ID number and phone masked)', querystring: s.ResidentQuery, response: { 200: CountedPage(s.ResidentSchema), ...errorResponses } } },
    async (request) => gridwork.residents(request.ctx, request.query),
  );
  app.get(
    '/api/gridwork/area/buildings',
    { schema: { tags, summary: 'Buildings of my area', querystring: s.PageOnlyQuery, response: { 200: Page(s.BuildingSchema), ...errorResponses } } },
    async (request) => gridwork.buildings(request.ctx, request.query),
  );
  app.get(
    '/api/gridwork/area/households',
    { schema: { tags, summary: 'Households of my area', querystring: s.PageOnlyQuery, response: { 200: Page(s.HouseholdSchema), ...errorResponses } } },
    async (request) => gridwork.households(request.ctx, request.query),
  );
  app.get(
    '/api/gridwork/visits/due',
    {
      schema: {
        tags,
        summary: '重点人群 due for a visit in my area: never visited first, then the longest overdue',
        querystring: s.PageOnlyQuery,
        response: { 200: CountedPage(s.DueSchema), ...errorResponses },
      },
    },
    async (request) => gridwork.dueVisits(request.ctx, request.query),
  );
  app.get(
    '/api/gridwork/visits',
    { schema: { tags, summary: 'Visits in my area, newest first', querystring: s.VisitListQuery, response: { 200: Page(s.VisitSchema), ...errorResponses } } },
    async (request) => gridwork.visits(request.ctx, request.query),
  );
  app.post(
    '/api/gridwork/visits',
    {
      schema: {
        tags,
        summary: 'Record a visit (走访) to a resident of my area (gridwork.work); the same clientKey answers the same visit (200)',
        body: s.NewVisitBody,
        response: { 200: s.VisitSchema, 201: s.VisitSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { visit, created } = await gridwork.recordVisit(request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(visit);
    },
  );
  app.get(
    '/api/gridwork/incidents',
    {
      schema: {
        tags,
        summary: 'Incidents: all I may see, mine (reported by me), dispatch (my street’s to dispatch), handle (my department’s, soonest deadline first)',
        querystring: s.IncidentListQuery,
        response: { 200: Page(s.IncidentSchema), ...errorResponses },
      },
    },
    async (request) => gridwork.incidents(request.ctx, request.query),
  );
  app.post(
    '/api/gridwork/incidents',
    {
      schema: {
        tags,
        summary: 'Report an incident (事件上报) in my community (gridwork.work); the same clientKey answers the same incident (200)',
        body: s.NewIncidentBody,
        response: { 200: s.IncidentSchema, 201: s.IncidentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { incident, created } = await gridwork.report(request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(incident);
    },
  );
  app.get(
    '/api/gridwork/incidents/:id',
    { schema: { tags, summary: 'One incident with its history', params: IdParams, response: { 200: s.IncidentDetailSchema, ...errorResponses } } },
    async (request) => gridwork.incident(request.ctx, request.params.id),
  );
  app.get(
    '/api/gridwork/incidents/:id/departments',
    {
      schema: {
        tags,
        summary: 'Departments the incident’s street may dispatch it to (gridwork.dispatch over the street)',
        params: IdParams,
        querystring: Type.Object({ q: Type.Optional(SearchTerm) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(s.DepartmentOption) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await gridwork.dispatchDepartments(request.ctx, request.params.id, request.query.q) }),
  );
  app.post(
    '/api/gridwork/incidents/:id/dispatch',
    {
      schema: {
        tags,
        summary: 'Accept and dispatch to a responsible department with a working-day deadline (gridwork.dispatch over the street)',
        params: IdParams,
        body: s.DispatchBody,
        response: { 200: s.IncidentDetailSchema, ...errorResponses },
      },
    },
    async (request) => gridwork.transition(request.ctx, request.params.id, 'dispatch', request.body),
  );
  app.post(
    '/api/gridwork/incidents/:id/conclude',
    { schema: { tags, summary: '办结: conclude with the outcome (gridwork.handle, the responsible department)', params: IdParams, body: s.NoteBody, response: { 200: s.IncidentDetailSchema, ...errorResponses } } },
    async (request) => gridwork.transition(request.ctx, request.params.id, 'conclude', request.body),
  );
  app.post(
    '/api/gridwork/incidents/:id/return',
    { schema: { tags, summary: '退回: return to the reporter with a reason (gridwork.handle)', params: IdParams, body: s.NoteBody, response: { 200: s.IncidentDetailSchema, ...errorResponses } } },
    async (request) => gridwork.transition(request.ctx, request.params.id, 'return', request.body),
  );
  app.post(
    '/api/gridwork/incidents/:id/resubmit',
    { schema: { tags, summary: 'Resubmit a returned incident, optionally amended (the reporter)', params: IdParams, body: s.ResubmitBody, response: { 200: s.IncidentDetailSchema, ...errorResponses } } },
    async (request) => gridwork.transition(request.ctx, request.params.id, 'resubmit', request.body),
  );
}
