// Catalogue and room edits (issue 10, D109): deleting a flavour or image is refused with cloud.in_use while a VM or an
// open request uses it, and audited; rooms are created and edited by cloud.manage over their region, each bad input
// refused naming its field with nothing written.
import { beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../src/shared/id-number.ts';
import { login, testApp, type Client } from '../support/app.ts';
import { newCloudDepartment, newCloudWorld } from '../support/cloud-factories.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser, uniq } from '../support/factories.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let db: Awaited<ReturnType<typeof testDb>>['db'];
let platform: Client;

beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
  const p = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
  platform = await login(app, p.username, p.password);
});

const audits = (objectId: string, action: string) => db.selectFrom('audit_log').select('detail').where('object_id', '=', objectId).where('action', '=', action).execute();

describe('deleting flavours and images', () => {
  it('refuses while an open request or a live VM uses them, then deletes (audited), hides them and refuses new requests naming them', async () => {
    const w = await newCloudWorld(db, { hosts: 0 });
    const dept = await newCloudDepartment(db, { vcpus: 8, memoryMb: 16384, diskGb: 500, vms: 5 });
    const staffUser = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
    const staff = await login(app, staffUser.username, staffUser.password);
    const body = { name: `测试${uniq()}`, flavourCode: w.small, imageCode: w.image, diskGb: 40, zoneCode: w.zone, businessSystemId: dept.systemId, reason: '测试' };
    const r = (await staff.post('/api/cloud/requests', body)).json();
    expect(r.state).toBe('pending_department');

    for (const path of [`/api/cloud/flavours/${w.small}`, `/api/cloud/images/${w.image}`]) {
      const res = await platform.request('DELETE', path);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'cloud.in_use', field: 'code' });
    }
    expect(await audits(w.small, 'cloud.flavour.delete')).toHaveLength(0);
    // a leader reads the catalogue but does not manage it
    const leader = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    expect((await (await login(app, leader.username, leader.password)).request('DELETE', `/api/cloud/flavours/${w.large}`)).statusCode).toBe(403);

    // the request is cancelled: the flavour goes; the image is still on a live VM
    await staff.post(`/api/cloud/requests/${r.id}/cancel`);
    const vmId = crypto.randomUUID();
    await db
      .insertInto('cloud_vm')
      .values({ id: vmId, domain_name: `gc-${vmId.slice(0, 8)}`, name: '测试', department_id: dept.id, region_code: '650502', region_path: dept.regionPath, image_code: w.image, vcpus: 1, memory_mb: 1024, disk_gb: 40, zone_code: w.zone, state: 'stopped' })
      .execute();
    expect((await platform.request('DELETE', `/api/cloud/flavours/${w.small}`)).statusCode).toBe(204);
    expect(await audits(w.small, 'cloud.flavour.delete')).toEqual([{ detail: expect.objectContaining({ code: w.small, permission: 'cloud.manage' }) }]);
    expect((await platform.get('/api/cloud/flavours')).json().items.map((f: { code: string }) => f.code)).not.toContain(w.small);
    expect((await platform.request('DELETE', `/api/cloud/flavours/${w.small}`)).statusCode).toBe(404);
    expect((await platform.request('PUT', `/api/cloud/flavours/${w.small}`, { active: true })).statusCode).toBe(404);
    expect((await staff.post('/api/cloud/requests', { ...body, name: `测试${uniq()}` })).json()).toMatchObject({ status: 400, code: 'cloud.unknown_flavour', field: 'flavourCode' });
    // its code stays taken: history names it
    expect((await platform.post('/api/cloud/flavours', { code: w.small, name: '再建', vcpus: 1, memoryMb: 1024 })).json()).toMatchObject({ status: 409, code: 'cloud.duplicate_code' });

    expect((await platform.request('DELETE', `/api/cloud/images/${w.image}`)).json()).toMatchObject({ status: 409, code: 'cloud.in_use', vms: 1, requests: 0 });
    await db.updateTable('cloud_vm').set({ state: 'decommissioned' }).where('id', '=', vmId).execute();
    expect((await platform.request('DELETE', `/api/cloud/images/${w.image}`)).statusCode).toBe(204);
    expect((await platform.get('/api/cloud/images')).json().items.map((i: { code: string }) => i.code)).not.toContain(w.image);
    expect(await audits(w.image, 'cloud.image.delete')).toHaveLength(1);
    // bad input
    expect((await platform.request('DELETE', '/api/cloud/images/%20bad!')).statusCode).toBe(400);
    expect((await platform.request('DELETE', `/api/cloud/images/${uniq('none')}`)).json()).toMatchObject({ status: 404, code: 'cloud.not_found' });
  });
});

describe('rooms', () => {
  it('creates the data centre, a department’s and a community’s room, and edits and retires them, audited', async () => {
    const dc = await platform.post('/api/cloud/rooms', { code: uniq('DC'), kind: 'datacenter', regionCode: '6505', name: '第二数据中心', address: '伊州区', areaM2: 300 });
    expect(dc.statusCode).toBe(201);
    expect(dc.json()).toMatchObject({ kind: 'datacenter', regionCode: '6505', department: null, status: 'active', areaM2: 300, legacyServers: [] });
    const dept = await newDepartment(db, { regionCode: '650502' });
    const legacy = (await platform.post('/api/cloud/rooms', { code: uniq('LR'), kind: 'legacy_department', departmentId: dept.id, name: '信息中心机房', status: 'retired', retiredOn: '2025-06-30' })).json();
    expect(legacy).toMatchObject({ kind: 'legacy_department', regionCode: '650502', department: { id: dept.id }, status: 'retired', retiredOn: '2025-06-30' });
    const community = (await platform.post('/api/cloud/rooms', { code: uniq('CR'), kind: 'legacy_community', regionCode: '650502', name: '社区机房' })).json();
    expect(community).toMatchObject({ kind: 'legacy_community', status: 'active', retiredOn: null });
    expect(await audits(dc.json().id, 'cloud.room.create')).toHaveLength(1);

    const renamed = await platform.request('PUT', `/api/cloud/rooms/${community.id}`, { name: '社区机房（旧）', status: 'retired' });
    expect(renamed.json()).toMatchObject({ name: '社区机房（旧）', status: 'retired', retiredOn: chinaDate(new Date()) });
    expect((await platform.request('PUT', `/api/cloud/rooms/${community.id}`, { address: '新地址' })).json()).toMatchObject({ address: '新地址', status: 'retired', retiredOn: chinaDate(new Date()) });
    expect((await platform.request('PUT', `/api/cloud/rooms/${community.id}`, { status: 'active' })).json()).toMatchObject({ status: 'active', retiredOn: null });
    expect(await audits(community.id, 'cloud.room.update')).toHaveLength(3);
    // a room with hosts stays in service
    const w = await newCloudWorld(db, { hosts: 1 });
    expect((await platform.request('PUT', `/api/cloud/rooms/${w.roomId}`, { status: 'retired' })).json()).toMatchObject({ status: 409, code: 'cloud.in_use', field: 'status' });
  });

  it('refuses bad input naming the field, outside the caller’s region, and writes nothing', async () => {
    const code = uniq('BAD');
    const dept = await newDepartment(db, { regionCode: '650502' });
    const cases: [Record<string, unknown>, number, string, string?][] = [
      [{ kind: 'datacenter', name: '缺区划' }, 400, 'regionCode'],
      [{ kind: 'datacenter', regionCode: '999999', name: '无此区划' }, 400, 'regionCode', 'cloud.unknown_region'],
      [{ kind: 'datacenter', regionCode: '6505', departmentId: dept.id, name: '数据中心不属部门' }, 400, 'departmentId'],
      [{ kind: 'legacy_department', name: '缺部门' }, 400, 'departmentId'],
      [{ kind: 'legacy_department', departmentId: crypto.randomUUID(), name: '无此部门' }, 400, 'departmentId', 'cloud.unknown_department'],
      [{ kind: 'legacy_department', departmentId: dept.id, regionCode: '6505', name: '区划不符' }, 400, 'regionCode'],
      [{ kind: 'datacenter', regionCode: '6505', name: '在用却有退役日', retiredOn: '2025-01-01' }, 400, 'retiredOn'],
      [{ kind: 'datacenter', regionCode: '6505', name: '坏日期', status: 'retired', retiredOn: '2025-13-45' }, 400, 'retiredOn'],
      [{ kind: 'datacenter', regionCode: '6505', name: '负面积', areaM2: -1 }, 400, 'areaM2'],
      [{ kind: 'warehouse', regionCode: '6505', name: '未知类型' }, 400, 'kind'],
      [{ kind: 'datacenter', regionCode: '6505', name: '   ' }, 400, 'name'],
      [{ kind: 'datacenter', regionCode: '6505', name: '多余字段', racks: 3 }, 400, ''],
    ];
    for (const [over, status, field, errorCode] of cases) {
      const res = await platform.post('/api/cloud/rooms', { code, ...over });
      expect(res.statusCode, JSON.stringify(over)).toBe(status);
      expect(res.json().field ?? '', JSON.stringify(over)).toContain(field);
      if (errorCode) expect(res.json().code).toBe(errorCode);
    }
    expect((await platform.post('/api/cloud/rooms', { code: 'x', kind: 'datacenter', regionCode: '6505', name: '短编码' })).json()).toMatchObject({ status: 400, field: expect.stringContaining('code') });
    // a county's platform administrator manages rooms of the county only
    const county = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '650502' }] });
    const countyClient = await login(app, county.username, county.password);
    expect((await countyClient.post('/api/cloud/rooms', { code, kind: 'legacy_community', regionCode: '650521', name: '别县机房' })).json()).toMatchObject({ status: 403, code: 'cloud.department_out_of_scope' });
    expect(await db.selectFrom('cloud_room').select('id').where('code', '=', code).execute()).toEqual([]);
    // duplicates and edits
    const made = await countyClient.post('/api/cloud/rooms', { code, kind: 'legacy_community', regionCode: '650502', name: '本县机房' });
    expect(made.statusCode).toBe(201);
    expect((await platform.post('/api/cloud/rooms', { code, kind: 'legacy_community', regionCode: '650502', name: '重复' })).json()).toMatchObject({ status: 409, code: 'cloud.duplicate_code', field: 'code' });
    const id = made.json().id;
    expect((await platform.request('PUT', `/api/cloud/rooms/${id}`, {})).statusCode).toBe(400);
    expect((await platform.request('PUT', `/api/cloud/rooms/${id}`, { kind: 'datacenter' })).statusCode).toBe(400);
    expect((await platform.request('PUT', `/api/cloud/rooms/${id}`, { retiredOn: '2025-01-01' })).json()).toMatchObject({ status: 400, field: 'retiredOn' });
    expect((await platform.request('PUT', `/api/cloud/rooms/${crypto.randomUUID()}`, { name: '无' })).statusCode).toBe(404);
    expect((await platform.request('PUT', '/api/cloud/rooms/not-a-uuid', { name: '无' })).statusCode).toBe(400);
    const outsider = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '650521' }] });
    expect((await (await login(app, outsider.username, outsider.password)).request('PUT', `/api/cloud/rooms/${id}`, { name: '改名' })).statusCode).toBe(403);
    expect((await db.selectFrom('cloud_room').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name).toBe('本县机房');
    expect(await audits(id, 'cloud.room.update')).toHaveLength(0);
  });
});
