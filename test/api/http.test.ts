// The HTTP boundary: problem+json for bad requests, request ids, probes, body limits; the process keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newUser } from '../support/factories.ts';

let app: Awaited<ReturnType<typeof testApp>>['app'];
let admin: Client;

beforeAll(async () => {
  ({ app } = await testApp());
  const { db } = await testDb();
  const user = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
  admin = await login(app, user.username, user.password);
});

const tokenCount = async () => (await (await testDb()).db.selectFrom('api_token').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;

describe('problem+json for bad requests', () => {
  let before: string;
  beforeAll(async () => {
    before = await tokenCount();
  });
  afterAll(async () => {
    expect(await tokenCount(), 'a rejected request wrote a token').toBe(before);
  });

  it('malformed JSON', async () => {
    const res = await admin.request('POST', '/api/tokens', '{"name": "x", scopes: [}', { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'request.malformed_json', field: 'body', status: 400, type: '/problems/request.malformed_json' });
  });

  it('wrong content type', async () => {
    const res = await admin.request('POST', '/api/tokens', 'name=x', { 'content-type': 'text/plain' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'request.unsupported_media_type', field: 'content-type' });
  });

  it('oversized body', async () => {
    const res = await admin.request('POST', '/api/tokens', JSON.stringify({ name: 'x'.repeat(70_000), scopes: ['dashboard.read'] }), { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'request.body_too_large', field: 'body' });
  });

  it('unknown routes', async () => {
    const res = await admin.get('/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'route.not_found' });
  });

  it('keeps serving after all of that', async () => {
    expect((await admin.get('/api/auth/me')).statusCode).toBe(200);
  });
});

describe('request ids', () => {
  it('mints its own even when one is given, and puts it in problems', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nothing', headers: { 'x-request-id': 'trace-12345678' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json().requestId).toBe(res.headers['x-request-id']);
  });

  it('makes one up when none or a bad one is given', async () => {
    const res = await app.inject({ method: 'GET', url: '/livez', headers: { 'x-request-id': '<script>' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('security headers', () => {
  it('are on every response: no sniffing, no framing, a strict content security policy', async () => {
    const res = await app.inject({ method: 'GET', url: '/livez' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });
});

describe('probes', () => {
  it('livez and readyz', async () => {
    expect((await app.inject({ method: 'GET', url: '/livez' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toEqual({ database: 'ok', startup: 'ok' });
  });
});

describe('type strictness', () => {
  it('takes JSON bodies as typed: a string for a number, or an array for a string, is a 400 naming the field', async () => {
    const asString = await admin.post('/api/tokens', { name: 'x', scopes: ['dashboard.read'], expiresInDays: '30' });
    expect(asString.statusCode).toBe(400);
    expect(asString.json()).toMatchObject({ code: 'request.invalid', field: 'expiresInDays' });
    const asArray = await admin.post('/api/tokens', { name: ['x'], scopes: ['dashboard.read'] });
    expect(asArray.json()).toMatchObject({ code: 'request.invalid', field: 'name' });
  });

  it('still reads numbers and booleans from query strings', async () => {
    const res = await admin.get('/api/regions?limit=2&includeRetired=false');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(2);
  });
});
