// Disk volumes of the libvirt driver against real QEMU (qemu:///session, TCG forced) on a directory pool of this test's
// own: a 1 GiB qcow2 volume (sparse, a few hundred KiB on disk) created and attached at define, grown on resize (off
// and running), deleted with the domain; a failure mid-way leaves no volume behind (define refused after the volume
// was made; a start that fails after define; decommission of a domain undefined behind our back). Skipped, loudly,
// only where virsh is not installed; CI installs libvirt and QEMU (.ci/run).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.ts';
import { HypervisorError } from '../../src/modules/cloud/index.ts';
import { LibvirtHypervisor, virshInstalled, type HypervisorService } from '../../src/modules/hypervisor/index.ts';
import { testApp } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { uniq } from '../support/factories.ts';
import { cloudFixture, held, placedVm, serviceOver } from '../support/hypervisor-factories.ts';

const URI = 'qemu:///session';
const GIB = 1024 ** 3;
const installed = await virshInstalled();
if (!installed) console.warn('SKIPPED: virsh is not installed (Debian: apt-get install libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86) — the disk volume tests on qemu:///session do not run here.');

const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof HypervisorError ? e.code : `other: ${String(e)}`));

describe.skipIf(!installed)('disk volumes on qemu:///session under TCG', () => {
  const pool = uniq('gc-pool-');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'govcloud-pool-'));
  const driver = new LibvirtHypervisor(URI, { accel: 'tcg', timeoutMs: 120_000, pool });
  const virsh = (...args: string[]) => execFileSync('virsh', ['-q', '-c', URI, ...args], { encoding: 'utf8' });
  /** The files in the pool's directory: what would be left on the host. */
  const files = () => readdirSync(dir).sort();
  const ours: string[] = [];
  let db: Kysely<Database>;
  let hv: HypervisorService;

  beforeAll(async () => {
    // a transient directory pool: gone with the daemon or at the end of this file
    virsh('pool-create-as', pool, 'dir', '--target', dir);
    ({ db } = await testDb());
    const { services } = await testApp();
    hv = serviceOver(db, services, URI, driver, { disks: true });
  });

  afterAll(() => {
    return (async () => {
      for (const d of await driver.list().catch(() => [])) if (ours.includes(d.name)) await driver.undefine(d.name).catch(() => undefined);
      driver.close();
      try {
        virsh('pool-destroy', pool);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    })();
  });

  const spec = (diskGb = 1) => {
    const s = { name: uniq('gc-d-'), uuid: randomUUID(), vcpus: 1, memoryMb: 64, diskGb };
    ours.push(s.name);
    return s;
  };

  it('create → attached at define → grown on resize (off, then running) → deleted with the domain', async () => {
    const s = spec(1);
    await driver.define(s);
    expect(files()).toContain(`${s.name}.qcow2`);
    const made = (await driver.volume(s.name))!;
    expect(made.capacityBytes).toBe(1 * GIB);
    // sparse qcow2: a 1 GiB disk costs next to nothing on the host
    expect(made.allocationBytes).toBeLessThan(16 * 1024 * 1024);
    const xml = virsh('dumpxml', s.name);
    expect(xml).toContain(`<source pool='${pool}' volume='${s.name}.qcow2'/>`);
    expect(xml).toMatch(/<target dev='vda' bus='virtio'\/>/);

    // off: the volume itself is resized, with the new shape in the definition
    await driver.resize(s.name, 1, 96, 2);
    expect((await driver.volume(s.name))!.capacityBytes).toBe(2 * GIB);
    expect(await driver.stats(s.name)).toMatchObject({ memoryMb: 96 });
    // running: QEMU holds the image open, so the block device grows live and the guest sees it at once
    await driver.start(s.name);
    await driver.resize(s.name, 1, 96, 3);
    expect((await driver.volume(s.name))!.capacityBytes).toBe(3 * GIB);
    expect(virsh('domblkinfo', s.name, 'vda', '--human')).toMatch(/Capacity:\s+3\.000 GiB/);
    // the same size again changes nothing; a smaller one is refused before anything changes
    await driver.resize(s.name, 1, 96, 3);
    expect(await codeOf(driver.resize(s.name, 2, 128, 1))).toBe('failed');
    expect((await driver.volume(s.name))!.capacityBytes).toBe(3 * GIB);
    expect(virsh('dumpxml', s.name, '--inactive')).toMatch(/<vcpu placement='static'>1<\/vcpu>/);

    // undefine (forced off first) takes the volume with it
    await driver.undefine(s.name);
    expect(await driver.volume(s.name)).toBeNull();
    expect(files()).not.toContain(`${s.name}.qcow2`);
  });

  it('a define refused after its volume was made deletes the volume (no orphan)', async () => {
    const first = spec(0);
    await driver.define(first);
    // another name with the same uuid: libvirt refuses the definition only after vol-create-as succeeded
    const clash = { ...spec(1), uuid: first.uuid };
    const before = files();
    expect(await codeOf(driver.define(clash))).toBe('domain_exists');
    expect(await driver.volume(clash.name)).toBeNull();
    expect(files()).toEqual(before);
    await driver.undefine(first.name);
  });

  it('a volume left by a crash before define is reused when the step resumes', async () => {
    const s = spec(1);
    virsh('vol-create-as', pool, `${s.name}.qcow2`, '1G', '--format', 'qcow2');
    await driver.define(s);
    expect(virsh('dumpxml', s.name)).toContain(`volume='${s.name}.qcow2'`);
    await driver.undefine(s.name);
    expect(files()).not.toContain(`${s.name}.qcow2`);
  });

  it('provisioning through the handler makes the volume; a start that fails after define rolls back domain and volume', async () => {
    const f = await cloudFixture(db, URI);
    const vm = await placedVm(db, f, { diskGb: 1 });
    ours.push(vm.domainName);
    expect(await hv.handle({ vmId: vm.id, action: 'provision' }, `${vm.id}:provision:1`)).toMatchObject({ outcome: 'succeeded', state: 'running' });
    expect((await driver.volume(vm.domainName))!.capacityBytes).toBe(GIB);
    expect(await hv.handle({ vmId: vm.id, action: 'decommission' }, `${vm.id}:decommission:1`)).toMatchObject({ outcome: 'succeeded', state: 'decommissioned' });
    expect(await driver.volume(vm.domainName)).toBeNull();
    expect(await held(db, f)).toMatchObject({ quotaVms: 0, quotaDiskGb: 0, poolGb: 0 });

    // 1 TB of guest memory: libvirt defines it (and its volume), QEMU cannot start it
    await db.updateTable('cloud_host').set({ memory_mb: 4_194_304 }).where('id', '=', f.hostId).execute();
    await db.updateTable('cloud_quota').set({ memory_mb_limit: 4_194_304 }).where('department_id', '=', f.departmentId).execute();
    const big = await placedVm(db, f, { memoryMb: 1_048_576, diskGb: 1 });
    ours.push(big.domainName);
    const result = await hv.handle({ vmId: big.id, action: 'provision' }, `${big.id}:provision:1`);
    expect(result).toMatchObject({ outcome: 'failed', state: 'error' });
    expect(result.error).toMatch(/rolled back: the domain was undefined/);
    expect((await driver.list()).some((d) => d.name === big.domainName)).toBe(false);
    expect(await driver.volume(big.domainName)).toBeNull();
    expect(files().filter((n) => n.startsWith(big.domainName))).toEqual([]);
    expect(await held(db, f)).toMatchObject({ quotaVms: 0, quotaDiskGb: 0, poolGb: 0 });
  });

  it('decommission of a domain undefined behind our back deletes the volume it left', async () => {
    const f = await cloudFixture(db, URI);
    const vm = await placedVm(db, f, { diskGb: 1 });
    ours.push(vm.domainName);
    await hv.handle({ vmId: vm.id, action: 'provision' }, `${vm.id}:provision:1`);
    // someone undefines the domain by hand, keeping its storage
    virsh('destroy', vm.domainName);
    virsh('undefine', vm.domainName);
    expect(await driver.volume(vm.domainName)).not.toBeNull();
    expect(await hv.handle({ vmId: vm.id, action: 'decommission' }, `${vm.id}:decommission:1`)).toMatchObject({ outcome: 'succeeded', state: 'decommissioned' });
    expect(await driver.volume(vm.domainName)).toBeNull();
    // a volume whose name a defined domain still holds is never an orphan
    const kept = spec(1);
    await driver.define(kept);
    expect(await driver.removeOrphanVolume(kept.name)).toBe(false);
    expect(await driver.volume(kept.name)).not.toBeNull();
    await driver.undefine(kept.name);
  });
});
