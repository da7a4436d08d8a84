// Sensitive fields: the masks, and the user directory masking phone and e-mail unless the caller holds
// users.read_sensitive over the row — every unmasked read recorded with the people's identifiers.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
import type { Role } from '../../shared/access.ts';
import { applyMasks, declareSensitiveFields, maskEmail, maskField, maskIdNumber, maskName, maskPhone } from '../../shared/sensitive.ts';

describe('masks', () => {
  it('show the first 6 and last 4 of an ID number, 3 and 4 of a phone, the surname of a name', () => {
    expect(maskIdNumber('650502199001011234')).toBe('650502********1234');
    expect(maskPhone('13912345678')).toBe('139****5678');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李')).toBe('*');
    expect(maskEmail('zhang.san@example.cn')).toBe('z***@example.cn');
  });

  it('are declared per resource and field, configurable, and leave undeclared fields alone', () => {
    declareSensitiveFields('zztest_residents', { idNumber: { category: 'id_number' }, name: { category: 'name' }, income: { category: 'income', mask: () => '保密' }, health: { category: 'health' } });
    expect(maskField('zztest_residents', 'idNumber', '650502199001011234')).toBe('650502********1234');
    expect(maskField('zztest_residents', 'income', '8000')).toBe('保密');
    expect(maskField('zztest_residents', 'health', '高血压')).toBe('***');
    expect(maskField('zztest_residents', 'address', '幸福路1号')).toBe('幸福路1号');
    const { view, revealed } = applyMasks('zztest_residents', { name: '王小明', idNumber: '650502199001011234', health: null }, new Set(['name']));
    expect(view).toEqual({ name: '王小明', idNumber: '650502********1234', health: null });
    expect(revealed).toEqual(['name']);
  });
});

let app: Awaited<ReturnType<typeof testApp>>['app'];
let db: Awaited<ReturnType<typeof testDb>>['db'];
let dept: { id: string };
let neighbour: { id: string };
let person: Awaited<ReturnType<typeof newUser>>;
let stranger: Awaited<ReturnType<typeof newUser>>;

beforeAll(async () => {
  ({ app } = await testApp());
  ({ db } = await testDb());
  dept = await newDepartment(db, { regionCode: '650502' });
  neighbour = await newDepartment(db, { regionCode: '650502' });
  person = await newUser(db, { departmentId: dept.id, phone: '13812345678', grants: [] });
  stranger = await newUser(db, { departmentId: neighbour.id, phone: '13887654321', grants: [] });
  await db.updateTable('app_user').set({ email: 'wang.wu@hami.gov.cn' }).where('id', 'in', [person.id, stranger.id]).execute();
});

const as = async (role: Role, departmentId?: string): Promise<{ client: Client; id: string }> => {
  const user = await newUser(db, { grants: [{ role, regionCode: '650502' }], ...(departmentId ? { departmentId } : {}) });
  return { client: await login(app, user.username, user.password), id: user.id };
};
/** The unmasked reads (resource 'users') in the access log, shaped as { object_type, role, detail }. */
const accessRecords = async (actorId: string) =>
  (
    await db
      .selectFrom('audit_access')
      .select(['resource', 'role', 'subject_ids', 'fields', 'permission', 'scope'])
      .where('resource', '=', 'users')
      .where('actor_id', '=', actorId)
      .orderBy('at')
      .orderBy('ord')
      .execute()
  ).map((r) => ({ object_type: r.resource, role: r.role, detail: { subjectIds: r.subject_ids, fields: r.fields, permission: r.permission, scope: r.scope } }));

describe('the user directory', () => {
  it('masks phone and e-mail for a reader without users.read_sensitive, and records no unmasked read', async () => {
    const leader = await as('leader');
    expect((await leader.client.get(`/api/users/${person.id}`)).json()).toMatchObject({ phone: '138****5678', email: 'w***@hami.gov.cn' });
    expect(await accessRecords(leader.id)).toEqual([]);
  });

  it('unmasks them for users.read_sensitive over the row and records who was read, which fields, under what', async () => {
    const system = await as('platform_admin');
    expect((await system.client.get(`/api/users/${person.id}`)).json()).toMatchObject({ phone: '13812345678', email: 'wang.wu@hami.gov.cn' });
    const listed = (await system.client.get(`/api/users?departmentId=${dept.id}`)).json().items;
    expect(listed).toEqual([expect.objectContaining({ id: person.id, phone: '13812345678' })]);
    const records = await accessRecords(system.id);
    expect(records).toHaveLength(2);
    for (const r of records) {
      expect(r).toMatchObject({ object_type: 'users', role: 'platform_admin', detail: { subjectIds: [person.id], fields: ['email', 'phone'], permission: 'users.read_sensitive', scope: { paths: ['/6505/650502/'] } } });
    }
  });

  it("unmasks for a department admin in its own department tree only (tenancy), recording only those people", async () => {
    const admin = await as('department_admin', dept.id);
    // each by their own user name: the jurisdiction may hold more users than a page
    const byName = async (u: { username: string }) => (await admin.client.get(`/api/users?q=${u.username}`)).json().items as { id: string; phone: string }[];
    const items = [...(await byName(person)), ...(await byName(stranger))];
    expect(items.find((u) => u.id === person.id)?.phone).toBe('13812345678');
    expect(items.find((u) => u.id === stranger.id)?.phone).toBe('138****4321');
    const [record] = await accessRecords(admin.id);
    expect(record!.detail).toMatchObject({ permission: 'users.read_sensitive', scope: { paths: [], departments: [dept.id] } });
    const subjects = (record!.detail as { subjectIds: string[] }).subjectIds;
    expect(subjects).toContain(person.id);
    expect(subjects).not.toContain(stranger.id);
  });
});
