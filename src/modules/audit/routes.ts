// HTTP routes for browsing and verifying the audit trail.
import { Type } from 'typebox';
import { Page, PageQuery, Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';

const Outcome = Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const AuditRecordSchema = Type.Object({
  seq: Type.String(),
  at: Type.String(),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  role: Nullable(Type.String()),
  departmentId: Nullable(Type.String()),
  action: Type.String(),
  objectType: Nullable(Type.String()),
  objectId: Nullable(Type.String()),
  regionCode: Nullable(Type.String()),
  outcome: Type.String(),
  clientAddr: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  hash: Type.String(),
});

const VerifySchema = Type.Object({
  ok: Type.Boolean(),
  records: Type.Integer(),
  headSeq: Type.String(),
  brokenAt: Type.Optional(Type.Object({ seq: Type.String(), reason: Type.String() })),
});

export function auditRoutes(app: App, services: Services): void {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit records in your jurisdiction, newest first',
        querystring: Type.Object(
          {
            action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._ /:-]+$', description: 'Action prefix, e.g. user.' })),
            actorId: Type.Optional(Uuid),
            outcome: Type.Optional(Outcome),
            regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{2,12}$' })),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(AuditRecordSchema), ...errorResponses },
      },
    },
    async (request) => services.audit.list(request.ctx, request.query),
  );

  app.post(
    '/api/audit/verify',
    { schema: { tags: ['audit'], summary: 'Walk the hash chain and report the first broken link', response: { 200: VerifySchema, ...errorResponses } } },
    async (request) => services.audit.verifyAs(request.ctx),
  );
}
