// TypeBox schemas of the approval routes (request and response); the views' TypeScript types come from them.
import { Type, type Static } from 'typebox';
import { SearchTerm, Uuid } from '../../http/schemas.ts';
import { APPLICANT_KINDS, CASE_STATES, CHANNELS, DECISIONS, ITEM_KINDS, PAUSE_KINDS, SPECIAL_KINDS, STEPS } from './kinds.ts';
import { ACTIONS } from './machine.ts';

const Enum = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Days = Type.Integer({ minimum: 1, maximum: 365 });
const Reason = Type.String({ minLength: 1, maxLength: 1000 });

// ---- items

const MaterialBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    required: Type.Optional(Type.Boolean()),
    mimeTypes: Type.Optional(Type.Array(Enum(['application/pdf', 'image/jpeg', 'image/png', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']), { minItems: 1, maxItems: 5 })),
    maxBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 20 * 1024 * 1024 })),
  },
  { additionalProperties: false },
);
const StepBody = Type.Object({ step: Enum(STEPS), name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), limitDays: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 365 }))) }, { additionalProperties: false });

const ItemFields = {
  code: Type.String({ minLength: 2, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$', description: '事项编码' }),
  name: Type.String({ minLength: 2, maxLength: 200 }),
  departmentId: Uuid,
  kind: Enum(ITEM_KINDS),
  legalBasis: Type.String({ minLength: 2, maxLength: 4000, description: '设定依据' }),
  statutoryDays: Days,
  promisedDays: Days,
  feeLawful: Type.Optional(Type.Boolean()),
  feeYuan: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  feeBasis: Type.Optional(Type.String({ maxLength: 2000 })),
  online: Type.Optional(Type.Boolean()),
  materials: Type.Array(MaterialBody, { maxItems: 99 }),
  steps: Type.Array(StepBody, { minItems: 1, maxItems: 5 }),
};
export const NewItemBody = Type.Object(ItemFields, { additionalProperties: false });
export type NewItem = Static<typeof NewItemBody>;
export const UpdateItemBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The item version you edited: 409 approval.stale when it moved' }),
    name: Type.Optional(ItemFields.name),
    kind: Type.Optional(ItemFields.kind),
    legalBasis: Type.Optional(ItemFields.legalBasis),
    statutoryDays: Type.Optional(ItemFields.statutoryDays),
    promisedDays: Type.Optional(ItemFields.promisedDays),
    feeLawful: Type.Optional(ItemFields.feeLawful),
    feeYuan: Type.Optional(ItemFields.feeYuan),
    feeBasis: Type.Optional(ItemFields.feeBasis),
    online: Type.Optional(ItemFields.online),
    materials: Type.Optional(ItemFields.materials),
    steps: Type.Optional(ItemFields.steps),
  },
  { additionalProperties: false },
);
export type UpdateItem = Static<typeof UpdateItemBody>;

export const ItemQuery = Type.Object(
  {
    q: Type.Optional(SearchTerm),
    departmentId: Type.Optional(Uuid),
    kind: Type.Optional(Enum(ITEM_KINDS)),
    online: Type.Optional(Type.Boolean()),
    status: Type.Optional(Enum(['active', 'retired'])),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type ItemQuery = Static<typeof ItemQuery>;

const MaterialView = Type.Object({ seq: Type.Integer(), name: Type.String(), required: Type.Boolean(), mimeTypes: Type.Array(Type.String()), maxBytes: Type.Integer() });
const StepView = Type.Object({ seq: Type.Integer(), step: Enum(STEPS), name: Type.String(), limitDays: Nullable(Type.Integer()) });
export const ItemSummarySchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  department: Type.Object({ id: Type.String(), name: Type.String() }),
  regionCode: Type.String(),
  kind: Enum(ITEM_KINDS),
  statutoryDays: Type.Integer(),
  promisedDays: Type.Integer(),
  feeYuan: Type.String(),
  online: Type.Boolean(),
  status: Enum(['active', 'retired']),
  version: Type.Integer(),
});
export type ItemSummary = Static<typeof ItemSummarySchema>;
export const ItemSchema = Type.Object({ ...ItemSummarySchema.properties, legalBasis: Type.String(), feeLawful: Type.Boolean(), feeBasis: Type.String(), materials: Type.Array(MaterialView), steps: Type.Array(StepView), updatedAt: Type.String() });
export type ItemView = Static<typeof ItemSchema>;
const Facet = Type.Array(Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() }));
export const ItemListSchema = Type.Object({ items: Type.Array(ItemSummarySchema), total: Type.Integer(), facets: Type.Object({ department: Facet, kind: Facet, online: Facet }) });
export type ItemList = Static<typeof ItemListSchema>;

// ---- cases

const Applicant = {
  applicantKind: Enum(APPLICANT_KINDS),
  applicantName: Type.String({ minLength: 1, maxLength: 200 }),
  applicantIdNumber: Type.String({ minLength: 15, maxLength: 32, description: '身份证号 or 统一社会信用代码' }),
  applicantPhone: Type.Optional(Nullable(Type.String({ pattern: '^1\\d{10}$' }))),
};
export const CounterCaseBody = Type.Object(
  { itemId: Uuid, ...Applicant, appliedOn: Type.Optional(Type.String({ maxLength: 10, description: '申请日 (YYYY-MM-DD): not in the future, not before 2000; default today' })), requestKey: Type.Optional(Type.String({ minLength: 8, maxLength: 100 })) },
  { additionalProperties: false },
);
export type CounterCase = Static<typeof CounterCaseBody>;
export const OnlineCaseBody = Type.Object(
  {
    itemId: Uuid,
    applicantKind: Type.Optional(Enum(APPLICANT_KINDS)),
    applicantName: Type.Optional(Applicant.applicantName),
    applicantIdNumber: Type.Optional(Applicant.applicantIdNumber),
    requestKey: Type.String({ minLength: 8, maxLength: 100, description: 'Idempotency key: the same key gives back the same case' }),
  },
  { additionalProperties: false },
);
export type OnlineCase = Static<typeof OnlineCaseBody>;

export const ActionBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'The case version you saw (or If-Match): 409 approval.stale when it moved' })),
    reason: Type.Optional(Reason),
    decision: Type.Optional(Enum(DECISIONS)),
    pauseKind: Type.Optional(Enum(PAUSE_KINDS)),
    specialKind: Type.Optional(Enum(SPECIAL_KINDS)),
    materials: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 99 }), { maxItems: 99, description: 'For 补正: the material numbers asked for' })),
    days: Type.Optional(Days),
  },
  { additionalProperties: false },
);
export type ActionInput = Static<typeof ActionBody>;
export const ActionParams = Type.Object({ id: Uuid, action: Enum(ACTIONS) });

export const CaseQuery = Type.Object(
  {
    scope: Type.Optional(Enum(['mine', 'department', 'all'], 'mine: handled by me · department: my department tree · all: everything I may read')),
    state: Type.Optional(Enum(CASE_STATES)),
    q: Type.Optional(SearchTerm),
    overdue: Type.Optional(Type.Boolean()),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type CaseQuery = Static<typeof CaseQuery>;

const Clock = Type.Object({ due: Nullable(Type.String()), remaining: Nullable(Type.Integer({ description: 'Working days left (negative: overdue)' })), overdue: Type.Boolean() });
export const CaseSummarySchema = Type.Object({
  id: Type.String(),
  caseNo: Type.String(),
  item: Type.Object({ id: Type.String(), name: Type.String() }),
  department: Type.Object({ id: Type.String(), name: Type.String() }),
  channel: Enum(CHANNELS),
  applicantName: Type.String(),
  applicantIdNumber: Type.String({ description: 'Masked unless you handle the case or are its applicant' }),
  state: Enum(CASE_STATES),
  decision: Nullable(Enum(DECISIONS)),
  appliedOn: Type.String(),
  acceptedOn: Nullable(Type.String()),
  concludedOn: Nullable(Type.String()),
  statutory: Clock,
  promised: Clock,
  provisional: Type.Boolean(),
  pausedSince: Nullable(Type.String()),
  handlerId: Nullable(Type.String()),
  version: Type.Integer(),
  actions: Type.Array(Enum(ACTIONS), { description: 'What you may do now' }),
});
export type CaseSummary = Static<typeof CaseSummarySchema>;
export const CaseSchema = Type.Object({
  ...CaseSummarySchema.properties,
  applicantKind: Enum(APPLICANT_KINDS),
  applicantPhone: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  deliveredOn: Nullable(Type.String()),
  feeYuan: Type.String(),
  statutoryDays: Type.Integer(),
  promisedDays: Type.Integer(),
  extensionDays: Type.Integer(),
  extensionState: Nullable(Enum(['requested', 'approved', 'refused'])),
  corrections: Type.Integer(),
  events: Type.Array(Type.Object({ seq: Type.Integer(), action: Type.String(), fromState: Nullable(Type.String()), toState: Type.String(), onDate: Type.String(), at: Type.String(), note: Type.String(), actorName: Nullable(Type.String()) })),
  pauses: Type.Array(Type.Object({ kind: Enum(PAUSE_KINDS), specialKind: Nullable(Enum(SPECIAL_KINDS)), reason: Type.String(), startedOn: Type.String(), endedOn: Nullable(Type.String()), materials: Type.Array(Type.Integer()) })),
  steps: Type.Array(Type.Object({ step: Enum(STEPS), startedOn: Type.String(), dueOn: Nullable(Type.String()), completedOn: Nullable(Type.String()) })),
  materials: Type.Array(Type.Object({ seq: Type.Integer(), name: Type.String(), required: Type.Boolean(), mimeTypes: Type.Array(Type.String()), maxBytes: Type.Integer(), files: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), size: Type.Integer(), mediaType: Type.String() })) })),
});
export type CaseView = Static<typeof CaseSchema>;
export const CaseListSchema = Type.Object({ items: Type.Array(CaseSummarySchema), total: Type.Integer() });
export type CaseList = Static<typeof CaseListSchema>;

export const MaterialParams = Type.Object({ id: Uuid, seq: Type.Integer({ minimum: 1, maximum: 99 }) });
export const MaterialQuery = Type.Object({ name: Type.String({ minLength: 1, maxLength: 255, description: 'The file name, e.g. 申请书.pdf' }) }, { additionalProperties: false });
export type ActionName = Static<typeof ActionParams>['action'];
