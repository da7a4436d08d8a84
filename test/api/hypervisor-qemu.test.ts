// The hypervisor module against real QEMU through libvirt (qemu:///session, TCG emulation forced), with tiny diskless
// domains (1 vCPU, 64 MB, no disk): the driver's lifecycle, a provisioning through the outbox handler ending running,
// one that fails (the name defined by someone else) ending with the reservation released and nothing of ours left
// defined, a redelivery, and reconciliation noticing a domain undefined behind our back. Skipped, loudly, only where
// virsh is not installed; CI installs libvirt and QEMU (.ci/run), so CI runs it.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.ts';
import { HypervisorError } from '../../src/modules/cloud/index.ts';
import { connect, hypervisorConfig, HypervisorService, LibvirtHypervisor, virshInstalled } from '../../src/modules/hypervisor/index.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { testApp } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { uniq } from '../support/factories.ts';
import { cloudFixture, held, ledger, placedVm, vmRow } from '../support/hypervisor-factories.ts';

const URI = 'qemu:///session';
const installed = await virshInstalled();
if (!installed) console.warn('SKIPPED: virsh is not installed (Debian: apt-get install libvirt-clients libvirt-daemon qemu-system-x86) — the qemu:///session integration tests do not run here.');

describe.skipIf(!installed)('qemu:///session under TCG', () => {
  let db: Kysely<Database>;
  let hv: HypervisorService;
  // TCG forced so the test means the same on hosts with and without /dev/kvm
  const driver = new LibvirtHypervisor(URI, { accel: 'tcg', timeoutMs: 120_000 });
  const ours: string[] = [];

  beforeAll(async () => {
    ({ db } = await testDb());
    const { services } = await testApp();
    hv = new HypervisorService({
      db,
      clock: systemClock,
      audit: services.audit,
      outbox: services.outbox,
      config: { ...hypervisorConfig({}), disks: false, stopGraceMs: 0, timeoutMs: 120_000 },
      connect: (uri) => (uri === URI ? driver : connect(uri)),
    });
    // a daemon that does not answer is a failure here, not a skip: CI starts it (.ci/run)
    await driver.version();
  });

  afterAll(async () => {
    const left = await driver.list();
    for (const d of left) if (ours.includes(d.name)) await driver.undefine(d.name).catch(() => undefined);
    driver.close();
  });

  it('define → start → stats → suspend/resume → stop → undefine a diskless 64 MB domain', async () => {
    const spec = { name: uniq('gc-q-'), uuid: randomUUID(), vcpus: 1, memoryMb: 64, diskGb: 0 };
    ours.push(spec.name);
    expect(await driver.type()).toBe('qemu');
    await driver.define(spec);
    expect(await driver.state(spec.name)).toBe('shutoff');
    await driver.start(spec.name);
    const stats = await driver.stats(spec.name);
    expect(stats).toMatchObject({ state: 'running', vcpus: 1, memoryMb: 64 });
    expect(stats.cpuTimeNs).toBeGreaterThan(0);
    await driver.suspend(spec.name);
    expect(await driver.state(spec.name)).toBe('paused');
    await driver.resume(spec.name);
    expect(await driver.state(spec.name)).toBe('running');
    await driver.stop(spec.name, 0);
    expect(await driver.state(spec.name)).toBe('shutoff');
    await driver.undefine(spec.name);
    expect((await driver.list()).some((d) => d.name === spec.name)).toBe(false);
    const e = await driver.start(spec.name).catch((x: unknown) => x);
    expect((e as HypervisorError).code).toBe('no_domain');
  });

  it('provisions through the handler to running, a redelivery does nothing twice, decommission undefines and releases', async () => {
    const f = await cloudFixture(db, URI);
    const vm = await placedVm(db, f, { withRequest: true });
    ours.push(vm.domainName);
    const key = `${vm.id}:provision:1`;
    expect(await hv.handle({ vmId: vm.id, action: 'provision', requestId: vm.requestId }, key)).toMatchObject({ outcome: 'succeeded', state: 'running' });
    expect((await driver.list()).find((d) => d.name === vm.domainName)).toEqual({ name: vm.domainName, uuid: vm.id, state: 'running' });
    expect(await hv.handle({ vmId: vm.id, action: 'provision', requestId: vm.requestId }, key)).toMatchObject({ outcome: 'skipped' });
    expect((await db.selectFrom('cloud_vm_request').select('state').where('id', '=', vm.requestId!).executeTakeFirstOrThrow()).state).toBe('done');
    expect(await hv.statsOf(vm.id)).toMatchObject({ state: 'running', vcpus: 1, memoryMb: 64 });
    expect(await hv.handle({ vmId: vm.id, action: 'decommission' }, `${vm.id}:decommission:1`)).toMatchObject({ outcome: 'succeeded', state: 'decommissioned' });
    expect((await driver.list()).some((d) => d.name === vm.domainName)).toBe(false);
    expect(await held(db, f)).toMatchObject({ quotaVms: 0, hostVcpus: 0, poolGb: 0 });
  });

  it('a name defined by someone else: the provisioning fails, the reservation is released, nothing of ours is defined', async () => {
    const f = await cloudFixture(db, URI);
    const vm = await placedVm(db, f, { withRequest: true });
    ours.push(vm.domainName);
    const foreign = randomUUID();
    await driver.define({ name: vm.domainName, uuid: foreign, vcpus: 1, memoryMb: 64, diskGb: 0 });
    const result = await hv.handle({ vmId: vm.id, action: 'provision', requestId: vm.requestId }, `${vm.id}:provision:1`);
    expect(result).toMatchObject({ outcome: 'failed', state: 'error' });
    expect(result.error).toMatch(/hypervisor\.domain_exists/);
    expect(await held(db, f)).toMatchObject({ quotaVcpus: 0, quotaVms: 0, hostVcpus: 0, hostMemoryMb: 0, poolGb: 0 });
    expect((await driver.list()).filter((d) => d.uuid === vm.id)).toEqual([]);
    expect((await driver.list()).find((d) => d.name === vm.domainName)?.uuid).toBe(foreign);
    expect((await ledger(db, vm.id)).map((e) => e.outcome)).toEqual(['started', 'failed', 'rolled_back']);
    await driver.undefine(vm.domainName);
  });

  it('a start that fails after define rolls the definition back (a guest asking for 1 TB of memory)', async () => {
    const f = await cloudFixture(db, URI);
    // 1 TB of guest memory: libvirt defines it, QEMU cannot start it
    await db.updateTable('cloud_host').set({ memory_mb: 4_194_304 }).where('id', '=', f.hostId).execute();
    await db.updateTable('cloud_quota').set({ memory_mb_limit: 4_194_304 }).where('department_id', '=', f.departmentId).execute();
    const vm = await placedVm(db, f, { memoryMb: 1_048_576 });
    ours.push(vm.domainName);
    const result = await hv.handle({ vmId: vm.id, action: 'provision' }, `${vm.id}:provision:1`);
    expect(result).toMatchObject({ outcome: 'failed', state: 'error' });
    expect(result.error).toMatch(/rolled back: the domain was undefined/);
    expect((await driver.list()).some((d) => d.name === vm.domainName)).toBe(false);
    expect(await held(db, f)).toMatchObject({ quotaVms: 0, hostMemoryMb: 0 });
  });

  it('reconciliation notices a domain undefined behind our back', async () => {
    const f = await cloudFixture(db, URI);
    const vm = await placedVm(db, f);
    ours.push(vm.domainName);
    await hv.handle({ vmId: vm.id, action: 'provision' }, `${vm.id}:provision:1`);
    await driver.undefine(vm.domainName);
    const report = (await hv.reconcileHostById(f.hostId))!;
    expect(report.changes).toEqual([{ vmId: vm.id, domain: vm.domainName, from: 'running', to: 'missing', observed: 'absent' }]);
    expect(await vmRow(db, vm.id)).toMatchObject({ state: 'missing', state_detail: 'The domain is not defined on its host.' });
    expect(await hv.handle({ vmId: vm.id, action: 'decommission' }, `${vm.id}:decommission:1`)).toMatchObject({ state: 'decommissioned' });
    expect(await held(db, f)).toMatchObject({ quotaVms: 0 });
  });
});
