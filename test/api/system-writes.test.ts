// The platform's own writes (seed, CLI, factories) go through the services as the system actor: checked like any
// other write, atomic per batch, and audited as 'system' — one record per region and batch, or the ordinary record.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.ts';
import { creditCodeFor, organisationCodeFor } from '../../src/modules/departments/index.ts';
import type { Services } from '../../src/services.ts';
import { systemActorContext, type RequestContext } from '../../src/shared/context.ts';
import { testApp } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newUser, uniq } from '../support/factories.ts';

let db: Kysely<Database>;
let services: Services;
const system = () => systemActorContext();

beforeAll(async () => {
  ({ db } = await testDb());
  ({ services } = await testApp());
});

const creditCode = (division: string) => creditCodeFor({ registration: '11', division, body: organisationCodeFor(String(10_000_000 + Math.floor(Math.random() * 89_000_000))) });
const department = (regionCode: string, over: Record<string, unknown> = {}) => ({ code: uniq('B-'), name: `批量部门${uniq()}`, kind: 'government' as const, regionCode, ...over });
const auditOf = (action: string, ids: string[]) =>
  db.selectFrom('audit_log').select(['actor_id', 'actor_name', 'role', 'region_code', 'detail']).where('action', '=', action).where(sql<boolean>`detail->'ids' ?| ${sql.val(ids)}::text[]`).orderBy('seq').execute();
const departmentsWithCode = async (codes: string[]) => (await db.selectFrom('department').select('id').where('code', 'in', codes).execute()).length;

describe('departments.createMany', () => {
  it('creates a batch with parents inside it, audited as system once per region', async () => {
    const parentId = randomUUID();
    const items = [department('650502', { id: parentId, creditCode: creditCode('650502') }), department('650502', { parentId }), department('650521')];
    const ids = await services.departments.createMany(system(), items);
    expect(ids[0]).toBe(parentId);
    expect(await departmentsWithCode(items.map((i) => i.code))).toBe(3);
    const records = await auditOf('department.create_many', ids);
    expect(records.map((r) => [r.actor_id, r.actor_name, r.role, r.region_code])).toEqual([
      [null, 'system', 'system', '650502'],
      [null, 'system', 'system', '650521'],
    ]);
    expect(records[0]!.detail).toMatchObject({ created: 2, ids: ids.slice(0, 2), codes: items.slice(0, 2).map((i) => i.code) });
  });

  it.each([
    ['an invalid credit code', [department('6505'), department('6505', { creditCode: '91650502MA77XXXXX0' })], 'department.invalid_credit_code', '1/creditCode'],
    ['a retired or unknown region', [department('6505'), department('659999')], 'region.unknown', '1/regionCode'],
    ['a code twice in the batch', (() => { const a = department('6505'); return [a, { ...department('6505'), code: a.code.toLowerCase() }]; })(), 'department.code_taken', '1/code'],
    ['an unknown parent', [department('6505', { parentId: randomUUID() })], 'department.unknown_parent', '0/parentId'],
  ])('refuses %s naming the item and field, and writes nothing', async (_what, items, code, field) => {
    await expect(services.departments.createMany(system(), items)).rejects.toMatchObject({ code, field });
    expect(await departmentsWithCode(items.map((i) => i.code))).toBe(0);
  });

  it('refuses a code another department holds (in any case), writing none of the batch', async () => {
    const [taken] = [department('6505')];
    await services.departments.createMany(system(), [taken!]);
    const items = [department('6505'), { ...department('6505'), code: taken!.code.toUpperCase() }];
    await expect(services.departments.createMany(system(), items)).rejects.toMatchObject({ code: 'department.code_taken', field: '1/code' });
    expect(await departmentsWithCode([items[0]!.code])).toBe(0);
  });

  it('lets one of two concurrent batches claiming one code through; the other is a conflict and writes nothing', async () => {
    const code = uniq('RACE-');
    const a = [department('6505'), department('6505', { code })];
    const b = [department('6505'), department('6505', { code })];
    const results = await Promise.allSettled([services.departments.createMany(system(), a), services.departments.createMany(system(), b)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'department.code_taken' } });
    expect(await departmentsWithCode([a[0]!.code, b[0]!.code, code])).toBe(2);
  });

  it('is the platform’s own operation: a platform administrator is refused', async () => {
    const admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
    const actor = { userId: admin.id, username: admin.username, displayName: 'x', kind: 'staff' as const, departmentId: admin.departmentId, grants: [{ role: 'platform_admin' as const, regionCode: '6505', regionPath: '/6505/' }], via: 'session' as const };
    const ctx: RequestContext = { actor, clientAddr: null, requestId: null, audited: false };
    const item = department('6505');
    await expect(services.departments.createMany(ctx, [item])).rejects.toMatchObject({ code: 'auth.system_only' });
    await expect(services.departments.createMany({ ...ctx, actor: undefined }, [item])).rejects.toMatchObject({ code: 'auth.required' });
    expect(await departmentsWithCode([item.code])).toBe(0);
  });
});

describe('users.createMany', () => {
  let departmentId: string;
  beforeAll(async () => {
    [departmentId] = (await services.departments.createMany(system(), [department('650502')])) as [string];
  });
  const user = (over: Record<string, unknown> = {}) => ({ username: uniq('bu'), displayName: `批量用户${uniq()}`, departmentId, ...over });

  it('creates accounts with grants authored by nobody, audited as system per region', async () => {
    const items = [user({ grants: [{ role: 'department_staff', regionCode: '650502' }] }), user()];
    const { created, skipped } = await services.users.createMany(system(), items);
    expect(skipped).toEqual([]);
    expect(created.map((c) => c.username)).toEqual(items.map((i) => i.username));
    const grants = await db.selectFrom('role_grant').select(['user_id', 'granted_by']).where('user_id', 'in', created.map((c) => c.id)).execute();
    expect(grants).toEqual([{ user_id: created[0]!.id, granted_by: null }]);
    const [record, ...more] = await auditOf('user.create_many', created.map((c) => c.id));
    expect(more).toEqual([]);
    expect(record).toMatchObject({ actor_id: null, actor_name: 'system', role: 'system', region_code: '650502', detail: { created: 2, usernames: items.map((i) => i.username), grants: 1 } });
  });

  it('records a batch of one as the ordinary user.create', async () => {
    const { created } = await services.users.createMany(system(), [user()]);
    const rows = await db.selectFrom('audit_log').select(['action', 'actor_name']).where('object_id', '=', created[0]!.id).execute();
    expect(rows).toEqual([{ action: 'user.create', actor_name: 'system' }]);
  });

  it('refuses a taken user name unless asked to skip it, and then creates the rest', async () => {
    const taken = await newUser(db);
    const items = [user(), user({ username: taken.username.toUpperCase() })];
    await expect(services.users.createMany(system(), items)).rejects.toMatchObject({ code: 'user.username_taken', field: '1/username' });
    expect(await db.selectFrom('app_user').select('id').where('username', '=', items[0]!.username).execute()).toEqual([]);
    const { created, skipped } = await services.users.createMany(system(), items, { skipTaken: true });
    expect([created.map((c) => c.username), skipped]).toEqual([[items[0]!.username], [items[1]!.username]]);
  });

  it.each([
    ['a weak password', { password: 'short' }, 'auth.weak_password', '0/password'],
    ['a password hash that is not argon2id', { passwordHash: '$2b$10$abcdefghijklmnopqrstuv' }, 'user.invalid_password_hash', '0/passwordHash'],
    ['a grant over an unknown region', { grants: [{ role: 'leader', regionCode: '659999' }] }, 'region.unknown', '0/grants/0/regionCode'],
    ['an unknown department', { departmentId: randomUUID() }, 'user.unknown_department', '0/departmentId'],
    ['a malformed user name', { username: '-bad name' }, 'user.invalid_username', '0/username'],
  ])('refuses %s naming the item and field', async (_what, over, code, field) => {
    const item = user(over);
    const error = await services.users.createMany(system(), [item]).catch((e: unknown) => e);
    expect(error).toMatchObject({ field });
    if (code !== 'auth.weak_password') expect(error).toMatchObject({ code });
    expect(await db.selectFrom('app_user').select('id').where('username', '=', item.username).execute()).toEqual([]);
  });

  it('lets one of two concurrent batches claiming one name through, and the other writes nothing', async () => {
    const shared = uniq('race');
    const a = [user(), user({ username: shared })];
    const b = [user(), user({ username: shared })];
    const results = await Promise.allSettled([services.users.createMany(system(), a), services.users.createMany(system(), b)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = results[0]!.status === 'rejected' ? a : b;
    expect(await db.selectFrom('app_user').select('id').where('username', '=', loser[0]!.username).execute()).toEqual([]);
  });
});
