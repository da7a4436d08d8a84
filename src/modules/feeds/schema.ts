// Request and response schemas of the feeds routes.
import { Type, type Static } from 'typebox';
import { PageQuery } from '../../http/schemas.ts';
import { SUBSCRIPTION_STATUSES, WEBHOOK_ALGORITHMS } from './tables.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const Uuid = Type.String({ format: 'uuid' });
export const StatusSchema = Type.Unsafe<(typeof SUBSCRIPTION_STATUSES)[number]>({ type: 'string', enum: [...SUBSCRIPTION_STATUSES] });
export const AlgorithmSchema = Type.Unsafe<(typeof WEBHOOK_ALGORITHMS)[number]>({ type: 'string', enum: [...WEBHOOK_ALGORITHMS], description: 'HMAC-SHA256 or HMAC-SM3' });

/** What the caller may do with a subscription (the consumer side manages; the provider side only sees). */
export type SubscriptionAbility = 'pause' | 'resume' | 'test' | 'delete';

export const SubscriptionSchema = Type.Object({
  id: Uuid,
  clientAppId: Uuid,
  clientId: Type.String(),
  clientName: Type.String(),
  shareId: Uuid,
  resourceId: Uuid,
  resourceCode: Type.String(),
  resourceName: Type.String(),
  consumerDepartmentId: Uuid,
  consumerDepartmentName: Type.String(),
  providerDepartmentId: Uuid,
  providerDepartmentName: Type.String(),
  mode: Type.Unsafe<'pull' | 'webhook'>({ type: 'string', enum: ['pull', 'webhook'] }),
  webhookUrl: Nullable(Type.String()),
  algorithm: Type.Union([AlgorithmSchema, Type.Null()]),
  cursor: Type.Integer({ minimum: 0, description: 'The last seq delivered (webhook) or acknowledged by a pull' }),
  status: StatusSchema,
  failureCount: Type.Integer({ minimum: 0 }),
  lastError: Nullable(Type.String()),
  lastErrorAt: Nullable(Instant),
  lastDeliveredAt: Nullable(Instant),
  lastPulledAt: Nullable(Instant),
  createdAt: Instant,
  lag: Type.Object({
    behind: Type.Integer({ minimum: 0, description: 'Changes after the cursor' }),
    oldestAgeSeconds: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'Age of the oldest undelivered change' }),
    latestSeq: Type.Integer({ minimum: 0 }),
  }),
  abilities: Type.Array(Type.Unsafe<SubscriptionAbility>({ type: 'string', enum: ['pause', 'resume', 'test', 'delete'] }), { description: 'What the caller may do with it' }),
});

export const SubscriptionPage = Type.Object({
  items: Type.Array(SubscriptionSchema),
  total: Type.Integer({ minimum: 0 }),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const ListQuery = Type.Object(
  {
    side: Type.Optional(Type.Unsafe<'consumer' | 'provider'>({ type: 'string', enum: ['consumer', 'provider'], description: 'Only as subscriber, or only on own resources' })),
    status: Type.Optional(StatusSchema),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const WebhookUrl = Type.String({ minLength: 8, maxLength: 2000, description: 'http(s) URL the changes are POSTed to; no credentials in it' });

export const CreateBody = Type.Object(
  {
    clientAppId: Uuid,
    shareId: Uuid,
    webhookUrl: Type.Optional(Type.Union([WebhookUrl, Type.Null()])),
    algorithm: Type.Optional(Type.Union([AlgorithmSchema, Type.Null()])),
  },
  { additionalProperties: false },
);
export const ClientCreateBody = Type.Object(
  { shareId: Uuid, webhookUrl: Type.Optional(Type.Union([WebhookUrl, Type.Null()])), algorithm: Type.Optional(Type.Union([AlgorithmSchema, Type.Null()])) },
  { additionalProperties: false },
);

export const CreatedSchema = Type.Object({
  subscription: SubscriptionSchema,
  signingSecret: Type.Union([Type.String(), Type.Null()], { description: 'The webhook signing secret, shown this once' }),
});

export const TestResultSchema = Type.Object({ ok: Type.Boolean(), status: Type.Union([Type.Integer(), Type.Null()]), error: Nullable(Type.String()), ms: Type.Integer() });

export const IdParams = Type.Object({ id: Uuid });

export const ChangesQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'Changes after this seq; default: the subscription’s stored cursor' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const ChangeSchema = Type.Object({
  seq: Type.Integer(),
  op: Type.Unsafe<'upsert' | 'delete'>({ type: 'string', enum: ['upsert', 'delete'] }),
  data: Type.Record(Type.String(), Type.Unknown(), { description: 'Granted items, masked; only key items for a delete' }),
  updatedAt: Instant,
});

export const ChangesSchema = Type.Object({
  subscriptionId: Uuid,
  resource: Type.String(),
  changes: Type.Array(ChangeSchema),
  nextCursor: Type.Integer({ description: 'Pass as cursor next time' }),
  hasMore: Type.Boolean(),
});

export const GrantOptionSchema = Type.Object({
  shareId: Uuid,
  resourceCode: Type.String(),
  resourceName: Type.String(),
  consumerDepartmentName: Type.String(),
  items: Type.Array(Type.String()),
  expiresAt: Instant,
  clientApps: Type.Array(Type.Object({ id: Uuid, name: Type.String(), clientId: Type.String() })),
});

export type Subscription = Static<typeof SubscriptionSchema>;
export type GrantOption = Static<typeof GrantOptionSchema>;
export type TestResult = Static<typeof TestResultSchema>;
