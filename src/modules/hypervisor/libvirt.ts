// The libvirt driver (issue 10 §4, D92): domain XML from a DomainSpec, driven through a persistent `virsh` shell per
// URI (test:///default, qemu:///session, qemu:///system, qemu+ssh://host/system). virsh's text never leaves this file:
// callers see HypervisorError codes (domain_exists, no_domain, unreachable, invalid_state, failed).
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HypervisorError, type DomainInfo, type DomainSpec, type DomainState, type DomainStats, type Hypervisor, type HypervisorErrorCode } from '../cloud/index.ts';
import { VirshShell, VirshUnavailable, type VirshResult } from './virsh.ts';

export interface LibvirtOptions {
  /** Longest wait for one virsh command (default 30 s). */
  timeoutMs?: number;
  /** The virsh binary (tests point it at a missing one). */
  binary?: string;
  /** 'tcg' forces software emulation even where KVM is offered (the benchmark); default: KVM when the host has it. */
  accel?: 'auto' | 'tcg';
  /** The libvirt storage pool that holds the VMs' qcow2 volumes (default 'default'). */
  pool?: string;
}

export type VirtType = 'test' | 'kvm' | 'qemu';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

function checkName(name: string, what = 'domain name'): void {
  if (!NAME.test(name)) throw new HypervisorError('failed', `Invalid ${what} "${name}": 1–64 ASCII letters, digits, '_', '.', '-'.`);
}

export function checkSpec(spec: DomainSpec): void {
  checkName(spec.name);
  if (!UUID.test(spec.uuid)) throw new HypervisorError('failed', `Invalid domain uuid "${spec.uuid}".`);
  if (!Number.isInteger(spec.vcpus) || spec.vcpus < 1 || spec.vcpus > 256) throw new HypervisorError('failed', `vcpus must be an integer 1–256, not ${spec.vcpus}.`);
  if (!Number.isInteger(spec.memoryMb) || spec.memoryMb < 16 || spec.memoryMb > 4194304) throw new HypervisorError('failed', `memoryMb must be an integer 16–4194304, not ${spec.memoryMb}.`);
  if (!Number.isInteger(spec.diskGb) || spec.diskGb < 0 || spec.diskGb > 65536) throw new HypervisorError('failed', `diskGb must be an integer 0–65536, not ${spec.diskGb}.`);
}

/** The volume that holds a domain's disk. */
export const volumeOf = (name: string) => `${name}.qcow2`;

/** Domain XML for a spec: diskless when diskGb is 0, else a virtio disk on a qcow2 volume of `pool`. */
export function domainXml(spec: DomainSpec, type: VirtType, pool = 'default'): string {
  checkSpec(spec);
  const disk =
    spec.diskGb > 0
      ? `    <disk type='volume' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n      <source pool='${escapeXml(pool)}' volume='${escapeXml(volumeOf(spec.name))}'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n`
      : '';
  const machine = type === 'test' ? '' : ` arch='x86_64'`;
  const qemuOnly = type === 'test' ? '' : `    <memballoon model='none'/>\n`;
  return (
    `<domain type='${type}'>\n` +
    `  <name>${escapeXml(spec.name)}</name>\n` +
    `  <uuid>${escapeXml(spec.uuid.toLowerCase())}</uuid>\n` +
    `  <memory unit='MiB'>${spec.memoryMb}</memory>\n` +
    `  <currentMemory unit='MiB'>${spec.memoryMb}</currentMemory>\n` +
    `  <vcpu placement='static'>${spec.vcpus}</vcpu>\n` +
    `  <os>\n    <type${machine}>hvm</type>\n    <boot dev='hd'/>\n  </os>\n` +
    `  <features>\n    <acpi/>\n  </features>\n` +
    `  <clock offset='utc'/>\n` +
    `  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  <on_crash>destroy</on_crash>\n` +
    `  <devices>\n${disk}${qemuOnly}  </devices>\n` +
    `</domain>\n`
  );
}

/** virsh's error text → the contract's code. */
export function errorCodeOf(text: string): HypervisorErrorCode {
  if (/failed to connect to the hypervisor|no valid connection|Failed to connect socket to '[^']*libvirt-sock|Disconnected from|End of file while reading|Cannot recv data|Cannot write data|Connection reset|unable to connect|no connection driver available|Broken pipe/i.test(text)) return 'unreachable';
  if (/failed to get domain|Domain not found|no domain with matching/i.test(text)) return 'no_domain';
  if (/already exists|already defined/i.test(text)) return 'domain_exists';
  if (/Requested operation is not valid|domain is not running|already active|already running|not paused|is not active|not running/i.test(text)) return 'invalid_state';
  return 'failed';
}

const STATE: Record<string, DomainState> = { running: 'running', idle: 'running', blocked: 'running', paused: 'paused', 'shut off': 'shutoff', crashed: 'crashed' };
export const stateOf = (text: string): DomainState => STATE[text.trim().toLowerCase()] ?? 'other';

const GIB = 1024 ** 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class LibvirtHypervisor implements Hypervisor {
  private readonly shell: VirshShell;
  private virtType: Promise<VirtType> | null = null;

  constructor(
    readonly uri: string,
    private readonly options: LibvirtOptions = {},
  ) {
    this.shell = new VirshShell(uri, { binary: options.binary, timeoutMs: options.timeoutMs ?? 30_000 });
  }

  /** Runs a command; a failure becomes a HypervisorError with the command named. */
  private async virsh(args: readonly string[], timeoutMs?: number): Promise<string> {
    const r = await this.raw(args, timeoutMs);
    if (!r.ok) throw new HypervisorError(errorCodeOf(r.err), `${args[0]}: ${r.err}`);
    return r.out;
  }

  private async raw(args: readonly string[], timeoutMs?: number): Promise<VirshResult> {
    try {
      return await this.shell.run(args, timeoutMs);
    } catch (e) {
      if (e instanceof VirshUnavailable) throw new HypervisorError('unreachable', `${this.uri}: ${e.message}`);
      throw e;
    }
  }

  /** The libvirt and hypervisor versions (a connection check). */
  async version(): Promise<{ library: string; hypervisor: string }> {
    const out = await this.virsh(['version']);
    return { library: /Using library:\s*(.+)/.exec(out)?.[1]?.trim() ?? '', hypervisor: /Running hypervisor:\s*(.+)/.exec(out)?.[1]?.trim() ?? '' };
  }

  /** test for test:///, else kvm when the host's capabilities offer it (and TCG is not forced), else qemu (TCG). */
  type(): Promise<VirtType> {
    this.virtType ??= (async () => {
      if (this.uri.startsWith('test:')) return 'test' as const;
      if (this.options.accel === 'tcg') return 'qemu' as const;
      const caps = await this.virsh(['capabilities']);
      return /<domain type=['"]kvm['"]/.test(caps) ? ('kvm' as const) : ('qemu' as const);
    })();
    this.virtType.catch(() => (this.virtType = null));
    return this.virtType;
  }

  /** The uuid of a defined domain, or null when there is none of that name. */
  async uuidOf(name: string): Promise<string | null> {
    checkName(name);
    const r = await this.raw(['domuuid', name]);
    if (r.ok) return r.out.trim().toLowerCase();
    const code = errorCodeOf(r.err);
    if (code === 'no_domain') return null;
    throw new HypervisorError(code, `domuuid: ${r.err}`);
  }

  async define(spec: DomainSpec): Promise<void> {
    checkSpec(spec);
    const existing = await this.uuidOf(spec.name);
    // `virsh define` silently replaces a definition of the same name and uuid: the contract wants it refused
    if (existing !== null) throw new HypervisorError('domain_exists', `A domain named "${spec.name}" exists already on ${this.uri} (uuid ${existing}).`);
    const type = await this.type();
    const pool = this.pool;
    if (spec.diskGb > 0) {
      const r = await this.raw(['vol-create-as', pool, volumeOf(spec.name), `${spec.diskGb}G`, '--format', 'qcow2']);
      // a volume of the domain's name left by an earlier attempt that stopped before `define` is reused (the step resumes)
      if (!r.ok && !/exists already|already exists/i.test(r.err)) throw new HypervisorError(errorCodeOf(r.err) === 'unreachable' ? 'unreachable' : 'failed', `vol-create-as: ${r.err}`);
    }
    try {
      await this.defineXml(domainXml(spec, type, pool));
    } catch (e) {
      // compensation: the volume made for a definition that did not happen goes with it
      if (spec.diskGb > 0) await this.raw(['vol-delete', volumeOf(spec.name), '--pool', pool]).catch(() => undefined);
      throw e;
    }
  }

  /** The storage pool of this connection's disk volumes. */
  get pool(): string {
    return this.options.pool ?? 'default';
  }

  /** `virsh define` of an XML text (through a private temporary file). */
  private async defineXml(xml: string): Promise<void> {
    const file = path.join(os.tmpdir(), `govcloud-domain-${randomBytes(6).toString('hex')}.xml`);
    await writeFile(file, xml, { mode: 0o600 });
    try {
      await this.virsh(['define', file]);
    } finally {
      await rm(file, { force: true });
    }
  }

  /** The domain's disk volume in the pool (sizes in bytes), or null when there is none of that name. */
  async volume(name: string): Promise<{ capacityBytes: number; allocationBytes: number } | null> {
    checkName(name);
    const r = await this.raw(['vol-info', volumeOf(name), '--pool', this.pool, '--bytes']);
    if (!r.ok) {
      if (/Storage volume not found|no storage vol/i.test(r.err)) return null;
      throw new HypervisorError(errorCodeOf(r.err) === 'unreachable' ? 'unreachable' : 'failed', `vol-info: ${r.err}`);
    }
    const bytes = (label: string) => Number(new RegExp(`^${label}:\\s*(\\d+)`, 'm').exec(r.out)?.[1] ?? NaN);
    return { capacityBytes: bytes('Capacity'), allocationBytes: bytes('Allocation') };
  }

  /**
   * Deletes the domain's disk volume when no domain of that name is defined (a volume orphaned by a crash between its
   * creation and the definition, or by a domain undefined behind our back). True when one was deleted.
   */
  async removeOrphanVolume(name: string): Promise<boolean> {
    if ((await this.uuidOf(name)) !== null) return false;
    if ((await this.volume(name)) === null) return false;
    const r = await this.raw(['vol-delete', volumeOf(name), '--pool', this.pool]);
    if (!r.ok && !/Storage volume not found|no storage vol/i.test(r.err)) throw new HypervisorError(errorCodeOf(r.err) === 'unreachable' ? 'unreachable' : 'failed', `vol-delete: ${r.err}`);
    return r.ok;
  }

  async start(name: string): Promise<void> {
    checkName(name);
    await this.virsh(['start', name], 120_000);
  }

  async suspend(name: string): Promise<void> {
    checkName(name);
    await this.virsh(['suspend', name]);
  }

  async resume(name: string): Promise<void> {
    checkName(name);
    await this.virsh(['resume', name]);
  }

  async state(name: string): Promise<DomainState> {
    checkName(name);
    return stateOf(await this.virsh(['domstate', name]));
  }

  /** ACPI shutdown, then forced off after graceMs; a domain already off is left as it is. */
  async stop(name: string, graceMs: number): Promise<void> {
    let state = await this.state(name);
    if (state === 'shutoff') return;
    if (graceMs > 0 && state === 'running') {
      const r = await this.raw(['shutdown', name]);
      if (!r.ok && errorCodeOf(r.err) !== 'invalid_state') throw new HypervisorError(errorCodeOf(r.err), `shutdown: ${r.err}`);
      const until = Date.now() + graceMs;
      while (Date.now() < until && (state = await this.state(name)) !== 'shutoff') await sleep(200);
      if (state === 'shutoff') return;
    }
    const r = await this.raw(['destroy', name]);
    if (r.ok) return;
    // it went off by itself meanwhile
    if (errorCodeOf(r.err) === 'invalid_state' && (await this.state(name)) === 'shutoff') return;
    throw new HypervisorError(errorCodeOf(r.err), `destroy: ${r.err}`);
  }

  /**
   * New vCPUs and memory in the persistent definition (applied at the next start) and, when `diskGb` is given, the disk
   * volume grown to it (at once: `blockresize` while the domain runs, `vol-resize` when it is off). A disk is never
   * shrunk (refused before anything changes); when the growth fails, the previous definition is put back.
   */
  async resize(name: string, vcpus: number, memoryMb: number, diskGb?: number): Promise<void> {
    checkName(name);
    if (!Number.isInteger(vcpus) || vcpus < 1 || vcpus > 256) throw new HypervisorError('failed', `vcpus must be an integer 1–256, not ${vcpus}.`);
    if (!Number.isInteger(memoryMb) || memoryMb < 16 || memoryMb > 4194304) throw new HypervisorError('failed', `memoryMb must be an integer 16–4194304, not ${memoryMb}.`);
    if (diskGb !== undefined && (!Number.isInteger(diskGb) || diskGb < 1 || diskGb > 65536)) throw new HypervisorError('failed', `diskGb must be an integer 1–65536, not ${diskGb}.`);
    const xml = await this.virsh(['dumpxml', name, '--inactive']);
    let grow = false;
    if (diskGb !== undefined) {
      if (!/<source\s+pool=/.test(xml)) throw new HypervisorError('failed', `The domain "${name}" has no disk volume to grow.`);
      const vol = await this.volume(name);
      if (!vol) throw new HypervisorError('failed', `The disk volume ${volumeOf(name)} of "${name}" is not in pool ${this.pool}.`);
      if (diskGb * GIB < vol.capacityBytes) throw new HypervisorError('failed', `A disk is never shrunk: ${volumeOf(name)} holds ${vol.capacityBytes / GIB} GiB, asked ${diskGb} GiB.`);
      grow = diskGb * GIB > vol.capacityBytes;
    }
    const kib = memoryMb * 1024;
    const changed = xml
      .replace(/<vcpu\b([^>]*)>\s*\d+\s*<\/vcpu>/, (_m, attrs: string) => `<vcpu${attrs.replace(/\s*current=['"]\d+['"]/, '')}>${vcpus}</vcpu>`)
      .replace(/<memory\b[^>]*>\s*\d+\s*<\/memory>/, `<memory unit='KiB'>${kib}</memory>`)
      .replace(/<currentMemory\b[^>]*>\s*\d+\s*<\/currentMemory>/, `<currentMemory unit='KiB'>${kib}</currentMemory>`);
    await this.defineXml(changed);
    if (!grow) return;
    try {
      if ((await this.state(name)) === 'shutoff') await this.virsh(['vol-resize', volumeOf(name), `${diskGb}G`, '--pool', this.pool], 120_000);
      else await this.virsh(['blockresize', name, 'vda', `${diskGb}G`], 120_000);
    } catch (e) {
      // compensation: the shape goes back to what it was, so the action fails as a whole
      await this.defineXml(xml).catch(() => undefined);
      throw e;
    }
  }

  async snapshot(name: string, snapshot: string): Promise<void> {
    checkName(name);
    checkName(snapshot, 'snapshot name');
    await this.virsh(['snapshot-create-as', name, snapshot], 120_000);
  }

  /** Forced off if it runs (an undefined domain must not live on as a transient one), then its definition removed. */
  async undefine(name: string): Promise<void> {
    const state = await this.state(name);
    if (state !== 'shutoff') await this.stop(name, 0);
    const xml = await this.virsh(['dumpxml', name, '--inactive']);
    const args = ['undefine', name, '--snapshots-metadata'];
    if (/<source\s+pool=/.test(xml)) args.push('--remove-all-storage');
    await this.virsh(args);
  }

  async list(): Promise<DomainInfo[]> {
    const ids = await this.virsh(['list', '--all', '--uuid', '--name']);
    const table = await this.virsh(['list', '--all']);
    const states = new Map<string, DomainState>();
    for (const line of table.split('\n')) {
      const m = /^\s*(\d+|-)\s+(\S+)\s+(.+?)\s*$/.exec(line);
      if (m) states.set(m[2]!, stateOf(m[3]!));
    }
    const out: DomainInfo[] = [];
    for (const line of ids.split('\n')) {
      const m = /^\s*([0-9a-fA-F-]{36})\s+(\S+)\s*$/.exec(line);
      if (m) out.push({ uuid: m[1]!.toLowerCase(), name: m[2]!, state: states.get(m[2]!) ?? 'other' });
    }
    return out;
  }

  async stats(name: string): Promise<DomainStats> {
    checkName(name);
    const info = await this.virsh(['dominfo', name]);
    const field = (label: string) => new RegExp(`^${label}:\\s*(.+)$`, 'm').exec(info)?.[1]?.trim() ?? '';
    const memoryKib = Number(/^(\d+)/.exec(field('Used memory'))?.[1] ?? /^(\d+)/.exec(field('Max memory'))?.[1] ?? 0);
    let cpuTimeNs = Math.round(Number(/^([\d.]+)s/.exec(field('CPU time'))?.[1] ?? 0) * 1e9);
    const raw = await this.raw(['domstats', name, '--cpu-total', '--raw']);
    const precise = raw.ok ? /cpu\.time=(\d+)/.exec(raw.out)?.[1] : undefined;
    if (precise !== undefined) cpuTimeNs = Number(precise);
    // the disk volume's allocation (vol-info); a diskless domain, or a pool that cannot say, leaves it unknown
    const volume = await this.volume(name).catch(() => null);
    const diskUsedBytes = volume && Number.isFinite(volume.allocationBytes) ? volume.allocationBytes : null;
    return { state: stateOf(field('State')), vcpus: Number(field('CPU\\(s\\)')) || 0, memoryMb: Math.round(memoryKib / 1024), cpuTimeNs, diskUsedBytes };
  }

  /** Ends the virsh shell. */
  close(): void {
    this.shell.close();
  }
}

const connections = new Map<string, LibvirtHypervisor>();

/** The driver for a URI, one per URI per process (each keeps its virsh shell open). */
export function connect(uri: string, options: LibvirtOptions = {}): LibvirtHypervisor {
  const key = `${uri}\u0000${options.binary ?? ''}\u0000${options.accel ?? 'auto'}`;
  let h = connections.get(key);
  if (!h) connections.set(key, (h = new LibvirtHypervisor(uri, options)));
  return h;
}

/** Closes every cached connection (shutdown, tests). */
export function closeConnections(): void {
  for (const h of connections.values()) h.close();
  connections.clear();
}

/** Whether a virsh binary runs here (tests skip the qemu suite only when it does not). */
export async function virshInstalled(binary = 'virsh'): Promise<boolean> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => execFile(binary, ['--version'], { timeout: 10_000 }, (err) => resolve(!err)));
}
