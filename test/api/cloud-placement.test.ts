// Placement over HTTP and in the database (issue 10 §3): the policy (read, change, audit, stale and out-of-scope
// refusals), the placement view within the caller's scope, the host-failure simulation with its validation, and
// choosePlacement under 20 concurrent choosers.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { choosePlacement } from '../../src/modules/cloud/index.ts';
import { DomainError } from '../../src/shared/errors.ts';
import { login, testApp, type Client } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { newPool, newVm } from '../support/placement-factories.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let db: Kysely<Database>;
let admin: Client;

const county = async (code: string) => db.selectFrom('region').select(['code', 'path']).where('code', '=', code).executeTakeFirstOrThrow();

beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
  const user = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
  admin = await login(app, user.username, user.password);
});

describe('placement policy', () => {
  it('is read with cloud.read, changed by cloud.manage over the whole pool, audited, and refuses bad or stale input', async () => {
    const before = (await admin.get('/api/cloud/placement/policy')).json();
    expect(before).toMatchObject({ weigher: expect.stringMatching(/^(spread|stack)$/), reserveHosts: expect.any(Number), version: expect.any(Number) });
    // bad input names the field and changes nothing
    for (const body of [{ weigher: 'random', reserveHosts: 1 }, { weigher: 'spread', reserveHosts: 3 }, { weigher: 'spread', reserveHosts: -1 }, { weigher: 'spread' }]) {
      const res = await admin.request('PUT', '/api/cloud/placement/policy', body);
      expect(res.statusCode).toBe(400);
    }
    expect((await admin.request('PUT', '/api/cloud/placement/policy', { weigher: 'spread', reserveHosts: 9 })).json()).toMatchObject({ field: expect.stringContaining('reserveHosts') });
    expect((await admin.get('/api/cloud/placement/policy')).json().version).toBe(before.version);

    // a leader may read, not change
    const leader = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const leaderClient = await login(app, leader.username, leader.password);
    expect((await leaderClient.get('/api/cloud/placement/policy')).statusCode).toBe(200);
    expect((await leaderClient.request('PUT', '/api/cloud/placement/policy', { weigher: 'spread', reserveHosts: 1 })).json()).toMatchObject({ status: 403, code: 'auth.forbidden' });
    // a platform administrator of one county does not manage every room of the pool
    await newPool(db, { regionCode: '650521', hosts: 1 });
    const countyAdmin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '650502' }] });
    const countyClient = await login(app, countyAdmin.username, countyAdmin.password);
    expect((await countyClient.request('PUT', '/api/cloud/placement/policy', { weigher: 'spread', reserveHosts: 1 })).json()).toMatchObject({ status: 403, code: 'cloud.placement_out_of_scope' });

    // the same values written back (other tests share the pool's policy): the version moves on, the audit records it
    const body = { weigher: before.weigher, reserveHosts: before.reserveHosts };
    const results = await Promise.all(Array.from({ length: 20 }, () => admin.request('PUT', '/api/cloud/placement/policy', { ...body, version: before.version })));
    const ok = results.filter((r) => r.statusCode === 200);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.statusCode !== 200)) expect(r.json()).toMatchObject({ status: 409, code: 'cloud.stale', field: 'version' });
    const after = ok[0]!.json();
    expect(after).toMatchObject({ ...body, version: before.version + 1 });
    const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'cloud.placement_policy.update').where('actor_id', 'is not', null).orderBy('seq', 'desc').limit(5).execute();
    expect(audit.some((a) => (a.detail as { reserveHosts?: number }).reserveHosts === before.reserveHosts)).toBe(true);
  });
});

describe('placement view and host-failure simulation', () => {
  it('shows the hosts in scope with their VMs (others’ by size only), and simulates a failure naming where each VM goes', async () => {
    const region = await county('650502');
    const pool = await newPool(db, { regionCode: region.code, hosts: 3, cores: 8 });
    const mine = await newDepartment(db, { regionCode: region.code });
    const other = await newDepartment(db, { regionCode: '650521' });
    const [h0, h1, h2] = pool.hosts;
    const a = await newVm(db, { departmentId: mine.id, hostId: h0!.id, zone: pool.zone, vcpus: 4, haGroup: `${pool.zone}-pair`, name: '主库' });
    const b = await newVm(db, { departmentId: mine.id, hostId: h1!.id, zone: pool.zone, vcpus: 4, haGroup: `${pool.zone}-pair`, name: '备库' });
    await newVm(db, { departmentId: other.id, hostId: h0!.id, zone: pool.zone, vcpus: 3 });
    await newVm(db, { departmentId: mine.id, hostId: h2!.id, zone: pool.zone, vcpus: 6, name: '大数据' });

    // a department's staff see the hosts their VMs run on; the other department's VM by size only
    const staff = await newUser(db, { departmentId: mine.id, grants: [{ role: 'department_staff', regionCode: region.code }] });
    const client = await login(app, staff.username, staff.password);
    const view = (await client.get('/api/cloud/placement')).json();
    const hosts = view.hosts.filter((h: { id: string }) => pool.hosts.some((p) => p.id === h.id));
    expect(hosts).toHaveLength(3);
    const first = hosts.find((h: { id: string }) => h.id === h0!.id);
    expect(first).toMatchObject({ vcpus: 8, vcpusAllocated: 7, zones: [pool.zone] });
    expect(first.vms).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: a.id, name: '主库', vcpus: 4, haGroup: `${pool.zone}-pair` }),
        expect.objectContaining({ id: null, name: null, departmentName: null, vcpus: 3, haGroup: null }),
      ]),
    );
    // a reader of another county sees none of these hosts
    const far = await newUser(db, { grants: [{ role: 'leader', regionCode: '650521' }] });
    const farView = (await (await login(app, far.username, far.password)).get('/api/cloud/placement')).json();
    expect(farView.hosts.some((h: { id: string }) => pool.hosts.some((p) => p.id === h.id))).toBe(false);

    // h0 fails: the primary cannot restart beside its standby on h1 (h2 has 2 free), the other department's VM goes to h1
    const sim = await client.post('/api/cloud/placement/simulate', { hostIds: [h0!.id] });
    expect(sim.statusCode).toBe(200);
    const moves = sim.json().moves as { vmId: string | null; outcome: string; toHostId: string | null; reason: string | null; vcpus: number }[];
    expect(moves).toHaveLength(2);
    expect(moves.find((m) => m.vmId === a.id)).toMatchObject({ outcome: 'stranded', reason: 'anti_affinity', toHostId: null });
    expect(moves.find((m) => m.vmId === null)).toMatchObject({ outcome: 'restarted', toHostId: h1!.id, vcpus: 3 });
    expect(sim.json().totals).toMatchObject({ vms: 2, restarted: 1, stranded: 1, vcpusStranded: 4 });
    // h1 and h2 fail: h0 (7 of 8 taken) is the only survivor: neither the standby nor the 6-vCPU VM has room
    const both = (await client.post('/api/cloud/placement/simulate', { hostIds: [h1!.id, h2!.id] })).json();
    expect(both.moves.find((m: { vmId: string }) => m.vmId === b.id)).toMatchObject({ outcome: 'stranded', reason: 'insufficient_capacity' });
    expect(both.totals).toMatchObject({ vms: 2, stranded: 2 });

    // validation: unknown, invisible, empty, malformed — 400 naming hostIds
    const unknown = await client.post('/api/cloud/placement/simulate', { hostIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknown.json()).toMatchObject({ status: 400, code: 'cloud.unknown_host', field: 'hostIds' });
    const farPool = await newPool(db, { regionCode: '650521', hosts: 1 });
    expect((await client.post('/api/cloud/placement/simulate', { hostIds: [farPool.hosts[0]!.id] })).json()).toMatchObject({ status: 400, code: 'cloud.unknown_host', field: 'hostIds' });
    expect((await client.post('/api/cloud/placement/simulate', { hostIds: [] })).json()).toMatchObject({ status: 400, field: expect.stringContaining('hostIds') });
    expect((await client.post('/api/cloud/placement/simulate', { hostIds: ['not-a-uuid'] })).json()).toMatchObject({ status: 400, field: expect.stringContaining('hostIds') });
    // without cloud.read: 403
    const citizenish = await newUser(db, { grants: [{ role: 'community_worker', regionCode: region.code }] });
    expect((await (await login(app, citizenish.username, citizenish.password)).get('/api/cloud/placement')).statusCode).toBe(403);
  });
});

describe('choosePlacement', () => {
  const allocated = (ids: string[]) => db.selectFrom('cloud_host').select(['id', 'vcpus_allocated', 'memory_mb_allocated', 'cpu_cores']).where('id', 'in', ids).execute();

  it('20 concurrent choosers on 3 hosts of 4 vCPUs: 12 placed, none over capacity, the rest refused with cloud.no_capacity', async () => {
    const pool = await newPool(db, { regionCode: '650502', hosts: 3, cores: 4 });
    const demand = { vcpus: 1, memoryMb: 1024, zone: pool.zone };
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => db.transaction().execute((trx) => choosePlacement(trx, demand, { policy: { weigher: 'spread', reserveHosts: 0 } }))));
    const placed = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as DomainError] : []));
    expect(placed).toHaveLength(12);
    for (const e of refused) expect(e).toMatchObject({ code: 'cloud.no_capacity', details: { reason: 'insufficient_capacity' } });
    const rows = await allocated(pool.hosts.map((h) => h.id));
    for (const r of rows) expect(r.vcpus_allocated).toBe(4);
    // spread: each host took 4
    expect(new Set(placed).size).toBe(3);
  });

  it('keeps the N+1 reserve under concurrency: one host’s worth stays free, an unknown zone and a rollback give nothing away', async () => {
    const pool = await newPool(db, { regionCode: '650502', hosts: 3, cores: 4 });
    const demand = { vcpus: 1, memoryMb: 1024, zone: pool.zone };
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => db.transaction().execute((trx) => choosePlacement(trx, demand, { policy: { weigher: 'spread', reserveHosts: 1 } }))));
    const placed = results.filter((r) => r.status === 'fulfilled').length;
    // exact answer 8 (4 free: any host's load restarts on the other two); the rule, counting each host's allocation as
    // one VM (no VM rows here), keeps more free — never fewer than one host's worth
    expect(placed).toBeGreaterThanOrEqual(4);
    expect(placed).toBeLessThanOrEqual(8);
    const rows = await allocated(pool.hosts.map((h) => h.id));
    const total = rows.reduce((s, r) => s + r.vcpus_allocated, 0);
    expect(total).toBe(placed);
    for (const r of rows) expect(r.vcpus_allocated).toBeLessThanOrEqual(4);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'cloud.no_capacity' });

    await expect(db.transaction().execute((trx) => choosePlacement(trx, { ...demand, zone: 'no-such-zone' }))).rejects.toMatchObject({ code: 'cloud.no_capacity', details: { reason: 'no_host_in_zone' } });
    // the caller's transaction rolls back: the claim with it
    const fresh = await newPool(db, { regionCode: '650502', hosts: 2, cores: 4 });
    await expect(
      db.transaction().execute(async (trx) => {
        await choosePlacement(trx, { ...demand, zone: fresh.zone }, { policy: { weigher: 'stack', reserveHosts: 0 } });
        throw new Error('the VM row could not be written');
      }),
    ).rejects.toThrow('the VM row');
    expect((await allocated(fresh.hosts.map((h) => h.id))).every((r) => r.vcpus_allocated === 0)).toBe(true);
  });
});
