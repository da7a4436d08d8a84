// Sharing requests through the API on a ManualClock: submission across the National Day holiday, the provider's
// answer (all, some, refusal with reason), reminders and escalation once each under concurrent runs, withdrawal,
// revocation seen by findDataGrant, jurisdiction (out-of-tree decisions are 404), bad input with nothing written.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { Services } from '../../services.ts';
import { login, testConfig, type Client } from '../../../test/support/app.ts';
import { forgetYearsAfter2026, testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
import { newResource } from '../../../test/support/data-factories.ts';
import { findDataGrant } from './index.ts';
import type { Sharing } from './module.ts';

type User = Awaited<ReturnType<typeof newUser>>;
let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: App;
let services: Services;
let sharing: Sharing;
// Friday before the National Day holiday (2026-10-01…07)
const clock = new ManualClock('2026-09-25T10:00:00+08:00');
let provider: { id: string };
let consumer: { id: string };
let resource: Awaited<ReturnType<typeof newResource>>;
let providerAdmin: User;
let otherAdmin: User;
let consumerStaff: User;
let authority: User;

const as = (user: User): Promise<Client> => login(app, user.username, user.password);
const body = (over: Record<string, unknown> = {}) => ({
  resource: resource.code,
  items: ['name', 'id_number', 'phone'],
  purpose: '低保资格核查',
  legalBasis: '《社会救助暂行办法》第十一条',
  periodFrom: '2026-10-01',
  periodTo: '2027-09-30',
  ...over,
});
const requestsOf = async (departmentId: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM sharing_request WHERE consumer_department_id = ${departmentId}`.execute(db)).rows[0]!.n;
const inboxOf = async (userId: string, kind: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM inbox_message WHERE recipient_id = ${userId} AND kind = ${kind}`.execute(db)).rows[0]!.n;

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app, services } = await buildApp({ db, config: testConfig({ sessionIdleMinutes: 600 }), serveWeb: false, clock }));
  sharing = (services as unknown as { sharing: Sharing }).sharing;
  provider = await newDepartment(db, { regionCode: '650502' });
  consumer = await newDepartment(db, { regionCode: '650502' });
  const other = await newDepartment(db, { regionCode: '650502' });
  resource = await newResource(db, { providerDepartmentId: provider.id, regionCode: '650502' });
  providerAdmin = await newUser(db, { departmentId: provider.id, phone: '13900001111', grants: [{ role: 'department_admin', regionCode: '650502' }] });
  otherAdmin = await newUser(db, { departmentId: other.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
  consumerStaff = await newUser(db, { departmentId: consumer.id, phone: '13900002222', grants: [{ role: 'department_staff', regionCode: '650502' }] });
  authority = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '650502' }] });
});

afterAll(async () => app?.close());

describe('sharing requests', () => {
  it('grants unconditional items at once, sends conditional ones to the provider with a 10-working-day deadline', async () => {
    const staff = await as(consumerStaff);
    const res = await staff.request('POST', '/api/sharing/requests', body(), { 'idempotency-key': 'k-lifecycle-1' });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r.number).toMatch(/^GX-20260925-\d{4}$/);
    // 10 working days from Friday 25 September over the weekend and the National Day holiday
    expect(r).toMatchObject({ status: 'pending', deadline: '2026-10-15', deadlineProvisional: false, approvedItems: ['name'], abilities: ['withdraw'] });
    const unconditional = (await findDataGrant(db, r.unconditionalShareId))!;
    expect(unconditional).toMatchObject({ items: ['name'], consumerDepartmentId: consumer.id, providerDepartmentId: provider.id, revokedAt: null });
    expect(unconditional.expiresAt.toISOString()).toBe('2027-09-30T16:00:00.000Z');
    // the same key answers the same request, writes nothing new
    const again = await staff.request('POST', '/api/sharing/requests', body(), { 'idempotency-key': 'k-lifecycle-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(r.id);
    const mismatch = await staff.request('POST', '/api/sharing/requests', body({ items: ['name'] }), { 'idempotency-key': 'k-lifecycle-1' });
    expect(mismatch.statusCode).toBe(409);
    // in the provider admin's to-do and inbox with the deadline
    const admin = await as(providerAdmin);
    const todo = (await admin.get('/api/todo')).json();
    expect(todo.items.find((i: { id: string }) => i.id === r.id)).toMatchObject({ module: 'sharing', deadline: '2026-10-15' });
    expect(await inboxOf(providerAdmin.id, 'sharing.request')).toBeGreaterThan(0);
    const toMe = (await admin.get('/api/sharing/requests?role=to_me')).json();
    expect(toMe.items.find((i: { id: string }) => i.id === r.id).abilities).toEqual(['approve', 'refuse']);
    expect(toMe.total).toBeGreaterThan(0);
  });

  it('offers the wizard the resource items with their share types and the caller\'s systems', async () => {
    const staff = await as(consumerStaff);
    const options = (await staff.get(`/api/sharing/request-options?resource=${resource.code}`)).json();
    expect(options.resource).toMatchObject({ code: resource.code, provider: { id: provider.id } });
    expect(options.items.find((i: { code: string }) => i.code === 'note')).toMatchObject({ shareType: 'none', legalBasis: '内部工作信息' });
    expect(options.consumer).toMatchObject({ id: consumer.id });
    expect(options.today).toBe('2026-09-25');
    expect((await staff.get('/api/sharing/request-options?resource=NO-SUCH')).statusCode).toBe(404);
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const staff = await as(consumerStaff);
    const before = await requestsOf(consumer.id);
    const none = await staff.post('/api/sharing/requests', body({ items: ['name', 'note'] }));
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ code: 'sharing.item_not_shared', field: 'items' });
    const long = await staff.post('/api/sharing/requests', body({ periodTo: '2027-10-02' }));
    expect(long.json()).toMatchObject({ code: 'sharing.invalid_period', field: 'periodTo' });
    const region = await staff.post('/api/sharing/requests', body({ regionPrefix: '650521' }));
    expect(region.json()).toMatchObject({ code: 'sharing.invalid_region', field: 'regionPrefix' });
    const unknown = await staff.post('/api/sharing/requests', body({ items: ['salary'] }));
    expect(unknown.json()).toMatchObject({ code: 'sharing.unknown_item', field: 'items' });
    expect(await requestsOf(consumer.id)).toBe(before);
  });

  it('numbers concurrent submissions uniquely', async () => {
    const staff = await as(consumerStaff);
    const results = await Promise.all([1, 2, 3, 4].map(() => staff.post('/api/sharing/requests', body({ items: ['name'] }))));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    expect(results.every((r) => r.json().status === 'granted')).toBe(true);
    expect(new Set(results.map((r) => r.json().number)).size).toBe(4);
  });

  it('reminds two working days before the deadline once, however many runs race; approves once under concurrent answers', async () => {
    const staff = await as(consumerStaff);
    const r = (await staff.post('/api/sharing/requests', body())).json();
    // a refusal needs a reason; another department's admin cannot see the request
    const admin = await as(providerAdmin);
    const noReason = await admin.post(`/api/sharing/requests/${r.id}/decision`, { decision: 'refuse', reason: '  ' });
    expect(noReason.json()).toMatchObject({ code: 'sharing.reason_required', field: 'reason' });
    expect((await (await as(otherAdmin)).post(`/api/sharing/requests/${r.id}/decision`, { decision: 'approve' })).statusCode).toBe(404);
    expect((await staff.post(`/api/sharing/requests/${r.id}/decision`, { decision: 'approve' })).statusCode).toBe(403);

    clock.set('2026-10-12T09:00:00+08:00'); // three working days left: not yet
    expect((await sharing.requests.runDeadlines()).reminded).toBe(0);
    clock.set('2026-10-13T09:00:00+08:00'); // two working days left
    const runs = await Promise.all([sharing.requests.runDeadlines(), sharing.requests.runDeadlines()]);
    expect(runs.reduce((n, x) => n + x.reminded, 0)).toBeGreaterThanOrEqual(1);
    expect((await sharing.requests.runDeadlines()).reminded).toBe(0);
    const row = await db.selectFrom('sharing_request').select('reminded_at').where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row.reminded_at).not.toBeNull();
    const sms = await sql<{ n: number }>`SELECT count(*)::int AS n FROM sms_message WHERE to_number = '13900001111' AND purpose = 'sharing.reminder'`.execute(db);
    const reminders = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'sharing.request.remind' AND object_id = ${r.id}`.execute(db);
    expect(reminders.rows[0]!.n).toBe(1);
    expect(sms.rows[0]!.n).toBeGreaterThanOrEqual(1);

    const admin2 = await as(providerAdmin);
    const answers = await Promise.all([admin2.post(`/api/sharing/requests/${r.id}/decision`, { decision: 'approve' }), admin2.post(`/api/sharing/requests/${r.id}/decision`, { decision: 'approve' })]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const approved = answers.find((a) => a.statusCode === 200)!.json();
    expect(approved).toMatchObject({ status: 'approved', approvedItems: ['name', 'id_number', 'phone'], abilities: [] });
    const grants = await db.selectFrom('data_grant').select('share_id').where('request_id', '=', r.id).execute();
    expect(grants).toHaveLength(2); // the unconditional one at submission, the approved one now
    expect(await inboxOf(consumerStaff.id, 'sharing.decision')).toBeGreaterThan(0);

    // the provider's masking policy for this grant: read by findDataGrant (the gateway) on the next call
    const masked = await admin2.request('PUT', `/api/sharing/grants/${approved.conditionalShareId}/masks`, { masks: { phone: 'none', name: 'all' } });
    expect(masked.statusCode, masked.body).toBe(200);
    expect(masked.json()).toMatchObject({ masks: { phone: 'none', name: 'all' }, abilities: ['revoke', 'masks'] });
    expect((await findDataGrant(db, approved.conditionalShareId))!.masks).toEqual({ phone: 'none', name: 'all' });
    expect((await admin2.request('PUT', `/api/sharing/grants/${approved.conditionalShareId}/masks`, { masks: { note: 'none' } })).json()).toMatchObject({ code: 'sharing.invalid_items', field: 'masks' });
    expect((await (await as(consumerStaff)).request('PUT', `/api/sharing/grants/${approved.conditionalShareId}/masks`, { masks: {} })).statusCode).toBe(403);

    // revoke: the share grant is revoked at once and audited; a second revocation is a conflict
    const revoked = await admin2.post(`/api/sharing/grants/${approved.conditionalShareId}/revoke`, { reason: '用途已结束' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', abilities: [] });
    expect((await findDataGrant(db, approved.conditionalShareId))!.revokedAt).not.toBeNull();
    expect((await admin2.post(`/api/sharing/grants/${approved.conditionalShareId}/revoke`, {})).json()).toMatchObject({ code: 'sharing.already_revoked' });
    expect((await (await as(otherAdmin)).post(`/api/sharing/grants/${r.unconditionalShareId}/revoke`, {})).statusCode).toBe(404);
    const mine = (await (await as(consumerStaff)).get('/api/sharing/grants?role=mine')).json();
    expect(mine.items.find((g: { shareId: string }) => g.shareId === approved.conditionalShareId)).toMatchObject({ status: 'revoked' });
  });

  it('escalates an unanswered request once to the authority, who may approve some items; the provider no longer can', async () => {
    clock.set('2026-10-14T09:00:00+08:00');
    const staff = await as(consumerStaff);
    const r = (await staff.post('/api/sharing/requests', body())).json();
    expect(r.status).toBe('pending');
    clock.set(`${r.deadline}T18:00:00+08:00`); // the last day: still pending
    await sharing.requests.runDeadlines();
    expect((await db.selectFrom('sharing_request').select('status').where('id', '=', r.id).executeTakeFirstOrThrow()).status).toBe('pending');
    clock.set(`${r.deadline}T18:00:00+08:00`);
    clock.advance(86_400_000);
    const runs = await Promise.all([sharing.requests.runDeadlines(), sharing.requests.runDeadlines()]);
    expect(runs.reduce((n, x) => n + x.escalated, 0)).toBeGreaterThanOrEqual(1);
    const escalations = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'sharing.request.escalate' AND object_id = ${r.id}`.execute(db);
    expect(escalations.rows[0]!.n).toBe(1);
    expect(await inboxOf(authority.id, 'sharing.escalated')).toBeGreaterThan(0);

    const admin = await as(providerAdmin);
    expect((await admin.post(`/api/sharing/requests/${r.id}/decision`, { decision: 'approve' })).statusCode).toBe(403);
    const boss = await as(authority);
    const todo = (await boss.get('/api/todo')).json();
    expect(todo.items.find((i: { id: string }) => i.id === r.id)).toMatchObject({ kind: 'sharing.escalated' });
    const escalated = (await boss.get('/api/sharing/requests?role=escalated')).json();
    expect(escalated.items.find((i: { id: string }) => i.id === r.id).abilities).toEqual(expect.arrayContaining(['approve', 'refuse']));
    const bad = await boss.post(`/api/sharing/requests/${r.id}/decision`, { decision: 'approve', items: ['name'] });
    expect(bad.json()).toMatchObject({ code: 'sharing.invalid_items', field: 'items' });
    const partly = await boss.post(`/api/sharing/requests/${r.id}/decision`, { decision: 'approve', items: ['id_number'] });
    expect(partly.statusCode, partly.body).toBe(200);
    expect(partly.json()).toMatchObject({ status: 'partially_approved', approvedItems: ['name', 'id_number'] });
    expect((await findDataGrant(db, partly.json().conditionalShareId))!.items).toEqual(['name', 'id_number']);
  });

  it('flags a deadline in a year whose holidays are not loaded as provisional', async () => {
    await forgetYearsAfter2026(db);
    await (services as unknown as { calendar: { refresh(): Promise<boolean> } }).calendar.refresh();
    clock.set('2026-12-24T09:00:00+08:00');
    const r = (await (await as(consumerStaff)).post('/api/sharing/requests', body({ periodFrom: '2027-01-04', periodTo: '2027-12-31' }))).json();
    expect(r).toMatchObject({ status: 'pending', deadlineProvisional: true });
    expect(r.deadline >= '2027-01-01').toBe(true);
  });

  it('lets the consumer withdraw while pending, and the provider refuse with a reason', async () => {
    clock.set('2026-11-02T09:00:00+08:00');
    const staff = await as(consumerStaff);
    const a = (await staff.post('/api/sharing/requests', body({ periodFrom: '2026-11-02', periodTo: '2027-11-01' }))).json();
    const withdrawn = await staff.post(`/api/sharing/requests/${a.id}/withdraw`);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn' });
    expect((await staff.post(`/api/sharing/requests/${a.id}/withdraw`)).json()).toMatchObject({ code: 'sharing.not_pending' });
    const b = (await staff.post('/api/sharing/requests', body({ periodFrom: '2026-11-02', periodTo: '2027-11-01' }))).json();
    const admin = await as(providerAdmin);
    const refused = await admin.post(`/api/sharing/requests/${b.id}/decision`, { decision: 'refuse', reason: '用途与信息项不相称' });
    expect(refused.json()).toMatchObject({ status: 'refused', decisionReason: '用途与信息项不相称', conditionalShareId: null });
    const mine = (await staff.get(`/api/sharing/requests?role=mine&status=refused`)).json();
    expect(mine.items.map((i: { id: string }) => i.id)).toContain(b.id);
    expect(mine.items.every((i: { status: string }) => i.status === 'refused')).toBe(true);
  });
});
