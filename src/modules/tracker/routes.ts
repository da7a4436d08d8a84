// HTTP routes of the tracker: the citizen's own record (under /api/citizen/), the auditor's lookup, covert marking.
import { Type } from 'typebox';
import { PageQuery, Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { AuditedDataUsePageSchema, CovertBody, DataUsePageSchema, GrantPageSchema, GrantSchema, IdNumberParam } from './schema.ts';
import type { TrackerService } from './service.ts';

const tags = ['tracker'];

export function trackerRoutes(app: App, tracker: TrackerService): void {
  app.get(
    '/api/citizen/data-uses',
    {
      schema: {
        tags,
        summary: '我的数据被谁用了: which department and system read your records, when, why, which items (newest first)',
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: DataUsePageSchema, ...errorResponses },
      },
    },
    async (request) => tracker.ownRecord(request.ctx, request.query),
  );

  app.get(
    '/api/tracker/persons/:idNumber/data-uses',
    {
      schema: {
        tags,
        summary: 'Any person’s data-use record in your jurisdiction, covert reads flagged (tracker.read); the lookup is logged',
        params: Type.Object({ idNumber: IdNumberParam }),
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: AuditedDataUsePageSchema, ...errorResponses },
      },
    },
    async (request) => tracker.lookup(request.ctx, request.params.idNumber, request.query),
  );

  app.get(
    '/api/tracker/grants',
    {
      schema: {
        tags,
        summary: 'Data grants whose provider is in your jurisdiction, with their covert marking (tracker.covert)',
        querystring: Type.Object(
          { covert: Type.Optional(Type.Boolean()), resourceCode: Type.Optional(Type.String({ minLength: 1, maxLength: 60, pattern: '^[^\\x00-\\x1f]*$' })), ...PageQuery },
          { additionalProperties: false },
        ),
        response: { 200: GrantPageSchema, ...errorResponses },
      },
    },
    async (request) => tracker.grants(request.ctx, request.query),
  );

  app.put(
    '/api/tracker/grants/:shareId/covert',
    {
      schema: {
        tags,
        summary: 'Mark a data grant covert (its reads hidden from citizens) or lift the marking, with a reason (audited)',
        params: Type.Object({ shareId: Uuid }),
        body: CovertBody,
        response: { 200: GrantSchema, ...errorResponses },
      },
    },
    async (request) => tracker.markCovert(request.ctx, request.params.shareId, request.body),
  );
}
