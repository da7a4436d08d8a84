// TypeBox schemas of the cloud inventory routes (issue 10 §1, §7): requests and responses; the views' types come from them.
import { Type, type Static, type TSchema } from 'typebox';
import { SearchTerm, Uuid } from '../../http/schemas.ts';
import { HOST_STATES, POOL_KINDS, ROOM_KINDS, VM_STATES } from './kinds.ts';

const Enum = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Code = Type.String({ minLength: 2, maxLength: 40, pattern: '^[A-Za-z0-9_.-]+$' });
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Paging = {
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
};
const Counted = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), total: Type.Integer({ minimum: 0, description: 'Rows matching the same filter in your jurisdiction, over all pages' }) });
const DeptRef = Type.Object({ id: Type.String(), name: Type.String() });

export const IdParams = Type.Object({ id: Uuid });
export const CodeParams = Type.Object({ code: Code });
export const DepartmentParams = Type.Object({ departmentId: Uuid });
export const ZoneGrantParams = Type.Object({ code: Code, departmentId: Uuid });

// ---- rooms and legacy servers

export const RoomQuery = Type.Object(
  { kind: Type.Optional(Enum(ROOM_KINDS)), status: Type.Optional(Enum(['active', 'retired'])), q: Type.Optional(SearchTerm), ...Paging },
  { additionalProperties: false },
);
export type RoomQuery = Static<typeof RoomQuery>;
export const RoomSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  kind: Enum(ROOM_KINDS),
  department: Nullable(DeptRef),
  regionCode: Type.String(),
  regionName: Type.String(),
  address: Type.String(),
  areaM2: Nullable(Type.Number()),
  status: Enum(['active', 'retired']),
  retiredOn: Nullable(Type.String()),
  servers: Type.Integer({ description: 'Legacy servers in the room (pre-consolidation rooms)' }),
  hosts: Type.Integer({ description: 'Cloud hosts in the room (the data centre)' }),
  powerKw: Type.Number({ description: 'Nameplate draw of its servers or hosts' }),
});
export type RoomView = Static<typeof RoomSchema>;
export const RoomListSchema = Counted(RoomSchema);
export const LegacyServerSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  model: Type.String(),
  cpuCores: Type.Integer(),
  memoryGb: Type.Integer(),
  diskGb: Type.Integer(),
  avgCpuUtilisation: Type.Number({ description: 'Average CPU use before consolidation, %' }),
  powerWatts: Type.Integer(),
  annualCostYuan: Type.Number(),
  retiredOn: Nullable(Type.String()),
  vm: Nullable(Type.Object({ id: Type.String(), name: Type.String() }, { description: 'The VM its workload moved to' })),
});
const RoomFields = {
  name: Name,
  address: Type.Optional(Type.String({ maxLength: 500 })),
  areaM2: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1_000_000 }))),
  status: Type.Optional(Enum(['active', 'retired'])),
  retiredOn: Type.Optional(Nullable(Type.String({ format: 'date', description: 'Only for a retired room; defaults to today (Beijing) when it retires' }))),
};
export const NewRoomBody = Type.Object(
  {
    code: Code,
    kind: Enum(ROOM_KINDS),
    regionCode: Type.Optional(Type.String({ minLength: 2, maxLength: 12, pattern: '^[0-9]+$', description: 'The data centre’s or community room’s region; a department room takes its department’s' })),
    departmentId: Type.Optional(Uuid),
    ...RoomFields,
  },
  { additionalProperties: false },
);
export type NewRoom = Static<typeof NewRoomBody>;
export const UpdateRoomBody = Type.Object({ ...RoomFields, name: Type.Optional(Name) }, { additionalProperties: false, minProperties: 1 });
export type UpdateRoom = Static<typeof UpdateRoomBody>;
export const RoomDetailSchema = Type.Intersect([RoomSchema, Type.Object({ legacyServers: Type.Array(LegacyServerSchema) })]);
export type RoomDetail = Static<typeof RoomDetailSchema>;

// ---- hosts

export const HostQuery = Type.Object(
  { roomId: Type.Optional(Uuid), state: Type.Optional(Enum(HOST_STATES)), zone: Type.Optional(Code), q: Type.Optional(SearchTerm), ...Paging },
  { additionalProperties: false },
);
export type HostQuery = Static<typeof HostQuery>;
export const HostSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  room: Type.Object({ id: Type.String(), name: Type.String() }),
  rack: Type.String(),
  model: Type.String(),
  cpuCores: Type.Integer(),
  cpuRatio: Type.Number(),
  memoryMb: Type.Integer(),
  memoryRatio: Type.Number(),
  localDiskGb: Type.Integer(),
  zones: Type.Array(Type.String()),
  state: Enum(HOST_STATES),
  powerWatts: Type.Integer(),
  hypervisorUri: Nullable(Type.String()),
  vcpusCapacity: Type.Integer({ description: 'floor(cores × cpu ratio)' }),
  memoryMbCapacity: Type.Integer({ description: 'floor(memory × memory ratio)' }),
  vcpusAllocated: Type.Integer(),
  memoryMbAllocated: Type.Integer(),
  cpuAllocatedPct: Type.Number({ description: 'vCPUs allocated / capacity, %' }),
  memoryAllocatedPct: Type.Number({ description: 'Memory allocated / capacity, %' }),
  vms: Type.Integer({ description: 'VMs holding capacity on the host' }),
  reconciledAt: Nullable(Type.String()),
});
export type HostView = Static<typeof HostSchema>;
export const HostListSchema = Counted(HostSchema);
const HostFields = {
  name: Name,
  rack: Type.Optional(Type.String({ maxLength: 40 })),
  model: Type.Optional(Type.String({ maxLength: 200 })),
  cpuCores: Type.Integer({ minimum: 1, maximum: 4096 }),
  cpuRatio: Type.Optional(Type.Number({ minimum: 1, maximum: 16 })),
  memoryMb: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024 }),
  memoryRatio: Type.Optional(Type.Number({ minimum: 1, maximum: 2 })),
  localDiskGb: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  zones: Type.Array(Code, { minItems: 1, maxItems: 20, uniqueItems: true }),
  powerWatts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  hypervisorUri: Type.Optional(Nullable(Type.String({ minLength: 3, maxLength: 400, pattern: '^[a-z+]+://' }))),
};
export const NewHostBody = Type.Object({ code: Code, roomId: Uuid, ...HostFields }, { additionalProperties: false });
export type NewHost = Static<typeof NewHostBody>;
export const UpdateHostBody = Type.Partial(Type.Object(HostFields, { additionalProperties: false }), { additionalProperties: false, minProperties: 1 });
export type UpdateHost = Static<typeof UpdateHostBody>;
export const HostStateBody = Type.Object({ state: Enum(HOST_STATES), reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export type HostStateInput = Static<typeof HostStateBody>;

// ---- storage pools, zones, flavours, images

export const PoolSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  room: Type.Object({ id: Type.String(), name: Type.String() }),
  kind: Enum(POOL_KINDS),
  capacityGb: Type.Integer(),
  allocatedGb: Type.Integer(),
  usedGb: Type.Integer(),
  allocatedPct: Type.Number(),
});
export type PoolView = Static<typeof PoolSchema>;
export const PoolListSchema = Type.Object({ items: Type.Array(PoolSchema) });

export const ZoneSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  openToAll: Type.Boolean(),
  hosts: Type.Integer({ description: 'Hosts serving the zone' }),
  grants: Type.Array(DeptRef, { description: 'Departments granted the zone, those inside your jurisdiction' }),
});
export type ZoneView = Static<typeof ZoneSchema>;
export const ZoneListSchema = Type.Object({ items: Type.Array(ZoneSchema) });
export const NewZoneBody = Type.Object({ code: Code, name: Name, description: Type.Optional(Type.String({ maxLength: 1000 })), openToAll: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type NewZone = Static<typeof NewZoneBody>;

export const FlavourSchema = Type.Object({ code: Type.String(), name: Type.String(), vcpus: Type.Integer(), memoryMb: Type.Integer(), active: Type.Boolean() });
export type FlavourView = Static<typeof FlavourSchema>;
export const FlavourListSchema = Type.Object({ items: Type.Array(FlavourSchema) });
export const NewFlavourBody = Type.Object(
  { code: Code, name: Name, vcpus: Type.Integer({ minimum: 1, maximum: 256 }), memoryMb: Type.Integer({ minimum: 64, maximum: 4_194_304 }), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type NewFlavour = Static<typeof NewFlavourBody>;
export const UpdateFlavourBody = Type.Object({ name: Type.Optional(Name), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 });
export type UpdateFlavour = Static<typeof UpdateFlavourBody>;

export const ImageSchema = Type.Object({ code: Type.String(), name: Type.String(), os: Type.String(), minDiskGb: Type.Integer(), active: Type.Boolean() });
export type ImageView = Static<typeof ImageSchema>;
export const ImageListSchema = Type.Object({ items: Type.Array(ImageSchema) });
export const NewImageBody = Type.Object(
  { code: Code, name: Name, os: Type.String({ minLength: 1, maxLength: 100 }), minDiskGb: Type.Optional(Type.Integer({ minimum: 0, maximum: 65536 })), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type NewImage = Static<typeof NewImageBody>;
export const UpdateImageBody = Type.Object({ name: Type.Optional(Name), minDiskGb: Type.Optional(Type.Integer({ minimum: 0, maximum: 65536 })), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 });
export type UpdateImage = Static<typeof UpdateImageBody>;

// ---- business systems

export const SystemQuery = Type.Object(
  { departmentId: Type.Optional(Uuid), status: Type.Optional(Enum(['active', 'retired'])), q: Type.Optional(SearchTerm), ...Paging },
  { additionalProperties: false },
);
export type SystemQuery = Static<typeof SystemQuery>;
export const SystemSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  department: DeptRef,
  regionCode: Type.String(),
  protectionLevel: Type.Integer({ description: '等保 level 1–4' }),
  status: Enum(['active', 'retired']),
  vms: Type.Integer(),
  vcpus: Type.Integer(),
  memoryMb: Type.Integer(),
  createdAt: Type.String(),
});
export type SystemView = Static<typeof SystemSchema>;
export const SystemListSchema = Counted(SystemSchema);
export const NewSystemBody = Type.Object(
  {
    code: Type.String({ minLength: 2, maxLength: 60, pattern: '^[A-Za-z0-9_.-]+$' }),
    name: Name,
    departmentId: Uuid,
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    protectionLevel: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
  },
  { additionalProperties: false },
);
export type NewSystem = Static<typeof NewSystemBody>;
export const UpdateSystemBody = Type.Object(
  { name: Type.Optional(Name), description: Type.Optional(Type.String({ maxLength: 2000 })), protectionLevel: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })), status: Type.Optional(Enum(['active', 'retired'])) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateSystem = Static<typeof UpdateSystemBody>;

// ---- VMs

export const VmQuery = Type.Object(
  {
    departmentId: Type.Optional(Uuid),
    systemId: Type.Optional(Uuid),
    hostId: Type.Optional(Uuid),
    state: Type.Optional(Enum(VM_STATES)),
    zone: Type.Optional(Code),
    q: Type.Optional(SearchTerm),
    ...Paging,
  },
  { additionalProperties: false },
);
export type VmQuery = Static<typeof VmQuery>;
export const VmSchema = Type.Object({
  id: Type.String(),
  domainName: Type.String(),
  name: Type.String(),
  department: DeptRef,
  regionCode: Type.String(),
  system: Nullable(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })),
  flavourCode: Nullable(Type.String()),
  imageCode: Nullable(Type.String()),
  vcpus: Type.Integer(),
  memoryMb: Type.Integer(),
  diskGb: Type.Integer(),
  zoneCode: Type.String(),
  haGroup: Nullable(Type.String()),
  host: Nullable(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })),
  state: Enum(VM_STATES),
  stateDetail: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type VmView = Static<typeof VmSchema>;
export const VmListSchema = Counted(VmSchema);
export const VmEventSchema = Type.Object({
  seq: Type.Integer(),
  action: Type.String(),
  outcome: Enum(['requested', 'started', 'succeeded', 'failed', 'rolled_back', 'observed']),
  state: Type.String(),
  actorId: Nullable(Type.String()),
  detail: Type.Record(Type.String(), Type.Unknown()),
  at: Type.String(),
});
export const VmDetailSchema = Type.Intersect([
  VmSchema,
  Type.Object({ storagePool: Nullable(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })), events: Type.Array(VmEventSchema), legacyServers: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), roomName: Type.String() })) }),
]);
export type VmDetail = Static<typeof VmDetailSchema>;

// ---- quotas

const Dimension = Type.Object({ used: Type.Integer(), limit: Type.Integer(), pct: Type.Number() });
export const QuotaSchema = Type.Object({
  department: DeptRef,
  regionCode: Type.String(),
  vcpus: Dimension,
  memoryMb: Dimension,
  diskGb: Dimension,
  vms: Dimension,
  updatedAt: Type.String(),
});
export type QuotaView = Static<typeof QuotaSchema>;
export const QuotaQuery = Type.Object({ q: Type.Optional(SearchTerm), ...Paging }, { additionalProperties: false });
export type QuotaQuery = Static<typeof QuotaQuery>;
export const QuotaListSchema = Counted(QuotaSchema);
export const QuotaBody = Type.Object(
  {
    vcpusLimit: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    memoryMbLimit: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
    diskGbLimit: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
    vmsLimit: Type.Integer({ minimum: 0, maximum: 100_000 }),
  },
  { additionalProperties: false },
);
export type QuotaInput = Static<typeof QuotaBody>;

// ---- consolidation report

const Assumption = Type.Object({ code: Type.String(), value: Type.Number(), unit: Type.String(), description: Type.String() });
const BeforeKind = Type.Object({
  kind: Enum(['legacy_department', 'legacy_community']),
  rooms: Type.Integer(),
  servers: Type.Integer(),
  cpuCores: Type.Integer(),
  memoryGb: Type.Integer(),
  avgCpuUtilisation: Type.Number({ description: 'Core-weighted average CPU use, %' }),
  powerKw: Type.Number(),
  annualCostYuan: Type.Number({ description: 'Server upkeep recorded per server' }),
});
export const ConsolidationSchema = Type.Object({
  before: Type.Object({
    byKind: Type.Array(BeforeKind),
    rooms: Type.Integer(),
    servers: Type.Integer(),
    cpuCores: Type.Integer(),
    memoryGb: Type.Integer(),
    avgCpuUtilisation: Type.Number(),
    powerKw: Type.Number(),
    annualEnergyKwh: Type.Number({ description: 'powerKw × hours per year × legacy PUE' }),
    annualCostYuan: Type.Number({ description: 'Energy + per-room upkeep + recorded server upkeep' }),
  }),
  after: Type.Object({
    hosts: Type.Integer(),
    cpuCores: Type.Integer(),
    memoryGb: Type.Integer(),
    vcpusCapacity: Type.Integer(),
    vcpusAllocated: Type.Integer(),
    memoryGbAllocated: Type.Integer(),
    cpuAllocatedPct: Type.Number(),
    memoryAllocatedPct: Type.Number(),
    cpuUsedPct: Type.Number({ description: 'Estimated: the migrated workload (legacy cores × their utilisation × legacy_core_performance) over the hosts’ cores' }),
    vms: Type.Integer(),
    powerKw: Type.Number(),
    annualEnergyKwh: Type.Number({ description: 'powerKw × hours per year × data-centre PUE' }),
    annualCostYuan: Type.Number({ description: 'Energy + data-centre upkeep + host upkeep' }),
  }),
  saved: Type.Object({
    servers: Type.Integer({ description: 'Servers before minus hosts after' }),
    rooms: Type.Integer({ description: 'Pre-consolidation rooms no longer needed' }),
    powerKw: Type.Number(),
    annualEnergyKwh: Type.Number(),
    annualCostYuan: Type.Number(),
    energyPct: Type.Number(),
    costPct: Type.Number(),
  }),
  assumptions: Type.Array(Assumption, { description: 'The tariff the estimate used (cloud_tariff)' }),
});
export type Consolidation = Static<typeof ConsolidationSchema>;
