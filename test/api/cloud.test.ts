// The cloud inventory's API (issue 10 §1, §7): reads inside the caller's jurisdiction, writes by cloud.manage and
// cloud.systems.manage with their bad inputs (404, 400 naming the field, 409), quotas never set below use — also
// against a reservation committing at the same moment — and concurrent creations of one code.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser, uniq } from '../support/factories.ts';
import { newCloudHost, newLegacyRoom, newSystem, newVm } from '../support/cloud-factories.ts';
import { allPages } from '../support/paging.ts';
import { reserveQuota } from '../../src/modules/cloud/index.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let db: Awaited<ReturnType<typeof testDb>>['db'];
let admin: Client;
let staffA: Client;
let deptAdminA: Client;
let deptA: { id: string };
let deptB: { id: string };
let fixture: Awaited<ReturnType<typeof newCloudHost>>;
let vmA: { id: string };
let vmB: { id: string };
let sysA: { id: string; code: string };
let sysB: { id: string; code: string };

const put = (c: Client, url: string, body: unknown) => c.request('PUT', url, body);

beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
  deptA = await newDepartment(db, { regionCode: '650502' });
  deptB = await newDepartment(db, { regionCode: '650521' });
  const p = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
  admin = await login(app, p.username, p.password);
  const s = await newUser(db, { departmentId: deptA.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  staffA = await login(app, s.username, s.password);
  const a = await newUser(db, { departmentId: deptA.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
  deptAdminA = await login(app, a.username, a.password);
  fixture = await newCloudHost(db);
  sysA = await newSystem(db, deptA.id, '甲部门业务系统');
  sysB = await newSystem(db, deptB.id, '乙部门业务系统');
  vmA = await newVm(db, { departmentId: deptA.id, hostId: fixture.hostId, zone: fixture.zone, systemId: sysA.id, name: uniq('甲虚拟机') });
  vmB = await newVm(db, { departmentId: deptB.id, hostId: fixture.hostId, zone: fixture.zone, systemId: sysB.id, name: uniq('乙虚拟机') });
});

describe('cloud inventory reads', () => {
  it('lists hosts with capacity, allocation, utilisation and VM count; one host; 404 for unknown ids', async () => {
    const list = await admin.get(`/api/cloud/hosts?zone=${fixture.zone}`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: fixture.hostId, cpuCores: 16, cpuRatio: 2, vcpusCapacity: 32, vcpusAllocated: 4, cpuAllocatedPct: 12.5, memoryMbAllocated: 8192, vms: 2, state: 'up', zones: [fixture.zone] }] });
    expect((await staffA.get(`/api/cloud/hosts/${fixture.hostId}`)).json()).toMatchObject({ code: fixture.hostCode, memoryAllocatedPct: 12.5 });
    expect((await admin.get(`/api/cloud/hosts/${crypto.randomUUID()}`)).json()).toMatchObject({ status: 404, code: 'cloud.not_found' });
    expect((await admin.get('/api/cloud/hosts/not-a-uuid')).statusCode).toBe(400);
    expect((await admin.get(`/api/cloud/rooms/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect((await admin.get(`/api/cloud/vms/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect((await admin.get(`/api/cloud/systems/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect((await admin.get(`/api/cloud/quotas/${crypto.randomUUID()}`)).statusCode).toBe(404);
  });

  it('refuses bad enums with 400 naming the field', async () => {
    expect((await admin.get('/api/cloud/rooms?kind=bunker')).json()).toMatchObject({ status: 400, field: 'kind' });
    expect((await admin.get('/api/cloud/hosts?state=melted')).json()).toMatchObject({ status: 400, field: 'state' });
    expect((await admin.get('/api/cloud/vms?state=flying')).json()).toMatchObject({ status: 400, field: 'state' });
    expect((await admin.get('/api/cloud/systems?status=zombie')).json()).toMatchObject({ status: 400, field: 'status' });
    expect((await admin.get('/api/cloud/vms?limit=0')).json()).toMatchObject({ status: 400, field: 'limit' });
  });

  it('shows a department’s staff its own VMs and systems only, with the VM’s ledger', async () => {
    const mine = (await staffA.get('/api/cloud/vms?limit=500')).json() as { items: { id: string }[]; total: number };
    expect(mine.items.map((v) => v.id)).toContain(vmA.id);
    expect(mine.items.map((v) => v.id)).not.toContain(vmB.id);
    expect((await staffA.get(`/api/cloud/vms?departmentId=${deptB.id}`)).json().total).toBe(0);
    expect((await staffA.get(`/api/cloud/vms/${vmB.id}`)).statusCode).toBe(404);
    const detail = (await staffA.get(`/api/cloud/vms/${vmA.id}`)).json();
    expect(detail).toMatchObject({ id: vmA.id, system: { id: sysA.id }, host: { id: fixture.hostId }, state: 'running', events: [{ seq: 1, action: 'provision', outcome: 'succeeded' }] });
    expect((await staffA.get('/api/cloud/systems?limit=500')).json().items.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([sysA.id]));
    expect((await staffA.get('/api/cloud/systems?limit=500')).json().items.map((x: { id: string }) => x.id)).not.toContain(sysB.id);
    expect((await staffA.get(`/api/cloud/systems/${sysB.id}`)).statusCode).toBe(404);
    expect((await staffA.get(`/api/cloud/quotas/${deptB.id}`)).statusCode).toBe(404);
    expect((await staffA.get(`/api/cloud/quotas/${deptA.id}`)).json()).toMatchObject({ vcpus: { used: 2, limit: 64 }, vms: { used: 1, limit: 20 } });
    // the admin over the prefecture sees both, filtered by system and host
    expect((await admin.get(`/api/cloud/vms?systemId=${sysB.id}`)).json()).toMatchObject({ total: 1, items: [{ id: vmB.id, system: { code: sysB.code } }] });
    expect((await admin.get(`/api/cloud/vms?hostId=${fixture.hostId}&zone=${fixture.zone}`)).json().total).toBe(2);
    expect((await admin.get(`/api/cloud/systems/${sysA.id}`)).json()).toMatchObject({ vms: 1, vcpus: 2, memoryMb: 4096 });
  });

  it('shows the data centre to every reader and a legacy room only inside the jurisdiction, with its servers and their VM', async () => {
    const roomA = await newLegacyRoom(db, { departmentId: deptA.id, regionCode: '650502', servers: [{ cores: 16, powerWatts: 500, vmId: vmA.id }, { cores: 8, powerWatts: 300 }] });
    const roomB = await newLegacyRoom(db, { departmentId: deptB.id, regionCode: '650521' });
    const detail = (await staffA.get(`/api/cloud/rooms/${roomA.id}`)).json();
    expect(detail).toMatchObject({ kind: 'legacy_department', department: { id: deptA.id }, servers: 2, powerKw: 0.8 });
    expect(detail.legacyServers.find((x: { cpuCores: number }) => x.cpuCores === 16).vm).toEqual({ id: vmA.id, name: expect.any(String) });
    expect((await staffA.get(`/api/cloud/rooms/${roomB.id}`)).statusCode).toBe(404);
    expect((await staffA.get(`/api/cloud/rooms/${fixture.roomId}`)).json()).toMatchObject({ kind: 'datacenter', hosts: 1 });
    const legacy = (await staffA.get('/api/cloud/rooms?kind=legacy_department&limit=500')).json().items.map((r: { id: string }) => r.id);
    expect(legacy).toContain(roomA.id);
    expect(legacy).not.toContain(roomB.id);
    expect((await admin.get(`/api/cloud/rooms?q=${encodeURIComponent(roomB.name)}`)).json()).toMatchObject({ total: 1, items: [{ id: roomB.id }] });
  });

  it('lists pools, zones with the grants inside the jurisdiction, flavours and images', async () => {
    for (const url of ['/api/cloud/pools', '/api/cloud/zones', '/api/cloud/flavours', '/api/cloud/images']) expect((await staffA.get(url)).statusCode, url).toBe(200);
    const zone = uniq('zone-');
    expect((await admin.post('/api/cloud/zones', { code: zone, name: '测试专区' })).statusCode).toBe(201);
    expect((await admin.post('/api/cloud/zones', { code: zone, name: '测试专区' })).json()).toMatchObject({ status: 409, code: 'cloud.duplicate_code', field: 'code' });
    expect((await put(admin, `/api/cloud/zones/${zone}/grants/${deptA.id}`, undefined)).json().grants).toEqual([{ id: deptA.id, name: expect.any(String) }]);
    await put(admin, `/api/cloud/zones/${zone}/grants/${deptB.id}`, undefined);
    await put(admin, `/api/cloud/zones/${zone}/grants/${deptB.id}`, undefined); // idempotent
    const seen = (await staffA.get('/api/cloud/zones')).json().items.find((z: { code: string }) => z.code === zone);
    expect(seen.grants.map((g: { id: string }) => g.id)).toEqual([deptA.id]);
    expect((await admin.get('/api/cloud/zones')).json().items.find((z: { code: string }) => z.code === zone).grants).toHaveLength(2);
    expect((await admin.delete(`/api/cloud/zones/${zone}/grants/${deptB.id}`)).json().grants).toHaveLength(1);
    expect((await put(admin, `/api/cloud/zones/nosuchzone/grants/${deptA.id}`, undefined)).statusCode).toBe(404);
    expect((await put(admin, `/api/cloud/zones/${zone}/grants/${crypto.randomUUID()}`, undefined)).json()).toMatchObject({ status: 404, field: 'departmentId' });
    expect((await put(staffA, `/api/cloud/zones/${zone}/grants/${deptA.id}`, undefined)).statusCode).toBe(403);
  });
});

describe('cloud inventory writes', () => {
  it('adds, changes, takes down and removes a host; refuses unknown zones and rooms, shrinking below allocation and removing one in use', async () => {
    const code = uniq('H');
    const body = { code, roomId: fixture.roomId, name: '新宿主机', cpuCores: 32, memoryMb: 262144, zones: [fixture.zone] };
    const created = await admin.post('/api/cloud/hosts', body);
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(created.json()).toMatchObject({ vcpusCapacity: 128, cpuAllocatedPct: 0, state: 'up' });
    expect((await admin.post('/api/cloud/hosts', body)).json()).toMatchObject({ status: 409, code: 'cloud.duplicate_code', field: 'code' });
    expect((await admin.post('/api/cloud/hosts', { ...body, code: uniq('H'), zones: [fixture.zone, 'no-such-zone'] })).json()).toMatchObject({ status: 400, code: 'cloud.unknown_zone', field: 'zones/1' });
    expect((await admin.post('/api/cloud/hosts', { ...body, code: uniq('H'), roomId: crypto.randomUUID() })).json()).toMatchObject({ status: 400, code: 'cloud.unknown_room', field: 'roomId' });
    expect((await admin.post('/api/cloud/hosts', { ...body, code: uniq('H'), cpuCores: 0 })).json()).toMatchObject({ status: 400, field: 'cpuCores' });
    expect((await staffA.post('/api/cloud/hosts', { ...body, code: uniq('H') })).statusCode).toBe(403);
    expect((await put(admin, `/api/cloud/hosts/${id}`, { name: '改名宿主机', cpuRatio: 2 })).json()).toMatchObject({ name: '改名宿主机', vcpusCapacity: 64 });
    expect((await admin.post(`/api/cloud/hosts/${id}/state`, { state: 'maintenance', reason: '更换内存' })).json()).toMatchObject({ state: 'maintenance' });
    expect((await admin.post(`/api/cloud/hosts/${id}/state`, { state: 'sleeping' })).json()).toMatchObject({ status: 400, field: 'state' });
    const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('object_id', '=', id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['cloud.host.create', 'cloud.host.update', 'cloud.host.state']);
    // the fixture host carries two VMs: not below their allocation, not removable
    expect((await put(admin, `/api/cloud/hosts/${fixture.hostId}`, { cpuCores: 1, cpuRatio: 1 })).json()).toMatchObject({ status: 409, code: 'cloud.capacity_below_allocation', field: 'cpuCores' });
    expect((await admin.delete(`/api/cloud/hosts/${fixture.hostId}`)).json()).toMatchObject({ status: 409, code: 'cloud.host_in_use' });
    expect((await admin.delete(`/api/cloud/hosts/${id}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/cloud/hosts/${id}`)).statusCode).toBe(404);
  });

  it('creates and changes flavours and images, refusing duplicates and bad shapes', async () => {
    const f = uniq('f');
    expect((await admin.post('/api/cloud/flavours', { code: f, name: '测试规格', vcpus: 3, memoryMb: 3072 })).statusCode).toBe(201);
    expect((await admin.post('/api/cloud/flavours', { code: f, name: '测试规格', vcpus: 3, memoryMb: 3072 })).json()).toMatchObject({ status: 409, code: 'cloud.duplicate_code' });
    expect((await admin.post('/api/cloud/flavours', { code: uniq('f'), name: '太大', vcpus: 999, memoryMb: 3072 })).json()).toMatchObject({ status: 400, field: 'vcpus' });
    expect((await put(admin, `/api/cloud/flavours/${f}`, { active: false })).json()).toMatchObject({ code: f, active: false, vcpus: 3 });
    expect((await put(admin, '/api/cloud/flavours/nosuchflavour', { active: false })).statusCode).toBe(404);
    expect((await put(admin, `/api/cloud/flavours/${f}`, {})).statusCode).toBe(400);
    const i = uniq('img');
    expect((await admin.post('/api/cloud/images', { code: i, name: '测试镜像', os: 'Kylin V10' })).json()).toMatchObject({ code: i, minDiskGb: 1, active: true });
    expect((await put(admin, `/api/cloud/images/${i}`, { minDiskGb: 40 })).json()).toMatchObject({ minDiskGb: 40 });
    expect((await deptAdminA.post('/api/cloud/images', { code: uniq('img'), name: 'x', os: 'y' })).statusCode).toBe(403);
  });

  it('lets a department administrator register and change its own business systems, not another’s; retiring waits for its VMs', async () => {
    const code = uniq('SYS-');
    const created = await deptAdminA.post('/api/cloud/systems', { code, name: '甲部门新系统', departmentId: deptA.id, protectionLevel: 3 });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ code, department: { id: deptA.id }, protectionLevel: 3, vms: 0, status: 'active' });
    expect((await deptAdminA.post('/api/cloud/systems', { code: uniq('SYS-'), name: '越权', departmentId: deptB.id })).json()).toMatchObject({ status: 403, code: 'cloud.department_out_of_scope', field: 'departmentId' });
    expect((await deptAdminA.post('/api/cloud/systems', { code: uniq('SYS-'), name: '无部门', departmentId: crypto.randomUUID() })).json()).toMatchObject({ status: 400, code: 'cloud.unknown_department', field: 'departmentId' });
    expect((await deptAdminA.post('/api/cloud/systems', { code: uniq('SYS-'), name: '等级', departmentId: deptA.id, protectionLevel: 5 })).json()).toMatchObject({ status: 400, field: 'protectionLevel' });
    expect((await staffA.post('/api/cloud/systems', { code: uniq('SYS-'), name: '职员', departmentId: deptA.id })).statusCode).toBe(403);
    const id = created.json().id as string;
    expect((await put(deptAdminA, `/api/cloud/systems/${id}`, { name: '甲部门新系统（二期）', status: 'retired' })).json()).toMatchObject({ name: '甲部门新系统（二期）', status: 'retired' });
    expect((await put(deptAdminA, `/api/cloud/systems/${sysA.id}`, { status: 'retired' })).json()).toMatchObject({ status: 409, code: 'cloud.system_in_use', field: 'status' });
    expect((await put(deptAdminA, `/api/cloud/systems/${sysB.id}`, { name: '别人的' })).statusCode).toBe(404);
    expect((await db.selectFrom('cloud_business_system').select('name').where('id', '=', sysB.id).executeTakeFirstOrThrow()).name).toBe('乙部门业务系统');
  });

  it('gives exactly one of 50 concurrent creations of one system code, and writes one row', async () => {
    const code = uniq('SYS-');
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => admin.post('/api/cloud/systems', { code, name: `并发系统${i}`, departmentId: deptA.id })));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'cloud.duplicate_code')).toBe(true);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(49);
    expect(await db.selectFrom('cloud_business_system').select('id').where('code', '=', code).execute()).toHaveLength(1);
  });
});

describe('cloud quotas', () => {
  it('sets a quota, never below what is used, and names the dimension', async () => {
    const dept = await newDepartment(db, { regionCode: '650502' });
    const set = await put(admin, `/api/cloud/quotas/${dept.id}`, { vcpusLimit: 16, memoryMbLimit: 32768, diskGbLimit: 500, vmsLimit: 4 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ department: { id: dept.id }, vcpus: { used: 0, limit: 16, pct: 0 } });
    expect(await reserveQuota(db, dept.id, { vcpus: 8, memoryMb: 8192, diskGb: 100, vms: 2 })).toBeNull();
    expect((await put(admin, `/api/cloud/quotas/${dept.id}`, { vcpusLimit: 4, memoryMbLimit: 32768, diskGbLimit: 500, vmsLimit: 4 })).json()).toMatchObject({ status: 409, code: 'cloud.quota_below_use', field: 'vcpusLimit', used: 8 });
    expect((await put(admin, `/api/cloud/quotas/${dept.id}`, { vcpusLimit: 16, memoryMbLimit: 32768, diskGbLimit: 500, vmsLimit: 1 })).json()).toMatchObject({ status: 409, field: 'vmsLimit' });
    expect((await put(admin, `/api/cloud/quotas/${dept.id}`, { vcpusLimit: -1, memoryMbLimit: 32768, diskGbLimit: 500, vmsLimit: 4 })).json()).toMatchObject({ status: 400, field: 'vcpusLimit' });
    expect((await put(admin, `/api/cloud/quotas/${dept.id}`, { vcpusLimit: 8, memoryMbLimit: 8192, diskGbLimit: 100, vmsLimit: 2 })).json()).toMatchObject({ vcpus: { used: 8, limit: 8, pct: 100 } });
    expect((await put(staffA, `/api/cloud/quotas/${deptA.id}`, { vcpusLimit: 999, memoryMbLimit: 1, diskGbLimit: 1, vmsLimit: 1 })).statusCode).toBe(403);
    expect((await put(admin, `/api/cloud/quotas/${crypto.randomUUID()}`, { vcpusLimit: 1, memoryMbLimit: 1, diskGbLimit: 1, vmsLimit: 1 })).statusCode).toBe(404);
    const row = await db.selectFrom('cloud_quota').selectAll().where('department_id', '=', dept.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ vcpus_limit: 8, vcpus_used: 8 });
    const audit = await db.selectFrom('audit_log').select('action').where('object_id', '=', dept.id).where('action', '=', 'cloud.quota.set').execute();
    expect(audit).toHaveLength(2);
  });

  it('a quota lowered while a reservation commits: one of the two loses, the bound always holds', async () => {
    for (let round = 0; round < 10; round++) {
      const dept = await newDepartment(db, { regionCode: '650502' });
      await put(admin, `/api/cloud/quotas/${dept.id}`, { vcpusLimit: 8, memoryMbLimit: 65536, diskGbLimit: 1000, vmsLimit: 10 });
      // the reservation takes 6 of 8; the new limit of 4 fits only if it lands first (and then the reservation must fail)
      const [reserved, lowered] = await Promise.all([
        reserveQuota(db, dept.id, { vcpus: 6, memoryMb: 1024, diskGb: 10, vms: 1 }),
        put(admin, `/api/cloud/quotas/${dept.id}`, { vcpusLimit: 4, memoryMbLimit: 65536, diskGbLimit: 1000, vmsLimit: 10 }),
      ]);
      const row = await db.selectFrom('cloud_quota').selectAll().where('department_id', '=', dept.id).executeTakeFirstOrThrow();
      expect(row.vcpus_used).toBeLessThanOrEqual(row.vcpus_limit);
      if (reserved === null) {
        expect(lowered.json()).toMatchObject({ status: 409, code: 'cloud.quota_below_use' });
        expect(row).toMatchObject({ vcpus_used: 6, vcpus_limit: 8 });
      } else {
        expect(lowered.statusCode).toBe(200);
        expect(row).toMatchObject({ vcpus_used: 0, vcpus_limit: 4 });
      }
    }
  });

  it('lists the quotas in the jurisdiction, fullest first', async () => {
    const body = (await staffA.get('/api/cloud/quotas?limit=500')).json() as { items: { department: { id: string } }[]; total: number };
    expect(body.items.map((q) => q.department.id)).toEqual([deptA.id]);
    expect(body.total).toBe(1);
    // every page: the demo and other tests give many departments of the prefecture a quota
    const all = (await allPages<{ department: { id: string } }>(admin, '/api/cloud/quotas?limit=500')).map((q) => q.department.id);
    expect(all).toEqual(expect.arrayContaining([deptA.id, deptB.id]));
  });
});

describe('consolidation report', () => {
  it('compares the legacy rooms in the jurisdiction with the pool, and states its assumptions', async () => {
    const county = await newDepartment(db, { regionCode: '650522' });
    const reader = await newUser(db, { departmentId: county.id, grants: [{ role: 'leader', regionCode: '650522' }] });
    const leader = await login(app, reader.username, reader.password);
    const before = (await leader.get('/api/cloud/consolidation')).json();
    await newLegacyRoom(db, { departmentId: county.id, regionCode: '650522', servers: [{ cores: 10, powerWatts: 1000, utilisation: 10 }, { cores: 30, powerWatts: 3000, utilisation: 20 }] });
    await newLegacyRoom(db, { departmentId: null, regionCode: '650502', servers: [{ cores: 99, powerWatts: 99999 }] });
    const res = await leader.get('/api/cloud/consolidation');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.before.rooms - before.before.rooms).toBe(1);
    expect(r.before.servers - before.before.servers).toBe(2);
    expect(r.before.cpuCores - before.before.cpuCores).toBe(40);
    expect(r.before.powerKw - before.before.powerKw).toBeCloseTo(4, 5);
    expect(r.before.powerKw).toBeLessThan(99); // the other county's room is not in it
    const pue = r.assumptions.find((a: { code: string }) => a.code === 'pue_legacy').value;
    const price = r.assumptions.find((a: { code: string }) => a.code === 'electricity_yuan_per_kwh').value;
    expect(r.before.annualEnergyKwh).toBeCloseTo(r.before.powerKw * 8760 * pue, -1);
    expect(r.saved.annualEnergyKwh).toBe(r.before.annualEnergyKwh - r.after.annualEnergyKwh);
    expect(r.after.hosts).toBeGreaterThanOrEqual(1);
    expect(price).toBeGreaterThan(0);
    expect(r.assumptions.map((a: { code: string }) => a.code)).toEqual(expect.arrayContaining(['pue_datacenter', 'upkeep_department_room_yuan', 'upkeep_community_room_yuan', 'upkeep_host_yuan', 'hours_per_year']));
    // utilisation of the room just added: core-weighted (10×10 + 30×20) / 40 = 17.5 %
    const onlyMine = r.before.byKind.find((k: { kind: string }) => k.kind === 'legacy_department');
    expect(onlyMine.servers).toBeGreaterThanOrEqual(2);
  });
});
