// The SMS routes through the real app: permissions, templates checked at save, the opt-out register, the history
// with counts per status, and bad input answered 400 naming the field with nothing written.
import { randomInt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInWith, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { uniq } from '../../../test/support/factories.ts';

let admin: Client;
let staff: Client;
const number = () => `137${String(randomInt(0, 1e8)).padStart(8, '0')}`;

beforeAll(async () => {
  await testApp();
  admin = await signedInWith([{ role: 'platform_admin', regionCode: '6505' }]);
  staff = await signedInWith([{ role: 'department_staff', regionCode: '6505' }]);
});

describe('SMS API', () => {
  it('keeps SMS to holders of the sms permissions', async () => {
    for (const [method, url] of [
      ['GET', '/api/sms/messages'],
      ['GET', '/api/sms/templates'],
      ['GET', '/api/sms/opt-outs'],
      ['GET', '/api/sms/local-inbox'],
    ] as const) {
      const res = await staff.request(method, url);
      expect(res.statusCode, url).toBe(403);
    }
    expect((await staff.request('PUT', '/api/sms/templates/x.y', { name: 'n', body: 'b', variables: [] })).statusCode).toBe(403);
  });

  it('saves a template only when its placeholders are exactly the declared variables', async () => {
    const code = `t.${uniq()}`;
    const ok = await admin.request('PUT', `/api/sms/templates/${code}`, { name: '办结通知', body: '【政务云】{name}，您的{item}已办结。', variables: ['name', 'item'] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ code, variables: ['name', 'item'] });
    const unknown = await admin.request('PUT', `/api/sms/templates/${code}`, { name: 'x', body: '{name}{code}', variables: ['name'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'sms.template_unknown_variable', field: 'body' });
    const unused = await admin.request('PUT', `/api/sms/templates/${code}`, { name: 'x', body: '{name}', variables: ['name', 'item'] });
    expect(unused.json()).toMatchObject({ code: 'sms.template_unused_variable', field: 'variables/1' });
    const list = (await admin.get('/api/sms/templates')).json() as { code: string; body: string }[];
    expect(list.find((t) => t.code === code)?.body).toBe('【政务云】{name}，您的{item}已办结。');
    const badCode = await admin.request('PUT', '/api/sms/templates/Bad Code', { name: 'x', body: 'y', variables: [] });
    expect(badCode.statusCode).toBe(400);
    expect((await admin.delete(`/api/sms/templates/${code}`)).statusCode).toBe(204);
    expect((await admin.delete(`/api/sms/templates/${code}`)).json()).toMatchObject({ code: 'sms.template_not_found' });
  });

  it('keeps the opt-out register, audited', async () => {
    const to = number();
    expect((await admin.post('/api/sms/opt-outs', { number: `+86${to}`, note: '本人来电要求' })).statusCode).toBe(204);
    expect((await admin.post('/api/sms/opt-outs', { number: to })).json()).toMatchObject({ code: 'sms.already_opted_out', field: 'number' });
    const list = (await admin.get('/api/sms/opt-outs')).json() as { number: string; source: string }[];
    expect(list.find((o) => o.number === to)).toMatchObject({ source: 'admin' });
    const { db } = await testDb();
    const audited = await db.selectFrom('audit_log').select('action').where('object_id', '=', to).execute();
    expect(audited.map((a) => a.action)).toEqual(['sms.opt_out']);
    expect((await admin.delete(`/api/sms/opt-outs/${to}`)).statusCode).toBe(204);
    expect((await admin.delete(`/api/sms/opt-outs/${to}`)).statusCode).toBe(404);
    expect((await admin.post('/api/sms/opt-outs', { number: '12345' })).json()).toMatchObject({ field: expect.stringContaining('number') });
  });

  it('registers a number once when two administrators opt it out at the same time', async () => {
    const to = number();
    const answers = await Promise.all([admin.post('/api/sms/opt-outs', { number: to }), admin.post('/api/sms/opt-outs', { number: to })]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([204, 409]);
    const { db } = await testDb();
    expect(await db.selectFrom('audit_log').select('action').where('object_id', '=', to).where('action', '=', 'sms.opt_out').execute()).toHaveLength(1);
  });

  it('answers the history with counts per status, filtered by number', async () => {
    const res = await admin.get('/api/sms/messages?limit=5');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body.counts).sort()).toEqual(['delivered', 'failed', 'opted_out', 'queued', 'sent']);
    expect(body.total).toBe(Object.values<number>(body.counts).reduce((a, b) => a + b, 0));
    const none = (await admin.get(`/api/sms/messages?number=${number()}`)).json();
    expect(none).toMatchObject({ items: [], total: 0, nextCursor: null });
    expect((await admin.get('/api/sms/messages?status=lost')).statusCode).toBe(400);
    expect((await admin.get('/api/sms/messages?cursor=AAAA')).json()).toMatchObject({ code: 'request.invalid_cursor' });
  });

  it('queues an administrator\'s message (audited) and shows it in the history and in detail', async () => {
    const to = number();
    const res = await admin.post('/api/sms/messages', { to, text: '【政务云】测试短信', purpose: 'ops.test' });
    expect(res.statusCode).toBe(202);
    const queued = res.json();
    expect(queued).toMatchObject({ status: 'queued', segments: 1 });
    const history = (await admin.get(`/api/sms/messages?number=${to}`)).json();
    expect(history).toMatchObject({ total: 1, counts: { queued: 1, delivered: 0 }, items: [{ id: queued.id, to, purpose: 'ops.test', status: 'queued' }] });
    expect((await admin.get(`/api/sms/messages/${queued.id}`)).json()).toMatchObject({ id: queued.id, parts: [] });
    const { db } = await testDb();
    expect(await db.selectFrom('audit_log').select('action').where('object_id', '=', queued.id).execute()).toEqual([{ action: 'sms.send' }]);
  });

  it('refuses a send with bad input naming the field', async () => {
    const bad = await admin.post('/api/sms/messages', { to: '123', text: 'x', purpose: 'ops.test' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toContain('to');
    const urgent = await admin.post('/api/sms/messages', { to: number(), text: 'x', purpose: 'ops.test', urgent: true });
    expect(urgent.statusCode).toBe(400);
  });

  it('has no local inbox when the app runs without the in-process SMS centre', async () => {
    const res = await admin.get('/api/sms/local-inbox');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'sms.no_local_smsc' });
  });
});
