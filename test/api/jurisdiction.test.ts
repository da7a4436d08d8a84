// For every route that reads region-bound data: a user scoped to one community cannot read another community's objects.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { newClientApp, newResource, newRows } from '../support/data-factories.ts';
import { allPages } from '../support/paging.ts';
import { dataUseProbes } from './jurisdiction-data.ts';
import { communityProbes } from './jurisdiction-community.ts';
import { communityImportProbes } from './jurisdiction-community-imports.ts';
import { profileProbes } from './jurisdiction-profiles.ts';
import { noticeProbes } from './jurisdiction-notices.ts';
import { gridworkProbes } from './jurisdiction-gridwork.ts';
import { EVALUATION_NOT_REGION_BOUND, evaluationProbes } from './jurisdiction-evaluation.ts';
import { MATTERS_PUBLIC_READS, MATTERS_REFERENCE_READS, matterProbes } from './jurisdiction-matters.ts';
import { APPROVAL_NOT_REGION_BOUND, approvalProbes } from './jurisdiction-approval.ts';
import { supervisionProbes } from './jurisdiction-supervision.ts';
import { extranetProbes } from './jurisdiction-extranet.ts';
import { SELFSERVICE_NOT_REGION_BOUND, selfserviceProbes } from './jurisdiction-selfservice.ts';
import { METERING_NOT_REGION_BOUND, meteringProbes } from './jurisdiction-metering.ts';
import { PLACEMENT_NOT_REGION_BOUND, placementProbes } from './jurisdiction-placement.ts';
import { CLOUD_NOT_REGION_BOUND, cloudProbes } from './jurisdiction-cloud.ts';
import type { SupervisionService } from '../../src/modules/supervision/service.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let db: Awaited<ReturnType<typeof testDb>>['db'];
/** Two real communities in different counties. */
let mine: { code: string; path: string };
let theirs: { code: string; path: string };
let worker: Client;
let workerUser: Awaited<ReturnType<typeof newUser>>;
let myDept: { id: string; code: string };
let theirDept: { id: string; code: string };
let theirUser: Awaited<ReturnType<typeof newUser>>;
let supervision: SupervisionService;
let myAuditedUser: Awaited<ReturnType<typeof newUser>>;

const firstCommunity = (county: string) =>
  db.selectFrom('region').select(['code', 'path']).where('level', '=', 4).where('path', 'like', `/6505/${county}/%`).orderBy('code').limit(1).executeTakeFirstOrThrow();

beforeAll(async () => {
  let services;
  ({ app, services } = await testApp());
  supervision = (services as unknown as { supervision: SupervisionService }).supervision;
  ({ db } = await testDb());
  mine = await firstCommunity('650502');
  theirs = await firstCommunity('650521');
  myDept = await newDepartment(db, { regionCode: mine.code });
  theirDept = await newDepartment(db, { regionCode: theirs.code });
  // the worker holds every read permission there is, but only over their own community
  workerUser = await newUser(db, {
    departmentId: myDept.id,
    grants: [
      { role: 'community_worker', regionCode: mine.code },
      { role: 'auditor', regionCode: mine.code },
      { role: 'leader', regionCode: mine.code },
    ],
  });
  theirUser = await newUser(db, { departmentId: theirDept.id, grants: [{ role: 'community_worker', regionCode: theirs.code }] });
  myAuditedUser = await newUser(db, { departmentId: myDept.id, grants: [{ role: 'community_worker', regionCode: mine.code }] });
  await login(app, theirUser.username, theirUser.password); // an audit record in their community
  await login(app, myAuditedUser.username, myAuditedUser.password); // and one in mine
  worker = await login(app, workerUser.username, workerUser.password);
});

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 7)]);
let avatars: Promise<{ mine: string; theirs: string }> | undefined;
/** An avatar attached to a user in each community, uploaded by an administrator over it. */
function uploadedAvatars() {
  avatars ??= (async () => {
    const upload = async (regionCode: string, userId: string) => {
      const admin = await newUser(db, { grants: [{ role: 'department_admin', regionCode }] });
      const client = await login(app, admin.username, admin.password);
      const res = await app.inject({
        method: 'POST',
        url: `/api/files?ownerKind=user&ownerId=${userId}&use=avatar&name=a.png`,
        headers: { cookie: client.session!.cookie, 'x-csrf-token': client.session!.csrfToken, 'content-type': 'image/png' },
        payload: PNG,
      });
      expect(res.statusCode).toBe(201);
      return res.json().id as string;
    };
    return { mine: await upload(mine.code, myAuditedUser.id), theirs: await upload(theirs.code, theirUser.id) };
  })();
  return avatars;
}

/** Each region-bound read route, with a probe of what the worker may and may not see through it. */
const probes: Record<string, () => Promise<void>> = {
  'GET /api/regions': async () => {
    const codes = (await allPages<{ code: string }>(worker, '/api/regions?limit=500')).map((r) => r.code);
    expect(codes).toContain(mine.code);
    expect(codes).not.toContain(theirs.code);
    expect(codes).not.toContain('650521');
    const roots = (await worker.get('/api/regions?roots=true')).json().items.map((r: { code: string }) => r.code);
    expect(roots).toEqual([mine.code]);
  },
  'GET /api/regions/{code}': async () => {
    expect((await worker.get(`/api/regions/${mine.code}`)).statusCode).toBe(200);
    expect((await worker.get(`/api/regions/${theirs.code}`)).statusCode).toBe(404);
  },
  'GET /api/regions/{code}/tree': async () => {
    expect((await worker.get(`/api/regions/${mine.code}/tree`)).statusCode).toBe(200);
    expect((await worker.get(`/api/regions/${theirs.code}/tree`)).statusCode).toBe(404);
    expect((await worker.get('/api/regions/6505/tree')).statusCode).toBe(404);
  },
  'GET /api/departments': async () => {
    const ids = (await allPages<{ id: string }>(worker, '/api/departments?limit=500')).map((d) => d.id);
    expect(ids).toContain(myDept.id);
    expect(ids).not.toContain(theirDept.id);
    const filtered = (await worker.get(`/api/departments?regionCode=${theirs.code}`)).json().items;
    expect(filtered).toEqual([]);
  },
  'GET /api/departments/{id}': async () => {
    expect((await worker.get(`/api/departments/${myDept.id}`)).statusCode).toBe(200);
    expect((await worker.get(`/api/departments/${theirDept.id}`)).statusCode).toBe(404);
  },
  'GET /api/users': async () => {
    const ids = (await allPages<{ id: string }>(worker, '/api/users?limit=500')).map((u) => u.id);
    expect(ids).toContain(myAuditedUser.id);
    expect(ids).not.toContain(theirUser.id);
    expect((await worker.get(`/api/users?departmentId=${theirDept.id}`)).json().items).toEqual([]);
  },
  'GET /api/users/{id}': async () => {
    expect((await worker.get(`/api/users/${myAuditedUser.id}`)).statusCode).toBe(200);
    expect((await worker.get(`/api/users/${theirUser.id}`)).statusCode).toBe(404);
  },
  'GET /api/audit': async () => {
    const items = (await allPages(worker, '/api/audit?limit=500')) as { actorId: string | null; regionCode: string | null }[];
    expect(items.some((i) => i.actorId === myAuditedUser.id)).toBe(true);
    expect(items.some((i) => i.actorId === theirUser.id)).toBe(false);
    for (const i of items) expect(i.regionCode).toBe(mine.code);
  },
  'GET /api/audit/alerts': async () => {
    const body = (await worker.get('/api/audit/alerts?limit=500')).json() as { items: { regionCode: string | null }[]; total: number };
    expect(body.total).toBe(body.items.length);
    for (const i of body.items) expect(i.regionCode).toBe(mine.code);
  },
  'GET /api/audit/access': async () => {
    // a read of their user by someone over their county, and one of mine by the worker
    const theirReader = await newUser(db, { grants: [{ role: 'leader', regionCode: '650521' }] });
    expect((await (await login(app, theirReader.username, theirReader.password)).get(`/api/users/${theirUser.id}`)).statusCode).toBe(200);
    expect((await worker.get(`/api/users/${myAuditedUser.id}`)).statusCode).toBe(200);
    const items = (await allPages(worker, '/api/audit/access?limit=500')) as { subjectIds: string[]; regionCode: string | null }[];
    expect(items.some((i) => i.subjectIds.includes(myAuditedUser.id))).toBe(true);
    expect(items.some((i) => i.subjectIds.includes(theirUser.id))).toBe(false);
    for (const i of items) expect(i.regionCode).toBe(mine.code);
  },
  'GET /api/files': async () => {
    await uploadedAvatars();
    expect((await worker.get(`/api/files?ownerKind=user&ownerId=${myAuditedUser.id}`)).json().items).toHaveLength(1);
    expect((await worker.get(`/api/files?ownerKind=user&ownerId=${theirUser.id}`)).statusCode).toBe(404);
  },
  'GET /api/files/{id}': async () => {
    const ids = await uploadedAvatars();
    expect((await worker.get(`/api/files/${ids.mine}`)).statusCode).toBe(200);
    expect((await worker.get(`/api/files/${ids.theirs}`)).statusCode).toBe(404);
  },
  'GET /api/files/{id}/content': async () => {
    const ids = await uploadedAvatars();
    expect((await worker.get(`/api/files/${ids.mine}/content`)).rawPayload).toEqual(PNG);
    expect((await worker.get(`/api/files/${ids.theirs}/content`)).statusCode).toBe(404);
  },
  'GET /api/audit/export.xlsx': async () => {
    const res = await worker.get('/api/audit/export.xlsx');
    expect(res.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet(1)!;
    const codeColumn = (sheet.getRow(1).values as unknown[]).indexOf('区划代码');
    const codes = sheet.getColumn(codeColumn).values.slice(2);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set([mine.code]));
  },
  // jobs are the platform's, not a region's: only holders of jobs.manage (system administrators) see them
  'GET /api/jobs': async () => {
    expect((await worker.get('/api/jobs')).statusCode).toBe(403);
  },
  'GET /api/shares': async () => {
    // share grants are listed by their owner department's region: a security administrator of my community sees mine only
    const security = await newUser(db, { departmentId: myDept.id, grants: [{ role: 'security_admin', regionCode: mine.code }] });
    const client = await login(app, security.username, security.password);
    const share = (owner: string, grantee: string) => ({
      resource: 'users',
      fields: ['displayName'],
      purpose: '探针',
      owner_department_id: owner,
      grantee_department_id: grantee,
      expires_at: new Date(Date.now() + 86_400_000),
    });
    const [minePart, theirsPart] = await db.insertInto('share_grant').values([share(myDept.id, theirDept.id), share(theirDept.id, myDept.id)]).returning('id').execute();
    const ids = (await client.get('/api/shares')).json().items.map((s: { id: string }) => s.id);
    expect(ids).toContain(minePart!.id);
    expect(ids).not.toContain(theirsPart!.id);
    expect((await client.post(`/api/shares/${theirsPart!.id}/revoke`)).statusCode).toBe(404);
  },
  'GET /api/dashboard/summary': async () => {
    const summary = (await worker.get('/api/dashboard/summary')).json();
    expect(summary.tree.code).toBe(mine.code);
    expect(summary.totals.regions).toEqual({ prefecture: 0, county: 0, township: 0, community: 1 });
    expect(JSON.stringify(summary)).not.toContain(theirs.code);
    expect(summary.totals.departments).toBeGreaterThanOrEqual(1);
  },
  'GET /api/census/breakdown': async () => {
    const own = (await worker.get('/api/census/breakdown?dimension=sex')).json();
    expect(own.node.code).toBe(mine.code);
    expect(JSON.stringify(own)).not.toContain(theirs.code);
    expect((await worker.get(`/api/census/breakdown?dimension=sex&region=${theirs.code}`)).statusCode).toBe(403);
  },
  'GET /api/census/crosstab': async () => {
    expect((await worker.get(`/api/census/crosstab?dimension=sex&second=age&region=${mine.code}`)).statusCode).toBe(200);
    expect((await worker.get(`/api/census/crosstab?dimension=sex&second=age&region=${theirs.code}`)).statusCode).toBe(403);
  },
  'GET /api/census/export.xlsx': async () => {
    expect((await worker.get(`/api/census/export.xlsx?dimension=sex&region=${mine.code}`)).statusCode).toBe(200);
    expect((await worker.get(`/api/census/export.xlsx?dimension=sex&region=${theirs.code}`)).statusCode).toBe(403);
  },
  ...todoProbes(),
  ...sharingProbes(),
  'GET /api/exchange/stats': async () => {
    // calls on a resource of my community's department by my department, and the same over there
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const stat = async (dept: { id: string }, regionCode: string) => {
      const resource = await newResource(db, { providerDepartmentId: dept.id, regionCode });
      const client = await newClientApp(db, { departmentId: dept.id });
      await db.insertInto('exchange_stat').values({ day, client_app_id: client.id, resource_id: resource.id, provider_department_id: dept.id, consumer_department_id: dept.id, calls: 3, rows: 3, refusals: 0 }).execute();
      return resource.id;
    };
    const [here, there] = [await stat(myDept, mine.code), await stat(theirDept, theirs.code)];
    const ids = (await worker.get(`/api/exchange/stats?from=${day}&to=${day}`)).json().rows.map((r: { resourceId: string }) => r.resourceId);
    expect(ids).toContain(here);
    expect(ids).not.toContain(there);
  },
  ...datasetsProbes(),
  ...oaProbes(),
};

/** OA: a document sent within my community and one within theirs; the worker (a leader with oa.archive there) sees only mine. */
function oaProbes(): Record<string, () => Promise<void>> {
  let made: Promise<{ admin: Client; here: string; there: string }> | undefined;
  const setup = () =>
    (made ??= (async () => {
      const side = async (dept: { id: string }, region: string) => {
        const admin = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_admin', regionCode: region }] });
        const client = await login(app, admin.username, admin.password);
        const doc = (await client.post('/api/oa/documents', { kind: 'notice', title: `探针通知${region}`, recipients: { departments: [{ id: dept.id, withSubDepartments: false }] } })).json();
        expect((await client.post(`/api/oa/documents/${doc.id}/send`)).statusCode).toBe(200);
        return { client, id: doc.id as string };
      };
      const here = await side(myDept, mine.code);
      const there = await side(theirDept, theirs.code);
      return { admin: here.client, here: here.id, there: there.id };
    })());
  const listProbe = (url: string) => async () => {
    const { here, there } = await setup();
    const ids = (await allPages<{ id: string }>(worker, `${url}?limit=500`)).map((r) => r.id);
    expect(ids).toContain(here);
    expect(ids).not.toContain(there);
  };
  const oneProbe = (suffix: string) => async () => {
    const { here, there } = await setup();
    expect((await worker.get(`/api/oa/documents/${here}${suffix}`)).statusCode).toBe(200);
    expect((await worker.get(`/api/oa/documents/${there}${suffix}`)).statusCode).toBe(404);
  };
  return {
    'GET /api/oa/received': listProbe('/api/oa/received'),
    'GET /api/oa/archive': listProbe('/api/oa/archive'),
    'GET /api/oa/documents/{id}': oneProbe(''),
    'GET /api/oa/documents/{id}/receipts': oneProbe('/receipts'),
    'GET /api/oa/documents/{id}/receipts/users': oneProbe('/receipts/users'),
    'GET /api/oa/sent': async () => {
      const { admin, here, there } = await setup();
      const ids = (await allPages<{ id: string }>(admin, '/api/oa/sent?limit=500')).map((r) => r.id);
      expect(ids).toContain(here);
      expect(ids).not.toContain(there);
      expect((await worker.get('/api/oa/sent')).statusCode).toBe(403);
    },
    'GET /api/oa/recipient-options': async () => {
      const { admin } = await setup();
      const ids = (await admin.get('/api/oa/recipient-options')).json().departments.map((d: { id: string }) => d.id);
      expect(ids).toContain(myDept.id);
      expect(ids).not.toContain(theirDept.id);
    },
  };
}

/** 数据共享: a platform administrator of my community sees requests, grants and client applications there, not theirs. */
function sharingProbes(): Record<string, () => Promise<void>> {
  let made: Promise<{ client: Client; here: { request: string; share: string; app: string }; there: { request: string; share: string; app: string } }> | undefined;
  const setup = () =>
    (made ??= (async () => {
      const side = async (region: string, consumer: { id: string }) => {
        const resource = await newResource(db, { regionCode: region });
        const staff = await newUser(db, { departmentId: consumer.id, grants: [{ role: 'department_staff', regionCode: region }] });
        const admin = await newUser(db, { departmentId: consumer.id, grants: [{ role: 'department_admin', regionCode: region }] });
        // Beijing's date: after 16:00 UTC the UTC date is a day behind, and a period may not start in the past
        const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
        const req = (await (await login(app, staff.username, staff.password)).post('/api/sharing/requests', { resource: resource.code, items: ['name'], purpose: '核查', legalBasis: '依据', periodFrom: today, periodTo: today })).json();
        const created = (await (await login(app, admin.username, admin.password)).post('/api/sharing/clients', { name: `系统${resource.code}` })).json();
        return { request: req.id as string, share: req.unconditionalShareId as string, app: created.client.id as string };
      };
      const here = await side(mine.code, myDept);
      const there = await side(theirs.code, theirDept);
      const manager = await newUser(db, { departmentId: myDept.id, grants: [{ role: 'platform_admin', regionCode: mine.code }] });
      return { client: await login(app, manager.username, manager.password), here, there };
    })());
  const listProbe = (url: string, key: 'request' | 'share' | 'app', id: (row: Record<string, string>) => string) => async () => {
    const { client, here, there } = await setup();
    const ids = (await allPages<Record<string, string>>(client, `${url}?limit=500`)).map(id);
    expect(ids).toContain(here[key]);
    expect(ids).not.toContain(there[key]);
    expect((await worker.get(url)).statusCode).toBe(403);
  };
  const oneProbe = (url: string, key: 'request' | 'share' | 'app') => async () => {
    const { client, here, there } = await setup();
    expect((await client.get(`${url}/${here[key]}`)).statusCode).toBe(200);
    expect((await client.get(`${url}/${there[key]}`)).statusCode).toBe(404);
  };
  return {
    'GET /api/sharing/requests': listProbe('/api/sharing/requests', 'request', (r) => r.id!),
    'GET /api/sharing/requests/{id}': oneProbe('/api/sharing/requests', 'request'),
    'GET /api/sharing/grants': listProbe('/api/sharing/grants', 'share', (r) => r.shareId!),
    'GET /api/sharing/grants/{id}': oneProbe('/api/sharing/grants', 'share'),
    'GET /api/sharing/clients': listProbe('/api/sharing/clients', 'app', (r) => r.id!),
    'GET /api/sharing/clients/{id}': oneProbe('/api/sharing/clients', 'app'),
  };
}

/** 我的待办: an accounts manager of my community sees the account awaiting activation there, not the one in theirs. */
function todoProbes(): Record<string, () => Promise<void>> {
  const setup = async () => {
    const manager = await newUser(db, { departmentId: myDept.id, grants: [{ role: 'platform_admin', regionCode: mine.code }] });
    const [here, there] = [await newUser(db, { departmentId: myDept.id, password: null }), await newUser(db, { departmentId: theirDept.id, password: null })];
    return { client: await login(app, manager.username, manager.password), here, there };
  };
  return {
    'GET /api/todo': async () => {
      const { client, here, there } = await setup();
      const ids = (await allPages<{ id: string }>(client, '/api/todo?limit=500')).map((i) => i.id);
      expect(ids).toContain(here.id);
      expect(ids).not.toContain(there.id);
    },
    'GET /api/todo/count': async () => {
      const { client } = await setup();
      const items = await allPages(client, '/api/todo?limit=500');
      expect((await client.get('/api/todo/count')).json()).toEqual({ count: items.length });
    },
  };
}

Object.assign(probes, dataUseProbes(() => ({ app, db, worker, mine, theirs, myDept, theirDept })));
Object.assign(probes, communityProbes(() => ({ app, db, worker, mine, theirs, myDept, theirDept })));
Object.assign(probes, communityImportProbes(() => ({ app, db, worker, mine, theirs, myDept, theirDept })));
Object.assign(probes, profileProbes(() => ({ app, db, worker, mine, theirs, myDept, theirDept })));
Object.assign(probes, noticeProbes(() => ({ app, db, worker, mine, theirs })));
Object.assign(probes, gridworkProbes(() => ({ app, db, worker, mine, theirs, myDept, theirDept })));
Object.assign(probes, evaluationProbes(() => ({ db, worker, myDept, theirDept })));
Object.assign(probes, matterProbes(() => ({ app, db, worker, mine, theirs, myDept, theirDept })));
Object.assign(probes, approvalProbes(() => ({ app, db, worker, mine, theirs, myDept, theirDept })));
Object.assign(probes, supervisionProbes(() => ({ db, supervision, worker, mine, theirs })));
Object.assign(probes, extranetProbes(() => ({ app, db, worker, mine, theirs })));
Object.assign(probes, selfserviceProbes(() => ({ app, db, worker, mine, theirs, myDept, theirDept })));
Object.assign(probes, meteringProbes(() => ({ db, worker, mine, theirs })));
Object.assign(probes, placementProbes(() => ({ app, db, worker, mine, theirs, myDept, theirDept })));
Object.assign(probes, cloudProbes(() => ({ app, db, worker, mine, theirs, myDept, theirDept })));
/** 数据归集: a platform administrator over my community loads into, and reads the loads of, resources provided there only. */
function datasetsProbes(): Record<string, () => Promise<void>> {
  let made: Promise<{ client: Client; mineRes: { id: string; code: string }; theirsRes: { id: string; code: string }; mineLoad: string; theirsLoad: string }> | undefined;
  const setup = () =>
    (made ??= (async () => {
      const admin = await newUser(db, { departmentId: myDept.id, grants: [{ role: 'platform_admin', regionCode: mine.code }] });
      const client = await login(app, admin.username, admin.password);
      const mineRes = await newResource(db, { providerDepartmentId: myDept.id, regionCode: mine.code });
      const theirsRes = await newResource(db, { providerDepartmentId: theirDept.id, regionCode: theirs.code });
      const rows = [{ id_number: '650502198001010014', name: '探针', region: '650502' }, { id_number: 'bad', name: '探针', region: '650502' }];
      const mineLoad = (await client.post(`/api/datasets/resources/${mineRes.id}/rows`, { rows })).json().id as string;
      const theirsLoad = (await newRows(db, theirsRes, [rows[0]!])).loadId;
      return { client, mineRes, theirsRes, mineLoad, theirsLoad };
    })());
  return {
    'GET /api/datasets/resources': async () => {
      const { client, mineRes, theirsRes } = await setup();
      const codes = (await client.get('/api/datasets/resources')).json().items.map((r: { code: string }) => r.code);
      expect(codes).toContain(mineRes.code);
      expect(codes).not.toContain(theirsRes.code);
    },
    'GET /api/datasets/resources/{resource}/loads': async () => {
      const { client, mineRes, theirsRes } = await setup();
      expect((await client.get(`/api/datasets/resources/${mineRes.code}/loads`)).json().items).toHaveLength(1);
      expect((await client.get(`/api/datasets/resources/${theirsRes.code}/loads`)).statusCode).toBe(404);
    },
    'GET /api/datasets/resources/{resource}/rows': async () => {
      const { client, mineRes, theirsRes } = await setup();
      expect((await client.get(`/api/datasets/resources/${mineRes.code}/rows`)).json().items).toHaveLength(1);
      expect((await client.get(`/api/datasets/resources/${theirsRes.code}/rows`)).statusCode).toBe(404);
    },
    'GET /api/datasets/loads/{id}': async () => {
      const { client, mineLoad, theirsLoad } = await setup();
      expect((await client.get(`/api/datasets/loads/${mineLoad}`)).statusCode).toBe(200);
      expect((await client.get(`/api/datasets/loads/${theirsLoad}`)).statusCode).toBe(404);
    },
    'GET /api/datasets/loads/{id}/rejections': async () => {
      const { client, mineLoad, theirsLoad } = await setup();
      expect((await client.get(`/api/datasets/loads/${mineLoad}/rejections`)).json().items).toHaveLength(1);
      expect((await client.get(`/api/datasets/loads/${theirsLoad}/rejections`)).statusCode).toBe(404);
    },
    'GET /api/datasets/loads/{id}/rejections.{format}': async () => {
      const { client, mineLoad, theirsLoad } = await setup();
      expect((await client.get(`/api/datasets/loads/${mineLoad}/rejections.csv`)).statusCode).toBe(200);
      expect((await client.get(`/api/datasets/loads/${theirsLoad}/rejections.xlsx`)).statusCode).toBe(404);
    },
  };
}

/** The calendar is the same for everyone (holidays are national). */
const CALENDAR_READS = ['GET /api/calendar', 'GET /api/calendar/years/{year}', 'GET /api/calendar/add'];
/** Each user's own in-app messages (the recipient is the filter). */
const INBOX_READS = ['GET /api/inbox', 'GET /api/inbox/unread-count'];
/** Routes that read nothing region-bound (the caller's own account, probes, documents). */
const NOT_REGION_BOUND = new Set(['GET /api/audit/checkpoints/public-key', 'GET /api/auth/me', 'GET /api/citizen/me', 'GET /api/tokens', 'GET /livez', 'GET /readyz', 'GET /api/openapi.json', ...CALENDAR_READS, ...INBOX_READS]);
// the resource catalogue and its demand list are platform-wide (catalogue.read: discovery across departments)
for (const r of ['/api/catalogue/resources', '/api/catalogue/resources/{code}', '/api/catalogue/resources/{code}/versions', '/api/catalogue/resources/{code}/versions/{version}', '/api/catalogue/resources/{code}/diff', '/api/catalogue/export', '/api/catalogue/demands']) NOT_REGION_BOUND.add(`GET ${r}`);
// the catalogue is published platform-wide: a resource's items and the caller's own department's systems
NOT_REGION_BOUND.add('GET /api/sharing/request-options');
// the exchange gateway answers consuming systems (client credentials), bounded by their grant's region prefix (src/modules/exchange/exchange.test.ts)
for (const r of ['/api/exchange/v1/resources/{code}/rows', '/api/exchange/v1/resources/{code}/rows/{key}']) NOT_REGION_BOUND.add(`GET ${r}`);
// SMS are platform-wide (sms.read anywhere), not bound to a region
// feeds: department-bound (own department tree and own resources), probed in src/modules/feeds/feeds.test.ts; the
// exchange routes answer only the authenticated client application's own subscriptions
for (const r of ['/api/feeds/subscriptions', '/api/feeds/subscriptions/{id}', '/api/feeds/grants', '/api/exchange/v1/feeds', '/api/exchange/v1/feeds/{id}/changes']) NOT_REGION_BOUND.add(`GET ${r}`);
// the citizen's own data-use record (the citizen is the filter)
NOT_REGION_BOUND.add('GET /api/citizen/data-uses');
// reference lists of the community registry: 重点人群 labels and GB/T 3304 ethnic groups
for (const r of ['/api/community/labels', '/api/community/ethnicities']) NOT_REGION_BOUND.add(`GET ${r}`);
for (const r of EVALUATION_NOT_REGION_BOUND) NOT_REGION_BOUND.add(r);
// the public channels (issue 9 §7) answer anyone about the prefecture's public data; the progress lookup answers only
// the case number with its applicant (src/modules/publicity/publicity.test.ts)
for (const r of ['/api/public/progress', '/api/public/approvals', '/api/public/bigscreen', '/api/public/bigscreen/stream', '/api/public/bigscreen/feed.txt']) NOT_REGION_BOUND.add(`GET ${r}`);
for (const r of [...MATTERS_PUBLIC_READS, ...MATTERS_REFERENCE_READS]) NOT_REGION_BOUND.add(r);
for (const r of APPROVAL_NOT_REGION_BOUND) NOT_REGION_BOUND.add(r);
for (const r of SELFSERVICE_NOT_REGION_BOUND) NOT_REGION_BOUND.add(r);
for (const r of METERING_NOT_REGION_BOUND) NOT_REGION_BOUND.add(r);
for (const r of PLACEMENT_NOT_REGION_BOUND) NOT_REGION_BOUND.add(r);
for (const r of CLOUD_NOT_REGION_BOUND) NOT_REGION_BOUND.add(r);
for (const r of ['/api/sms/messages', '/api/sms/messages/{id}', '/api/sms/templates', '/api/sms/opt-outs', '/api/sms/local-inbox']) NOT_REGION_BOUND.add(`GET ${r}`);

describe('jurisdiction roots', () => {
  it('lists one root per disjoint subtree, at whatever level each is', async () => {
    const user = await newUser(db, {
      grants: [
        { role: 'leader', regionCode: '650521' },
        { role: 'community_worker', regionCode: mine.code },
        { role: 'leader', regionCode: theirs.code }, // inside 650521: not a root of its own
      ],
    });
    const client = await login(app, user.username, user.password);
    const roots = (await client.get('/api/regions?roots=true')).json().items.map((r: { code: string; level: number }) => `${r.code}:${r.level}`);
    expect(roots).toEqual([`${mine.code}:4`, '650521:2']);
  });
});

describe('jurisdiction', () => {
  it('has a probe for every region-bound read route', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const reads = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([p, methods]) => (methods.get ? [`GET ${p}`] : []));
    const uncovered = reads.filter((r) => !(r in probes) && !NOT_REGION_BOUND.has(r));
    expect(uncovered, 'add a jurisdiction probe for these routes').toEqual([]);
  });

  for (const [route, probe] of Object.entries(probes)) {
    it(`${route} stays inside the caller's community`, probe);
  }
});
