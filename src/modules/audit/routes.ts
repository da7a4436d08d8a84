// HTTP routes for browsing and verifying the audit trail.
import { Type } from 'typebox';
import { Page, PageQuery, SearchTerm, Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { EXPORT_ROW_CAP } from './export.ts';

const Outcome = Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Label = Type.Object({ zh: Type.String(), en: Type.String() });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

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
  actionLabel: Label,
  actorDisplayName: Nullable(Type.String()),
  departmentName: Nullable(Type.String()),
  regionName: Nullable(Type.String()),
  objectName: Nullable(Type.String({ description: "A user's display name and user name, or a department's, region's or token's name" })),
  detailFields: Type.Array(
    Type.Object({
      key: Type.String(),
      label: Label,
      value: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
    }),
    { description: 'The detail as a readable field list' },
  ),
});

/** Filters shared by the list, the alerts and the export. */
const AuditFilters = {
  action: Type.Optional(Type.String({ maxLength: 100, pattern: '^[^\\x00-\\x1f]*$', description: 'Action code or prefix (user.), or words of its label in Chinese or English (登录, sign-in)' })),
  actorId: Type.Optional(Uuid),
  outcome: Type.Optional(Outcome),
  regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{2,12}$' })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  person: Type.Optional(Type.String({ ...SearchTerm, description: "Actor's name or user name (part of it)" })),
  department: Type.Optional(Type.String({ ...SearchTerm, description: "Actor's department: name, short name or code (part of it)" })),
  object: Type.Optional(Type.String({ ...SearchTerm, description: 'Object id, or part of the name of the user, department or region acted on' })),
};

const CheckpointSchema = Type.Object({
  seq: Type.String(),
  hash: Type.String(),
  at: Type.String(),
  keyId: Type.String({ description: 'First 16 hex digits of the SHA-256 of the public key (DER)' }),
  signature: Type.String({ description: 'Ed25519 signature (base64) over "govcloud-audit-checkpoint-v1\\n<seq>\\n<hash>\\n<at>\\n"' }),
});

const VerifySchema = Type.Object({
  ok: Type.Boolean(),
  records: Type.Integer(),
  headSeq: Type.String(),
  brokenAt: Type.Optional(Type.Object({ seq: Type.String(), reason: Type.String() })),
  accessLog: Type.Optional(Type.Object({ batches: Type.Integer(), rows: Type.Integer() }, { description: 'Access-log batches anchored in the chain, and their rows' })),
  checkpoint: Type.Optional(Type.Union([CheckpointSchema, Type.Null()], { description: 'The newest signed checkpoint the head was compared with; null when none was written yet' })),
});

const AccessItemSchema = Type.Object({
  at: Type.String(),
  batchId: Type.String(),
  ord: Type.Integer(),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  role: Nullable(Type.String()),
  permission: Type.String({ description: 'The permission the read was authorised by' }),
  scope: Type.Unknown({ description: 'The scope that permission gave (region subtrees …)' }),
  resource: Type.String(),
  subjectIds: Type.Array(Type.String(), { description: 'Whose personal data was read' }),
  fields: Type.Array(Type.String()),
  regionCode: Nullable(Type.String()),
  clientAddr: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});

export function auditRoutes(app: App, services: Services): void {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit records in your jurisdiction, newest first',
        querystring: Type.Object({ ...AuditFilters, ...PageQuery }, { additionalProperties: false }),
        response: { 200: Page(AuditRecordSchema), ...errorResponses },
      },
    },
    async (request) => services.audit.list(request.ctx, request.query),
  );

  app.get(
    '/api/audit/alerts',
    {
      schema: {
        tags: ['audit'],
        summary: 'Reads of personal data outside working hours (08:00–20:00 Asia/Shanghai on working days: weekends, holidays and 调休 make-up days as the calendar has them) in your jurisdiction',
        querystring: Type.Object({ ...AuditFilters, ...PageQuery }, { additionalProperties: false }),
        response: { 200: Type.Object({ ...Page(AuditRecordSchema).properties, total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => services.audit.alerts(request.ctx, request.query),
  );

  app.get(
    '/api/audit/export.xlsx',
    {
      schema: {
        tags: ['audit'],
        summary: `The records matching the filter as an XLSX workbook (Chinese headers, newest first, at most ${EXPORT_ROW_CAP} rows); the export is audited`,
        description: `Streamed. Headers: X-Export-Total (records matching), X-Export-Rows (records in the workbook), X-Export-Truncated (true when more than ${EXPORT_ROW_CAP} matched; the sheet then ends with a note row saying so).`,
        querystring: Type.Object(AuditFilters, { additionalProperties: false }),
        produces: [XLSX, 'application/problem+json'],
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const { filename, stream, total, rows, truncated } = await services.audit.exportXlsx(request.ctx, request.query);
      return reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('x-export-total', String(total))
        .header('x-export-rows', String(rows))
        .header('x-export-truncated', String(truncated))
        .send(stream);
    },
  );

  app.get(
    '/api/audit/access',
    {
      schema: {
        tags: ['audit'],
        summary: 'Reads of personal data (the access log) in your jurisdiction, newest first',
        querystring: Type.Object(
          {
            actorId: Type.Optional(Uuid),
            resource: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9_.]+$' })),
            subject: Type.Optional(Type.String({ ...SearchTerm, description: "A subject's id: who read this person's data" })),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            afterHours: Type.Optional(Type.Boolean({ description: 'Only reads outside 08:00–20:00 Asia/Shanghai or on rest days of the working calendar (holidays; 调休 Saturdays count as working days)' })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(AccessItemSchema), ...errorResponses },
      },
    },
    async (request) => services.audit.listAccess(request.ctx, request.query),
  );

  app.post(
    '/api/audit/checkpoints',
    {
      schema: {
        tags: ['audit'],
        summary: 'Sign the current chain head into the checkpoint file outside the database (also done periodically)',
        response: { 201: CheckpointSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await services.audit.checkpointAs(request.ctx)),
  );

  app.get(
    '/api/audit/checkpoints/public-key',
    {
      schema: {
        tags: ['audit'],
        summary: 'The Ed25519 public key checkpoints are verified with (PEM, SPKI)',
        response: { 200: Type.Object({ pem: Type.String(), keyId: Type.String() }), ...errorResponses },
      },
    },
    async (request) => services.audit.checkpointKey(request.ctx),
  );

  app.post(
    '/api/audit/verify',
    { schema: { tags: ['audit'], summary: 'Walk the hash chain and the access log, compare the head with the newest signed checkpoint, and report the first broken link', response: { 200: VerifySchema, ...errorResponses } } },
    async (request) => services.audit.verifyAs(request.ctx),
  );
}
