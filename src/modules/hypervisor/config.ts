// The hypervisor module's own settings (a module owns its config, D80), validated when the service is built.
import { ConfigError } from '../../config.ts';

export interface HypervisorConfig {
  /** GOVCLOUD_HYPERVISOR_DISKS — 1 (default): a VM's disk is a qcow2 volume in the host's libvirt pool `default`; 0: diskless domains (test hosts). */
  disks: boolean;
  /** GOVCLOUD_HYPERVISOR_STOP_GRACE_MS — how long a stop waits for the guest's ACPI shutdown before forcing it off (0–600000, default 30000). */
  stopGraceMs: number;
  /** GOVCLOUD_HYPERVISOR_TIMEOUT_MS — the longest wait for one virsh command (1000–600000, default 30000). */
  timeoutMs: number;
  /** GOVCLOUD_HYPERVISOR_RECONCILE_CRON — when libvirt and the database are compared (default every 5 minutes). */
  reconcileCron: string;
}

function whole(env: Record<string, string | undefined>, name: string, min: number, max: number, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(name, `must be a whole number ${min}–${max}, got "${raw}"`);
  return n;
}

export function hypervisorConfig(env: Record<string, string | undefined> = process.env): HypervisorConfig {
  const disks = env.GOVCLOUD_HYPERVISOR_DISKS?.trim() ?? '1';
  if (!['0', '1', ''].includes(disks)) throw new ConfigError('GOVCLOUD_HYPERVISOR_DISKS', `must be 0 or 1, got "${disks}"`);
  const cron = env.GOVCLOUD_HYPERVISOR_RECONCILE_CRON?.trim() || '*/5 * * * *';
  if (cron.split(/\s+/).length !== 5) throw new ConfigError('GOVCLOUD_HYPERVISOR_RECONCILE_CRON', `must be a five-field cron expression, got "${cron}"`);
  return {
    disks: disks !== '0',
    stopGraceMs: whole(env, 'GOVCLOUD_HYPERVISOR_STOP_GRACE_MS', 0, 600_000, 30_000),
    timeoutMs: whole(env, 'GOVCLOUD_HYPERVISOR_TIMEOUT_MS', 1000, 600_000, 30_000),
    reconcileCron: cron,
  };
}
