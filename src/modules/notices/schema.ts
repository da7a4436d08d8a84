// Request and response schemas of the notices routes; the console imports their types (type-only), so only typebox here.
import { Type, type Static } from 'typebox';

const Code = Type.String({ pattern: '^[0-9]{2,12}$' });
// the community registry's enumerations (community/kinds.ts), restated as schema literals
const RESIDENCE_STATUS = Type.Union([Type.Literal('registered'), Type.Literal('resident'), Type.Literal('floating')]);

export const FilterSchema = Type.Object(
  {
    regionCode: Type.Optional(Type.String({ ...Code, description: 'A region at any level; none means the whole prefecture' })),
    gridId: Type.Optional(Type.String({ format: 'uuid' })),
    sex: Type.Optional(Type.Union([Type.Literal('M'), Type.Literal('F')])),
    ageMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 150, description: 'Age in whole years on the day, inclusive' })),
    ageMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
    ethnicity: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{2}$' }), { maxItems: 60, uniqueItems: true, description: 'GB/T 3304 codes' })),
    residenceStatus: Type.Optional(Type.Array(RESIDENCE_STATUS, { maxItems: 3, uniqueItems: true })),
    labels: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20, uniqueItems: true, description: 'Residents with any of these labels' })),
    facts: Type.Optional(
      Type.Object(
        {
          social_security: Type.Optional(Type.Boolean()),
          medical_insurance: Type.Optional(Type.Boolean()),
          family_planning: Type.Optional(Type.Boolean()),
          party_member: Type.Optional(Type.Boolean()),
          disability: Type.Optional(Type.Boolean()),
          low_income: Type.Optional(Type.Boolean()),
          elderly_alone: Type.Optional(Type.Boolean()),
          veteran: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false, description: 'true: the fact holds; false: it does not or is unknown' },
      ),
    ),
  },
  { additionalProperties: false },
);

const Fields = Type.Record(Type.String({ maxLength: 20 }), Type.String({ maxLength: 100 }), { description: 'Sender fields: {时间}, {地点}, {事项}, {联系人}, {联系电话} (or their English names)' });
const Channels = Type.Array(Type.Union([Type.Literal('sms'), Type.Literal('inapp')]), { minItems: 1, maxItems: 2, uniqueItems: true });

const compose = {
  filter: FilterSchema,
  templateId: Type.Optional(Type.String({ format: 'uuid' })),
  text: Type.Optional(Type.String({ maxLength: 1000, description: 'Ad-hoc text with variables (instead of templateId)' })),
  fields: Type.Optional(Fields),
};

export const PreviewBody = Type.Object({ ...compose, sample: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })) }, { additionalProperties: false });

export const CreateBody = Type.Object(
  {
    ...compose,
    title: Type.String({ minLength: 1, maxLength: 100 }),
    channels: Channels,
    requestKey: Type.Optional(Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'The composer’s key: a repeated create returns the first notice' })),
  },
  { additionalProperties: false },
);

export const TemplateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    body: Type.String({ minLength: 1, maxLength: 1000 }),
    regionCode: Type.Optional(Type.String({ ...Code, description: 'The region it belongs to (default: your jurisdiction’s first)' })),
  },
  { additionalProperties: false },
);
export const TemplateUpdateBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), body: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });

const Measure = {
  chars: Type.Integer({ description: 'UTF-16 characters' }),
  segments: Type.Integer({ description: 'SMS segments (70 characters in one, 67 per part beyond)' }),
};

export const VariableSchema = Type.Object({
  name: Type.String(),
  zh: Type.String(),
  kind: Type.Union([Type.Literal('resident'), Type.Literal('sender')]),
  description: Type.String(),
});

export const TemplateSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  body: Type.String(),
  regionCode: Type.String(),
  variables: Type.Array(Type.String(), { description: 'Canonical names of the variables it uses' }),
  senderFields: Type.Array(Type.String(), { description: 'Those the sender fills in' }),
  ...Measure,
  editable: Type.Boolean({ description: 'The caller may change or delete it' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export const TemplateListSchema = Type.Object({ items: Type.Array(TemplateSchema), variables: Type.Array(VariableSchema) });

export const PreviewSchema = Type.Object({
  regionCode: Type.String(),
  recipients: Type.Integer(),
  withoutPhone: Type.Integer({ description: 'No mobile number on record' }),
  optedOut: Type.Integer({ description: 'Their number unsubscribed (退订): no SMS' }),
  smsRecipients: Type.Integer({ description: 'Who would get an SMS' }),
  withAccount: Type.Integer({ description: 'With a citizen account (站内信)' }),
  text: Type.String({ description: 'The text with the sender’s fields filled in' }),
  maxChars: Type.Integer({ description: 'The longest rendered text' }),
  maxSegments: Type.Integer(),
  tooLong: Type.Boolean({ description: 'A rendered text exceeds the 670 characters an SMS may have' }),
  sample: Type.Array(
    Type.Object({
      name: Type.String({ description: 'Masked' }),
      idNumber: Type.String({ description: 'Masked' }),
      phone: Type.Union([Type.String(), Type.Null()], { description: 'Masked' }),
      communityCode: Type.String(),
      text: Type.String({ description: 'Rendered for this resident (the name masked)' }),
      ...Measure,
    }),
  ),
});

export const CountsSchema = Type.Object({
  recipients: Type.Integer(),
  pending: Type.Integer({ description: 'Not yet handed to the SMS service' }),
  noPhone: Type.Integer(),
  inApp: Type.Integer({ description: '站内信 delivered to citizen accounts' }),
  queued: Type.Integer(),
  sent: Type.Integer(),
  delivered: Type.Integer(),
  failed: Type.Integer(),
  optedOut: Type.Integer(),
});

const summary = {
  id: Type.String(),
  title: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('sending'), Type.Literal('sent')]),
  regionCode: Type.String(),
  channels: Type.Array(Type.Union([Type.Literal('sms'), Type.Literal('inapp')])),
  recipientCount: Type.Integer(),
  counts: CountsSchema,
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  dispatchedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
};
export const NoticeSummarySchema = Type.Object(summary);
export const NoticePageSchema = Type.Object({ items: Type.Array(NoticeSummarySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const NoticeDetailSchema = Type.Object({
  ...summary,
  text: Type.String(),
  fields: Type.Record(Type.String(), Type.String()),
  filter: FilterSchema,
  templateId: Type.Union([Type.String(), Type.Null()]),
  failures: Type.Array(
    Type.Object({
      name: Type.String({ description: 'Masked' }),
      phone: Type.Union([Type.String(), Type.Null()], { description: 'Masked' }),
      reason: Type.Union([Type.Literal('failed'), Type.Literal('opted_out'), Type.Literal('no_phone')]),
      error: Type.Union([Type.String(), Type.Null()], { description: 'The SMS centre’s error, when it failed' }),
      at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
    { description: 'The first 200 recipients not reached by SMS' },
  ),
});

export type NoticeTemplate = Static<typeof TemplateSchema>;
export type Preview = Static<typeof PreviewSchema>;
export type NoticeSummary = Static<typeof NoticeSummarySchema>;
export type NoticeDetail = Static<typeof NoticeDetailSchema>;
