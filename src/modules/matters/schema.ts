// TypeBox schemas of the matters routes: a body per kind (common fields + the kind's `data`), responses, queries.
import { Type, type Static, type TSchema } from 'typebox';
import { PageQuery, SearchTerm, Uuid } from '../../http/schemas.ts';
import { MATTER_KINDS, MATTER_STATES, PARTY_KINDS, TRADING_METHODS, VILLAGE_FREQUENCIES, type MatterKind, type MatterState } from './kinds.ts';

const Enum = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const DateOnly = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$', format: 'date' });
const OptionalDate = Type.Optional(Nullable(DateOnly));
const Yuan = Type.Number({ minimum: 0, maximum: 100_000_000_000, multipleOf: 0.01 });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\x00-\\x1f]*\\S[^\\x00-\\x1f]*$' });

export const MatterKindSchema = Enum(MATTER_KINDS, 'penalty 行政处罚 · enforcement 执法案件 · trading 公共资源交易 · village 阳光村务 · project 重点项目');
export const MatterStateSchema = Enum(MATTER_STATES, 'open 在办 · closed 办结 · cancelled 撤销');

export const PenaltyData = Type.Object(
  {
    partyKind: Enum(PARTY_KINDS, 'organization 企业/单位 (named in the disclosure) · person 自然人 (masked)'),
    partyName: Text(100),
    partyIdNumber: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{15,18}$', description: '统一社会信用代码 or 身份证号: never disclosed' })),
    articleCode: Type.String({ minLength: 1, maxLength: 32, description: 'The cited article (GET /api/matters/articles)' }),
    amountYuan: Yuan,
    filedOn: DateOnly,
    hearingNotifiedOn: OptionalDate,
    decidedOn: OptionalDate,
    facts: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const EnforcementData = Type.Object(
  { cause: Text(200), filedOn: DateOnly, investigatedOn: OptionalDate, decidedOn: OptionalDate, closedOn: OptionalDate },
  { additionalProperties: false },
);

export const TradingData = Type.Object(
  {
    method: Enum(TRADING_METHODS, 'open_tender 公开招标 · invited_tender 邀请招标 · negotiation 竞争性谈判 · auction 拍卖挂牌'),
    budgetYuan: Type.Optional(Nullable(Yuan)),
    noticeOn: DateOnly,
    bidOpenOn: OptionalDate,
    awardPublishedOn: OptionalDate,
    publicityEndOn: OptionalDate,
    winner: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  },
  { additionalProperties: false },
);

export const VillageData = Type.Object(
  {
    frequency: Enum(VILLAGE_FREQUENCIES, 'monthly 按月公开 · quarterly 按季公开'),
    dueDay: Type.Integer({ minimum: 1, maximum: 28, description: 'Day of the following period by which a period is published' }),
    since: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'The first month the schedule covers (YYYY-MM)' }),
  },
  { additionalProperties: false },
);

export const Milestone = Type.Object(
  { seq: Type.Integer({ minimum: 1, maximum: 99 }), name: Text(100), plannedOn: DateOnly, completedOn: OptionalDate },
  { additionalProperties: false },
);

export const ProjectData = Type.Object(
  {
    investmentYuan: Type.Optional(Nullable(Yuan)),
    owner: Type.Optional(Nullable(Type.String({ maxLength: 100, description: '项目业主单位' }))),
    startOn: DateOnly,
    milestones: Type.Array(Milestone, { maxItems: 99 }),
  },
  { additionalProperties: false },
);

export const KIND_DATA = { penalty: PenaltyData, enforcement: EnforcementData, trading: TradingData, village: VillageData, project: ProjectData } as const satisfies Record<MatterKind, TSchema>;
export type KindData = { [K in MatterKind]: Static<(typeof KIND_DATA)[K]> };

const Common = {
  title: Text(200),
  refNo: Type.String({ minLength: 1, maxLength: 60, pattern: '^[^\\x00-\\x1f]+$', description: '文号/项目编号, unique per department and kind' }),
  departmentId: Type.Optional(Uuid),
  regionCode: Type.Optional(Type.String({ pattern: '^\\d{4,12}$', description: 'Default: the department’s region; a village schedule names its village (level 4)' })),
  state: Type.Optional(MatterStateSchema),
};

export const createBody = <K extends MatterKind>(kind: K) => Type.Object({ ...Common, data: KIND_DATA[kind] }, { additionalProperties: false });
export const updateBody = <K extends MatterKind>(kind: K) =>
  Type.Object({ ...Common, departmentId: Type.Optional(Type.Never()), version: Type.Integer({ minimum: 1, description: 'The version read; a stale one is 409' }), data: KIND_DATA[kind] }, { additionalProperties: false });
interface CommonBody {
  title: string;
  refNo: string;
  departmentId?: string;
  regionCode?: string;
  state?: MatterState;
}
export type MatterBody<K extends MatterKind> = CommonBody & { data: KindData[K] };
export type MatterUpdateBody<K extends MatterKind> = Omit<CommonBody, 'departmentId'> & { version: number; data: KindData[K] };

export const PublicationBody = Type.Object(
  {
    period: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2]|Q[1-4])$', description: 'YYYY-MM (monthly) or YYYY-Qn (quarterly)' }),
    publishedOn: DateOnly,
    summary: Text(2000),
    incomeYuan: Type.Optional(Nullable(Yuan)),
    expenseYuan: Type.Optional(Nullable(Yuan)),
  },
  { additionalProperties: false },
);
export type PublicationInput = Static<typeof PublicationBody>;

const WarningCounts = Type.Object({ yellow: Type.Integer(), red: Type.Integer(), irregular: Type.Integer() });

export const MatterSummary = Type.Object({
  id: Type.String(),
  kind: MatterKindSchema,
  title: Type.String(),
  refNo: Type.String(),
  state: MatterStateSchema,
  departmentId: Type.String(),
  departmentName: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  startedOn: Type.String(),
  version: Type.Integer(),
  data: Type.Record(Type.String(), Type.Unknown()),
  openWarnings: WarningCounts,
  /** What the caller may do with this row (the server's policy, not re-derived by the console). */
  abilities: Type.Object({ edit: Type.Boolean() }),
  updatedAt: Type.String(),
});
export type MatterSummaryDto = Static<typeof MatterSummary>;

export const WarningSchema = Type.Object({
  id: Type.String(),
  subjectKind: Type.String(),
  subjectId: Type.String(),
  rule: Type.String(),
  ruleName: Type.String(),
  level: Type.String(),
  state: Type.String(),
  firedOn: Type.String(),
  summary: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
export type WarningDto = Static<typeof WarningSchema>;

export const PublicationSchema = Type.Object({
  id: Type.String(),
  period: Type.String(),
  publishedOn: Type.String(),
  summary: Type.String(),
  incomeYuan: Nullable(Type.Number()),
  expenseYuan: Nullable(Type.Number()),
});

export const MatterDetail = Type.Object({ ...MatterSummary.properties, warnings: Type.Array(WarningSchema), publications: Type.Array(PublicationSchema) });
export type MatterDetailDto = Static<typeof MatterDetail>;

export const MatterPage = Type.Object({ items: Type.Array(MatterSummary), nextCursor: Nullable(Type.String()) });

export const ListQuery = Type.Object(
  {
    kind: Type.Optional(MatterKindSchema),
    state: Type.Optional(MatterStateSchema),
    q: Type.Optional(SearchTerm),
    regionCode: Type.Optional(Type.String({ pattern: '^\\d{4,12}$' })),
    warned: Type.Optional(Type.Boolean({ description: 'Only matters with an open warning' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type ListQueryInput = Static<typeof ListQuery>;

export const WarningQuery = Type.Object(
  { kind: Type.Optional(MatterKindSchema), level: Type.Optional(Enum(['yellow', 'red', 'irregular'] as const)), ...PageQuery },
  { additionalProperties: false },
);
export const WarningPage = Type.Object({ items: Type.Array(WarningSchema), nextCursor: Nullable(Type.String()) });

export const ArticleSchema = Type.Object({ code: Type.String(), law: Type.String(), article: Type.String(), summary: Type.String(), minYuan: Type.Number(), maxYuan: Type.Number() });
export const ArticleList = Type.Object({ items: Type.Array(ArticleSchema) });

export const PublicPenalty = Type.Object({
  id: Type.String(),
  refNo: Type.String(),
  title: Type.String(),
  partyKind: Enum(PARTY_KINDS),
  /** An organisation's name in full; a person's masked (张*). */
  partyName: Type.String(),
  law: Type.String(),
  article: Type.String(),
  amountYuan: Type.Number(),
  decidedOn: Type.String(),
  departmentName: Type.String(),
  regionName: Type.String(),
});
export const PublicPenaltyPage = Type.Object({ items: Type.Array(PublicPenalty), nextCursor: Nullable(Type.String()) });
export const PublicPenaltyQuery = Type.Object({ q: Type.Optional(SearchTerm), ...PageQuery }, { additionalProperties: false });
