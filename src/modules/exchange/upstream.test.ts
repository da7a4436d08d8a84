// The gateway proxying to a provider's upstream HTTP endpoint (a real server started here): the same checks,
// masking, items filter and access log; upstream down → 502, slow → 504, malformed → 502.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { testDb } from '../../../test/support/db.ts';
import { buildApp } from '../../http/app.ts';
import { testConfig } from '../../../test/support/app.ts';
import { newDepartment } from '../../../test/support/factories.ts';
import { newClientApp, newDataGrant, newResource } from '../../../test/support/data-factories.ts';

let db: Kysely<Database>;
let app: App;
let services: Services;
let server: http.Server;
let base: string;
const seen: string[] = [];

const PEOPLE = [
  { id_number: '650502199001011238', name: '张三丰', phone: '13812345678', region: '650502001', note: '内部' },
  { id_number: '650521199202021234', name: '李四', phone: '13912345678', region: '650521', note: '内部' },
];

beforeAll(async () => {
  db = (await testDb()).db;
  // an app of its own with a short upstream timeout (the slow upstream case)
  ({ app, services } = await buildApp({ db, config: testConfig({ exchangeUpstreamTimeoutMs: 400 }), serveWeb: false }));
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(`${url.pathname}${url.search}`);
    const mode = url.pathname.split('/')[1];
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (mode === 'slow') return void setTimeout(() => send(200, '{"rows":[]}'), 1500);
    if (mode === 'broken') return send(200, '{"rows": [ {"id_number": ');
    if (mode === 'alien') return send(200, JSON.stringify({ rows: [{ id_number: PEOPLE[0]!.id_number, salary: 1 }] }));
    if (mode === 'error') return send(500, '{}');
    const rest = url.pathname.split('/').slice(2);
    if (rest[0] === 'rows' && rest[1]) {
      const person = PEOPLE.find((p) => p.id_number === decodeURIComponent(rest[1]!));
      return person ? send(200, JSON.stringify({ rows: [person] })) : send(404, '{}');
    }
    const region = url.searchParams.get('region');
    return send(200, JSON.stringify({ rows: PEOPLE.filter((p) => region === null || p.region === region), nextCursor: null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await services.audit.drainAccessLog();
  await app.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function setup(mode: string, regionPrefix?: string) {
  const resource = await newResource(db, { upstreamUrl: `${base}/${mode}` });
  const consumer = await newDepartment(db);
  const client = await newClientApp(db, { departmentId: consumer.id });
  const { shareId } = await newDataGrant(db, { resource, consumerDepartmentId: consumer.id, items: ['id_number', 'name', 'region'], clientAppId: client.id, ...(regionPrefix ? { regionPrefix } : {}) });
  const res = await app.inject({ method: 'POST', url: '/api/exchange/token', payload: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret } });
  const headers = { authorization: `Bearer ${res.json().access_token}`, 'x-grant-id': shareId, 'x-purpose': 'upstream-check' };
  const get = (path: string) => app.inject({ method: 'GET', url: `/api/exchange/v1/resources/${resource.code}${path}`, headers });
  return { resource, client, shareId, get };
}

describe('upstream provider', () => {
  it('proxies a key lookup, masks and filters the items, and records the person', async () => {
    const s = await setup('ok');
    const res = await s.get(`/rows/${PEOPLE[0]!.id_number}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows).toEqual([{ id_number: '650502********1238', name: '张**', region: '650502001' }]);
    expect(seen).toContain(`/ok/rows/${PEOPLE[0]!.id_number}`);
    await services.audit.drainAccessLog();
    const logged = await db.selectFrom('audit_access').select(['subject_ids', 'detail']).where('resource', '=', `data:${s.resource.code}`).execute();
    expect(logged).toHaveLength(1);
    expect(logged[0]!.subject_ids).toEqual([PEOPLE[0]!.id_number]);
    expect(logged[0]!.detail).toMatchObject({ via: 'proxy', grantId: s.shareId, rows: 1 });
    expect((await s.get('/rows/650502199901011234')).statusCode).toBe(404);
  });

  it('proxies a filter search and applies the grant’s region prefix to the answer', async () => {
    const s = await setup('ok', '650502');
    const res = await s.get('/rows?limit=10');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows.map((r: { name: string }) => r.name)).toEqual(['张**']);
    expect((await s.get(`/rows/${PEOPLE[1]!.id_number}`)).statusCode).toBe(404);
    const filtered = await s.get('/rows?region=650502001');
    expect(seen).toContain('/ok/rows?region=650502001&limit=50');
    expect(filtered.json().rows).toHaveLength(1);
  });

  it('the grant is checked before the upstream is called', async () => {
    const s = await setup('ok');
    await db.updateTable('share_grant').set({ revoked_at: new Date() }).where('id', '=', s.shareId).execute();
    const before = seen.length;
    const res = await s.get(`/rows/${PEOPLE[0]!.id_number}`);
    expect(res.json().code).toBe('exchange.grant_revoked');
    expect(seen.length).toBe(before);
  });

  it('down → 502, error → 502, malformed → 502, unknown items → 502, slow → 504', async () => {
    const down = await newResource(db, { upstreamUrl: 'http://127.0.0.1:9/none' });
    const consumer = await newDepartment(db);
    const client = await newClientApp(db, { departmentId: consumer.id });
    const { shareId } = await newDataGrant(db, { resource: down, consumerDepartmentId: consumer.id, items: ['name'] });
    const tok = await app.inject({ method: 'POST', url: '/api/exchange/token', payload: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret } });
    const res = await app.inject({ method: 'GET', url: `/api/exchange/v1/resources/${down.code}/rows/x`, headers: { authorization: `Bearer ${tok.json().access_token}`, 'x-grant-id': shareId, 'x-purpose': 'p' } });
    expect(res.statusCode).toBe(502);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('exchange.upstream_failed');

    for (const mode of ['error', 'broken', 'alien']) {
      const s = await setup(mode);
      const answer = await s.get(`/rows/${PEOPLE[0]!.id_number}`);
      expect(answer.statusCode, mode).toBe(502);
      expect(answer.json().code).toBe('exchange.upstream_failed');
    }
    const slow = await setup('slow');
    const late = await slow.get('/rows?limit=5');
    expect(late.statusCode).toBe(504);
    expect(late.json().code).toBe('exchange.upstream_timeout');
  });
});
