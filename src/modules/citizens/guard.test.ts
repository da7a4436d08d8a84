// A citizen's session reaches no staff route: every route of the OpenAPI document is tried with one.
import { beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newUser } from '../../../test/support/factories.ts';
import { Caller, registerCitizen, useCitizenApp } from './test-helpers.ts';

const c = useCitizenApp();
let citizen: Caller;

beforeAll(async () => {
  citizen = new Caller(c.app);
  await registerCitizen(citizen, c.smsc);
});

/** A value for each path parameter that passes the route's own validation, so the guard is what answers. */
const PARAMS: Record<string, string> = { id: '00000000-0000-4000-8000-000000000000', code: '6505', role: 'leader', regionCode: '6505' };

interface Operation {
  security?: unknown[];
}

describe('citizen sessions on staff routes', () => {
  it('are refused (403 citizen.staff_route) on every route outside the citizen portal that needs a session', async () => {
    const doc = (await c.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };
    const tried: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!path.startsWith('/api/') || path.startsWith('/api/citizen/') || path === '/api/auth/logout' || (Array.isArray(op.security) && op.security.length === 0)) continue;
        // routes of consuming systems take client credentials, never a session
        if (Array.isArray(op.security) && op.security.every((s) => Object.keys(s as object).every((k) => k === 'exchangeToken' || k === 'exchangeClient'))) continue;
        const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => PARAMS[name] ?? 'x');
        const res = await citizen.request(method.toUpperCase() as 'GET', url, method === 'get' || method === 'delete' ? undefined : {});
        expect({ route: `${method} ${path}`, status: res.statusCode, code: res.json().code }).toEqual({ route: `${method} ${path}`, status: 403, code: 'citizen.staff_route' });
        tried.push(`${method} ${path}`);
      }
    }
    // the core's staff surface at least: the directory, departments, regions, audit, tokens, own account
    for (const route of ['get /api/users', 'post /api/users', 'get /api/audit', 'post /api/tokens', 'get /api/auth/me', 'post /api/auth/password', 'get /api/dashboard/summary']) expect(tried).toContain(route);
    expect((await citizen.request('GET', '/api/citizen/me')).statusCode).toBe(200);
  });

  it('leaves staff sessions alone, and a staff account has no citizen record', async () => {
    const { db } = await testDb();
    const user = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const staff = await login(c.app, user.username, user.password);
    expect((await staff.get('/api/users')).statusCode).toBe(200);
    const me = await staff.get('/api/citizen/me');
    expect(me.json()).toMatchObject({ status: 403, code: 'citizen.only' });
  });
});
