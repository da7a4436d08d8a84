// 我的待办 on the real app and database: the core's accounts provider within jurisdiction and tenancy, deadlines
// from the working-day calendar, counts, paging; and the merge of several providers.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, signedInWith, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
import { allPages } from '../../../test/support/paging.ts';
import type { TodoItem, TodoProvider } from '../../platform/module.ts';
import { systemContext } from '../../shared/context.ts';
import { TodoService } from './service.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: Awaited<ReturnType<typeof testApp>>['app'];
let services: Awaited<ReturnType<typeof testApp>>['services'];

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app, services } = await testApp());
});

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

describe('accounts awaiting activation and locked accounts', () => {
  it('are listed for the managers of their department, with working-day deadlines', async () => {
    const county = '650502';
    const dept = await newDepartment(db, { regionCode: county });
    const sub = await newDepartment(db, { regionCode: county });
    await db.updateTable('department').set({ parent_id: dept.id }).where('id', '=', sub.id).execute();
    const other = await newDepartment(db, { regionCode: county });
    const manager = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_admin', regionCode: county }] });
    const pending = await newUser(db, { departmentId: sub.id, password: null });
    const locked = await newUser(db, { departmentId: dept.id });
    const until = new Date(Date.now() + 15 * 60_000);
    await db.updateTable('app_user').set({ locked_until: until, failed_logins: 5 }).where('id', '=', locked.id).execute();
    const elsewhere = await newUser(db, { departmentId: other.id, password: null });
    await newUser(db, { departmentId: dept.id }); // active and unlocked: nothing to do

    const client = await login(app, manager.username, manager.password);
    const body = (await client.get('/api/todo')).json();
    const mine = body.items.filter((i: TodoItem) => [pending.id, locked.id, elsewhere.id].includes(i.id));
    expect(mine).toEqual([
      expect.objectContaining({ id: locked.id, module: 'accounts', kind: 'account.locked', deadline: until.toISOString(), link: `/users?q=${locked.username}` }),
      expect.objectContaining({ id: pending.id, kind: 'account.activation', deadline: services.calendar.addWorkingDays(today(), 3).date }),
    ]);
    expect(body.total).toBe(body.items.length);
    expect((await client.get('/api/todo/count')).json()).toEqual({ count: body.total });

    // a platform administrator over the prefecture sees the other department's account too
    const platform = await signedInWith([{ role: 'platform_admin', regionCode: '6505' }]);
    // (every page: other tests leave many accounts awaiting activation in the prefecture)
    const all = (await allPages<TodoItem>(platform, '/api/todo?limit=500')).map((i) => i.id);
    expect(all).toEqual(expect.arrayContaining([pending.id, locked.id, elsewhere.id]));
    // an administrator of another county sees none of them
    const neighbour = await signedInWith([{ role: 'platform_admin', regionCode: '650521' }]);
    const theirs = (await allPages<TodoItem>(neighbour, '/api/todo?limit=500')).map((i) => i.id);
    expect(theirs).toEqual(expect.not.arrayContaining([pending.id, locked.id, elsewhere.id]));
    // staff who manage no accounts have nothing to do here
    const staff: Client = await signedInWith([{ role: 'department_staff', regionCode: county }]);
    expect((await staff.get('/api/todo')).json()).toEqual({ items: [], total: 0, nextCursor: null });
    expect((await app.inject({ method: 'GET', url: '/api/todo/count' })).statusCode).toBe(401);
  });
});

describe('merging providers', () => {
  const item = (module: string, id: string, deadline: string | null, createdAt = '2026-11-01T00:00:00.000Z'): TodoItem => ({ module, kind: `${module}.x`, id, title: id, deadline, link: '/', createdAt });
  const provider = (items: TodoItem[]): TodoProvider => ({ list: async (_ctx, { limit }) => items.slice(0, limit), count: async () => items.length });
  const ctx = { ...systemContext(), actor: { userId: 'u', username: 'u', displayName: 'u', kind: 'staff' as const, departmentId: null, grants: [], via: 'session' as const } };

  it('orders by deadline (none last) across modules and pages without overlap', async () => {
    const todo = new TodoService(async () => [
      provider([item('a', 'a1', '2026-12-01'), item('a', 'a2', null), item('a', 'a3', '2026-12-03')]),
      provider([item('b', 'b1', '2026-12-02'), item('b', 'b2', '2026-11-30')]),
    ]);
    const first = await todo.list(ctx, { limit: 2 });
    expect(first.items.map((i) => i.id)).toEqual(['b2', 'a1']);
    expect(first.total).toBe(5);
    const second = await todo.list(ctx, { limit: 2, cursor: first.nextCursor! });
    const third = await todo.list(ctx, { limit: 2, cursor: second.nextCursor! });
    expect([...second.items, ...third.items].map((i) => i.id)).toEqual(['b1', 'a3', 'a2']);
    expect(third.nextCursor).toBeNull();
    expect(await todo.count(ctx)).toBe(5);
  });

  it('refuses a cursor it did not issue', async () => {
    const res = await (await signedInWith([{ role: 'department_staff', regionCode: '650502' }])).get('/api/todo?cursor=abc');
    expect(res.json()).toMatchObject({ code: 'request.invalid_cursor', field: 'cursor' });
  });
});
