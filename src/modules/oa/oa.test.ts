// The OA through the API on a ManualClock: drafting, sending to departments (with sub-departments), regions and roles
// within the sender's scope, signing once under concurrent clicks, the receipt table, withdrawal, attachments
// (type, size, who may download), reminders once per rung under concurrent runs, the archive's visibility, and every
// bad-input path with nothing written.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { Services } from '../../services.ts';
import { login, testConfig, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser, uniq } from '../../../test/support/factories.ts';
import { allPages } from '../../../test/support/paging.ts';
import type { OaService } from './service.ts';

type User = Awaited<ReturnType<typeof newUser>>;
let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: App;
let services: Services;
let oa: OaService;
const clock = new ManualClock('2026-11-02T09:00:00+08:00');
let senderDept: { id: string };
let deptA: { id: string };
let subOfA: { id: string };
let deptFar: { id: string };
let sender: User;
let r1: User;
let r2: User;
let rSub: User;
let leaderHere: User;
let leaderFar: User;
let outsider: User;

const as = (user: User): Promise<Client> => login(app, user.username, user.password);
const count = async (query: ReturnType<typeof sql<{ n: number }>>) => (await query.execute(db)).rows[0]!.n;
const docsOf = (departmentId: string) => count(sql<{ n: number }>`SELECT count(*)::int AS n FROM oa_document WHERE sender_department_id = ${departmentId}`);
const audits = (action: string, objectId: string) => count(sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action} AND object_id = ${objectId}`);
const inDays = (n: number) => new Date(clock.now().getTime() + n * 86_400_000).toISOString();
const draft = (over: Record<string, unknown> = {}) => ({
  kind: 'official',
  title: '关于做好冬季安全生产工作的通知',
  number: `哈政办发〔2026〕${uniq('')}号`,
  urgency: 'urgent',
  marking: 'internal',
  body: '<p onclick="x()">各单位：</p><script>alert(1)</script><p>请<b>按期</b>签收。<a href="javascript:x">链接</a></p>',
  recipients: { departments: [{ id: deptA.id, withSubDepartments: true }] },
  signDeadline: inDays(3),
  ...over,
});

async function sent(client: Client, over: Record<string, unknown> = {}) {
  const created = await client.post('/api/oa/documents', draft(over));
  expect(created.statusCode, created.body).toBe(201);
  const res = await client.post(`/api/oa/documents/${created.json().id}/send`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string; number: string; recipientCount: number; status: string };
}

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app, services } = await buildApp({ db, config: testConfig({ sessionIdleMinutes: 600 }), serveWeb: false, clock }));
  oa = (services as unknown as { oa: OaService }).oa;
  senderDept = await newDepartment(db, { regionCode: '650502' });
  deptA = await newDepartment(db, { regionCode: '650502' });
  subOfA = await newDepartment(db, { regionCode: '650502' });
  await db.updateTable('department').set({ parent_id: deptA.id }).where('id', '=', subOfA.id).execute();
  deptFar = await newDepartment(db, { regionCode: '650521' });
  sender = await newUser(db, { departmentId: senderDept.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
  r1 = await newUser(db, { departmentId: deptA.id, phone: '13900003333', grants: [{ role: 'department_staff', regionCode: '650502' }] });
  r2 = await newUser(db, { departmentId: deptA.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  rSub = await newUser(db, { departmentId: subOfA.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  leaderHere = await newUser(db, { departmentId: deptFar.id, grants: [{ role: 'leader', regionCode: '650502' }] });
  leaderFar = await newUser(db, { departmentId: deptFar.id, grants: [{ role: 'leader', regionCode: '650521' }] });
  outsider = await newUser(db, { departmentId: deptFar.id, grants: [{ role: 'department_staff', regionCode: '650521' }] });
  // migrating a fresh PGlite on a loaded 2-core machine can take minutes
}, 300_000);

afterAll(async () => app?.close());

describe('oa documents', () => {
  it('drafts with a sanitised body, sends to a department tree, and the recipient signs once', async () => {
    const s = await as(sender);
    const created = await s.post('/api/oa/documents', draft());
    expect(created.statusCode, created.body).toBe(201);
    const doc = created.json();
    expect(doc).toMatchObject({ status: 'draft', abilities: ['edit', 'send', 'attach'] });
    expect(doc.body).toBe('<p>各单位：</p><p>请<b>按期</b>签收。链接</p>');
    const sentRes = await s.post(`/api/oa/documents/${doc.id}/send`);
    expect(sentRes.statusCode, sentRes.body).toBe(200);
    expect(sentRes.json()).toMatchObject({ status: 'sent', recipientCount: 3 });
    expect(await audits('oa.document.send', doc.id)).toBe(1);

    const c1 = await as(r1);
    const inbox = (await c1.get('/api/oa/received')).json();
    expect(inbox.items[0]).toMatchObject({ id: doc.id, signedAt: null, readAt: null });
    const seen = (await c1.get(`/api/oa/documents/${doc.id}`)).json();
    expect(seen.myReceipt.readAt).not.toBeNull();
    expect(seen.abilities).toContain('sign');
    expect(seen.abilities).not.toContain('receipts');
    // two clicks at once: one signature, one audit record
    const [a, b] = await Promise.all([c1.post(`/api/oa/documents/${doc.id}/sign`), c1.post(`/api/oa/documents/${doc.id}/sign`)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect([a.json().alreadySigned, b.json().alreadySigned].sort()).toEqual([false, true]);
    expect(a.json().signedAt).toBe(b.json().signedAt);
    expect(await audits('oa.receipt.sign', doc.id)).toBe(1);

    const table = (await s.get(`/api/oa/documents/${doc.id}/receipts`)).json();
    expect(table.totals).toEqual({ total: 3, signed: 1, unsigned: 2, read: 1 });
    expect(table.departments.find((d: { departmentId: string }) => d.departmentId === deptA.id)).toMatchObject({ total: 2, signed: 1 });
    expect(table.departments.find((d: { departmentId: string }) => d.departmentId === subOfA.id)).toMatchObject({ total: 1, signed: 0 });
    const unsigned = (await s.get(`/api/oa/documents/${doc.id}/receipts/users?signed=false`)).json();
    expect(unsigned.items.map((u: { userId: string }) => u.userId).sort()).toEqual([r2.id, rSub.id].sort());
    // a recipient does not see the receipt table
    expect((await c1.get(`/api/oa/documents/${doc.id}/receipts`)).statusCode).toBe(404);
  });

  it('addresses regions and roles within the sender’s scope only', async () => {
    const s = await as(sender);
    const byRole = await sent(s, { recipients: { roles: ['leader'] } });
    const ids = (await sql<{ user_id: string }>`SELECT user_id FROM oa_receipt WHERE document_id = ${byRole.id}`.execute(db)).rows.map((r) => r.user_id);
    expect(ids).toContain(leaderHere.id);
    expect(ids).not.toContain(leaderFar.id);
    const byRegion = await sent(s, { recipients: { regions: ['650502'] } });
    const regionIds = (await sql<{ user_id: string }>`SELECT user_id FROM oa_receipt WHERE document_id = ${byRegion.id}`.execute(db)).rows.map((r) => r.user_id);
    expect(regionIds).toEqual(expect.arrayContaining([r1.id, r2.id, rSub.id, sender.id]));
    expect(regionIds).not.toContain(outsider.id);
  });

  it('refuses bad input with the field named and nothing written', async () => {
    const s = await as(sender);
    const before = await docsOf(senderDept.id);
    const far = await s.post('/api/oa/documents', draft({ recipients: { departments: [{ id: deptFar.id, withSubDepartments: false }] } }));
    expect(far.statusCode).toBe(403);
    expect(far.json()).toMatchObject({ code: 'oa.recipient_out_of_scope', field: 'recipients/departments/0' });
    const farRegion = await s.post('/api/oa/documents', draft({ recipients: { regions: ['650502', '650521'] } }));
    expect(farRegion.statusCode).toBe(403);
    expect(farRegion.json()).toMatchObject({ code: 'oa.recipient_out_of_scope', field: 'recipients/regions/1' });
    const noNumber = await s.post('/api/oa/documents', draft({ number: null }));
    expect(noNumber.json()).toMatchObject({ code: 'oa.number_required', field: 'number' });
    const pastDeadline = await s.post('/api/oa/documents', draft({ signDeadline: inDays(-1) }));
    expect(pastDeadline.json()).toMatchObject({ code: 'oa.invalid_deadline', field: 'signDeadline' });
    const badKind = await s.post('/api/oa/documents', draft({ kind: 'secret' }));
    expect(badKind.statusCode).toBe(400);
    expect(await docsOf(senderDept.id)).toBe(before);

    // empty recipients: the draft is kept, the send refused
    const empty = (await s.post('/api/oa/documents', draft({ recipients: { departments: [], regions: [], roles: [] } }))).json();
    const refused = await s.post(`/api/oa/documents/${empty.id}/send`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'oa.no_recipients', field: 'recipients' });
    expect((await s.get(`/api/oa/documents/${empty.id}`)).json().status).toBe('draft');
    expect(await count(sql<{ n: number }>`SELECT count(*)::int AS n FROM oa_receipt WHERE document_id = ${empty.id}`)).toBe(0);

    // duplicate 文号 of the department and year: 409, also when two drafts are sent at once
    const first = await sent(s);
    const beforeDup = await docsOf(senderDept.id);
    const dup = await s.post('/api/oa/documents', draft({ number: first.number }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'oa.duplicate_number', field: 'number' });
    expect(await docsOf(senderDept.id)).toBe(beforeDup);
    const number = `哈政办发〔2026〕${uniq('')}号`;
    const twins = await Promise.all([1, 2].map(async () => (await s.post('/api/oa/documents', draft({ number }))).json().id as string));
    const sends = await Promise.all(twins.map((id) => s.post(`/api/oa/documents/${id}/send`)));
    expect(sends.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const loser = twins[sends.findIndex((r) => r.statusCode === 409)]!;
    expect(sends.find((r) => r.statusCode === 409)!.json()).toMatchObject({ code: 'oa.duplicate_number', field: 'number' });
    expect(await count(sql<{ n: number }>`SELECT count(*)::int AS n FROM oa_receipt WHERE document_id = ${loser}`)).toBe(0);

    // editing after send: 409
    const edit = await s.request('PATCH', `/api/oa/documents/${first.id}`, { title: '改标题' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('oa.not_draft');
    // signing a document not addressed to you: 404
    const o = await as(outsider);
    const notMine = await o.post(`/api/oa/documents/${first.id}/sign`);
    expect(notMine.statusCode).toBe(404);
    expect(notMine.json().code).toBe('oa.not_found');
    expect((await o.get(`/api/oa/documents/${first.id}`)).statusCode).toBe(404);
    // a recipient cannot send
    expect((await (await as(outsider)).post('/api/oa/documents', draft())).statusCode).toBe(403);
  });

  it('withdraws only before anyone signed; a correction supersedes a sent document', async () => {
    const s = await as(sender);
    const doc = await sent(s);
    const withdrawn = await s.post(`/api/oa/documents/${doc.id}/withdraw`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().status).toBe('withdrawn');
    expect(await audits('oa.document.withdraw', doc.id)).toBe(1);
    expect((await (await as(r1)).post(`/api/oa/documents/${doc.id}/sign`)).statusCode).toBe(404);

    const signed = await sent(s);
    expect((await (await as(r2)).post(`/api/oa/documents/${signed.id}/sign`)).statusCode).toBe(200);
    const refused = await s.post(`/api/oa/documents/${signed.id}/withdraw`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('oa.already_signed');

    const correction = await sent(s, { title: '关于做好冬季安全生产工作的补充通知', supersedesId: signed.id });
    const old = (await s.get(`/api/oa/documents/${signed.id}`)).json();
    expect(old.supersededById).toBe(correction.id);
    const archived = await s.post(`/api/oa/documents/${signed.id}/archive`);
    expect(archived.json().status).toBe('archived');
  });

  it('takes attachments of allowed types and sizes on drafts; only recipients and the sender download them', async () => {
    const s = await as(sender);
    const doc = (await s.post('/api/oa/documents', draft())).json();
    const upload = (client: Client, id: string, name: string, body: Buffer) =>
      app.inject({
        method: 'POST',
        url: `/api/files?ownerKind=oa.document&ownerId=${id}&use=attachment&name=${encodeURIComponent(name)}`,
        headers: { cookie: client.session!.cookie, 'x-csrf-token': client.session!.csrfToken, 'content-type': 'application/octet-stream' },
        payload: body,
      });
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(64, 32)]);
    const ok = await upload(s, doc.id, '附件1.pdf', pdf);
    expect(ok.statusCode, ok.body).toBe(201);
    const exe = await upload(s, doc.id, 'tool.exe', Buffer.from('MZ\x90\x00 this is not a document'));
    expect(exe.statusCode).toBe(415);
    expect(exe.json().code).toBe('file.unsupported_type');
    const big = await upload(s, doc.id, 'big.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(20 * 1024 * 1024 + 1)]));
    expect(big.statusCode).toBe(413);
    expect(await count(sql<{ n: number }>`SELECT count(*)::int AS n FROM file_record WHERE owner_kind = 'oa.document' AND owner_id = ${doc.id}`)).toBe(1);
    // a recipient cannot attach
    expect((await upload(await as(r1), doc.id, 'x.pdf', pdf)).statusCode).toBe(404);

    await s.post(`/api/oa/documents/${doc.id}/send`);
    // immutable after sending: no more attachments
    expect((await upload(s, doc.id, '附件2.pdf', pdf)).statusCode).toBe(404);
    const view = (await (await as(r1)).get(`/api/oa/documents/${doc.id}`)).json();
    expect(view.attachments).toHaveLength(1);
    const fileId = view.attachments[0].id;
    expect((await (await as(r1)).get(`/api/files/${fileId}/content`)).statusCode).toBe(200);
    expect((await s.get(`/api/files/${fileId}/content`)).statusCode).toBe(200);
    expect((await (await as(outsider)).get(`/api/files/${fileId}/content`)).statusCode).toBe(404);
  });

  it('reminds the unsigned after the deadline once per rung, however many runs race; the to-do shows it', async () => {
    const s = await as(sender);
    const doc = await sent(s, { signDeadline: inDays(1) });
    await (await as(r2)).post(`/api/oa/documents/${doc.id}/sign`);
    const todo = (await (await as(r1)).get('/api/todo')).json();
    expect(todo.items.some((i: { id: string }) => i.id === doc.id)).toBe(true);
    expect(await oa.runReminders()).toMatchObject({ reminded: 0 });

    clock.advance(25 * 3600_000);
    await Promise.all([oa.runReminders(), oa.runReminders()]);
    await oa.runReminders();
    const rungs = async () => (await sql<{ user_id: string; rung: number }>`SELECT user_id, rung FROM oa_reminder WHERE document_id = ${doc.id} ORDER BY user_id, rung`.execute(db)).rows;
    expect((await rungs()).map((r) => `${r.user_id}:${r.rung}`).sort()).toEqual([`${r1.id}:1`, `${rSub.id}:1`].sort());
    // (documents of the earlier tests fall due too as the clock moves on: count this one's)
    const sms = () => count(sql<{ n: number }>`SELECT count(*)::int AS n FROM sms_message WHERE to_number = '13900003333' AND purpose = 'oa.reminder' AND body LIKE ${`%${doc.number}%`}`);
    expect(await sms()).toBe(1);
    const reminded = (await allPages<{ id: string; title: string }>(await as(r1), '/api/todo?limit=500')).find((i) => i.id === doc.id)!;
    expect(reminded.title).toContain('第1次催办');

    clock.advance(24 * 3600_000);
    await Promise.all([oa.runReminders(), oa.runReminders()]);
    expect((await rungs()).filter((r) => r.rung === 2)).toHaveLength(2);
    expect(await sms()).toBe(2);
    // signing stops the ladder
    await (await as(r1)).post(`/api/oa/documents/${doc.id}/sign`);
    clock.advance(48 * 3600_000);
    await oa.runReminders();
    expect((await rungs()).filter((r) => r.rung === 3).map((r) => r.user_id)).toEqual([rSub.id]);
    expect(await sms()).toBe(2);
  });

  it('lists 收文 unsigned first, 发文 with drafts, and searches the archive within visibility', async () => {
    const s = await as(sender);
    const number = `哈政办发〔2026〕${uniq('')}号`;
    const doc = await sent(s, { number, title: '关于开展档案检索测试的通知' });
    const received = (await (await as(rSub)).get('/api/oa/received?limit=500')).json();
    const flags = received.items.map((i: { signedAt: string | null }) => (i.signedAt ? 1 : 0));
    expect(flags).toEqual([...flags].sort());
    expect(received.total).toBe(received.items.length);
    const outbox = (await s.get('/api/oa/sent?status=draft&limit=500')).json();
    expect(outbox.items.every((i: { status: string }) => i.status === 'draft')).toBe(true);
    expect(outbox.total).toBeGreaterThan(0);
    // paging through the archive by cursor gives each document once
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await s.get(`/api/oa/archive?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(doc.id);

    const search = (client: Client, q: string) => client.get(`/api/oa/archive?q=${encodeURIComponent(q)}`).then((r) => r.json().items.map((i: { id: string }) => i.id));
    expect(await search(await as(r1), number)).toEqual([doc.id]);
    expect(await search(await as(r1), '档案检索')).toEqual([doc.id]);
    // a leader with oa.archive over 伊州区 sees it though not a recipient; one over 伊吾县 does not; nor an outsider
    expect(await search(await as(leaderHere), number)).toEqual([doc.id]);
    expect((await (await as(leaderHere)).get(`/api/oa/documents/${doc.id}/receipts`)).statusCode).toBe(200);
    expect(await search(await as(leaderFar), number)).toEqual([]);
    expect(await search(await as(outsider), number)).toEqual([]);
    // drafts never show in the archive
    const d = (await s.post('/api/oa/documents', draft({ title: '档案检索草稿' }))).json();
    expect(await search(await as(leaderHere), '档案检索草稿')).toEqual([]);
    expect(await search(s, '档案检索草稿')).toEqual([]);
    expect((await (await as(leaderHere)).get(`/api/oa/documents/${d.id}`)).statusCode).toBe(404);
  });
});
