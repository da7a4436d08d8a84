// HTTP routes of electronic supervision: thin handlers over SupervisionService, with the response mapping.
import { Type } from 'typebox';
import { CountedPage, Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import * as s from './schema.ts';
import type { SupervisionService } from './service.ts';

const IdParams = Type.Object({ id: Uuid });
const tags = ['supervision'];

interface OrderRow {
  id: string;
  order_no: string;
  warning_id: string | null;
  case_id: string | null;
  department_id: string;
  department_name?: string;
  content: string;
  issued_on: string;
  respond_by: string;
  state: s.OrderView['state'];
  response: string | null;
  decision_note: string | null;
  version: number;
  summary?: string | null;
  overdue: boolean;
  abilities: s.OrderView['abilities'];
}

function orderView(r: OrderRow): s.OrderView {
  return {
    id: r.id,
    orderNo: r.order_no,
    warningId: r.warning_id,
    caseId: r.case_id,
    departmentId: r.department_id,
    ...(r.department_name ? { departmentName: r.department_name } : {}),
    content: r.content,
    issuedOn: r.issued_on,
    respondBy: r.respond_by,
    state: r.state,
    response: r.response,
    decisionNote: r.decision_note,
    version: r.version,
    summary: r.summary ?? null,
    overdue: r.overdue,
    abilities: r.abilities,
  };
}

interface ExplanationRow {
  id: string;
  warning_id: string;
  summary?: string;
  level?: string;
  text: string;
  state: s.ExplanationView['state'];
  filed_at: Date;
  decision_reason: string | null;
  department_name?: string;
  abilities: s.ExplanationView['abilities'];
}

function explanationView(r: ExplanationRow): s.ExplanationView {
  return {
    id: r.id,
    warningId: r.warning_id,
    ...(r.summary ? { summary: r.summary, level: r.level } : {}),
    text: r.text,
    state: r.state,
    filedAt: r.filed_at.toISOString(),
    decisionReason: r.decision_reason,
    ...(r.department_name ? { departmentName: r.department_name } : {}),
    abilities: r.abilities,
  };
}

export function supervisionRoutes(app: App, supervision: SupervisionService): void {
  const reads = supervision.reads;
  app.get(
    '/api/supervision/warnings',
    { schema: { tags, summary: 'Warnings and cards in the caller’s jurisdiction (supervision.read), newest first', querystring: s.WarningQuery, response: { 200: Type.Array(s.WarningSchema), ...errorResponses } } },
    async (request) => reads.listWarnings(request.ctx, request.query),
  );
  app.get(
    '/api/supervision/overview',
    { schema: { tags, summary: 'Cockpit: warning counts by department and county, overdue rate per county', querystring: s.WarningQuery, response: { 200: s.OverviewSchema, ...errorResponses } } },
    async (request) => reads.overview(request.ctx, request.query),
  );
  app.get(
    '/api/supervision/cases/:id',
    { schema: { tags, summary: 'Drill-down: one case’s ledger and its warnings', params: IdParams, response: { 200: s.LedgerSchema, ...errorResponses } } },
    async (request) => {
      const l = await reads.caseLedger(request.ctx, request.params.id);
      return {
        case: { id: l.case.id, caseNo: l.case.case_no, itemName: l.case.item_name, departmentName: l.case.department_name, state: l.case.state, appliedOn: l.case.applied_on, acceptedOn: l.case.accepted_on, concludedOn: l.case.concluded_on, statutoryDue: l.case.statutory_due, promisedDue: l.case.promised_due, pausedSince: l.case.paused_since },
        events: l.events.map((e) => ({ seq: e.seq, action: e.action, fromState: e.from_state, toState: e.to_state, onDate: e.on_date, at: e.at, note: e.note })),
        warnings: l.warnings.map((w) => ({ id: w.id, rule: w.rule, level: w.level, firedOn: w.fired_on, summary: w.summary, state: w.state })),
      };
    },
  );
  app.get(
    '/api/supervision/orders',
    { schema: { tags, summary: '督办 orders in the caller’s jurisdiction', querystring: s.OrderQuery, response: { 200: Type.Array(s.OrderSchema), ...errorResponses } } },
    async (request) => (await reads.listOrders(request.ctx, request.query)).map(orderView),
  );
  app.get(
    '/api/supervision/orders/:id',
    { schema: { tags, summary: 'One 督办 order with what you may do on it; 404 outside your jurisdiction', params: IdParams, response: { 200: s.OrderSchema, ...errorResponses } } },
    async (request) => orderView(await reads.order(request.ctx, request.params.id)),
  );
  app.post(
    '/api/supervision/orders',
    { schema: { tags, summary: 'Issue a 督办 order on a warning or a case (supervision.order)', body: s.OrderBody, response: { 201: s.OrderSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(orderView(await reads.order(request.ctx, (await supervision.issueOrder(request.ctx, request.body)).id))),
  );
  app.post(
    '/api/supervision/orders/:id/respond',
    { schema: { tags, summary: 'The department answers an issued or reopened order (supervision.respond); 409 otherwise', params: IdParams, body: s.RespondBody, response: { 200: s.OrderSchema, ...errorResponses } } },
    async (request) => orderView(await reads.order(request.ctx, (await supervision.respondOrder(request.ctx, request.params.id, request.body.response)).id)),
  );
  app.post(
    '/api/supervision/orders/:id/decide',
    { schema: { tags, summary: 'The supervisor marks an answered order rectified or reopens it, or closes a rectified one', params: IdParams, body: s.DecideOrderBody, response: { 200: s.OrderSchema, ...errorResponses } } },
    async (request) => orderView(await reads.order(request.ctx, (await supervision.decideOrder(request.ctx, request.params.id, request.body.decision, request.body.note)).id)),
  );
  app.get(
    '/api/supervision/explanations',
    { schema: { tags, summary: '说明理由 filed on cards in the caller’s jurisdiction, newest first, a page with the total', querystring: s.ExplanationQuery, response: { 200: CountedPage(s.ExplanationSchema), ...errorResponses } } },
    async (request) => {
      const page = await reads.listExplanations(request.ctx, request.query);
      return { ...page, items: page.items.map(explanationView) };
    },
  );
  app.post(
    '/api/supervision/warnings/:id/explanation',
    { schema: { tags, summary: 'File an explanation on an open yellow or red card of one’s own department; 409 otherwise', params: IdParams, body: s.ExplainBody, response: { 201: s.ExplanationSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(explanationView(await reads.explanation(request.ctx, (await supervision.explain(request.ctx, request.params.id, request.body.text)).id))),
  );
  app.post(
    '/api/supervision/explanations/:id/decide',
    { schema: { tags, summary: 'Accept (the card closes) or reject (reason required) a pending explanation', params: IdParams, body: s.DecideExplanationBody, response: { 200: s.ExplanationSchema, ...errorResponses } } },
    async (request) => explanationView(await reads.explanation(request.ctx, (await supervision.decideExplanation(request.ctx, request.params.id, request.body.accept, request.body.reason)).id)),
  );
}
