// HTTP routes of the OA module: thin handlers over OaService.
import { Type } from 'typebox';
import { CountedPage, Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { notFound } from '../../shared/errors.ts';
import * as s from './schema.ts';
import type { OaService } from './service.ts';

const IdParams = Type.Object({ id: Uuid });
const tags = ['oa'];

export function oaRoutes(app: App, oa: OaService): void {
  app.post(
    '/api/oa/documents',
    { schema: { tags, summary: 'Draft a document (oa.send) for the caller’s department', body: s.NewDocumentBody, response: { 201: s.DocumentSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await oa.create(request.ctx, request.body)),
  );

  app.patch(
    '/api/oa/documents/:id',
    { schema: { tags, summary: 'Change a draft (a sent document is immutable: 409)', params: IdParams, body: s.UpdateDocumentBody, response: { 200: s.DocumentSchema, ...errorResponses } } },
    async (request) => oa.update(request.ctx, request.params.id, request.body),
  );

  app.post(
    '/api/oa/documents/:id/send',
    { schema: { tags, summary: 'Send a draft: recipients are resolved into per-user receipts', params: IdParams, response: { 200: s.DocumentSchema, ...errorResponses } } },
    async (request) => oa.send(request.ctx, request.params.id),
  );

  app.post(
    '/api/oa/documents/:id/withdraw',
    { schema: { tags, summary: 'Withdraw a sent document before anyone signed for it', params: IdParams, response: { 200: s.DocumentSchema, ...errorResponses } } },
    async (request) => oa.withdraw(request.ctx, request.params.id),
  );

  app.post(
    '/api/oa/documents/:id/archive',
    { schema: { tags, summary: 'File a sent document (归档)', params: IdParams, response: { 200: s.DocumentSchema, ...errorResponses } } },
    async (request) => oa.archive(request.ctx, request.params.id),
  );

  app.post(
    '/api/oa/documents/:id/sign',
    { schema: { tags, summary: 'Sign for a document addressed to the caller (签收); idempotent', params: IdParams, response: { 200: s.SignResult, ...errorResponses } } },
    async (request) => oa.sign(request.ctx, request.params.id),
  );

  app.get(
    '/api/oa/documents/:id',
    { schema: { tags, summary: 'One document with its attachments; reading it marks the caller’s receipt read', params: IdParams, response: { 200: s.DocumentSchema, ...errorResponses } } },
    async (request) => {
      const view = await oa.get(request.ctx, request.params.id);
      if (!view) throw notFound('oa.not_found', 'No such document that you may see.', 'id');
      return view;
    },
  );

  app.get(
    '/api/oa/documents/:id/receipts',
    { schema: { tags, summary: 'Who has signed, per department with counts (the sending department, oa.archive)', params: IdParams, response: { 200: s.ReceiptTableSchema, ...errorResponses } } },
    async (request) => oa.receipts(request.ctx, request.params.id),
  );

  app.get(
    '/api/oa/documents/:id/receipts/users',
    { schema: { tags, summary: 'The recipients one by one, with read and signed times', params: IdParams, querystring: s.ReceiptUsersQuery, response: { 200: s.ReceiptUsersSchema, ...errorResponses } } },
    async (request) => oa.receiptUsers(request.ctx, request.params.id, request.query),
  );

  app.get(
    '/api/oa/received',
    { schema: { tags, summary: '收文: documents addressed to the caller, unsigned first', querystring: s.ReceivedQuery, response: { 200: CountedPage(s.ReceivedItemSchema), ...errorResponses } } },
    async (request) => oa.received(request.ctx, request.query),
  );

  app.get(
    '/api/oa/sent',
    { schema: { tags, summary: '发文: the caller’s department’s documents, drafts included', querystring: s.SentQuery, response: { 200: CountedPage(s.ListedDocumentSchema), ...errorResponses } } },
    async (request) => oa.sent(request.ctx, request.query),
  );

  app.get(
    '/api/oa/archive',
    { schema: { tags, summary: '归档: search sent documents the caller sent or received (all in scope with oa.archive)', querystring: s.ArchiveQuery, response: { 200: CountedPage(s.ListedDocumentSchema), ...errorResponses } } },
    async (request) => oa.archiveSearch(request.ctx, request.query),
  );

  app.get(
    '/api/oa/recipient-options',
    { schema: { tags, summary: 'Departments within the caller’s oa.send scope, for the recipient picker', response: { 200: s.RecipientOptionsSchema, ...errorResponses } } },
    async (request) => oa.recipientOptions(request.ctx),
  );
}
