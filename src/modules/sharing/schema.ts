// TypeBox schemas of the sharing routes (requests, data grants, client applications).
import { Type } from 'typebox';
import { PageQuery, Uuid } from '../../http/schemas.ts';

/** How an item leaves through a grant: 身份证号 6+4, mobile 3+4, name 张*, everything, or unmasked. */
export const MaskKind = Type.Union([Type.Literal('id_number'), Type.Literal('phone'), Type.Literal('name'), Type.Literal('all'), Type.Literal('none')]);
const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const ItemCode = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_]+$' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]*$' });

export const REQUEST_STATUSES = ['granted', 'pending', 'escalated', 'approved', 'partially_approved', 'refused', 'withdrawn'] as const;
export const RequestStatus = Type.Union([
  Type.Literal('granted'),
  Type.Literal('pending'),
  Type.Literal('escalated'),
  Type.Literal('approved'),
  Type.Literal('partially_approved'),
  Type.Literal('refused'),
  Type.Literal('withdrawn'),
]);

export const NewRequestBody = Type.Object(
  {
    resource: Type.String({ minLength: 1, maxLength: 64, description: 'The resource code (or id)' }),
    items: Type.Array(ItemCode, { minItems: 1, maxItems: 200 }),
    purpose: Text(500),
    legalBasis: Text(500),
    consumerDepartmentId: Type.Optional(Uuid),
    clientAppId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    periodFrom: DateOnly,
    periodTo: DateOnly,
    regionPrefix: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]{2,12}$' }), Type.Null()])),
    clientToken: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7e]+$', description: 'Idempotency token (or the Idempotency-Key header)' })),
  },
  { additionalProperties: false },
);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7e]+$' })),
});

export const RequestSchema = Type.Object({
  id: Type.String(),
  number: Type.String(),
  resource: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
  provider: Ref,
  consumer: Ref,
  clientApp: Type.Union([Ref, Type.Null()]),
  purpose: Type.String(),
  legalBasis: Type.String(),
  items: Type.Array(Type.String()),
  approvedItems: Type.Array(Type.String()),
  regionPrefix: Type.Union([Type.String(), Type.Null()]),
  periodFrom: Type.String(),
  periodTo: Type.String(),
  status: RequestStatus,
  submittedAt: Type.String(),
  deadline: Type.Union([Type.String(), Type.Null()]),
  deadlineProvisional: Type.Boolean(),
  workingDaysLeft: Type.Union([Type.Integer(), Type.Null()]),
  remindedAt: Type.Union([Type.String(), Type.Null()]),
  escalatedAt: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  decisionReason: Type.Union([Type.String(), Type.Null()]),
  unconditionalShareId: Type.Union([Type.String(), Type.Null()]),
  conditionalShareId: Type.Union([Type.String(), Type.Null()]),
  abilities: Type.Array(Type.Union([Type.Literal('approve'), Type.Literal('refuse'), Type.Literal('withdraw')])),
});

export const RequestListQuery = Type.Object(
  {
    role: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('to_me'), Type.Literal('escalated')])),
    status: Type.Optional(Type.Array(RequestStatus, { maxItems: 7 })),
    resourceId: Type.Optional(Uuid),
    number: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const DecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('refuse')]),
    items: Type.Optional(Type.Array(ItemCode, { minItems: 1, maxItems: 200 })),
    reason: Type.Optional(Type.String({ maxLength: 1000, pattern: '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]*$' })),
  },
  { additionalProperties: false },
);

export const GrantSchema = Type.Object({
  shareId: Type.String(),
  resource: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
  requestId: Type.Union([Type.String(), Type.Null()]),
  requestNumber: Type.Union([Type.String(), Type.Null()]),
  provider: Ref,
  consumer: Ref,
  clientApp: Type.Union([Ref, Type.Null()]),
  items: Type.Array(Type.String()),
  purpose: Type.String(),
  regionPrefix: Type.Union([Type.String(), Type.Null()]),
  masks: Type.Record(Type.String(), MaskKind),
  expiresAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
  abilities: Type.Array(Type.Union([Type.Literal('revoke'), Type.Literal('masks')])),
});

export const GrantListQuery = Type.Object(
  { role: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('to_me')])), active: Type.Optional(Type.Boolean()), ...PageQuery },
  { additionalProperties: false },
);

export const RevokeBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500, pattern: '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]*$' })) }, { additionalProperties: false });

export const ClientSchema = Type.Object({
  id: Type.String(),
  clientId: Type.String(),
  name: Type.String(),
  description: Type.String(),
  department: Ref,
  ratePerMinute: Type.Integer(),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  secretExpiresAt: Type.String(),
  previousSecretValidUntil: Type.Union([Type.String(), Type.Null()]),
  rotatedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  abilities: Type.Array(Type.Union([Type.Literal('rotate'), Type.Literal('disable'), Type.Literal('enable'), Type.Literal('edit')])),
});

export const ClientWithSecret = Type.Object({
  client: ClientSchema,
  clientSecret: Type.String({ description: 'Shown once: store it in the consuming system now; it cannot be read again' }),
});

export const NewClientBody = Type.Object(
  {
    name: Text(100),
    description: Type.Optional(Type.String({ maxLength: 500, pattern: '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]*$' })),
    departmentId: Type.Optional(Uuid),
    ratePerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    secretExpiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const ClientPatchBody = Type.Object(
  {
    name: Type.Optional(Text(100)),
    description: Type.Optional(Type.String({ maxLength: 500, pattern: '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]*$' })),
    ratePerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    secretExpiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const ClientListQuery = Type.Object(
  { departmentId: Type.Optional(Uuid), status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])), ...PageQuery },
  { additionalProperties: false },
);

export const RequestOptionsSchema = Type.Object({
  resource: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), provider: Ref, regionItem: Type.Union([Type.String(), Type.Null()]) }),
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      type: Type.String(),
      shareType: Type.Union([Type.Literal('unconditional'), Type.Literal('conditional'), Type.Literal('none')]),
      legalBasis: Type.Union([Type.String(), Type.Null()]),
      sensitivity: Type.Integer(),
    }),
  ),
  clientApps: Type.Array(Ref),
  consumer: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), regionCode: Type.String() }), Type.Null()]),
  today: Type.String(),
});

export const MasksBody = Type.Object(
  { masks: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_]{1,64}$' }), MaskKind, { maxProperties: 200 }) },
  { additionalProperties: false },
);
