// Shared set-up of the approval API tests: the real app on a ManualClock with an in-process SMS centre (citizens
// register with real codes), a handling department with its staff, and users elsewhere for the jurisdiction checks.
import { sql } from 'kysely';
import { buildApp } from '../../src/http/app.ts';
import type { App } from '../../src/http/types.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import type { Services } from '../../src/services.ts';
import { LocalSmsc, SmppSender } from '../../src/modules/sms/index.ts';
import { CITIZEN_PASSWORD, Caller, registerCitizen } from '../../src/modules/citizens/test-helpers.ts';
import { login, testConfig, type Client } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser, uniq } from '../support/factories.ts';

export type User = Awaited<ReturnType<typeof newUser>>;
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);

export interface ApprovalWorld {
  app: App;
  services: Services;
  clock: ManualClock;
  db: Awaited<ReturnType<typeof testDb>>['db'];
  dept: { id: string };
  otherDept: { id: string };
  farDept: { id: string };
  admin: User;
  staff: User;
  otherStaff: User;
  leader: User;
  farLeader: User;
  smsc: LocalSmsc;
  sender: SmppSender;
  as(user: User): Promise<Client>;
  citizen(): Promise<{ caller: Caller; idNumber: string; phone: string; signIn(): Promise<void> }>;
  itemBody(over?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

export async function approvalWorld(): Promise<ApprovalWorld> {
  const { db } = await testDb();
  const clock = new ManualClock('2026-11-02T09:00:00+08:00');
  const smsc = await LocalSmsc.start({ systemId: 'govcloud', password: 'test' });
  const sender = new SmppSender({ host: '127.0.0.1', port: smsc.port, systemId: 'govcloud', password: 'test', sourceAddr: '10690000', timeoutMs: 3_000 });
  const { app, services } = await buildApp({ db, config: testConfig({ sessionIdleMinutes: 24 * 60, sessionMaxHours: 24 * 30 }), serveWeb: false, clock, sms: sender });
  const dept = await newDepartment(db, { regionCode: '650502', name: uniq('哈密市伊州区市场监督管理局') });
  const otherDept = await newDepartment(db, { regionCode: '650502' });
  const farDept = await newDepartment(db, { regionCode: '650521' });
  const [admin, staff, otherStaff, leader, farLeader] = await Promise.all([
    newUser(db, { departmentId: dept.id, grants: [{ role: 'department_admin', regionCode: '650502' }] }),
    newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] }),
    newUser(db, { departmentId: otherDept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] }),
    newUser(db, { departmentId: otherDept.id, grants: [{ role: 'leader', regionCode: '650502' }] }),
    newUser(db, { departmentId: farDept.id, grants: [{ role: 'leader', regionCode: '650521' }] }),
  ]);
  return {
    app,
    services,
    clock,
    db,
    dept,
    otherDept,
    farDept,
    admin,
    staff,
    otherStaff,
    leader,
    farLeader,
    smsc,
    sender,
    as: (user) => login(app, user.username, user.password),
    async citizen() {
      const caller = new Caller(app);
      const { idNumber, phone } = await registerCitizen(caller, smsc);
      return {
        caller,
        idNumber,
        phone,
        async signIn() {
          caller.cookie = undefined;
          const res = await caller.request('POST', '/api/citizen/sign-in', { identifier: phone, password: CITIZEN_PASSWORD });
          if (res.statusCode !== 200) throw new Error(`citizen sign-in failed: ${res.body}`);
        },
      };
    },
    itemBody: (over = {}) => ({
      code: uniq('SX'),
      name: `食品经营许可证核发${uniq('')}`,
      departmentId: dept.id,
      kind: 'licence',
      legalBasis: '《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》',
      statutoryDays: 20,
      promisedDays: 10,
      online: true,
      materials: [
        { name: '食品经营许可申请书', mimeTypes: ['application/pdf'], maxBytes: 4096 },
        { name: '营业执照或身份证明', mimeTypes: ['image/png', 'image/jpeg'] },
        { name: '其他材料', required: false },
      ],
      steps: [{ step: 'accept', limitDays: 5 }, { step: 'review', limitDays: 10 }, { step: 'decide' }, { step: 'conclude' }, { step: 'deliver', limitDays: 10 }],
      ...over,
    }),
    async close() {
      await app.close();
      await sender.close();
      await smsc.close();
    },
  };
}

export const countRows = async (db: ApprovalWorld['db'], query: ReturnType<typeof sql<{ n: number }>>) => (await query.execute(db)).rows[0]!.n;

/** Uploads `body` as material `seq` of a case through the staff route. */
export function upload(client: Client, path: string, body: Buffer, name: string) {
  return client.request('POST', `${path}?name=${encodeURIComponent(name)}`, body, { 'content-type': 'application/octet-stream' });
}

/** The same through the citizen portal's route, with the citizen's session. */
export function citizenUpload(app: App, caller: Caller, path: string, body: Buffer, name: string) {
  const headers = { 'content-type': 'application/octet-stream', cookie: caller.cookie ?? '', 'x-csrf-token': caller.csrfToken ?? '' };
  return app.inject({ method: 'POST', url: `${path}?name=${encodeURIComponent(name)}`, payload: body, headers, remoteAddress: caller.address });
}
