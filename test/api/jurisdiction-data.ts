// Jurisdiction probes of the tracker, quality and residents routes (issue 7), mounted by jurisdiction.test.ts.
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { App } from '../../src/http/types.ts';
import type { Permission } from '../../src/shared/access.ts';
import { idNumberCheckCharacter } from '../../src/shared/id-number.ts';
import { login, testApp, type Client } from '../support/app.ts';
import { newDataGrant, newResource, newRows } from '../support/data-factories.ts';
import { newUser } from '../support/factories.ts';

export interface ProbeContext {
  app: App;
  db: Kysely<Database>;
  /** Holds community_worker, auditor and leader over `mine` only. */
  worker: Client;
  mine: { code: string };
  theirs: { code: string };
  myDept: { id: string };
  theirDept: { id: string };
}

function idNumber(): string {
  const body = `650502198${Math.floor(Math.random() * 10)}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 10)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  return body + idNumberCheckCharacter(body);
}

async function resourceOf(db: Kysely<Database>, department: { id: string }, regionCode: string) {
  const resource = await newResource(db, { providerDepartmentId: department.id, regionCode });
  await db.updateTable('data_resource').set({ status: 'published' }).where('id', '=', resource.id).execute();
  return resource;
}

export function dataUseProbes(ctx: () => ProbeContext): Record<string, () => Promise<void>> {
  return {
    'GET /api/quality/resources': async () => {
      const { db, worker, mine, theirs, myDept, theirDept } = ctx();
      const [a, b] = [await resourceOf(db, myDept, mine.code), await resourceOf(db, theirDept, theirs.code)];
      const codes = (await worker.get('/api/quality/resources')).json().items.map((r: { code: string }) => r.code);
      expect(codes).toContain(a.code);
      expect(codes).not.toContain(b.code);
    },
    'GET /api/quality/resources/{code}': async () => {
      const { db, worker, mine, theirs, myDept, theirDept } = ctx();
      const [a, b] = [await resourceOf(db, myDept, mine.code), await resourceOf(db, theirDept, theirs.code)];
      expect((await worker.get(`/api/quality/resources/${a.code}`)).statusCode).toBe(200);
      expect((await worker.get(`/api/quality/resources/${b.code}`)).statusCode).toBe(404);
    },
    'GET /api/quality/ranking': async () => {
      const { db, worker, mine, theirs, myDept, theirDept } = ctx();
      await resourceOf(db, myDept, mine.code);
      await resourceOf(db, theirDept, theirs.code);
      const ids = (await worker.get('/api/quality/ranking')).json().items.map((r: { departmentId: string }) => r.departmentId);
      expect(ids).toContain(myDept.id);
      expect(ids).not.toContain(theirDept.id);
    },
    'GET /api/tracker/persons/{idNumber}/data-uses': async () => {
      const { worker, mine, theirs } = ctx();
      const { services } = await testApp();
      const person = idNumber();
      const user = await newUser(ctx().db, { grants: [{ role: 'department_staff', regionCode: '6505' }] });
      const permission = 'exchange.call' as Permission;
      const read = (regionCode: string, purpose: string) =>
        services.audit.recordAccess(
          { actor: { userId: user.id, username: user.username, displayName: 'x', kind: 'staff', departmentId: user.departmentId, grants: [], via: 'token' }, clientAddr: null, requestId: null, audited: false },
          { resource: 'data:PROBE', subjectIds: [person], fields: ['name'], permission, scope: { permission, paths: [], departments: [], shares: [] }, regionCode, detail: { via: 'exchange', purpose } },
        );
      await read(mine.code, 'mine');
      await read(theirs.code, 'theirs');
      const purposes = (await worker.get(`/api/tracker/persons/${person}/data-uses`)).json().items.map((u: { purpose: string }) => u.purpose);
      expect(purposes).toEqual(['mine']);
    },
    'GET /api/tracker/grants': async () => {
      const { app, db, mine, theirs, myDept, theirDept } = ctx();
      const security = await newUser(db, { departmentId: myDept.id, grants: [{ role: 'security_admin', regionCode: mine.code }] });
      const client = await login(app, security.username, security.password);
      const [a, b] = [await resourceOf(db, myDept, mine.code), await resourceOf(db, theirDept, theirs.code)];
      const mineGrant = await newDataGrant(db, { resource: a, consumerDepartmentId: theirDept.id, items: ['name'] });
      const theirGrant = await newDataGrant(db, { resource: b, consumerDepartmentId: myDept.id, items: ['name'] });
      const ids = (await client.get('/api/tracker/grants?limit=500')).json().items.map((g: { shareId: string }) => g.shareId);
      expect(ids).toContain(mineGrant.shareId);
      expect(ids).not.toContain(theirGrant.shareId);
      expect((await client.request('PUT', `/api/tracker/grants/${theirGrant.shareId}/covert`, { covert: true, reason: '探针' })).statusCode).toBe(404);
    },
    'GET /api/residents/{idNumber}': async () => {
      // bound by grants, not regions: only resources granted to the caller's own department give data
      const { worker, db, theirs, theirDept } = ctx();
      const person = idNumber();
      const b = await resourceOf(db, theirDept, theirs.code);
      await newRows(db, b, [{ id_number: person, name: '王五', region: theirs.code }]);
      await newDataGrant(db, { resource: b, consumerDepartmentId: theirDept.id, items: ['name'] });
      const source = (await worker.get(`/api/residents/${person}`)).json().sources.find((s: { resourceCode: string }) => s.resourceCode === b.code);
      expect(source).toMatchObject({ access: 'no_grant', records: [] });
    },
  };
}
