// The resident 360 view joins person-keyed resources through the caller department's grants: no grant → no data,
// revoked → gone, granted items only and masked, one access-log entry per resource read.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { login, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
import { newDataGrant, newResource, newRows } from '../../../test/support/data-factories.ts';
import { idNumberCheckCharacter } from '../../shared/id-number.ts';

let serial = 0;
/** A valid ID number (伊州区, born 1980–1999) unlikely to meet another test's. */
function newIdNumber(): string {
  serial += 1;
  const body = `650502${1980 + (serial % 20)}0${1 + (serial % 9)}1${serial % 10}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  return body + idNumberCheckCharacter(body);
}

let db: Kysely<Database>;
let app: Awaited<ReturnType<typeof testApp>>['app'];
beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
});

async function publishedResource(theme: string, name: string) {
  const resource = await newResource(db, { theme, name, regionCode: '650502' });
  await db.updateTable('data_resource').set({ status: 'published' }).where('id', '=', resource.id).execute();
  return resource;
}

describe('resident 360 view', () => {
  let idNumber: string;
  let staff: Client;
  let staffUserId: string;
  let consumer: { id: string; name: string };
  const resources: Record<string, Awaited<ReturnType<typeof publishedResource>>> = {};

  beforeAll(async () => {
    idNumber = newIdNumber();
    consumer = await newDepartment(db, { regionCode: '650502', name: `社区服务中心${Date.now()}` });
    const user = await newUser(db, { departmentId: consumer.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
    staffUserId = user.id;
    staff = await login(app, user.username, user.password);
    for (const [theme, name] of [
      ['population', '人口基础信息'],
      ['social_security', '社会保险参保信息'],
      ['medical_insurance', '医疗保险参保信息'],
      ['party', '党员信息'],
    ] as const) {
      resources[theme] = await publishedResource(theme, `${name}${Date.now()}`);
      await newRows(db, resources[theme], [
        { id_number: idNumber, name: '张三丰', phone: '13812345678', region: '650502', note: '内部' },
        { id_number: newIdNumber(), name: '李四', phone: '13900000000', region: '650502' },
      ]);
    }
    await newDataGrant(db, { resource: resources.population!, consumerDepartmentId: consumer.id, items: ['id_number', 'name', 'phone', 'region'], purpose: '网格化服务' });
    const revoked = await newDataGrant(db, { resource: resources.medical_insurance!, consumerDepartmentId: consumer.id, items: ['id_number', 'name'] });
    await db.updateTable('share_grant').set({ revoked_at: new Date() }).where('id', '=', revoked.shareId).execute();
    // a grant limited to another county's rows
    await newDataGrant(db, { resource: resources.party!, consumerDepartmentId: consumer.id, items: ['id_number', 'name'], regionPrefix: '650521' });
  });

  it('shows granted items only, masked, labelled with the source; lists resources without a usable grant as no_grant', async () => {
    const res = await staff.get(`/api/residents/${idNumber}`);
    expect(res.statusCode).toBe(200);
    const sources = res.json().sources as { resourceCode: string; access: string; records: { values: Record<string, unknown>; updatedAt: string }[]; providerDepartmentName: string; lastLoadAt: string | null; items: { code: string }[] }[];
    const of = (theme: string) => sources.find((s) => s.resourceCode === resources[theme]!.code)!;
    const population = of('population');
    expect(population.access).toBe('granted');
    expect(population.records).toHaveLength(1);
    expect(population.records[0]!.values).toEqual({ id_number: `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`, name: '张**', phone: '138****5678', region: '650502' });
    expect(population.items.map((i) => i.code)).toEqual(['id_number', 'name', 'phone', 'region']);
    expect(population.providerDepartmentName).toMatch(/测试部门/);
    expect(population.lastLoadAt).not.toBeNull();
    // no grant → no data; revoked → gone; a grant over another county → no rows
    expect(of('social_security')).toMatchObject({ access: 'no_grant', records: [], items: [] });
    expect(of('medical_insurance')).toMatchObject({ access: 'no_grant', records: [] });
    expect(of('party')).toMatchObject({ access: 'granted', records: [] });
    // themes in the view's order
    const order = sources.map((s) => s.resourceCode);
    expect(order.indexOf(resources.population!.code)).toBeLessThan(order.indexOf(resources.social_security!.code));
    expect(order.indexOf(resources.medical_insurance!.code)).toBeLessThan(order.indexOf(resources.party!.code));

    // one access-log entry per resource read through a grant, naming the person only where rows came back
    const logged = await db.selectFrom('audit_access').select(['resource', 'subject_ids', 'fields', 'permission', 'detail']).where('actor_id', '=', staffUserId).execute();
    const byResource = new Map(logged.map((l) => [l.resource, l]));
    expect(byResource.get(`data:${resources.population!.code}`)).toMatchObject({
      subject_ids: [idNumber],
      fields: ['id_number', 'name', 'phone', 'region'],
      permission: 'residents.read',
      detail: { via: 'resident_view', consumerDepartmentId: consumer.id, consumerDepartmentName: consumer.name, purpose: '网格化服务', rows: 1 },
    });
    expect(byResource.get(`data:${resources.party!.code}`)?.subject_ids).toEqual([]);
    expect(byResource.has(`data:${resources.social_security!.code}`)).toBe(false);
    expect(byResource.has(`data:${resources.medical_insurance!.code}`)).toBe(false);
  });

  it('takes effect at once when a grant is revoked', async () => {
    const other = await publishedResource('family_planning', `计划生育信息${Date.now()}`);
    await newRows(db, other, [{ id_number: idNumber, name: '张三丰', region: '650502' }]);
    const { shareId } = await newDataGrant(db, { resource: other, consumerDepartmentId: consumer.id, items: ['name'] });
    const find = async () => ((await staff.get(`/api/residents/${idNumber}`)).json().sources as { resourceCode: string; access: string; records: unknown[] }[]).find((s) => s.resourceCode === other.code)!;
    expect(await find()).toMatchObject({ access: 'granted', records: [{ values: { name: '张**' } }] });
    await db.updateTable('share_grant').set({ revoked_at: new Date() }).where('id', '=', shareId).execute();
    expect(await find()).toMatchObject({ access: 'no_grant', records: [] });
  });

  it('refuses an invalid ID number and callers without the permission', async () => {
    const bad = await staff.get('/api/residents/65050219900101123');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'residents.invalid_id_number', field: 'idNumber' });
    const auditor = await newUser(db, { grants: [{ role: 'auditor', regionCode: '6505' }] });
    expect((await (await login(app, auditor.username, auditor.password)).get(`/api/residents/${idNumber}`)).statusCode).toBe(403);
  });
});
