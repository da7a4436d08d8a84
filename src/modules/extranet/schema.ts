// TypeBox request and response schemas of the extranet routes (issue 10 §6).
import { Type, type Static } from 'typebox';
import { Uuid } from '../../http/schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const NodeKindSchema = Type.Union([Type.Literal('upstream'), Type.Literal('core'), Type.Literal('aggregation'), Type.Literal('access')], {
  description: 'upstream 自治区节点 · core 市级核心 · aggregation 汇聚 · access 部门接入',
});
export const LinkKindSchema = Type.Union([Type.Literal('vertical'), Type.Literal('ring'), Type.Literal('access')], { description: 'vertical 纵向 · ring 环网 · access 接入' });
export const AdminStateSchema = Type.Union([Type.Literal('auto'), Type.Literal('up'), Type.Literal('down')], {
  description: 'auto: follows the probes of both endpoints; up/down: set by an operator',
});
const LinkStateSchema = Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('unknown')], {
  description: 'down when set down or either endpoint’s last probe failed; up when set up or both endpoints answered; unknown otherwise',
});
const Code = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_.-]+$' });
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\x00-\\x1f]*\\S[^\\x00-\\x1f]*$' });
const RegionCode = Type.String({ pattern: '^[0-9]{2,12}$' });
const Bandwidth = Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Mbps, more than 0' });
const ProbeHost = Type.String({ minLength: 1, maxLength: 253, description: 'An IP address or a hostname (no scheme, port or path)' });
const ProbePort = Type.Integer({ minimum: 1, maximum: 65535 });
const Ring = Type.String({ minLength: 1, maxLength: 100 });
const Day = Type.String({ format: 'date' });

export const NodeSchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  kind: NodeKindSchema,
  regionCode: Type.String(),
  regionName: Type.String(),
  probeHost: Nullable(Type.String()),
  probePort: Nullable(Type.Integer()),
  probeEnabled: Type.Boolean(),
  lastState: Nullable(Type.Union([Type.Literal('up'), Type.Literal('down')])),
  lastLatencyMs: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  lastCheckedAt: Nullable(Type.String({ format: 'date-time' })),
  reachesCore: Type.Boolean({ description: 'Reaches a core node over links that are not down' }),
});
export type NodeView = Static<typeof NodeSchema>;

export const LinkSchema = Type.Object({
  id: Uuid,
  aId: Uuid,
  bId: Uuid,
  kind: LinkKindSchema,
  ring: Nullable(Type.String()),
  bandwidthMbps: Type.Integer(),
  adminState: AdminStateSchema,
  state: LinkStateSchema,
  bridge: Type.Boolean({ description: 'A single point of failure: its failure cuts some node off the core' }),
});
export type LinkView = Static<typeof LinkSchema>;

export const ConnectionSchema = Type.Object({
  id: Uuid,
  departmentId: Uuid,
  departmentName: Type.String(),
  nodeId: Uuid,
  bandwidthMbps: Type.Integer(),
  connectedOn: Type.String({ format: 'date' }),
  regionCode: Type.String(),
});
export type ConnectionView = Static<typeof ConnectionSchema>;

export const TopologySchema = Type.Object({ nodes: Type.Array(NodeSchema), links: Type.Array(LinkSchema), connections: Type.Array(ConnectionSchema) });
export type Topology = Static<typeof TopologySchema>;

const CoverageRow = Type.Object({
  regionCode: Type.String(),
  regionName: Type.String(),
  departments: Type.Integer({ minimum: 0 }),
  connected: Type.Integer({ minimum: 0, description: 'Departments with a connection' }),
  reaching: Type.Integer({ minimum: 0, description: 'Connected departments whose access node reaches the core now' }),
  share: Type.Number({ minimum: 0, maximum: 1, description: 'connected / departments (0 when there are none)' }),
});
export type CoverageRowView = Static<typeof CoverageRow>;
export const CoverageSchema = Type.Object({ total: CoverageRow, counties: Type.Array(CoverageRow, { description: 'Per county-level unit; the prefecture’s own departments under its code' }) });
export type Coverage = Static<typeof CoverageSchema>;

const AffectedDepartment = Type.Object({ id: Uuid, name: Type.String(), regionCode: Type.String() });
export const FailureSchema = Type.Object({
  link: LinkSchema,
  lostNodeIds: Type.Array(Uuid, { description: 'Nodes (in your scope) that reach the core now and would not without the link' }),
  departments: Type.Array(AffectedDepartment, { description: 'Departments (in your scope) that would lose every path to the core' }),
});
export type Failure = Static<typeof FailureSchema>;

export const BridgesSchema = Type.Object({
  items: Type.Array(Type.Object({ link: LinkSchema, lostNodes: Type.Integer({ minimum: 0 }), departments: Type.Integer({ minimum: 0 }) })),
});
export type Bridges = Static<typeof BridgesSchema>;

export const NodeBody = Type.Object(
  {
    code: Code,
    name: Name,
    kind: NodeKindSchema,
    regionCode: RegionCode,
    probeHost: Type.Optional(Nullable(ProbeHost)),
    probePort: Type.Optional(Nullable(ProbePort)),
    probeEnabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type NodeInput = Static<typeof NodeBody>;
export const NodeUpdateBody = Type.Object({ name: Name, kind: NodeKindSchema, regionCode: RegionCode }, { additionalProperties: false });
export type NodeUpdate = Static<typeof NodeUpdateBody>;
export const ProbeSettingsBody = Type.Object({ probeHost: Nullable(ProbeHost), probePort: Nullable(ProbePort), probeEnabled: Type.Boolean() }, { additionalProperties: false });
export type ProbeSettings = Static<typeof ProbeSettingsBody>;

export const LinkBody = Type.Object(
  { aId: Uuid, bId: Uuid, kind: LinkKindSchema, ring: Type.Optional(Nullable(Ring)), bandwidthMbps: Bandwidth, adminState: Type.Optional(AdminStateSchema) },
  { additionalProperties: false },
);
export type LinkInput = Static<typeof LinkBody>;
export const LinkUpdateBody = Type.Object({ kind: LinkKindSchema, ring: Nullable(Ring), bandwidthMbps: Bandwidth, adminState: AdminStateSchema }, { additionalProperties: false });
export type LinkUpdate = Static<typeof LinkUpdateBody>;

export const ConnectionBody = Type.Object({ departmentId: Uuid, nodeId: Uuid, bandwidthMbps: Bandwidth, connectedOn: Day }, { additionalProperties: false });
export type ConnectionInput = Static<typeof ConnectionBody>;

export const ProbeRunBody = Type.Object({ nodeIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 500 })) }, { additionalProperties: false });
export const ProbeRunSchema = Type.Object({
  probed: Type.Integer({ minimum: 0 }),
  results: Type.Array(Type.Object({ nodeId: Uuid, state: Type.Union([Type.Literal('up'), Type.Literal('down')]), latencyMs: Type.Integer(), error: Nullable(Type.String()) })),
});
export type ProbeRun = Static<typeof ProbeRunSchema>;
