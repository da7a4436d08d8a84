// TypeBox schemas of the supervision API.
import { Type } from 'typebox';
import { PageQuery, Uuid } from '../../http/schemas.ts';
import { WARNING_LEVELS, WARNING_STATES } from './kinds.ts';
import { EXPLANATION_STATES, ORDER_STATES } from './order-tables.ts';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Text = Type.String({ minLength: 1, maxLength: 2000 });
const Enum = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

export const WARNING_ABILITIES = ['order', 'explain'] as const;
export const ORDER_ABILITIES = ['respond', 'rectified', 'reopen', 'close'] as const;
export const EXPLANATION_ABILITIES = ['decide'] as const;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const WarningQuery = Type.Object({
  level: Type.Optional(Enum(WARNING_LEVELS)),
  rule: Type.Optional(Type.String({ maxLength: 64 })),
  state: Type.Optional(Enum(WARNING_STATES)),
  departmentId: Type.Optional(Uuid),
  regionCode: Type.Optional(Type.String({ pattern: '^\\d{2,12}$' })),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

export const WarningSchema = Type.Object({
  id: Uuid,
  subjectKind: Type.String(),
  subjectId: Uuid,
  rule: Type.String(),
  level: Type.String(),
  department: Type.Object({ id: Uuid, name: Type.String() }),
  regionCode: Type.String(),
  firedOn: Type.String(),
  firedAt: Type.String(),
  summary: Type.String(),
  state: Type.String(),
  abilities: Type.Array(Enum(WARNING_ABILITIES), { description: "What you may do on this warning: 'order' (issue a 督办 order), 'explain' (file a 说明理由 for your department's open card)" }),
});

const Counts = Type.Record(Type.String(), Type.Integer());
const Rate = { running: Type.Integer({ description: 'Running cases (the clock runs)' }), overdue: Type.Integer({ description: 'Of them, past the statutory limit today' }), overdueRate: Type.Number({ description: 'overdue / running, 4 decimals; 0 without running cases' }) };
export const OverviewSchema = Type.Object({
  today: Type.String(),
  totals: Type.Object(
    {
      ...Rate,
      yellow: Type.Integer({ description: 'Open yellow cards (matching the filter)' }),
      red: Type.Integer({ description: 'Open red cards (matching the filter)' }),
      openOrders: Type.Integer({ description: '督办 orders not yet rectified or closed' }),
      overdueOrders: Type.Integer({ description: 'Of them, awaiting the department’s answer past the response deadline' }),
    },
    { description: 'Headline figures of the cockpit' },
  ),
  departments: Type.Array(Type.Object({ id: Uuid, name: Type.String(), counts: Counts, ...Rate })),
  counties: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), counts: Counts, running: Type.Integer(), overdue: Type.Integer(), overdueRate: Type.Number() })),
});

export const OrderBody = Type.Object({
  warningId: Type.Optional(Nullable(Uuid)),
  caseId: Type.Optional(Nullable(Uuid)),
  content: Text,
  deadlineDays: Type.Integer({ minimum: 1, maximum: 60 }),
});
export const RespondBody = Type.Object({ response: Text });
export const DecideOrderBody = Type.Object({ decision: Type.Union([Type.Literal('rectified'), Type.Literal('reopen'), Type.Literal('close')]), note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) });
export const ExplainBody = Type.Object({ text: Text });
export const DecideExplanationBody = Type.Object({ accept: Type.Boolean(), reason: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) });
export const ExplanationQuery = Type.Object({ ...PageQuery, state: Type.Optional(Enum(EXPLANATION_STATES)), departmentId: Type.Optional(Uuid) });
export const ORDER_VIEWS = ['open', 'overdue', 'closed'] as const;
export const OrderQuery = Type.Object({
  state: Type.Optional(Enum(ORDER_STATES)),
  view: Type.Optional(Enum(ORDER_VIEWS, "open: awaiting an answer or a decision; overdue: awaiting the department's answer past the response deadline; closed: rectified or closed")),
  departmentId: Type.Optional(Uuid),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

export const OrderSchema = Type.Object({
  id: Uuid,
  orderNo: Type.String(),
  warningId: Nullable(Uuid),
  caseId: Nullable(Uuid),
  departmentId: Uuid,
  departmentName: Type.Optional(Type.String()),
  content: Type.String(),
  issuedOn: Type.String(),
  respondBy: Type.String(),
  state: Enum(ORDER_STATES),
  response: Nullable(Type.String()),
  decisionNote: Nullable(Type.String()),
  version: Type.Integer(),
  summary: Type.Optional(Nullable(Type.String({ description: 'The warning’s (or case’s) one line' }))),
  overdue: Type.Boolean({ description: 'Awaiting the department’s answer past respondBy' }),
  abilities: Type.Array(Enum(ORDER_ABILITIES), { description: "What you may do now: 'respond' (your department's issued or reopened order), 'rectified' / 'reopen' (an answered one), 'close' (a rectified one)" }),
});

export const ExplanationSchema = Type.Object({
  id: Uuid,
  warningId: Uuid,
  summary: Type.Optional(Type.String()),
  level: Type.Optional(Type.String()),
  text: Type.String(),
  state: Enum(EXPLANATION_STATES),
  filedAt: Type.String(),
  decisionReason: Nullable(Type.String()),
  departmentName: Type.Optional(Type.String()),
  abilities: Type.Array(Enum(EXPLANATION_ABILITIES), { description: "'decide' when it is pending and lies in your supervision" }),
});

export const LedgerSchema = Type.Object({
  case: Type.Object({
    id: Uuid,
    caseNo: Type.String(),
    itemName: Type.String(),
    departmentName: Type.String(),
    state: Type.String(),
    appliedOn: Type.String(),
    acceptedOn: Nullable(Type.String()),
    concludedOn: Nullable(Type.String()),
    statutoryDue: Nullable(Type.String()),
    promisedDue: Nullable(Type.String()),
    pausedSince: Nullable(Type.String()),
  }),
  events: Type.Array(Type.Object({ seq: Type.Integer(), action: Type.String(), fromState: Nullable(Type.String()), toState: Type.String(), onDate: Type.String(), at: Type.String(), note: Type.String() })),
  warnings: Type.Array(Type.Object({ id: Uuid, rule: Type.String(), level: Type.String(), firedOn: Type.String(), summary: Type.String(), state: Type.String() })),
});

export const SweepSchema = Type.Object({ fired: Type.Integer(), notified: Type.Integer(), byRule: Counts });

export type OrderView = import('typebox').Static<typeof OrderSchema>;
export type ExplanationView = import('typebox').Static<typeof ExplanationSchema>;
