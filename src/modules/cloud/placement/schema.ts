// TypeBox schemas of placement's routes (issue 10 §3).
import { Type, type Static } from 'typebox';
import { Uuid } from '../../../http/schemas.ts';

const Weigher = Type.Unsafe<'spread' | 'stack'>({ type: 'string', enum: ['spread', 'stack'], description: 'spread: least-loaded host first; stack: most-loaded host that fits' });
const Shortfall = Type.Unsafe<'refuse' | 'place'>({
  type: 'string',
  enum: ['refuse', 'place'],
  description: 'When the N+k reserve cannot be kept: refuse (409 cloud.no_capacity, reason reserve), or place without it and flag the placement',
});
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const PolicySchema = Type.Object({
  weigher: Weigher,
  reserveHosts: Type.Integer({ minimum: 0, maximum: 2, description: 'N+k: host failures the pool must be able to absorb' }),
  reserveShortfall: Shortfall,
  version: Type.Integer({ minimum: 0 }),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const PolicyBody = Type.Object(
  {
    weigher: Weigher,
    reserveHosts: Type.Integer({ minimum: 0, maximum: 2 }),
    reserveShortfall: Type.Optional(Shortfall),
    version: Type.Optional(Type.Integer({ minimum: 0, description: 'The version read: a concurrent change gives 409 cloud.stale' })),
  },
  { additionalProperties: false },
);
export type PolicyBodyInput = Static<typeof PolicyBody>;

const VmSchema = Type.Object({
  id: Nullable(Type.String()),
  name: Nullable(Type.String()),
  departmentName: Nullable(Type.String()),
  vcpus: Type.Integer(),
  memoryMb: Type.Integer(),
  zone: Type.String(),
  haGroup: Nullable(Type.String()),
  state: Type.String(),
});

const HostSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  roomName: Type.String(),
  state: Type.Unsafe<'up' | 'maintenance' | 'down'>({ type: 'string', enum: ['up', 'maintenance', 'down'] }),
  zones: Type.Array(Type.String()),
  vcpus: Type.Integer(),
  memoryMb: Type.Integer(),
  vcpusAllocated: Type.Integer(),
  memoryMbAllocated: Type.Integer(),
  vms: Type.Array(VmSchema, { description: 'VMs outside your scope appear by size only (id and name null)' }),
});

export const ViewSchema = Type.Object({
  policy: PolicySchema,
  reserve: Type.Object({
    holds: Type.Boolean(),
    components: Type.Array(Type.Object({ zones: Type.Array(Type.String()), hosts: Type.Integer(), holds: Type.Boolean() })),
  }),
  hosts: Type.Array(HostSchema),
});

export const SimulateBody = Type.Object({ hostIds: Type.Array(Uuid, { minItems: 1, maxItems: 500, description: 'Hosts to fail' }) }, { additionalProperties: false });

export const SimulationSchema = Type.Object({
  failedHostIds: Type.Array(Type.String()),
  moves: Type.Array(
    Type.Object({
      vmId: Nullable(Type.String()),
      vmName: Nullable(Type.String()),
      vcpus: Type.Integer(),
      memoryMb: Type.Integer(),
      fromHostId: Type.String(),
      outcome: Type.Unsafe<'restarted' | 'stranded'>({ type: 'string', enum: ['restarted', 'stranded'] }),
      toHostId: Nullable(Type.String()),
      toHostCode: Nullable(Type.String()),
      reason: Type.Union([Type.Unsafe<'no_host_in_zone' | 'insufficient_capacity' | 'anti_affinity'>({ type: 'string', enum: ['no_host_in_zone', 'insufficient_capacity', 'anti_affinity'] }), Type.Null()]),
    }),
  ),
  hosts: Type.Array(Type.Object({ hostId: Type.String(), vcpusAllocated: Type.Integer(), memoryMbAllocated: Type.Integer() })),
  totals: Type.Object({ vms: Type.Integer(), restarted: Type.Integer(), stranded: Type.Integer(), vcpusStranded: Type.Integer(), memoryMbStranded: Type.Integer() }),
});
