// HTTP routes of evaluation: staff (/api/evaluation/…), the citizen portal (/api/citizen/…) and the public ranking.
import { Type } from 'typebox';
import { CountedPage, Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { ComplaintService } from './complaints.ts';
import * as s from './schema.ts';
import type { EvaluationService } from './service.ts';

const IdParams = Type.Object({ id: Uuid });
const CaseParams = Type.Object({ caseId: Uuid });
const tags = ['evaluation'];

export function evaluationRoutes(app: App, evaluation: EvaluationService, complaints: ComplaintService): void {
  // ---- ratings
  app.get(
    '/api/evaluation/ratings',
    { schema: { tags, summary: '好差评 in your jurisdiction (evaluation.read) or of your department (evaluation.follow_up), newest first', querystring: s.RatingQuery, response: { 200: CountedPage(s.RatingSchema), ...errorResponses } } },
    async (request) => evaluation.listRatings(request.ctx, request.query),
  );
  app.get(
    '/api/evaluation/ratings/:id',
    { schema: { tags, summary: 'One rating with its follow-up', params: IdParams, response: { 200: s.RatingSchema, ...errorResponses } } },
    async (request) => evaluation.getRating(request.ctx, request.params.id),
  );
  app.post(
    '/api/evaluation/ratings',
    { schema: { tags, summary: 'Record a rating given on the counter’s device for a concluded case of your department (once per case)', body: s.CounterRatingBody, response: { 201: s.RatingSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await evaluation.rateAtCounter(request.ctx, request.body)),
  );
  app.post(
    '/api/evaluation/ratings/:id/follow-up',
    { schema: { tags, summary: '差评整改回访: record the follow-up of a bad rating (once)', params: IdParams, body: s.FollowUpBody, response: { 200: s.RatingSchema, ...errorResponses } } },
    async (request) => evaluation.followUp(request.ctx, request.params.id, request.body),
  );

  // ---- complaints
  app.get(
    '/api/evaluation/complaints',
    { schema: { tags, summary: '投诉 in your jurisdiction, newest first; overdue = awaiting the decision past its day', querystring: s.ComplaintQuery, response: { 200: CountedPage(s.ComplaintSchema), ...errorResponses } } },
    async (request) => complaints.list(request.ctx, request.query),
  );
  app.get(
    '/api/evaluation/complaints/:id',
    { schema: { tags, summary: 'One complaint', params: IdParams, response: { 200: s.ComplaintSchema, ...errorResponses } } },
    async (request) => complaints.get(request.ctx, request.params.id),
  );
  app.post(
    '/api/evaluation/complaints',
    { schema: { tags, summary: 'File a complaint on an applicant’s behalf', body: s.ComplaintBody, response: { 201: s.ComplaintSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await complaints.file(request.ctx, request.body)),
  );
  app.post(
    '/api/evaluation/complaints/:id/decide',
    { schema: { tags, summary: '受理 or 不予受理 (with a reason) within 5 working days (evaluation.manage)', params: IdParams, body: s.DecideBody, response: { 200: s.ComplaintSchema, ...errorResponses } } },
    async (request) => complaints.decide(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/evaluation/complaints/:id/result',
    { schema: { tags, summary: 'Record the handling result of an accepted complaint', params: IdParams, body: s.ResultBody, response: { 200: s.ComplaintSchema, ...errorResponses } } },
    async (request) => complaints.recordResult(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/evaluation/complaints/:id/close',
    { schema: { tags, summary: 'Close a handled complaint', params: IdParams, response: { 200: s.ComplaintSchema, ...errorResponses } } },
    async (request) => complaints.close(request.ctx, request.params.id),
  );
  app.get(
    '/api/evaluation/complaint-departments',
    { schema: { tags, summary: 'Departments a complaint may name (those offering service items)', response: { 200: s.DepartmentOptions, ...errorResponses } } },
    async (request) => complaints.departments(request.ctx),
  );

  // ---- scores
  app.get(
    '/api/evaluation/scores',
    { schema: { tags, summary: 'The month’s department scores in your jurisdiction, with their parts, best first', querystring: s.ScoresQuery, response: { 200: s.ScoresSchema, ...errorResponses } } },
    async (request) => evaluation.scores(request.ctx, request.query),
  );
  app.get(
    '/api/evaluation/scores/trend/:id',
    { schema: { tags, summary: 'A department’s scores over the last 12 scored months', params: IdParams, response: { 200: s.TrendSchema, ...errorResponses } } },
    async (request) => evaluation.trend(request.ctx, request.params.id),
  );
  app.get(
    '/api/evaluation/months',
    { schema: { tags, summary: 'Months that have scores, newest first', response: { 200: s.MonthsSchema, ...errorResponses } } },
    async (request) => evaluation.months(request.ctx),
  );
  app.post(
    '/api/evaluation/scores/compute',
    { schema: { tags, summary: 'Compute (or recompute) a month’s scores for every department (evaluation.manage over a region)', body: s.MonthBody, response: { 200: s.MonthResult, ...errorResponses } } },
    async (request) => evaluation.compute(request.ctx, request.body.month),
  );
  app.post(
    '/api/evaluation/scores/publish',
    { schema: { tags, summary: 'Publish a month’s ranking (then public; no recompute after)', body: s.MonthBody, response: { 200: s.MonthResult, ...errorResponses } } },
    async (request) => evaluation.publish(request.ctx, request.body.month),
  );

  // ---- citizen portal
  app.get(
    '/api/citizen/cases/:caseId/rating',
    { schema: { tags, summary: 'One of your cases and its rating, if any (for the rating page)', params: CaseParams, response: { 200: s.CitizenCaseSchema, ...errorResponses } } },
    async (request) => (await evaluation.citizenCase(request.ctx, request.params.caseId)).view,
  );
  app.post(
    '/api/citizen/cases/:caseId/rating',
    { schema: { tags, summary: 'Rate your concluded case (once)', params: CaseParams, body: s.RatingBody, response: { 201: s.RatingSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await evaluation.rateAsCitizen(request.ctx, request.params.caseId, request.body)),
  );
  app.get(
    '/api/citizen/complaints',
    { schema: { tags, summary: 'Your complaints, newest first', querystring: Type.Object({ cursor: s.ComplaintQuery.properties.cursor, limit: s.ComplaintQuery.properties.limit }, { additionalProperties: false }), response: { 200: CountedPage(s.ComplaintSchema), ...errorResponses } } },
    async (request) => complaints.own(request.ctx, request.query),
  );
  app.post(
    '/api/citizen/complaints',
    { schema: { tags, summary: 'File a complaint about a department (and optionally one of your cases)', body: s.CitizenComplaintBody, response: { 201: s.ComplaintSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await complaints.file(request.ctx, request.body)),
  );
  app.get(
    '/api/citizen/complaint-departments',
    { schema: { tags, summary: 'Departments a complaint may name', response: { 200: s.DepartmentOptions, ...errorResponses } } },
    async (request) => complaints.departments(request.ctx),
  );

  // ---- public
  app.get(
    '/api/public/ranking',
    { schema: { tags, summary: '公开排名: a published month’s department ranking (the newest when no month is given); no sign-in', security: [], querystring: s.PublicRankingQuery, response: { 200: s.PublicRankingSchema, ...errorResponses } } },
    async (request) => evaluation.publicRanking(request.query),
  );
}
