// TypeBox schemas of the public channels' routes (request and response) and the types read off them.
import { Type, type Static } from 'typebox';
import { CASE_STATES, DECISIONS, STEPS } from '../approval/index.ts';
import { SearchTerm } from '../../http/schemas.ts';

const DateString = Type.String({ format: 'date' });
const NullableDate = Type.Union([DateString, Type.Null()]);
/** A string schema of one of the values (an enum in OpenAPI), typed as their union. */
const Literals = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

export const ProgressQuerySchema = Type.Object(
  {
    caseNo: Type.String({ minLength: 4, maxLength: 40, pattern: '^[A-Za-z0-9-]+$', description: '办件编号' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 50, pattern: '^[^\\x00-\\x1f<>]+$', description: 'The applicant’s name (个人姓名或企业名称)' })),
    idNumber: Type.Optional(Type.String({ minLength: 15, maxLength: 18, pattern: '^[0-9A-Za-z]+$', description: '身份证号 or 统一社会信用代码' })),
    captchaId: Type.Optional(Type.String({ format: 'uuid' })),
    captchaAnswer: Type.Optional(Type.String({ minLength: 1, maxLength: 10 })),
  },
  { additionalProperties: false },
);

const Clock = Type.Union([
  Type.Object({
    due: DateString,
    remainingWorkingDays: Type.Integer({ description: 'Working days left (negative: past the limit); while paused, as at the pause' }),
    overdue: Type.Boolean(),
  }),
  Type.Null(),
]);

export const ProgressSchema = Type.Object({
  caseNo: Type.String(),
  item: Type.String(),
  department: Type.String(),
  state: Literals(CASE_STATES),
  decision: Type.Union([Literals(DECISIONS), Type.Null()]),
  appliedOn: DateString,
  acceptedOn: NullableDate,
  concludedOn: NullableDate,
  deliveredOn: NullableDate,
  paused: Type.Boolean(),
  pausedSince: NullableDate,
  dueProvisional: Type.Boolean(),
  statutory: Clock,
  promised: Clock,
  correction: Type.Union([Type.Object({ asks: Type.String({ description: 'What 补正 asks the applicant to supply' }), since: DateString }), Type.Null()]),
  steps: Type.Array(Type.Object({ step: Literals(STEPS), name: Type.String(), startedOn: NullableDate, dueOn: NullableDate, completedOn: NullableDate })),
  timeline: Type.Array(Type.Object({ action: Type.String(), state: Literals(CASE_STATES), on: DateString })),
});
export type Progress = Static<typeof ProgressSchema>;

export const DisclosureQuerySchema = Type.Object(
  {
    q: Type.Optional(SearchTerm),
    cursor: Type.Optional(Type.String({ maxLength: 400, pattern: '^[A-Za-z0-9_-]+$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
  },
  { additionalProperties: false },
);

export const DisclosureSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  item: Type.String(),
  department: Type.String(),
  region: Type.String(),
  applicantKind: Type.Union([Type.Literal('citizen'), Type.Literal('enterprise')]),
  applicant: Type.String({ description: 'An enterprise’s name in full; a natural person’s surname only (张*)' }),
  decision: Type.Union([Literals(DECISIONS), Type.Null()]),
  concludedOn: DateString,
});
export type Disclosure = Static<typeof DisclosureSchema>;
export const DisclosurePageSchema = Type.Object({ items: Type.Array(DisclosureSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export type DisclosurePage = Static<typeof DisclosurePageSchema>;

export const ScreenSnapshotSchema = Type.Object({
  today: DateString,
  accepted: Type.Integer(),
  concluded: Type.Integer(),
  counties: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), accepted: Type.Integer(), concluded: Type.Integer() })),
  warnings: Type.Array(
    Type.Object({ level: Literals(['prompt', 'yellow', 'red', 'irregular'] as const), summary: Type.String(), department: Type.String(), firedAt: Type.String({ format: 'date-time' }) }),
  ),
  rankingMonth: Type.Union([Type.String({ pattern: '^\\d{4}-\\d{2}$' }), Type.Null()]),
  ranking: Type.Array(Type.Object({ rank: Type.Integer(), department: Type.String(), score: Type.Number(), grade: Literals(['excellent', 'good', 'pass', 'fail'] as const) })),
});
export type ScreenSnapshot = Static<typeof ScreenSnapshotSchema>;

export const FeedQuerySchema = Type.Object(
  { charset: Type.Optional(Type.Union([Type.Literal('utf-8'), Type.Literal('gbk')], { default: 'utf-8', description: 'gbk: GB2312/GBK bytes for LED controllers' })) },
  { additionalProperties: false },
);
