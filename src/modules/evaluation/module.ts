// Manifest of evaluation (好差评, 投诉, 月度考评): ratings with the follow-up of bad ones, complaints, the monthly
// department score and its published ranking.
import { defineModule, serviceOf } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { ComplaintService } from './complaints.ts';
import { evaluationConfig } from './config.ts';
import { seedEvaluationDemo } from './demo.ts';
import * as scores from './migrations/20261128T0950_evaluation_scores.ts';
import * as ratings from './migrations/20261128T0951_evaluation_ratings_complaints.ts';
import * as referenceIndexes from './migrations/20261202T0316_evaluation_reference_indexes.ts';
import './permissions.ts';
import { evaluationRoutes } from './routes.ts';
import { EvaluationService } from './service.ts';
import './tables.ts';

export interface Evaluation {
  evaluation: EvaluationService;
  complaints: ComplaintService;
}

export const evaluationModule = defineModule({
  name: 'evaluation',
  permissions: [
    { name: 'evaluation.read', roles: ['supervisor', 'leader', 'auditor'], tenantRoles: ['department_admin'] },
    { name: 'evaluation.manage', roles: ['supervisor'], tenantRoles: ['department_admin'] },
    { name: 'evaluation.follow_up', roles: [], tenantRoles: ['department_admin', 'department_staff'] },
  ],
  migrations: { '20261128T0950_evaluation_scores': scores, '20261128T0951_evaluation_ratings_complaints': ratings, '20261202T0316_evaluation_reference_indexes': referenceIndexes },
  createService: ({ db, clock, services }): Evaluation => {
    const evaluation = new EvaluationService({
      db,
      clock,
      audit: serviceOf<AuditService>({ services }, 'audit'),
      calendar: serviceOf<CalendarService>({ services }, 'calendar'),
      ...evaluationConfig(),
    });
    return { evaluation, complaints: new ComplaintService(evaluation) };
  },
  routes: (app, services) => {
    const { evaluation, complaints } = services.evaluation as Evaluation;
    evaluationRoutes(app, evaluation, complaints);
  },
  // 02:30 on the 1st: the previous month is scored (a published month is left alone)
  schedules: ({ service }) => [{ name: 'evaluation.monthly_scores', cron: '30 2 1 * *', run: () => service.evaluation.computePreviousMonth() }],
  todo: ({ service }) => ({
    list: async (ctx, { limit }) => [...(await service.evaluation.todoList(ctx, limit)), ...(await service.complaints.todoList(ctx, limit))].slice(0, limit),
    count: async (ctx) => (await service.evaluation.todoCount(ctx)) + (await service.complaints.todoCount(ctx)),
  }),
  demo: async ({ service, db }, options) => seedEvaluationDemo(db, service, options),
});
