// TypeBox schemas of the evaluation routes (request and response).
import { Type } from 'typebox';
import { PageQuery, Uuid } from '../../http/schemas.ts';
import { COMPLAINT_STATES, GRADES, RATING_CHANNELS, RATING_TAGS } from './kinds.ts';

const literals = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateString = Type.String({ format: 'date' });
const Text = (max: number) => Type.String({ maxLength: max, pattern: '^[^\\x00]*$' });
export const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
const CountyCode = Type.String({ pattern: '^\\d{6}$', description: 'A county (6-digit region code): its departments only' });

export const RatingBody = Type.Object(
  {
    level: Type.Integer({ minimum: 1, maximum: 5, description: '5 非常满意 … 1 非常不满意; 1–2 are bad ratings that are followed up' }),
    comment: Type.Optional(Text(500)),
    tags: Type.Optional(Type.Array(literals(RATING_TAGS), { maxItems: 8 })),
  },
  { additionalProperties: false },
);
export const CounterRatingBody = Type.Object({ caseId: Uuid, ...RatingBody.properties }, { additionalProperties: false });

export const RatingSchema = Type.Object({
  id: Uuid,
  caseId: Uuid,
  caseNo: Type.String(),
  applicantName: Type.String({ description: 'Masked (张*)' }),
  itemName: Type.String(),
  department: Type.Object({ id: Uuid, name: Type.String() }),
  regionCode: Type.String(),
  level: Type.Integer(),
  comment: Type.String(),
  tags: Type.Array(Type.String()),
  channel: literals(RATING_CHANNELS),
  ratedAt: Type.String({ format: 'date-time' }),
  followUp: Nullable(
    Type.Object({
      due: DateString,
      overdue: Type.Boolean({ description: 'Not followed up by the due day (derived), or followed up after it' }),
      doneAt: Nullable(Type.String({ format: 'date-time' })),
      contacted: Nullable(Type.Boolean()),
      result: Nullable(Type.String()),
      satisfied: Nullable(Type.Boolean()),
    }),
  ),
});

export const RatingQuery = Type.Object(
  {
    ...PageQuery,
    departmentId: Type.Optional(Uuid),
    level: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    bad: Type.Optional(Type.Boolean()),
    followUp: Type.Optional(literals(['pending', 'overdue', 'done'] as const)),
    month: Type.Optional(Month),
    caseNo: Type.Optional(Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9-]+$' })),
  },
  { additionalProperties: false },
);

export const FollowUpBody = Type.Object(
  { contacted: Type.Boolean({ description: 'Whether the applicant was reached' }), result: Text(1000), satisfied: Nullable(Type.Boolean({ description: 'Whether the applicant is satisfied now (null: not asked)' })) },
  { additionalProperties: false },
);

export const CitizenCaseSchema = Type.Object({
  caseId: Uuid,
  caseNo: Type.String(),
  itemName: Type.String(),
  departmentName: Type.String(),
  state: Type.String(),
  concludedOn: Nullable(DateString),
  ratable: Type.Boolean(),
  rating: Nullable(Type.Object({ level: Type.Integer(), comment: Type.String(), tags: Type.Array(Type.String()), ratedAt: Type.String({ format: 'date-time' }) })),
});

export const ComplaintBody = Type.Object(
  {
    departmentId: Uuid,
    caseId: Type.Optional(Nullable(Uuid)),
    subject: Text(100),
    body: Text(2000),
    complainantName: Type.Optional(Text(50)),
    complainantPhone: Type.Optional(Nullable(Type.String({ pattern: '^1[3-9]\\d{9}$' }))),
  },
  { additionalProperties: false },
);
export const CitizenComplaintBody = Type.Object(
  { departmentId: Uuid, caseId: Type.Optional(Nullable(Uuid)), subject: Text(100), body: Text(2000) },
  { additionalProperties: false },
);

export const ComplaintSchema = Type.Object({
  id: Uuid,
  department: Type.Object({ id: Uuid, name: Type.String() }),
  regionCode: Type.String(),
  caseId: Nullable(Uuid),
  caseNo: Nullable(Type.String()),
  complainantName: Type.String(),
  complainantPhone: Nullable(Type.String()),
  channel: literals(['portal', 'staff'] as const),
  subject: Type.String(),
  body: Type.String(),
  state: literals(COMPLAINT_STATES),
  filedAt: Type.String({ format: 'date-time' }),
  decideDue: DateString,
  overdue: Type.Boolean({ description: 'Still awaiting the decision after decideDue (derived)' }),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  decisionReason: Nullable(Type.String()),
  handledAt: Nullable(Type.String({ format: 'date-time' })),
  result: Nullable(Type.String()),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const ComplaintQuery = Type.Object(
  { ...PageQuery, state: Type.Optional(literals(COMPLAINT_STATES)), departmentId: Type.Optional(Uuid), overdue: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export const DecideBody = Type.Object({ accept: Type.Boolean(), reason: Type.Optional(Nullable(Text(1000))) }, { additionalProperties: false });
export const ResultBody = Type.Object({ result: Text(2000) }, { additionalProperties: false });

export const DepartmentOptions = Type.Object({ items: Type.Array(Type.Object({ id: Uuid, name: Type.String(), regionCode: Type.String() })) });

const Components = Type.Record(Type.String(), Type.Unknown(), { description: 'timeliness, overdue, irregularities, satisfaction, bonus and the counts behind them' });
export const ScoreSchema = Type.Object({
  departmentId: Uuid,
  departmentName: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  score: Type.Number(),
  grade: literals(GRADES),
  rank: Type.Integer(),
  components: Components,
  computedAt: Type.String({ format: 'date-time' }),
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
});
export const ScoresQuery = Type.Object({ month: Month, countyCode: Type.Optional(CountyCode) }, { additionalProperties: false });
export const ScoresSchema = Type.Object({ month: Month, items: Type.Array(ScoreSchema) });
export const MonthBody = Type.Object({ month: Month }, { additionalProperties: false });
export const MonthResult = Type.Object({ month: Month, departments: Type.Integer() });
export const TrendSchema = Type.Object({
  departmentId: Uuid,
  items: Type.Array(Type.Object({ month: Month, score: Type.Number(), grade: literals(GRADES), rank: Type.Integer(), components: Components, published: Type.Boolean() })),
});
export const MonthsSchema = Type.Object({ items: Type.Array(Type.Object({ month: Month, published: Type.Boolean(), departments: Type.Integer() })) });

export const PublicRankingQuery = Type.Object({ month: Type.Optional(Month), countyCode: Type.Optional(CountyCode) }, { additionalProperties: false });
export const PublicRankingSchema = Type.Object({
  month: Nullable(Month),
  items: Type.Array(Type.Object({ rank: Type.Integer(), departmentName: Type.String(), regionName: Type.String(), score: Type.Number(), grade: literals(GRADES) })),
});
