// The hypervisor module on libvirt's test driver (test:///default) with the real database: provisioning through the
// outbox handler as steps with compensation, every lifecycle action, redelivery after a crash, the failures (domain
// taken by someone else, no hypervisor, daemon gone) rolling the reservation back, reconciliation, and the routes.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import type { Database } from '../../src/db/schema.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { VM_ACTION_TOPIC } from '../../src/modules/cloud/index.ts';
import { connect, hypervisorModule, virshInstalled, type HypervisorService, type LibvirtHypervisor } from '../../src/modules/hypervisor/index.ts';
import type { Services } from '../../src/services.ts';
import { login, testApp, type Client } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newUser } from '../support/factories.ts';
import { cloudFixture, held, ledger, placedVm, settledEvents, testHypervisorService, vmRow, type CloudFixture } from '../support/hypervisor-factories.ts';

const installed = await virshInstalled();
if (!installed) console.warn('SKIPPED: virsh is not installed (Debian: apt-get install libvirt-clients) — the hypervisor tests on test:///default do not run here.');

const TEST_URI = 'test:///default';
let db: Kysely<Database>;
let services: Services;
let hv: HypervisorService;
let driver: LibvirtHypervisor;
let admin: Client;
let config: Config;

beforeAll(async () => {
  ({ db } = await testDb());
  const built = await testApp();
  services = built.services;
  config = built.config;
  hv = testHypervisorService(db, services);
  driver = connect(TEST_URI, { timeoutMs: 60_000 });
  const user = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
  admin = await login(built.app, user.username, user.password);
});

const key = () => `test:${randomUUID()}`;
const EMPTY = { quotaVcpus: 0, quotaMemoryMb: 0, quotaDiskGb: 0, quotaVms: 0, hostVcpus: 0, hostMemoryMb: 0, poolGb: 0 };

describe.skipIf(!installed)('provisioning on test:///default', () => {
  let f: CloudFixture;
  beforeAll(async () => {
    f = await cloudFixture(db, TEST_URI);
  });

  it('define → start through the module’s outbox handler: running, request done, ledger, audit, settled event', async () => {
    const vm = await placedVm(db, f, { vcpus: 2, memoryMb: 128, diskGb: 5, withRequest: true });
    const handler = hypervisorModule.outboxHandlers!({ db, config, clock: systemClock, services, service: hv })[VM_ACTION_TOPIC]!;
    await handler({ id: randomUUID(), topic: VM_ACTION_TOPIC, key: `${vm.id}:provision:1`, payload: { vmId: vm.id, action: 'provision', requestId: vm.requestId, actorId: f.userId }, attempt: 1 });
    expect(await vmRow(db, vm.id)).toMatchObject({ state: 'running', state_detail: '' });
    const domain = (await driver.list()).find((d) => d.name === vm.domainName);
    expect(domain).toEqual({ name: vm.domainName, uuid: vm.id, state: 'running' });
    expect((await ledger(db, vm.id)).map((e) => `${e.action}:${e.outcome}:${e.state}`)).toEqual(['provision:started:provisioning', 'provision:succeeded:running']);
    expect((await db.selectFrom('cloud_vm_request').select('state').where('id', '=', vm.requestId!).executeTakeFirstOrThrow()).state).toBe('done');
    expect(await settledEvents(db, vm.id)).toEqual([{ vmId: vm.id, action: 'provision', requestId: vm.requestId, outcome: 'succeeded' }]);
    const audit = await db.selectFrom('audit_log').select(['action', 'outcome']).where('object_id', '=', vm.id).execute();
    expect(audit).toEqual([{ action: 'hypervisor.vm_action', outcome: 'success' }]);
    // the reservation stays with the running VM
    expect(await held(db, f)).toMatchObject({ quotaVcpus: 2, hostVcpus: 2, poolGb: 5 });
    await hv.handle({ vmId: vm.id, action: 'decommission' }, key());
  });

  it('a domain name taken by someone else: error, request failed, reservation released, their domain untouched', async () => {
    const g = await cloudFixture(db, TEST_URI);
    const vm = await placedVm(db, g, { vcpus: 3, memoryMb: 256, diskGb: 7, withRequest: true });
    const foreign = randomUUID();
    await driver.define({ name: vm.domainName, uuid: foreign, vcpus: 1, memoryMb: 64, diskGb: 0 });
    const result = await hv.handle({ vmId: vm.id, action: 'provision', requestId: vm.requestId }, key());
    expect(result).toMatchObject({ outcome: 'failed', state: 'error' });
    expect(result.error).toMatch(/^hypervisor\.domain_exists: /);
    expect((await vmRow(db, vm.id)).state_detail).toMatch(/hypervisor\.domain_exists/);
    expect(await held(db, g)).toMatchObject(EMPTY);
    const request = await db.selectFrom('cloud_vm_request').select(['state', 'failure']).where('id', '=', vm.requestId!).executeTakeFirstOrThrow();
    expect(request.state).toBe('failed');
    expect(request.failure).toMatch(/domain_exists/);
    expect((await ledger(db, vm.id)).map((e) => e.outcome)).toEqual(['started', 'failed', 'rolled_back']);
    // the other domain is theirs: still there, with its own uuid
    expect((await driver.list()).filter((d) => d.name === vm.domainName)).toEqual([{ name: vm.domainName, uuid: foreign, state: 'shutoff' }]);
    expect(await settledEvents(db, vm.id)).toMatchObject([{ outcome: 'failed', action: 'provision' }]);
    // a redelivery of the settled message changes nothing (released once, not twice)
    expect((await hv.handle({ vmId: vm.id, action: 'provision', requestId: vm.requestId }, key())).outcome).toBe('skipped');
    expect(await held(db, g)).toMatchObject(EMPTY);
    // decommissioning the failed VM gives nothing back a second time
    await placedVm(db, g, { vcpus: 1, memoryMb: 64, diskGb: 1, state: 'running' });
    await hv.handle({ vmId: vm.id, action: 'decommission' }, key());
    expect(await held(db, g)).toMatchObject({ quotaVcpus: 1, hostVcpus: 1, poolGb: 1, quotaVms: 1 });
    await driver.undefine(vm.domainName);
  });

  it('a host without a hypervisor fails at once with cloud.no_hypervisor and rolls back', async () => {
    const g = await cloudFixture(db, null);
    const vm = await placedVm(db, g, { withRequest: true });
    const result = await hv.handle({ vmId: vm.id, action: 'provision', requestId: vm.requestId }, key());
    expect(result).toMatchObject({ outcome: 'failed', state: 'error' });
    expect(result.error).toMatch(/^cloud\.no_hypervisor: /);
    expect(await held(db, g)).toMatchObject(EMPTY);
    expect((await ledger(db, vm.id)).find((e) => e.outcome === 'rolled_back')?.detail).toMatchObject({ reachedHypervisor: false });
  });

  it('a daemon that is gone: hypervisor.unreachable, nothing half-provisioned, the reservation released', async () => {
    const g = await cloudFixture(db, 'qemu+tcp://127.0.0.1:1/system');
    const vm = await placedVm(db, g, { vcpus: 2, withRequest: true });
    const result = await hv.handle({ vmId: vm.id, action: 'provision', requestId: vm.requestId }, key());
    expect(result.error).toMatch(/^hypervisor\.unreachable: .*connect/i);
    expect(await vmRow(db, vm.id)).toMatchObject({ state: 'error' });
    expect(await held(db, g)).toMatchObject(EMPTY);
  });

  it('resumes after a crash between define and the commit: the domain with our uuid counts as defined', async () => {
    const vm = await placedVm(db, f);
    // the first delivery defined the domain, then the process died before anything was committed
    await driver.define({ name: vm.domainName, uuid: vm.id, vcpus: 1, memoryMb: 64, diskGb: 0 });
    const k = key();
    expect(await hv.handle({ vmId: vm.id, action: 'provision' }, k)).toMatchObject({ outcome: 'succeeded', state: 'running' });
    // the same message delivered again (the worker died after the commit): nothing happens twice
    expect(await hv.handle({ vmId: vm.id, action: 'provision' }, k)).toMatchObject({ outcome: 'skipped', state: 'running' });
    expect((await driver.list()).filter((d) => d.name === vm.domainName)).toHaveLength(1);
    expect(await settledEvents(db, vm.id)).toHaveLength(1);
    // and a crash after start: the domain runs already, start's invalid_state is taken as done
    const again = await placedVm(db, f);
    await driver.define({ name: again.domainName, uuid: again.id, vcpus: 1, memoryMb: 64, diskGb: 0 });
    await driver.start(again.domainName);
    expect(await hv.handle({ vmId: again.id, action: 'provision' }, key())).toMatchObject({ outcome: 'succeeded', state: 'running' });
    for (const id of [vm.id, again.id]) await hv.handle({ vmId: id, action: 'decommission' }, key());
  });

  it('runs the lifecycle: stop, start, suspend, resume, resize (gives back a decrease), snapshot, decommission (releases)', async () => {
    const g = await cloudFixture(db, TEST_URI);
    const vm = await placedVm(db, g, { vcpus: 4, memoryMb: 512, diskGb: 10 });
    const act = async (action: 'provision' | 'stop' | 'start' | 'suspend' | 'resume' | 'resize' | 'snapshot' | 'decommission', extra: object = {}) =>
      (await hv.handle({ vmId: vm.id, action, ...extra }, key())).state;
    expect(await act('provision')).toBe('running');
    expect(await act('suspend')).toBe('suspended');
    expect(await driver.state(vm.domainName)).toBe('paused');
    expect(await act('resume')).toBe('running');
    expect(await act('snapshot', { snapshot: 'before-resize' })).toBe('running');
    expect(await act('stop')).toBe('stopped');
    expect(await act('resize', { vcpus: 2, memoryMb: 256 })).toBe('stopped');
    expect(await vmRow(db, vm.id)).toMatchObject({ vcpus: 2, memory_mb: 256 });
    expect(await driver.stats(vm.domainName)).toMatchObject({ vcpus: 2, memoryMb: 256 });
    expect(await held(db, g)).toMatchObject({ quotaVcpus: 2, hostVcpus: 2, quotaMemoryMb: 256, hostMemoryMb: 256, poolGb: 10 });
    expect(await act('start')).toBe('running');
    expect(await hv.statsOf(vm.id)).toMatchObject({ state: 'running', vcpus: 2, memoryMb: 256 });
    // the same message delivered again after it settled: skipped, nothing recorded twice
    const k = key();
    expect((await hv.handle({ vmId: vm.id, action: 'stop' }, k)).state).toBe('stopped');
    expect(await hv.handle({ vmId: vm.id, action: 'stop' }, k)).toMatchObject({ outcome: 'skipped' });
    expect(await act('start')).toBe('running');
    expect(await act('decommission')).toBe('decommissioned');
    // an action that does not fit the state is a stale message: skipped
    expect(await hv.handle({ vmId: vm.id, action: 'start' }, key())).toMatchObject({ outcome: 'skipped', state: 'decommissioned' });
    expect(await held(db, g)).toMatchObject(EMPTY);
    expect((await driver.list()).some((d) => d.name === vm.domainName)).toBe(false);
    expect(await hv.statsOf(vm.id)).toBeNull();
    const outcomes = (await ledger(db, vm.id)).filter((e) => e.outcome === 'succeeded').map((e) => e.action);
    expect(outcomes).toEqual(['provision', 'suspend', 'resume', 'snapshot', 'stop', 'resize', 'start', 'stop', 'start', 'decommission']);
    expect((await settledEvents(db, vm.id)).map((e) => e.outcome)).toEqual(Array(10).fill('succeeded'));
  });

  it('a failed action other than provisioning keeps the VM’s state and records why', async () => {
    const g = await cloudFixture(db, TEST_URI);
    const vm = await placedVm(db, g, { state: 'running', withRequest: true });
    // the DB says running but libvirt has no such domain (not yet reconciled)
    const result = await hv.handle({ vmId: vm.id, action: 'stop', requestId: vm.requestId }, key());
    expect(result).toMatchObject({ outcome: 'failed', state: 'running' });
    expect(result.error).toMatch(/hypervisor\.no_domain/);
    expect(await held(db, g)).toMatchObject({ quotaVms: 1, hostVcpus: 1 });
  });

  it('provisions 20 VMs at once (Promise.all): all running, each domain with its uuid, counters exact', async () => {
    const g = await cloudFixture(db, TEST_URI);
    const vms = await Promise.all(Array.from({ length: 20 }, () => placedVm(db, g)));
    const results = await Promise.all(vms.map((vm) => hv.handle({ vmId: vm.id, action: 'provision' }, key())));
    expect(results.map((r) => r.state)).toEqual(Array(20).fill('running'));
    const listed = new Map((await driver.list()).map((d) => [d.name, d.uuid]));
    for (const vm of vms) expect(listed.get(vm.domainName)).toBe(vm.id);
    expect(await held(db, g)).toMatchObject({ quotaVms: 20, hostVcpus: 20, poolGb: 20 });
    await Promise.all(vms.map((vm) => hv.handle({ vmId: vm.id, action: 'decommission' }, key())));
    expect(await held(db, g)).toMatchObject(EMPTY);
  });
});

describe.skipIf(!installed)('reconciliation on test:///default', () => {
  it('notices a domain undefined behind our back (missing), one stopped behind our back, reports strangers, skips in-flight rows', async () => {
    const f = await cloudFixture(db, TEST_URI);
    const gone = await placedVm(db, f);
    const stopped = await placedVm(db, f);
    const inFlight = await placedVm(db, f);
    for (const vm of [gone, stopped]) await hv.handle({ vmId: vm.id, action: 'provision' }, key());
    await driver.undefine(gone.domainName);
    await driver.stop(stopped.domainName, 0);
    const stranger = `gc-stranger-${randomUUID().slice(0, 8)}`;
    await driver.define({ name: stranger, uuid: randomUUID(), vcpus: 1, memoryMb: 64, diskGb: 0 });
    const report = (await hv.reconcileHostById(f.hostId))!;
    expect(report.reachable).toBe(true);
    expect(report.changes).toEqual(
      expect.arrayContaining([
        { vmId: gone.id, domain: gone.domainName, from: 'running', to: 'missing', observed: 'absent' },
        { vmId: stopped.id, domain: stopped.domainName, from: 'running', to: 'stopped', observed: 'shutoff' },
      ]),
    );
    expect(report.changes).toHaveLength(2);
    expect(report.unknown.map((u) => u.name)).toContain(stranger);
    expect((await vmRow(db, gone.id)).state).toBe('missing');
    expect((await vmRow(db, inFlight.id)).state).toBe('provisioning');
    expect((await ledger(db, gone.id)).at(-1)).toMatchObject({ action: 'reconcile', outcome: 'observed', state: 'missing' });
    expect((await held(db, f)).reconciledAt).not.toBeNull();
    // a second pass finds nothing new; the stranger is still there (reported, never deleted)
    expect((await hv.reconcileHostById(f.hostId))!.changes).toEqual([]);
    expect((await driver.list()).some((d) => d.name === stranger)).toBe(true);
    // started again behind our back: the database follows
    await driver.start(stopped.domainName);
    expect((await hv.reconcileHostById(f.hostId))!.changes).toEqual([{ vmId: stopped.id, domain: stopped.domainName, from: 'stopped', to: 'running', observed: 'running' }]);
    await driver.undefine(stranger);
    for (const vm of [gone, stopped]) await hv.handle({ vmId: vm.id, action: 'decommission' }, key());
    expect(await held(db, f)).toMatchObject({ quotaVms: 1 });
  });

  it('an unreachable host is noted and nothing about it changes', async () => {
    const f = await cloudFixture(db, 'qemu+tcp://127.0.0.1:1/system');
    const vm = await placedVm(db, f, { state: 'running' });
    const report = (await hv.reconcileHostById(f.hostId))!;
    expect(report).toMatchObject({ reachable: false, changes: [] });
    expect(report.error).toMatch(/^hypervisor\.unreachable/);
    expect((await vmRow(db, vm.id)).state).toBe('running');
    expect((await held(db, f)).reconciledAt).toBeNull();
  });
});

describe('routes', () => {
  it.skipIf(!installed)('checks a host’s connection (cloud.manage) and reconciles on demand', async () => {
    const f = await cloudFixture(db, TEST_URI);
    const res = await admin.post(`/api/cloud/hosts/${f.hostId}/hypervisor/check`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ hostId: f.hostId, uri: TEST_URI, connected: true, library: expect.stringMatching(/^libvirt /), hypervisor: expect.stringMatching(/^TEST /) });
    expect(res.json().domains).toBeGreaterThanOrEqual(1);
    const rec = await admin.post('/api/cloud/reconcile');
    expect(rec.statusCode).toBe(200);
    expect(rec.json().hosts.find((h: { hostId: string }) => h.hostId === f.hostId)).toMatchObject({ reachable: true, changes: [] });
  });

  it('a host without a URI or with a dead one says so; unknown host 404; others 403', async () => {
    const none = await cloudFixture(db, null);
    const res = await admin.post(`/api/cloud/hosts/${none.hostId}/hypervisor/check`);
    expect(res.json()).toMatchObject({ connected: false, uri: null, error: { code: 'cloud.no_hypervisor' } });
    if (installed) {
      const dead = await cloudFixture(db, 'qemu+tcp://127.0.0.1:1/system');
      expect((await admin.post(`/api/cloud/hosts/${dead.hostId}/hypervisor/check`)).json()).toMatchObject({ connected: false, error: { code: 'hypervisor.unreachable' } });
    }
    const missing = await admin.post(`/api/cloud/hosts/${randomUUID()}/hypervisor/check`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('cloud.not_found');
    expect((await admin.post('/api/cloud/hosts/not-a-uuid/hypervisor/check')).statusCode).toBe(400);
    // a county's platform administrator manages the hosts of the county's rooms only (the room is at prefecture level)
    const county = await newUser(db, { regionCode: '650521', grants: [{ role: 'platform_admin', regionCode: '650521' }] });
    const countyClient = await login((await testApp()).app, county.username, county.password);
    expect((await countyClient.post(`/api/cloud/hosts/${none.hostId}/hypervisor/check`)).statusCode).toBe(404);
    const connected = await cloudFixture(db, 'qemu+tcp://127.0.0.1:1/system');
    const hostIds = (res: { json(): { hosts: { hostId: string }[] } }) => res.json().hosts.map((h) => h.hostId);
    const countyReconcile = await countyClient.post('/api/cloud/reconcile');
    expect(countyReconcile.statusCode).toBe(200);
    expect(hostIds(countyReconcile)).not.toContain(connected.hostId);
    expect(hostIds(await admin.post('/api/cloud/reconcile'))).toContain(connected.hostId);
    const staff = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '6505' }] });
    const client = await login((await testApp()).app, staff.username, staff.password);
    expect((await client.post(`/api/cloud/hosts/${none.hostId}/hypervisor/check`)).statusCode).toBe(403);
    expect((await client.post('/api/cloud/reconcile')).statusCode).toBe(403);
  });
});

afterAll(async () => {
  // nothing of ours stays defined in the shared test driver connection
  if (installed) for (const d of await driver.list()) if (d.name.startsWith('gc-t-')) await driver.undefine(d.name).catch(() => undefined);
});
