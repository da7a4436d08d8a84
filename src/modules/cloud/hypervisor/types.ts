// The hypervisor contract (issue 10 §4): what the platform asks of a host. Implemented by the libvirt driver (virsh
// against test:///default, qemu:///session, qemu+ssh://…/system); `connect(uri)` in the hypervisor module returns one.
// Domain code sees only this interface and HypervisorError, never virsh's text.

export interface DomainSpec {
  /** Unique, ASCII (cloud_vm.domain_name). */
  name: string;
  /** cloud_vm.id, so a domain found on a host maps back to its row even if renamed. */
  uuid: string;
  vcpus: number;
  memoryMb: number;
  /** Diskless when 0 (tests); otherwise a qcow2 volume of this size in the host's default pool. */
  diskGb: number;
}

export type DomainState = 'running' | 'paused' | 'shutoff' | 'crashed' | 'other';

export interface DomainInfo {
  name: string;
  uuid: string;
  state: DomainState;
}

export interface DomainStats {
  state: DomainState;
  vcpus: number;
  memoryMb: number;
  /** Cumulative CPU time in nanoseconds (for used-versus-allocated metering). */
  cpuTimeNs: number;
  /** Bytes the domain's disk volume takes on the host (its allocation; a sparse qcow2 holds far less than its size); null: diskless or unknown. */
  diskUsedBytes?: number | null;
}

export type HypervisorErrorCode = 'domain_exists' | 'no_domain' | 'unreachable' | 'invalid_state' | 'failed';

export class HypervisorError extends Error {
  constructor(
    readonly code: HypervisorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HypervisorError';
  }
}

export interface Hypervisor {
  readonly uri: string;
  /** Define a persistent domain; `domain_exists` if the name or uuid is taken. */
  define(spec: DomainSpec): Promise<void>;
  start(name: string): Promise<void>;
  suspend(name: string): Promise<void>;
  resume(name: string): Promise<void>;
  /** Graceful shutdown, then forced off after `graceMs` (0: force at once). */
  stop(name: string, graceMs: number): Promise<void>;
  /**
   * Change vCPUs and memory in the persistent definition (applies at next start) and, when `diskGb` is given, grow the
   * disk volume to it at once (never shrunk: a smaller size fails before anything changes).
   */
  resize(name: string, vcpus: number, memoryMb: number, diskGb?: number): Promise<void>;
  snapshot(name: string, snapshot: string): Promise<void>;
  /** Remove the definition (and its snapshots); `no_domain` if it is not there. */
  undefine(name: string): Promise<void>;
  list(): Promise<DomainInfo[]>;
  stats(name: string): Promise<DomainStats>;
}
