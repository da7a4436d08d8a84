// The citizen access record: own reads only, covert grants hidden from the citizen but flagged for auditors, the
// marking audited, the auditor's lookup itself logged.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { Permission } from '../../src/shared/access.ts';
import type { RequestContext } from '../../src/shared/context.ts';
import { login, type Client } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { newClientApp, newDataGrant, newResource } from '../support/data-factories.ts';
import { Caller, newIdNumber, registerCitizen, useCitizenApp } from '../../src/modules/citizens/test-helpers.ts';

const suite = useCitizenApp();
let db: Kysely<Database>;
beforeAll(async () => {
  db = (await testDb()).db;
});

/** A read through the exchange as h4's gateway records it: the client application is the actor. */
async function exchangeRead(input: { resource: { code: string }; shareId: string; clientApp: { id: string; clientId: string; departmentId: string }; subjects: string[]; fields: string[]; purpose?: string }) {
  const ctx: RequestContext = {
    actor: { userId: input.clientApp.id, username: input.clientApp.clientId, displayName: '测试系统', kind: 'staff', departmentId: input.clientApp.departmentId, grants: [], via: 'token' },
    clientAddr: '10.0.0.9',
    requestId: null,
    audited: false,
  };
  const permission = 'exchange.call' as Permission;
  await suite.services.audit.recordAccess(ctx, {
    resource: `data:${input.resource.code}`,
    subjectIds: input.subjects,
    fields: input.fields,
    permission,
    scope: { permission, paths: [], departments: [], shares: [] },
    regionCode: '650502',
    detail: {
      via: 'exchange',
      grantId: input.shareId,
      resourceCode: input.resource.code,
      resourceName: '人口基础信息',
      clientAppId: input.clientApp.id,
      clientName: '综治平台',
      consumerDepartmentId: input.clientApp.departmentId,
      consumerDepartmentName: '伊州区综治中心',
      purpose: input.purpose ?? '网格化服务管理',
      rows: input.subjects.length,
    },
  });
}

async function staff(role: 'auditor' | 'security_admin' | 'department_staff', regionCode = '6505'): Promise<Client> {
  const user = await newUser(db, { grants: [{ role, regionCode }] });
  return login(suite.app, user.username, user.password);
}

describe('citizen access record', () => {
  let idA: string;
  let idB: string;
  let citizenA: Caller;
  let citizenB: Caller;
  let plainGrant: string;
  let covertGrant: string;
  let resource: Awaited<ReturnType<typeof newResource>>;

  beforeAll(async () => {
    citizenA = new Caller(suite.app);
    citizenB = new Caller(suite.app);
    idA = (await registerCitizen(citizenA, suite.smsc, { idNumber: newIdNumber() })).idNumber;
    idB = (await registerCitizen(citizenB, suite.smsc, { idNumber: newIdNumber() })).idNumber;
    const provider = await newDepartment(db, { regionCode: '650502' });
    resource = await newResource(db, { providerDepartmentId: provider.id, regionCode: '650502' });
    const consumer = await newDepartment(db, { regionCode: '650502' });
    const app = await newClientApp(db, { departmentId: consumer.id });
    plainGrant = (await newDataGrant(db, { resource, consumerDepartmentId: consumer.id, items: ['id_number', 'name'], clientAppId: app.id })).shareId;
    covertGrant = (await newDataGrant(db, { resource, consumerDepartmentId: consumer.id, items: ['id_number', 'phone'], clientAppId: app.id })).shareId;
    await exchangeRead({ resource, shareId: plainGrant, clientApp: app, subjects: [idA], fields: ['id_number', 'name'] });
    await exchangeRead({ resource, shareId: plainGrant, clientApp: app, subjects: [idB], fields: ['id_number', 'name'] });
    await exchangeRead({ resource, shareId: covertGrant, clientApp: app, subjects: [idA, idB], fields: ['id_number', 'phone'], purpose: '案件调查' });
  });

  it('shows a citizen the reads of their own data, newest first, with names of the items — never another citizen’s', async () => {
    const res = await citizenA.request('GET', '/api/citizen/data-uses');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { resourceCode: string; purpose: string; items: { code: string; name: string }[]; departmentName: string; systemName: string; at: string }[];
    expect(items.map((i) => i.purpose)).toEqual(['案件调查', '网格化服务管理']);
    expect(items[1]!.items).toEqual([
      { code: 'id_number', name: '公民身份号码' },
      { code: 'name', name: '姓名' },
    ]);
    expect(items[1]).toMatchObject({ resourceCode: resource.code, departmentName: '伊州区综治中心', systemName: '综治平台' });
    expect(items[0]!.at >= items[1]!.at).toBe(true);
    // B sees their two reads, not A's own
    const b = (await citizenB.request('GET', '/api/citizen/data-uses')).json().items as unknown[];
    expect(b).toHaveLength(2);
    // pages by cursor
    const first = (await citizenA.request('GET', '/api/citizen/data-uses?limit=1')).json();
    expect(first.items).toHaveLength(1);
    const second = (await citizenA.request('GET', `/api/citizen/data-uses?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((i: { purpose: string }) => i.purpose)).toEqual(['网格化服务管理']);
    expect(second.nextCursor).toBeNull();
    // a cursor this API did not issue is refused, naming the field
    const forged = await citizenA.request('GET', '/api/citizen/data-uses?cursor=bm90LWEtY3Vyc29y');
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ code: 'request.invalid_cursor', field: 'cursor' });
  });

  it('refuses the citizen route to staff', async () => {
    const res = await (await staff('department_staff')).get('/api/citizen/data-uses');
    expect(res.statusCode).toBe(403);
  });

  it('hides reads under a grant marked covert from the citizen (earlier reads too), flags them for auditors, and audits the marking', async () => {
    const auditor = await staff('auditor');
    const security = await staff('security_admin');
    // an auditor may not mark; a security administrator may
    expect((await auditor.request('PUT', `/api/tracker/grants/${covertGrant}/covert`, { covert: true, reason: '案件 2026-017' })).statusCode).toBe(403);
    expect((await security.request('PUT', `/api/tracker/grants/${covertGrant}/covert`, { covert: true, reason: '  ' })).json().code).toBe('tracker.reason_required');
    expect((await security.request('PUT', `/api/tracker/grants/00000000-0000-4000-8000-000000000000/covert`, { covert: true, reason: '案件' })).json().code).toBe('tracker.grant_not_found');
    // the refused markings wrote nothing
    expect(await db.selectFrom('audit_log').select('seq').where('object_id', '=', covertGrant).execute()).toEqual([]);
    expect((await db.selectFrom('data_grant').select('covert').where('share_id', '=', covertGrant).executeTakeFirstOrThrow()).covert).toBe(false);
    const marked = await security.request('PUT', `/api/tracker/grants/${covertGrant}/covert`, { covert: true, reason: '案件 2026-017' });
    expect(marked.statusCode).toBe(200);
    expect(marked.json()).toMatchObject({ shareId: covertGrant, covert: true });
    const row = await db.selectFrom('data_grant').select(['covert', 'covert_marked_by', 'covert_marked_at']).where('share_id', '=', covertGrant).executeTakeFirstOrThrow();
    expect(row.covert).toBe(true);
    expect(row.covert_marked_by).not.toBeNull();
    const record = await db.selectFrom('audit_log').select(['action', 'detail', 'role']).where('object_id', '=', covertGrant).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(record).toMatchObject({ action: 'tracker.covert_mark', role: 'security_admin', detail: { reason: '案件 2026-017', resourceCode: resource.code } });

    const own = (await citizenA.request('GET', '/api/citizen/data-uses')).json().items as { purpose: string }[];
    expect(own.map((i) => i.purpose)).toEqual(['网格化服务管理']);
    const seen = (await auditor.get(`/api/tracker/persons/${idA}/data-uses`)).json().items as { purpose: string; covert: boolean; grantId: string }[];
    expect(seen.map((i) => [i.purpose, i.covert])).toEqual([
      ['案件调查', true],
      ['网格化服务管理', false],
    ]);
    expect((await security.get('/api/tracker/grants?covert=true')).json().items.map((g: { shareId: string }) => g.shareId)).toContain(covertGrant);

    // lifting the marking shows the reads again, and is audited too
    expect((await security.request('PUT', `/api/tracker/grants/${covertGrant}/covert`, { covert: false, reason: '案件已结' })).statusCode).toBe(200);
    expect((await citizenA.request('GET', '/api/citizen/data-uses')).json().items).toHaveLength(2);
    const lifted = await db.selectFrom('audit_log').select('action').where('object_id', '=', covertGrant).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(lifted.action).toBe('tracker.covert_unmark');
    // put back for the next test's expectations
    await security.request('PUT', `/api/tracker/grants/${covertGrant}/covert`, { covert: true, reason: '案件重启' });
  });

  it('serialises concurrent markings of one grant: each audit record starts from the state the one before left', async () => {
    const security = await staff('security_admin');
    const consumer = await newDepartment(db, { regionCode: '650502' });
    const { shareId } = await newDataGrant(db, { resource, consumerDepartmentId: consumer.id, items: ['name'] });
    const wanted = [true, false, true, true, false, true];
    const answers = await Promise.all(wanted.map((covert, i) => security.request('PUT', `/api/tracker/grants/${shareId}/covert`, { covert, reason: `并发 ${i}` })));
    expect(answers.map((a) => a.statusCode)).toEqual(wanted.map(() => 200));
    const records = await db.selectFrom('audit_log').select(['action', 'detail']).where('object_id', '=', shareId).orderBy('seq').execute();
    expect(records).toHaveLength(wanted.length);
    let state = false;
    for (const r of records) {
      expect((r.detail as { before: boolean }).before).toBe(state);
      state = r.action === 'tracker.covert_mark';
    }
    const row = await db.selectFrom('data_grant').select('covert').where('share_id', '=', shareId).executeTakeFirstOrThrow();
    expect(row.covert).toBe(state);
  });

  it('logs the auditor’s lookup itself, limits it to the auditor’s jurisdiction and refuses a bad ID number', async () => {
    const user = await newUser(db, { grants: [{ role: 'auditor', regionCode: '6505' }] });
    const auditor = await login(suite.app, user.username, user.password);
    expect((await auditor.get(`/api/tracker/persons/${idB}/data-uses`)).statusCode).toBe(200);
    const logged = await db
      .selectFrom('audit_access')
      .select(['resource', 'subject_ids', 'permission'])
      .where('actor_id', '=', user.id)
      .execute();
    expect(logged).toEqual([{ resource: 'tracker.person', subject_ids: [idB], permission: 'tracker.read' }]);
    // the lookup is not a use of the person's data by a department: it is not in their own record
    expect((await citizenB.request('GET', '/api/citizen/data-uses')).json().items).toHaveLength(1);

    const wrongCheck = idA.slice(0, 17) + (idA[17] === '1' ? '2' : '1');
    const bad = await auditor.get(`/api/tracker/persons/${wrongCheck}/data-uses`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'tracker.invalid_id_number', field: 'idNumber' });

    // an auditor of another county sees none of these reads (the provider is in 650502)
    const elsewhere = await staff('auditor', '650521');
    expect((await elsewhere.get(`/api/tracker/persons/${idA}/data-uses`)).json().items).toEqual([]);
    // and staff without tracker.read are refused
    expect((await (await staff('department_staff')).get(`/api/tracker/persons/${idA}/data-uses`)).statusCode).toBe(403);
  });
});
