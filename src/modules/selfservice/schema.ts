// TypeBox schemas of the self-service routes (request and response); the views' TypeScript types come from them.
import { Type, type Static } from 'typebox';
import { Uuid } from '../../http/schemas.ts';
import { REQUEST_KINDS, REQUEST_STATES, VM_STATES } from '../cloud/index.ts';

const Enum = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Code = Type.String({ minLength: 1, maxLength: 40 });
const Reason = Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' });
const Note = Type.String({ maxLength: 2000 });

export const DIRECT_ACTIONS = ['start', 'stop', 'suspend', 'resume', 'snapshot'] as const;
export type DirectAction = (typeof DIRECT_ACTIONS)[number];

export const NewRequestBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: '云主机名称' }),
    flavourCode: Code,
    imageCode: Code,
    diskGb: Type.Integer({ minimum: 1, maximum: 65536 }),
    zoneCode: Code,
    businessSystemId: Uuid,
    haGroup: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z0-9_.-]+$' }))),
    reason: Reason,
    requestKey: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'The same key from the same user gives the same request (200)' })),
  },
  { additionalProperties: false },
);
export type NewRequest = Static<typeof NewRequestBody>;

export const ResizeBody = Type.Object(
  {
    flavourCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'The new flavour; absent: the VM keeps its vCPUs and memory' })),
    diskGb: Type.Optional(Type.Integer({ minimum: 1, maximum: 65536, description: 'The new disk size: never smaller than the present one (a disk grows, D110); absent: unchanged' })),
    reason: Reason,
    requestKey: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type ResizeInput = Static<typeof ResizeBody>;
export const DecommissionBody = Type.Object({ reason: Reason, requestKey: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }, { additionalProperties: false });
export type DecommissionInput = Static<typeof DecommissionBody>;
export const DecisionBody = Type.Object({ decision: Enum(['approve', 'reject'] as const), note: Type.Optional(Note) }, { additionalProperties: false });
export type DecisionInput = Static<typeof DecisionBody>;
export const ActionBody = Type.Object({ snapshot: Type.Optional(Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z0-9_.-]+$' })) }, { additionalProperties: false });
export type ActionInput = Static<typeof ActionBody>;

export const RequestQuery = Type.Object(
  {
    scope: Type.Optional(Enum(['mine', 'approvals', 'all'] as const, 'mine: my requests; approvals: waiting on me; all: every request I may see')),
    state: Type.Optional(Enum(REQUEST_STATES)),
    vmId: Type.Optional(Uuid),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type RequestQuery = Static<typeof RequestQuery>;

export const REQUEST_ABILITIES = ['cancel', 'approve_department', 'approve_platform'] as const;
const Ref = Type.Object({ id: Type.String(), name: Type.String() });
export const RequestSummarySchema = Type.Object({
  id: Type.String(),
  requestNo: Type.String(),
  kind: Enum(REQUEST_KINDS),
  state: Enum(REQUEST_STATES),
  name: Type.String(),
  department: Ref,
  requestedBy: Ref,
  vmId: Nullable(Type.String()),
  flavourCode: Nullable(Type.String()),
  imageCode: Nullable(Type.String()),
  zoneCode: Nullable(Type.String()),
  vcpus: Type.Integer(),
  memoryMb: Type.Integer(),
  diskGb: Type.Integer(),
  autoApproved: Type.Boolean(),
  failure: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  /** What the caller may do with it now. */
  abilities: Type.Array(Enum(REQUEST_ABILITIES)),
});
export type RequestSummary = Static<typeof RequestSummarySchema>;
export const RequestListSchema = Type.Object({ items: Type.Array(RequestSummarySchema), total: Type.Integer() });
export type RequestList = Static<typeof RequestListSchema>;

const TimelineEntry = Type.Object({ seq: Type.Integer(), action: Type.String(), fromState: Nullable(Type.String()), toState: Type.String(), actor: Nullable(Ref), note: Type.String(), at: Type.String() });
export const VmEventSchema = Type.Object({ seq: Type.Integer(), action: Type.String(), outcome: Type.String(), state: Type.String(), actor: Nullable(Ref), detail: Type.Record(Type.String(), Type.Unknown()), at: Type.String() });
export type VmEventView = Static<typeof VmEventSchema>;
export const VmEventListSchema = Type.Object({ items: Type.Array(VmEventSchema) });
export const VM_ABILITIES = [...DIRECT_ACTIONS, 'resize', 'decommission'] as const;
const VmBrief = Type.Object({
  id: Type.String(),
  name: Type.String(),
  domainName: Type.String(),
  state: Enum(VM_STATES),
  stateDetail: Type.String(),
  hostCode: Nullable(Type.String()),
  vcpus: Type.Integer(),
  memoryMb: Type.Integer(),
  diskGb: Type.Integer(),
  /** What the caller may do to the VM now (its state, their grants, no other open request). */
  abilities: Type.Array(Enum(VM_ABILITIES)),
});
export const RequestSchema = Type.Object({
  ...RequestSummarySchema.properties,
  businessSystem: Nullable(Ref),
  haGroup: Nullable(Type.String()),
  reason: Type.String(),
  decisionNote: Type.String(),
  timeline: Type.Array(TimelineEntry),
  vm: Nullable(VmBrief),
  vmEvents: Type.Array(VmEventSchema),
});
export type RequestView = Static<typeof RequestSchema>;

export const VmActionResultSchema = Type.Object({ vmId: Type.String(), action: Type.String(), state: Enum(VM_STATES), seq: Type.Integer() });
export type VmActionResult = Static<typeof VmActionResultSchema>;

const QuotaView = Type.Object({
  vcpus: Type.Object({ limit: Type.Integer(), used: Type.Integer() }),
  memoryMb: Type.Object({ limit: Type.Integer(), used: Type.Integer() }),
  diskGb: Type.Object({ limit: Type.Integer(), used: Type.Integer() }),
  vms: Type.Object({ limit: Type.Integer(), used: Type.Integer() }),
});
export const RequestOptionsSchema = Type.Object({
  department: Nullable(Ref),
  flavours: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), vcpus: Type.Integer(), memoryMb: Type.Integer() })),
  images: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), os: Type.String(), minDiskGb: Type.Integer() })),
  zones: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  businessSystems: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })),
  quota: Nullable(QuotaView),
  policy: Type.Object({ departmentStepRequired: Type.Boolean(), autoMaxVcpus: Type.Integer(), autoMaxMemoryMb: Type.Integer(), autoMaxDiskGb: Type.Integer() }),
});
export type RequestOptions = Static<typeof RequestOptionsSchema>;

export const PolicyBody = Type.Object(
  {
    departmentId: Nullable(Uuid),
    departmentStepRequired: Type.Boolean(),
    autoMaxVcpus: Type.Integer({ minimum: 0, maximum: 256 }),
    autoMaxMemoryMb: Type.Integer({ minimum: 0, maximum: 4194304 }),
    autoMaxDiskGb: Type.Integer({ minimum: 0, maximum: 65536 }),
  },
  { additionalProperties: false },
);
export type PolicyInput = Static<typeof PolicyBody>;
export const PolicySchema = Type.Object({ ...PolicyBody.properties, inherited: Type.Boolean({ description: 'true: the department has no row of its own; this is the default' }) });
export type PolicyView = Static<typeof PolicySchema>;
export const PolicyQuery = Type.Object({ departmentId: Type.Optional(Uuid) }, { additionalProperties: false });
