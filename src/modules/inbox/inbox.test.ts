// 站内信 on the real app and database: sent inside a service's transaction, read only by the recipient, paged,
// marked read (audited), idempotent per key, rolled back with the business write.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newUser } from '../../../test/support/factories.ts';
import { encodeKeyset } from '../../shared/keyset.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let services: Awaited<ReturnType<typeof testApp>>['services'];
let app: Awaited<ReturnType<typeof testApp>>['app'];
let alice: Awaited<ReturnType<typeof newUser>>;
let bob: Awaited<ReturnType<typeof newUser>>;
let aliceClient: Client;
let bobClient: Client;

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app, services } = await testApp());
  alice = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '650502' }] });
  bob = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '650502' }] });
  aliceClient = await login(app, alice.username, alice.password);
  bobClient = await login(app, bob.username, bob.password);
});

const send = (message: Parameters<typeof services.inbox.send>[1]) => db.transaction().execute((trx) => services.inbox.send(trx, message));

describe('inbox', () => {
  it('delivers to the recipients only, newest first, paged, with the unread count', async () => {
    for (let i = 1; i <= 3; i++) {
      await send({ to: alice.id, module: 'test', kind: 'test.note', title: `通知 ${i}`, body: '请查看', link: '/calendar' });
      await new Promise((r) => setTimeout(r, 3)); // distinct send times: the order is the time order
    }
    await send({ to: [alice.id, bob.id], module: 'test', kind: 'test.note', title: '全体通知' });
    expect((await aliceClient.get('/api/inbox/unread-count')).json()).toEqual({ unread: 4 });
    expect((await bobClient.get('/api/inbox/unread-count')).json()).toEqual({ unread: 1 });
    const first = (await aliceClient.get('/api/inbox?limit=3')).json();
    expect(first.items.map((m: { title: string }) => m.title)).toEqual(['全体通知', '通知 3', '通知 2']);
    expect(first).toMatchObject({ total: 4, unread: 4 });
    const rest = (await aliceClient.get(`/api/inbox?limit=3&cursor=${first.nextCursor}`)).json();
    expect(rest.items.map((m: { title: string }) => m.title)).toEqual(['通知 1']);
    expect(rest.nextCursor).toBeNull();
    expect((await bobClient.get('/api/inbox')).json().items.map((m: { title: string }) => m.title)).toEqual(['全体通知']);
  });

  it('marks read (audited), only the recipient’s own messages, and all at once', async () => {
    const [message] = (await aliceClient.get('/api/inbox?limit=1')).json().items;
    expect((await bobClient.post(`/api/inbox/${message.id}/read`)).statusCode).toBe(404);
    const read = await aliceClient.post(`/api/inbox/${message.id}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).not.toBeNull();
    const record = await db.selectFrom('audit_log').select(['actor_id', 'object_id']).where('action', '=', 'inbox.mark_read').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(record).toEqual({ actor_id: alice.id, object_id: message.id });
    expect((await aliceClient.get('/api/inbox?unread=true')).json()).toMatchObject({ total: 3, unread: 3 });
    expect((await aliceClient.post('/api/inbox/read-all')).json()).toEqual({ marked: 3 });
    expect((await aliceClient.get('/api/inbox/unread-count')).json()).toEqual({ unread: 0 });
    expect((await bobClient.get('/api/inbox/unread-count')).json()).toEqual({ unread: 1 });
  });

  it('stores a message once per key however often it is sent (outbox redelivery), even two at once', async () => {
    const message = { to: bob.id, module: 'test', kind: 'test.once', title: '只发一次', key: `k-${Date.now()}` };
    const counts = await Promise.all([send(message), send(message)]);
    expect(counts.sort()).toEqual([0, 1]);
    expect(await send(message)).toBe(0);
    const rows = await db.selectFrom('inbox_message').select('id').where('recipient_id', '=', bob.id).where('kind', '=', 'test.once').execute();
    expect(rows).toHaveLength(1);
  });

  it('is written with the business write or not at all', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await services.inbox.send(trx, { to: bob.id, module: 'test', kind: 'test.rollback', title: '不应存在' });
        throw new Error('the business write failed');
      }),
    ).rejects.toThrow('the business write failed');
    expect(await db.selectFrom('inbox_message').select('id').where('kind', '=', 'test.rollback').execute()).toEqual([]);
  });

  it('refuses bad messages and bad requests with the field named', async () => {
    await expect(send({ to: bob.id, module: 'test', kind: 'x', title: ' ' })).rejects.toMatchObject({ code: 'inbox.invalid_title', field: 'title' });
    await expect(send({ to: bob.id, module: 'test', kind: 'x', title: 't', link: '//evil.example' })).rejects.toMatchObject({ code: 'inbox.invalid_link' });
    expect((await aliceClient.post('/api/inbox/not-a-uuid/read')).json()).toMatchObject({ code: 'request.invalid', field: 'id' });
    const forged = encodeKeyset(['2026-01-01T00:00:00.000Z', 'x']);
    expect((await aliceClient.get(`/api/inbox?cursor=${forged}`)).json()).toMatchObject({ code: 'request.invalid_cursor', field: 'cursor' });
    expect((await app.inject({ method: 'GET', url: '/api/inbox/unread-count' })).statusCode).toBe(401);
  });
});
