// Two nodes running the reminder schedule at once: two OaService instances over the same database claim each
// (receipt, rung) once — one oa_reminder row and one SMS per unsigned recipient — on PGlite and on PostgreSQL.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { Services } from '../../services.ts';
import { login, testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser, uniq } from '../../../test/support/factories.ts';
import type { AuditService } from '../audit/index.ts';
import type { FileService } from '../files/index.ts';
import type { SmsService } from '../sms/index.ts';
import { OaService } from './service.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: App;
let services: Services;
const clock = new ManualClock('2026-11-03T09:00:00+08:00');

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app, services } = await buildApp({ db, config: testConfig({ sessionIdleMinutes: 600 }), serveWeb: false, clock }));
}, 300_000);

afterAll(async () => app?.close());

describe('oa reminders on two nodes', () => {
  it('two service instances running the reminders at once send each reminder once', async () => {
    const senderDept = await newDepartment(db, { regionCode: '650502' });
    const dept = await newDepartment(db, { regionCode: '650502' });
    const sender = await newUser(db, { departmentId: senderDept.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
    const phones = ['13900007771', '13900007772', '13900007773'];
    const recipients = await Promise.all(phones.map((phone) => newUser(db, { departmentId: dept.id, phone, grants: [{ role: 'department_staff', regionCode: '650502' }] })));
    const s = await login(app, sender.username, sender.password);
    const number = `哈政办发〔2026〕${uniq('')}号`;
    const created = await s.post('/api/oa/documents', {
      kind: 'notice',
      title: '关于两节点催办测试的通知',
      number,
      urgency: 'normal',
      marking: 'internal',
      body: '<p>请签收。</p>',
      recipients: { departments: [{ id: dept.id, withSubDepartments: false }] },
      signDeadline: new Date(clock.now().getTime() + 86_400_000).toISOString(),
    });
    expect(created.statusCode, created.body).toBe(201);
    const doc = created.json();
    expect((await s.post(`/api/oa/documents/${doc.id}/send`)).statusCode).toBe(200);

    // a second node: its own service instance over the same database
    const one = (services as unknown as { oa: OaService }).oa;
    const two = new OaService({ db, clock, audit: services.audit as AuditService, files: services.files as FileService, sms: services.sms as SmsService });
    clock.advance(25 * 3600_000);
    await Promise.all([one.runReminders(), two.runReminders(), one.runReminders(), two.runReminders()]);
    const reminders = (await sql<{ user_id: string; rung: number }>`SELECT user_id, rung FROM oa_reminder WHERE document_id = ${doc.id}`.execute(db)).rows;
    expect(reminders.map((r) => `${r.user_id}:${r.rung}`).sort()).toEqual(recipients.map((r) => `${r.id}:1`).sort());
    const sms = (await sql<{ to_number: string }>`SELECT to_number FROM sms_message WHERE purpose = 'oa.reminder' AND body LIKE ${`%${number}%`}`.execute(db)).rows;
    expect(sms.map((m) => m.to_number).sort()).toEqual(phones);
  });
});
