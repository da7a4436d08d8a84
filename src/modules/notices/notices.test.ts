// Notices through the real app: variables checked, the filter held inside the sender's jurisdiction, preview counts,
// an idempotent send (twice, at once, double-clicked create), frozen recipients, dispatch to SMS and 站内信, history.
import { randomInt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { login, signedInWith, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newUser, uniq } from '../../../test/support/factories.ts';
import { COMMUNITY_A, COMMUNITY_B, makeIdNumber, newResident } from '../../../test/support/community-factories.ts';
import { allPages } from '../../../test/support/paging.ts';
import type { NoticeService } from './service.ts';

let db: Kysely<Database>;
let notices: NoticeService;
let worker: Client;
let otherWorker: Client;
let admin: Client;
/** A county-level community of another county (伊吾县 or the like). */
let farCommunity: string;

const phone = () => `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;

beforeAll(async () => {
  const { services } = await testApp();
  ({ db } = await testDb());
  notices = (services as unknown as { notices: NoticeService }).notices;
  worker = await signedInWith([{ role: 'community_worker', regionCode: COMMUNITY_A }]);
  otherWorker = await signedInWith([{ role: 'community_worker', regionCode: COMMUNITY_B }]);
  admin = await signedInWith([{ role: 'platform_admin', regionCode: '6505' }]);
  farCommunity = (await db.selectFrom('region').select('code').where('level', '=', 4).where('path', 'like', '/6505/650521/%').orderBy('code').executeTakeFirstOrThrow()).code;
});

/** Residents of COMMUNITY_A carrying a label of their own, so that counts see only them. */
async function cohort(specs: { sex?: 'M' | 'F'; birthDate?: string; phone?: string | null; name?: string }[]) {
  const label = uniq('nt').slice(0, 30);
  await db.insertInto('community_label').values({ code: label, name: label, visit_interval_days: null }).execute();
  const residents = [];
  for (const s of specs) {
    const r = await newResident(db, { communityCode: COMMUNITY_A, sex: s.sex, birthDate: s.birthDate, phone: s.phone === undefined ? phone() : s.phone, name: s.name });
    await db.insertInto('community_resident_label').values({ resident_id: r.id, label_code: label, added_by: null }).execute();
    residents.push(r);
  }
  return { label, residents };
}

const noticeCount = async () => Number((await db.selectFrom('notice').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('notice templates', () => {
  it('refuses an unknown variable, naming the field and the allowed ones, and writes nothing', async () => {
    const before = (await db.selectFrom('notice_template').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const res = await worker.post('/api/notices/templates', { name: '体检', body: '{姓名}您好，{血型}请于{时间}到场' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'notices.unknown_variable', field: 'body', variable: '血型' });
    expect(res.json().allowed).toEqual(expect.arrayContaining(['{姓名}', '{name}', '{称呼}', '{社区}', '{网格}', '{年龄}', '{时间}', '{地点}']));
    expect((await db.selectFrom('notice_template').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n).toBe(before);
  });

  it('keeps templates of the jurisdiction, audited, with their length in segments; others see them but cannot change them', async () => {
    const body = `【社区】{姓名}{称呼}：请于{时间}到{地点}。${'很'.repeat(60)}`;
    const res = await worker.post('/api/notices/templates', { name: uniq('模板'), body });
    expect(res.statusCode).toBe(200);
    const t = res.json();
    expect(t).toMatchObject({ regionCode: COMMUNITY_A, variables: ['name', 'salutation', 'time', 'place'], senderFields: ['time', 'place'], chars: body.length, segments: 2, editable: true });
    const listed = (await worker.get('/api/notices/templates')).json();
    expect(listed.items.map((x: { id: string }) => x.id)).toContain(t.id);
    expect(listed.variables.map((v: { zh: string }) => v.zh)).toContain('称呼');
    // a neighbouring community neither sees nor changes it
    expect((await otherWorker.get('/api/notices/templates')).json().items.map((x: { id: string }) => x.id)).not.toContain(t.id);
    expect((await otherWorker.request('PUT', `/api/notices/templates/${t.id}`, { name: 'x', body: 'y' })).statusCode).toBe(404);
    // a prefecture template is usable (not editable) below
    const pre = (await admin.post('/api/notices/templates', { name: uniq('全市'), body: '{name}您好' })).json();
    const mine = (await worker.get('/api/notices/templates')).json().items.find((x: { id: string }) => x.id === pre.id);
    expect(mine).toMatchObject({ regionCode: '6505', editable: false });
    expect((await worker.request('PUT', `/api/notices/templates/${t.id}`, { name: '改', body: '{社区}通知' })).json()).toMatchObject({ name: '改', variables: ['community'] });
    expect((await worker.delete(`/api/notices/templates/${t.id}`)).statusCode).toBe(204);
    const actions = (await db.selectFrom('audit_log').select('action').where('object_id', '=', t.id).orderBy('seq').execute()).map((a) => a.action);
    expect(actions).toEqual(['notices.template_create', 'notices.template_update', 'notices.template_delete']);
  });
});

describe('notice targeting', () => {
  it('refuses an empty filter (the whole prefecture) and a region outside the sender’s jurisdiction, never narrowing it', async () => {
    const before = await noticeCount();
    for (const filter of [{}, { regionCode: farCommunity }, { regionCode: COMMUNITY_B }, { regionCode: '6505' }]) {
      const preview = await worker.post('/api/notices/preview', { filter, text: '{姓名}您好' });
      expect(preview.statusCode, JSON.stringify(filter)).toBe(403);
      expect(preview.json()).toMatchObject({ code: 'notices.region_out_of_scope', field: 'filter.regionCode' });
      const create = await worker.post('/api/notices', { title: '越权', filter, text: '{姓名}您好', channels: ['sms'] });
      expect(create.statusCode).toBe(403);
    }
    expect((await worker.post('/api/notices/preview', { filter: { regionCode: '999999' }, text: 'x' })).json()).toMatchObject({ code: 'notices.unknown_region', field: 'filter.regionCode' });
    expect((await worker.post('/api/notices/preview', { filter: { regionCode: COMMUNITY_A, ageMin: 70, ageMax: 60 }, text: 'x' })).json()).toMatchObject({ field: 'filter.ageMax' });
    expect((await worker.post('/api/notices/preview', { filter: { regionCode: COMMUNITY_A, labels: ['no_such_label'] }, text: 'x' })).json()).toMatchObject({ field: 'filter.labels' });
    expect((await worker.post('/api/notices/preview', { filter: { regionCode: COMMUNITY_A }, text: '{时间}开会' })).json()).toMatchObject({ code: 'notices.missing_field', field: 'fields/时间' });
    expect((await worker.post('/api/notices/preview', { filter: { regionCode: COMMUNITY_A }, text: 'x', templateId: '00000000-0000-4000-8000-000000000000' })).json()).toMatchObject({ code: 'notices.template_or_text' });
    expect(await noticeCount()).toBe(before);
  });

  it('previews counts, the masked first recipients and their rendered text', async () => {
    const { label, residents } = await cohort([
      { sex: 'M', birthDate: '1950-03-01', name: '王建国' },
      { sex: 'F', birthDate: '1955-06-01', phone: null, name: '李秀兰' },
      { sex: 'F', birthDate: '1960-01-01', name: '张桂英' },
      { sex: 'M', birthDate: '1990-01-01', name: '赵青年' },
    ]);
    await db.insertInto('sms_opt_out').values({ number: residents[2]!.phone!, source: 'admin', note: null }).execute();
    const res = await worker.post('/api/notices/preview', {
      filter: { regionCode: COMMUNITY_A, labels: [label], ageMin: 60 },
      text: '{姓名}{称呼}（{年龄}岁）：{社区}请您于{时间}体检。',
      fields: { time: '12月5日' },
    });
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({ recipients: 3, withoutPhone: 1, optedOut: 1, smsRecipients: 1, withAccount: 0, tooLong: false, maxSegments: 1 });
    expect(p.sample).toHaveLength(3);
    const wang = p.sample.find((s: { name: string }) => s.name === '王**');
    expect(wang.phone).toMatch(/^139\*{4}\d{4}$/);
    expect(wang.idNumber).toMatch(/^650502\*{8}/);
    expect(wang.text).toMatch(/^王\*\*先生（\d+岁）：建国北路社区.*请您于12月5日体检。$/u);
    expect(p.sample.find((s: { name: string }) => s.name === '李**').text).toContain('女士');
  });
});

describe('sending a notice', () => {
  it('sends once however often it is asked, at once or in turn, freezing the recipients and queueing their SMS; dispatch stores the 站内信', async () => {
    const { label, residents } = await cohort([{ sex: 'M' }, { sex: 'F' }, { sex: 'F', phone: null }]);
    // the second resident has a citizen account: a 站内信 too
    const account = await newUser(db, { regionCode: COMMUNITY_A });
    await db.updateTable('community_resident').set({ id_number: makeIdNumber('1970-01-01', 'F') }).where('id', '=', residents[1]!.id).execute();
    const idNumber = (await db.selectFrom('community_resident').select('id_number').where('id', '=', residents[1]!.id).executeTakeFirstOrThrow()).id_number;
    await db.insertInto('citizen').values({ user_id: account.id, id_number: idNumber, phone: phone(), created_at: new Date(), updated_at: new Date() }).execute();

    const body = { title: '停水通知', filter: { regionCode: COMMUNITY_A, labels: [label] }, text: '{姓名}您好，{时间}停水。', fields: { 时间: '明天' }, channels: ['sms', 'inapp'], requestKey: uniq('rk') };
    const [a, b] = await Promise.all([worker.post('/api/notices', body), worker.post('/api/notices', body)]);
    expect(a.statusCode).toBe(200);
    expect(b.json().id).toBe(a.json().id); // a double click: one notice
    const id = a.json().id as string;
    expect(a.json()).toMatchObject({ status: 'draft', text: '{name}您好，明天停水。' });

    const sends = await Promise.all([worker.post(`/api/notices/${id}/send`), worker.post(`/api/notices/${id}/send`)]);
    for (const s of sends) expect(s.statusCode).toBe(200);
    expect(sends.map((s) => s.json().status)).toEqual(['sending', 'sending']);
    expect((await worker.post(`/api/notices/${id}/send`)).json()).toMatchObject({ status: 'sending', recipientCount: 3 });
    const audits = await db.selectFrom('audit_log').select('action').where('object_id', '=', id).execute();
    expect(audits.map((x) => x.action).sort()).toEqual(['notices.create', 'notices.send']);
    expect(await db.selectFrom('notice_recipient').select('resident_id').where('notice_id', '=', id).execute()).toHaveLength(3);
    // the SMS are queued by the send itself, once however many sends raced
    const atSend = await db.selectFrom('sms_message').select('to_number').where('to_number', 'in', [residents[0]!.phone!, residents[1]!.phone!]).execute();
    expect(atSend).toHaveLength(2);

    // frozen: a resident added now is not among them
    const late = await newResident(db, { communityCode: COMMUNITY_A });
    await db.insertInto('community_resident_label').values({ resident_id: late.id, label_code: label, added_by: null }).execute();

    expect(await notices.dispatch(id)).toBe(3);
    expect(await notices.dispatch(id)).toBe(0); // the job run again: nothing more
    const messages = await db.selectFrom('sms_message').select(['to_number', 'body', 'purpose', 'status']).where('to_number', 'in', [residents[0]!.phone!, residents[1]!.phone!]).execute();
    expect(messages).toHaveLength(2);
    expect(messages.every((m) => m.purpose === 'notices.notice' && m.status === 'queued' && m.body.endsWith('您好，明天停水。'))).toBe(true);
    const inbox = await db.selectFrom('inbox_message').select(['title', 'body']).where('recipient_id', '=', account.id).execute();
    expect(inbox).toEqual([{ title: '停水通知', body: `${residents[1]!.name}您好，明天停水。` }]);

    const detail = (await worker.get(`/api/notices/${id}`)).json();
    expect(detail).toMatchObject({ status: 'sent', counts: { recipients: 3, pending: 0, queued: 2, noPhone: 1, inApp: 1 } });
    expect(detail.failures).toEqual([expect.objectContaining({ reason: 'no_phone', phone: null })]);

    // settle one message as failed: the history shows it with its reason
    await db.updateTable('sms_message').set({ status: 'failed', error: 'UNDELIV' }).where('to_number', '=', residents[0]!.phone!).execute();
    const after = (await worker.get(`/api/notices/${id}`)).json();
    expect(after.counts).toMatchObject({ queued: 1, failed: 1 });
    expect(after.failures).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'failed', error: 'UNDELIV' })]));
    const listed = (await allPages<{ id: string; counts: Record<string, number> }>(worker, '/api/notices?limit=500')).find((n) => n.id === id);
    expect(listed?.counts).toMatchObject({ failed: 1, queued: 1 });

    // the neighbouring community sees nothing of it
    expect((await otherWorker.get(`/api/notices/${id}`)).statusCode).toBe(404);
    expect((await otherWorker.post(`/api/notices/${id}/send`)).statusCode).toBe(404);
    expect((await allPages<{ id: string }>(otherWorker, '/api/notices?limit=500')).map((n) => n.id)).not.toContain(id);
  });

  it('refuses a notice selecting nobody, writing nothing', async () => {
    const { label } = await cohort([{ birthDate: '2000-01-01' }]);
    const draft = (await worker.post('/api/notices', { title: '无人', filter: { regionCode: COMMUNITY_A, labels: [label], ageMin: 90 }, text: '您好', channels: ['sms'] })).json();
    const res = await worker.post(`/api/notices/${draft.id}/send`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'notices.no_recipients', field: 'filter' });
    expect((await worker.get(`/api/notices/${draft.id}`)).json()).toMatchObject({ status: 'draft', recipientCount: 0 });
    expect(await db.selectFrom('notice_recipient').select('resident_id').where('notice_id', '=', draft.id).execute()).toEqual([]);
    expect(await db.selectFrom('audit_log').select('action').where('object_id', '=', draft.id).where('action', '=', 'notices.send').execute()).toEqual([]);
  });

  it('keeps notices to holders of the permissions', async () => {
    const staff = await signedInWith([{ role: 'department_staff', regionCode: COMMUNITY_A }]);
    expect((await staff.get('/api/notices')).statusCode).toBe(200);
    expect((await staff.post('/api/notices/preview', { filter: { regionCode: COMMUNITY_A }, text: 'x' })).statusCode).toBe(403);
    const auditor = await signedInWith([{ role: 'auditor', regionCode: '6505' }]);
    expect((await auditor.get('/api/notices')).statusCode).toBe(403);
  });
});

describe('the frozen recipients and their SMS', () => {
  it('renders each recipient’s own text into their SMS, honours the opt-out register and lists the opted out', async () => {
    const { label, residents } = await cohort([
      { sex: 'M', name: '阿不都' },
      { sex: 'F', name: '古丽' },
      { sex: 'F', name: '马兰' },
    ]);
    await db.insertInto('sms_opt_out').values({ number: residents[2]!.phone!, source: 'admin', note: null }).execute();
    const draft = (await worker.post('/api/notices', { title: '逐人', filter: { regionCode: COMMUNITY_A, labels: [label] }, text: '{姓名}{称呼}：{社区}请您{时间}体检。', fields: { 时间: '周五' }, channels: ['sms'] })).json();
    expect((await worker.post(`/api/notices/${draft.id}/send`)).statusCode).toBe(200);
    const community = (await db.selectFrom('region').select('name').where('code', '=', COMMUNITY_A).executeTakeFirstOrThrow()).name;
    const rows = await db
      .selectFrom('notice_recipient as nr')
      .innerJoin('sms_message as m', 'm.id', 'nr.sms_message_id')
      .select(['nr.resident_id', 'nr.body', 'm.to_number', 'm.body as text', 'm.status', 'm.purpose'])
      .where('nr.notice_id', '=', draft.id)
      .execute();
    expect(rows).toHaveLength(3);
    for (const [i, r] of residents.entries()) {
      const row = rows.find((x) => x.resident_id === r.id)!;
      expect(row.text).toBe(`${['阿不都', '古丽', '马兰'][i]}${i === 0 ? '先生' : '女士'}：${community}请您周五体检。`);
      expect(row.to_number).toBe(r.phone);
      expect(row.status).toBe(i === 2 ? 'opted_out' : 'queued');
      expect(row.purpose).toBe('notices.notice');
      // the text is kept once, in the SMS record (no 站内信 here)
      expect(row.body).toBeNull();
    }
    const detail = (await worker.get(`/api/notices/${draft.id}`)).json();
    expect(detail.counts).toMatchObject({ recipients: 3, queued: 2, optedOut: 1 });
    expect(detail.failures).toEqual([expect.objectContaining({ name: '马*', reason: 'opted_out' })]);
  });

  it('a send refused after rendering (a text too long for one recipient) leaves no recipient, SMS or event behind', async () => {
    const { label, residents } = await cohort([{ name: '短名' }, { name: '长'.repeat(50) }]);
    const text = `{姓名}${'请'.repeat(630)}`;
    const draft = (await worker.post('/api/notices', { title: '过长', filter: { regionCode: COMMUNITY_A, labels: [label] }, text, channels: ['sms', 'inapp'] })).json();
    const jobsBefore = Number((await db.selectFrom('job').select((eb) => eb.fn.countAll().as('n')).where('unique_key', '=', draft.id).executeTakeFirstOrThrow()).n);
    const res = await worker.post(`/api/notices/${draft.id}/send`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'notices.invalid_text', field: 'text' });
    expect(await db.selectFrom('notice_recipient').select('resident_id').where('notice_id', '=', draft.id).execute()).toEqual([]);
    expect(await db.selectFrom('sms_message').select('id').where('to_number', 'in', residents.map((r) => r.phone!)).execute()).toEqual([]);
    expect(Number((await db.selectFrom('job').select((eb) => eb.fn.countAll().as('n')).where('unique_key', '=', draft.id).executeTakeFirstOrThrow()).n)).toBe(jobsBefore);
    expect((await worker.get(`/api/notices/${draft.id}`)).json()).toMatchObject({ status: 'draft', recipientCount: 0 });
  });

  it('keeps every recipient row with its notice (the invariant the dropped foreign key stood for)', async () => {
    // sends that race, fail or succeed above and below all leave recipients only under an existing, sent notice
    const orphans = await db
      .selectFrom('notice_recipient as nr')
      .select('nr.notice_id')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('notice as n').select('n.id').whereRef('n.id', '=', 'nr.notice_id').where('n.status', '<>', 'draft'))))
      .limit(5)
      .execute();
    expect(orphans).toEqual([]);
    // two sends of one notice at once: one freeze (each recipient once, each SMS once, one send audited)
    const { label, residents } = await cohort([{}, {}, {}, {}]);
    const draft = (await admin.post('/api/notices', { title: '并发发送', filter: { regionCode: COMMUNITY_A, labels: [label] }, text: '{姓名}：并发', channels: ['sms'] })).json();
    const sends = await Promise.all([admin.post(`/api/notices/${draft.id}/send`), admin.post(`/api/notices/${draft.id}/send`), admin.post(`/api/notices/${draft.id}/send`)]);
    expect(sends.map((x) => x.statusCode)).toEqual([200, 200, 200]);
    expect(await db.selectFrom('notice_recipient').select('resident_id').where('notice_id', '=', draft.id).execute()).toHaveLength(4);
    const sms = await db.selectFrom('sms_message').select('to_number').where('to_number', 'in', residents.map((r) => r.phone!)).execute();
    expect(sms.map((m) => m.to_number).sort()).toEqual(residents.map((r) => r.phone!).sort());
    expect(await db.selectFrom('audit_log').select('action').where('object_id', '=', draft.id).where('action', '=', 'notices.send').execute()).toHaveLength(1);
    // the delivery events of the notice's SMS: one batch, queued with the send
    const ids = new Set((await db.selectFrom('notice_recipient').select('sms_message_id').where('notice_id', '=', draft.id).execute()).map((r) => r.sms_message_id));
    const events = await db.selectFrom('job').select('payload').where('name', '=', 'outbox:sms.deliver_many').execute();
    expect(events.filter((e) => ((e.payload as { ids?: string[] }).ids ?? []).some((x) => ids.has(x)))).toHaveLength(1);
  });
});

/** Gives each resident a citizen account (so a notice reaches them in-app too); returns the accounts' user ids. */
async function withAccounts(residents: { id: string }[]): Promise<string[]> {
  const users: string[] = [];
  for (const r of residents) {
    const account = await newUser(db, { regionCode: COMMUNITY_A });
    const idNumber = (await db.selectFrom('community_resident').select('id_number').where('id', '=', r.id).executeTakeFirstOrThrow()).id_number;
    await db.insertInto('citizen').values({ user_id: account.id, id_number: idNumber, phone: phone(), created_at: new Date(), updated_at: new Date() }).execute();
    users.push(account.id);
  }
  return users;
}

describe('dispatch after a crash', () => {
  it('resumes where the last committed batch ended: nobody gets two 站内信', async () => {
    const { label, residents } = await cohort(Array.from({ length: 7 }, () => ({})));
    const users = await withAccounts(residents);
    const draft = (await admin.post('/api/notices', { title: '演练', filter: { regionCode: COMMUNITY_A, labels: [label] }, text: '{姓名}：演练通知', channels: ['sms', 'inapp'] })).json();
    expect((await admin.post(`/api/notices/${draft.id}/send`)).statusCode).toBe(200);
    // first run: batch 1 commits, batch 2 dies before its commit (the process killed mid-way)
    await expect(
      notices.dispatch(draft.id, {
        batchSize: 3,
        afterQueue: (batch) => {
          if (batch === 2) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const inbox = async () => (await db.selectFrom('inbox_message').select('recipient_id').where('recipient_id', 'in', users).execute()).map((m) => m.recipient_id);
    expect(await inbox()).toHaveLength(3);
    // the SMS went with the send: all seven queued, whatever the dispatch did
    expect((await admin.get(`/api/notices/${draft.id}`)).json()).toMatchObject({ status: 'sending', counts: { pending: 4, queued: 7, inApp: 3 } });
    // a second run stops after one batch (killed between commits), a third finishes
    expect(await notices.dispatch(draft.id, { batchSize: 3, maxBatches: 1 })).toBe(3);
    expect(await notices.dispatch(draft.id, { batchSize: 3 })).toBe(1);
    expect((await inbox()).sort()).toEqual([...users].sort());
    expect((await admin.get(`/api/notices/${draft.id}`)).json()).toMatchObject({ status: 'sent', counts: { pending: 0, queued: 7, inApp: 7 } });
    const sms = await db.selectFrom('sms_message').select('to_number').where('to_number', 'in', residents.map((r) => r.phone!)).execute();
    expect(sms).toHaveLength(7);
  });

  it('two dispatchers at once share the recipients: each 站内信 stored once', async () => {
    const { label, residents } = await cohort(Array.from({ length: 8 }, () => ({})));
    const users = await withAccounts(residents);
    const draft = (await admin.post('/api/notices', { title: '并发派发', filter: { regionCode: COMMUNITY_A, labels: [label] }, text: '{姓名}：并发派发通知', channels: ['inapp'] })).json();
    expect((await admin.post(`/api/notices/${draft.id}/send`)).statusCode).toBe(200);
    const [a, b] = await Promise.all([notices.dispatch(draft.id, { batchSize: 2 }), notices.dispatch(draft.id, { batchSize: 2 })]);
    expect(a + b).toBe(8);
    const inbox = await db.selectFrom('inbox_message').select('recipient_id').where('recipient_id', 'in', users).execute();
    expect(inbox.map((m) => m.recipient_id).sort()).toEqual([...users].sort());
    expect((await admin.get(`/api/notices/${draft.id}`)).json()).toMatchObject({ status: 'sent', counts: { pending: 0, inApp: 8 } });
  });

  it('marks a notice without 站内信 dispatched in one step', async () => {
    const { label } = await cohort(Array.from({ length: 5 }, () => ({})));
    const draft = (await admin.post('/api/notices', { title: '一步', filter: { regionCode: COMMUNITY_A, labels: [label] }, text: '{姓名}：一步', channels: ['sms'] })).json();
    expect((await admin.post(`/api/notices/${draft.id}/send`)).statusCode).toBe(200);
    expect(await notices.dispatch(draft.id, { batchSize: 2, maxBatches: 1 })).toBe(5);
    expect(await notices.dispatch(draft.id)).toBe(0);
    expect((await admin.get(`/api/notices/${draft.id}`)).json()).toMatchObject({ status: 'sent', counts: { pending: 0, queued: 5 } });
  });
});

void login;
