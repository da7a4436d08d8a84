// Response schemas of the quality routes; the console imports their types (type-only), so only typebox here.
import { Type, type Static } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const FreshnessSchema = Type.Object({
  lastLoadAt: Nullable(Type.String({ format: 'date-time' })),
  cycleDays: Type.Integer({ description: 'Days the update cycle allows between loads' }),
  ageDays: Nullable(Type.Number()),
  dueAt: Nullable(Type.String({ format: 'date-time' })),
  overdue: Type.Boolean({ description: 'Past due, or never loaded' }),
  live: Type.Boolean({ description: 'Served by an upstream system: always current' }),
});

export const ResourceQualitySchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  status: Type.String(),
  providerDepartmentId: Type.String(),
  providerDepartmentName: Type.String(),
  updateCycle: Type.String(),
  rows: Type.Integer({ description: 'Current rows' }),
  completeness: Type.Object({
    overall: Nullable(Type.Number({ description: 'Mean of the items’ ratios (0–1); null without rows' })),
    items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), ratio: Nullable(Type.Number()) })),
    source: Type.Union([Type.Literal('load_stats'), Type.Literal('rows')], { description: 'From the newest load’s statistics, or counted over the rows' }),
  }),
  rejection: Type.Object({
    loads: Type.Integer({ description: 'Recent loads counted (the newest 10)' }),
    totalRows: Type.Integer(),
    rejectedRows: Type.Integer(),
    rate: Nullable(Type.Number()),
  }),
  freshness: FreshnessSchema,
  score: Type.Number({ description: '0–100: 50% completeness, 25% accepted rows, 25% loaded on time' }),
});

export const ResourceQualityListSchema = Type.Object({ items: Type.Array(ResourceQualitySchema), total: Type.Integer() });

export const DepartmentRankSchema = Type.Object({
  rank: Type.Integer(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  published: Type.Integer({ description: 'Resources published' }),
  resources: Type.Integer({ description: 'Resources catalogued (published or draft)' }),
  onTime: Type.Integer({ description: 'Requests answered by the deadline' }),
  late: Type.Integer({ description: 'Requests answered after the deadline' }),
  overdue: Type.Integer({ description: 'Requests past the deadline without an answer' }),
  pending: Type.Integer({ description: 'Requests awaiting an answer within the deadline' }),
  averageAnswerDays: Nullable(Type.Number({ description: 'Mean answer time in working days' })),
  onTimeRate: Type.Number(),
  quality: Nullable(Type.Number({ description: 'Mean quality score of its resources' })),
  freshRate: Nullable(Type.Number({ description: 'Share of its resources loaded on time' })),
  score: Type.Number(),
});

export const RankingSchema = Type.Object({
  generatedAt: Type.String({ format: 'date-time' }),
  weights: Type.Object({ published: Type.Number(), onTime: Type.Number(), quality: Type.Number(), freshness: Type.Number() }),
  items: Type.Array(DepartmentRankSchema),
  overdueResources: Type.Array(
    Type.Object({ code: Type.String(), name: Type.String(), providerDepartmentName: Type.String(), updateCycle: Type.String(), freshness: FreshnessSchema }),
  ),
});

export type ResourceQuality = Static<typeof ResourceQualitySchema>;
export type DepartmentRank = Static<typeof DepartmentRankSchema>;
export type Ranking = Static<typeof RankingSchema>;
