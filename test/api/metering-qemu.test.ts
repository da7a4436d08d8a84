// Metering's "used" figures against a real hypervisor: a tiny TCG domain (1 vCPU, 64 MB, diskless) provisioned through
// the hypervisor handler on qemu:///session, then the hourly metering job run twice around an hour boundary with the
// hypervisor service as its probe (statsOf). The hour after the first sample holds a CPU busy fraction and a memory
// figure that must be plausible: more than 0 and no more than what the VM was allocated — in the hour row, the month
// roll-up and the usage report. The job's clock runs at real speed (shifted to an hour of this test's own), so the CPU
// fraction is real CPU time over real elapsed time. Skipped, loudly, only where virsh is not installed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.ts';
import type { AuditService } from '../../src/modules/audit/index.ts';
import { LibvirtHypervisor, virshInstalled, type HypervisorService } from '../../src/modules/hypervisor/index.ts';
import { MeteringService } from '../../src/modules/metering/index.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { login, testApp, type Client } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newUser, uniq } from '../support/factories.ts';
import { cloudFixture, placedVm, serviceOver } from '../support/hypervisor-factories.ts';

const URI = 'qemu:///session';
const HOUR = 3_600_000;
const installed = await virshInstalled();
if (!installed) console.warn('SKIPPED: virsh is not installed (Debian: apt-get install libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86) — metering against qemu:///session does not run here.');

describe.skipIf(!installed)('metering against qemu:///session under TCG', () => {
  let db: Kysely<Database>;
  let hv: HypervisorService;
  let audit: AuditService;
  let app: Awaited<ReturnType<typeof testApp>>['app'];
  const driver = new LibvirtHypervisor(URI, { accel: 'tcg', timeoutMs: 120_000 });
  const ours: string[] = [];

  beforeAll(async () => {
    ({ db } = await testDb());
    const t = await testApp();
    app = t.app;
    audit = t.services.audit as AuditService;
    hv = serviceOver(db, t.services, URI, driver);
    await driver.version();
  });

  afterAll(async () => {
    for (const d of await driver.list().catch(() => [])) if (ours.includes(d.name)) await driver.undefine(d.name).catch(() => undefined);
    driver.close();
  });

  it('the hourly job records used CPU and memory above 0 and within the allocation', async () => {
    const f = await cloudFixture(db, URI);
    const vm = await placedVm(db, f, { vcpus: 1, memoryMb: 64, diskGb: 1 });
    ours.push(vm.domainName);
    expect(await hv.handle({ vmId: vm.id, action: 'provision' }, `${vm.id}:provision:1`)).toMatchObject({ outcome: 'succeeded', state: 'running' });

    const live = (await hv.statsOf(vm.id))!;
    expect(live.state).toBe('running');
    expect(live.cpuTimeNs).toBeGreaterThan(0);
    expect(live.memoryMb).toBeGreaterThan(0);
    expect(live.memoryMb).toBeLessThanOrEqual(64);

    // an hour of this test's own, some years ahead (other tests meter months of their own); the clock runs at real
    // speed from 2.5 s before the hour ends
    const hour = Date.UTC(2040 + Math.floor(Math.random() * 20), Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 27), Math.floor(Math.random() * 23));
    const offset = hour + HOUR - 2500 - Date.now();
    const clock: Clock = { now: () => new Date(Date.now() + offset) };
    const metering = new MeteringService({ db, clock, audit, probe: hv });

    // first run: meters the hour before (the first sample only sets the CPU counter's baseline: its CPU is unknown)
    const first = await metering.runHourly({ maxCatchUpHours: 1 });
    expect(first.hours).toEqual([new Date(hour - HOUR).toISOString()]);
    const before = await db.selectFrom('metering_usage_hour').selectAll().where('vm_id', '=', vm.id).execute();
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ state: 'running', cpu_used: null, memory_used_mb: 64 });

    // past the hour: the second run meters it with the CPU time used since the first sample
    while (clock.now().getTime() < hour + HOUR + 2500) await new Promise((r) => setTimeout(r, 250));
    const second = await metering.runHourly({ maxCatchUpHours: 1 });
    expect(second.hours).toEqual([new Date(hour).toISOString()]);
    const row = await db.selectFrom('metering_usage_hour').selectAll().where('vm_id', '=', vm.id).where('hour', '=', new Date(hour)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'running', vcpus: 1, memory_mb: 64 });
    const cpu = Number(row.cpu_used);
    expect(cpu).toBeGreaterThan(0);
    expect(cpu).toBeLessThanOrEqual(1);
    expect(row.memory_used_mb).toBeGreaterThan(0);
    expect(row.memory_used_mb).toBeLessThanOrEqual(64);

    // the usage report for the month: used within allocated, for the hour whose "used" is known
    const month = new Date(hour + 8 * HOUR).toISOString().slice(0, 7);
    const reader = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: f.regionCode }] });
    const client: Client = await login(app, reader.username, reader.password);
    const res = await client.get(`/api/metering/usage?month=${month}&departmentId=${f.departmentId}`);
    expect(res.statusCode).toBe(200);
    const usage = res.json() as { rows: { departmentId: string; vcpuHours: number; vcpuHoursUsed: number | null; memoryGbHours: number; memoryGbHoursUsed: number | null; cpuUtilisation: number | null }[] };
    const mine = usage.rows.find((r) => r.departmentId === f.departmentId)!;
    expect(mine.vcpuHoursUsed).not.toBeNull();
    expect(mine.vcpuHoursUsed!).toBeGreaterThanOrEqual(0);
    expect(mine.vcpuHoursUsed!).toBeLessThanOrEqual(mine.vcpuHours);
    expect(mine.cpuUtilisation!).toBeGreaterThan(0);
    expect(mine.cpuUtilisation!).toBeLessThanOrEqual(100);
    expect(mine.memoryGbHoursUsed!).toBeGreaterThan(0);
    expect(mine.memoryGbHoursUsed!).toBeLessThanOrEqual(mine.memoryGbHours);

    await hv.handle({ vmId: vm.id, action: 'decommission' }, `${vm.id}:decommission:1`);
  }, 60_000);

  it('records the used storage of a real sparse qcow2 volume in MiB, above 0 and far below its 1 GB (D121)', async () => {
    // a transient directory pool of this test's own, and a driver that makes disk volumes in it
    const pool = uniq('gc-mpool-');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'govcloud-mpool-'));
    execFileSync('virsh', ['-q', '-c', URI, 'pool-create-as', pool, 'dir', '--target', dir]);
    const diskDriver = new LibvirtHypervisor(URI, { accel: 'tcg', timeoutMs: 120_000, pool });
    const t = await testApp();
    const withDisks = serviceOver(db, t.services, URI, diskDriver, { disks: true });
    try {
      const f = await cloudFixture(db, URI);
      const vm = await placedVm(db, f, { vcpus: 1, memoryMb: 64, diskGb: 1 });
      try {
        expect(await withDisks.handle({ vmId: vm.id, action: 'provision' }, `${vm.id}:provision:1`)).toMatchObject({ outcome: 'succeeded', state: 'running' });
        const volume = (await diskDriver.volume(vm.domainName))!;
        const live = (await withDisks.statsOf(vm.id))!;
        expect(live.diskUsedBytes).toBeGreaterThan(0);
        expect(live.diskUsedBytes!).toBeLessThan(volume.capacityBytes);

        const hour = Date.UTC(2040 + Math.floor(Math.random() * 20), Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 27), Math.floor(Math.random() * 23));
        const clock: Clock = { now: () => new Date(hour + 60_000) };
        const metering = new MeteringService({ db, clock, audit, probe: withDisks });
        expect((await metering.runHourly({ maxCatchUpHours: 1 })).hours).toEqual([new Date(hour - HOUR).toISOString()]);
        const row = await db.selectFrom('metering_usage_hour').selectAll().where('vm_id', '=', vm.id).executeTakeFirstOrThrow();
        expect(row.disk_gb).toBe(1);
        // a fresh sparse volume: a few hundred KiB, which whole GB would have recorded as 0
        const usedMb = Number(row.disk_used_mb);
        expect(usedMb).toBeGreaterThan(0);
        expect(usedMb).toBeLessThan(64);
        expect(usedMb).toBeCloseTo(live.diskUsedBytes! / 2 ** 20, 0);

        const month = new Date(hour - HOUR + 8 * HOUR).toISOString().slice(0, 7);
        const reader = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: f.regionCode }] });
        const client: Client = await login(app, reader.username, reader.password);
        const mine = (await client.get(`/api/metering/usage?month=${month}&departmentId=${f.departmentId}`)).json().rows[0] as { storageGbHours: number; storageGbHoursUsed: number | null };
        expect(mine.storageGbHours).toBe(1);
        expect(mine.storageGbHoursUsed).toBeGreaterThan(0);
        expect(mine.storageGbHoursUsed!).toBeCloseTo(usedMb / 1024, 5);
      } finally {
        await withDisks.handle({ vmId: vm.id, action: 'decommission' }, `${vm.id}:decommission:1`);
      }
    } finally {
      diskDriver.close();
      try {
        execFileSync('virsh', ['-q', '-c', URI, 'pool-destroy', pool]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 120_000);
});
