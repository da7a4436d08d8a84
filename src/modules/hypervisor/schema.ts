// TypeBox schemas of the hypervisor routes.
import { Type } from 'typebox';

import { VM_STATES } from '../cloud/index.ts';

const Enum = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const DomainStateSchema = Enum(['running', 'paused', 'shutoff', 'crashed', 'other'] as const, 'The domain state libvirt reports');
const VmStateSchema = Enum(VM_STATES);

export const HostCheckSchema = Type.Object({
  hostId: Type.String({ format: 'uuid' }),
  code: Type.String(),
  uri: Type.Union([Type.String(), Type.Null()], { description: 'The host’s libvirt URI (null: none connected)' }),
  connected: Type.Boolean(),
  library: Type.Optional(Type.String({ description: 'e.g. libvirt 9.0.0' })),
  hypervisor: Type.Optional(Type.String({ description: 'e.g. QEMU 7.2.0' })),
  domains: Type.Optional(Type.Integer({ minimum: 0 })),
  running: Type.Optional(Type.Integer({ minimum: 0 })),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});

export const ReconcileSchema = Type.Object({
  hosts: Type.Array(
    Type.Object({
      hostId: Type.String({ format: 'uuid' }),
      code: Type.String(),
      reachable: Type.Boolean(),
      error: Type.Optional(Type.String()),
      domains: Type.Integer({ minimum: 0 }),
      changes: Type.Array(
        Type.Object({
          vmId: Type.String({ format: 'uuid' }),
          domain: Type.String(),
          from: VmStateSchema,
          to: VmStateSchema,
          observed: Enum(['running', 'paused', 'shutoff', 'crashed', 'other', 'absent'] as const, 'What libvirt said (absent: no such domain)'),
        }),
      ),
      unknown: Type.Array(Type.Object({ name: Type.String(), uuid: Type.String(), state: DomainStateSchema })),
    }),
  ),
});
