// Enumerations of the cloud resource pool (issue 10): rooms, hosts, VM states and actions, request states.

/** 云数据中心 (the consolidated pool), 部门机房 and 社区机房 (the pre-consolidation rooms). */
export const ROOM_KINDS = ['datacenter', 'legacy_department', 'legacy_community'] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];

/** A host in service takes placements; maintenance and down do not (down is what the failure simulation assumes). */
export const HOST_STATES = ['up', 'maintenance', 'down'] as const;
export type HostState = (typeof HOST_STATES)[number];

/** FC SAN (shared: a VM on it can restart on any host) or a host's local disks. */
export const POOL_KINDS = ['fc_san', 'local'] as const;
export type PoolKind = (typeof POOL_KINDS)[number];

/**
 * A VM's states. `placing` → `provisioning` (a host chosen, hypervisor steps running) → `running`; `stopped`,
 * `suspended`; `error` (a step failed and was rolled back, the reservation released); `decommissioning` →
 * `decommissioned` (final; the reservation released). `missing`: the database says it exists, the hypervisor does not
 * (found by reconciliation).
 */
export const VM_STATES = ['placing', 'provisioning', 'running', 'stopped', 'suspended', 'error', 'missing', 'decommissioning', 'decommissioned'] as const;
export type VmState = (typeof VM_STATES)[number];
/** States that hold quota and host capacity. */
export const VM_HOLDING_STATES = ['placing', 'provisioning', 'running', 'stopped', 'suspended', 'error', 'missing', 'decommissioning'] as const satisfies readonly VmState[];

/** Lifecycle actions, each an outbox message `cloud.vm_action` handled by the hypervisor module. */
export const VM_ACTIONS = ['provision', 'start', 'stop', 'suspend', 'resume', 'resize', 'snapshot', 'decommission'] as const;
export type VmAction = (typeof VM_ACTIONS)[number];

/** A self-service request: the department administrator, then the platform approve (or auto-approval below a threshold). */
export const REQUEST_STATES = ['pending_department', 'pending_platform', 'approved', 'rejected', 'cancelled', 'provisioning', 'done', 'failed'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
export const REQUEST_KINDS = ['create', 'resize', 'decommission'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** The outbox topic of hypervisor work: payload {@link VmActionMessage}, key `vmId:action:seq`. */
export const VM_ACTION_TOPIC = 'cloud.vm_action';
export interface VmActionMessage {
  vmId: string;
  action: VmAction;
  /** The request that asked for it, when one did (its state follows the outcome). */
  requestId?: string | null;
  /** resize: the new shape. */
  vcpus?: number;
  memoryMb?: number;
  /** resize: the disk's new size, present only when it grows (D110: never shrunk). */
  diskGb?: number;
  /** snapshot: its name. */
  snapshot?: string;
  /** Who asked (audit attribution of the outcome). */
  actorId?: string | null;
}
