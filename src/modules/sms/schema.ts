// Request and response schemas of the SMS routes.
import { Type } from 'typebox';
import { VARIABLE_NAME_PATTERN } from './templates.ts';
import { MOBILE_PATTERN, PURPOSE_PATTERN } from './numbers.ts';
import { MAX_TEXT_CHARS } from './service.ts';
import { MESSAGE_STATUSES } from './tables.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
export const Mobile = Type.String({ pattern: MOBILE_PATTERN, maxLength: 14, description: 'Mainland mobile number, 11 digits, optionally +86' });
export const TemplateCode = Type.String({ pattern: '^[a-z][a-z0-9_.]{0,63}$', description: 'Template code, e.g. approval.done' });
export const StatusSchema = Type.Unsafe<(typeof MESSAGE_STATUSES)[number]>({ type: 'string', enum: [...MESSAGE_STATUSES] });
const Text = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$', description });

export const SmsMessageSchema = Type.Object({
  id: Type.String(),
  to: Type.String(),
  body: Type.String(),
  template: Nullable(Type.String()),
  purpose: Type.String(),
  urgent: Type.Boolean(),
  status: StatusSchema,
  segments: Type.Integer(),
  holdUntil: Nullable(Instant),
  error: Nullable(Type.String()),
  createdAt: Instant,
  sentAt: Nullable(Instant),
  doneAt: Nullable(Instant),
});

export const SmsMessageDetailSchema = Type.Intersect([
  SmsMessageSchema,
  Type.Object({
    parts: Type.Array(
      Type.Object({ seq: Type.Integer(), smscId: Nullable(Type.String()), status: Type.String(), error: Nullable(Type.String()), sentAt: Instant, doneAt: Nullable(Instant) }),
    ),
  }),
]);

export const HistorySchema = Type.Object({
  items: Type.Array(SmsMessageSchema),
  total: Type.Integer({ minimum: 0 }),
  counts: Type.Object(Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, Type.Integer({ minimum: 0 })])) as Record<(typeof MESSAGE_STATUSES)[number], ReturnType<typeof Type.Integer>>, {
    description: 'Messages per status under the same number and purpose filter',
  }),
  nextCursor: Nullable(Type.String()),
});

export const HistoryQuery = Type.Object(
  {
    status: Type.Optional(StatusSchema),
    number: Type.Optional(Mobile),
    purpose: Type.Optional(Type.String({ pattern: PURPOSE_PATTERN })),
    cursor: Type.Optional(Type.String({ maxLength: 400, pattern: '^[A-Za-z0-9_-]+$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);

export const SendBody = Type.Object(
  {
    to: Mobile,
    template: Type.Optional(TemplateCode),
    text: Type.Optional(Text(MAX_TEXT_CHARS, 'The text, when no template is named')),
    vars: Type.Optional(Type.Record(Type.String({ pattern: VARIABLE_NAME_PATTERN }), Type.String({ maxLength: 200 }))),
    purpose: Type.String({ pattern: PURPOSE_PATTERN, description: 'Why it is sent, e.g. ops.test' }),
  },
  { additionalProperties: false },
);

export const QueuedSchema = Type.Object({ id: Type.String(), status: StatusSchema, segments: Type.Integer(), holdUntil: Nullable(Instant) });

export const TemplateSchema = Type.Object({ code: Type.String(), name: Type.String(), body: Type.String(), variables: Type.Array(Type.String()), updatedAt: Instant });

export const TemplateBody = Type.Object(
  {
    name: Text(100, 'Name shown in the console'),
    body: Text(600, 'Text with {variable} placeholders, e.g. 【政务云】{name}，您的{item}已办结。'),
    variables: Type.Array(Type.String({ maxLength: 32 }), { maxItems: 20, description: 'Every placeholder the body uses, each once' }),
  },
  { additionalProperties: false },
);

export const OptOutSchema = Type.Object({ number: Type.String(), source: Type.String(), note: Nullable(Type.String()), createdAt: Instant });
export const OptOutBody = Type.Object({ number: Mobile, note: Type.Optional(Nullable(Text(200, 'Why'))) }, { additionalProperties: false });

export const InboxSchema = Type.Array(
  Type.Object({
    number: Type.String(),
    messages: Type.Array(Type.Object({ messageId: Type.String(), from: Type.String(), to: Type.String(), text: Type.String(), at: Instant, segments: Type.Integer() })),
  }),
);
