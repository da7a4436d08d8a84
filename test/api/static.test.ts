// The built console is sent precompressed (scripts/build-web.mjs writes .br and .gz beside each asset).
import fs from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import type { App } from '../../src/http/types.ts';
import { WEB_DIST } from '../../src/paths.ts';
import { testConfig } from '../support/app.ts';
import { testDb } from '../support/db.ts';

let app: App;
let bundle: string;

beforeAll(async () => {
  const { db } = await testDb();
  ({ app } = await buildApp({ db, config: testConfig(), serveWeb: true }));
  const scripts = fs.readdirSync(path.join(WEB_DIST, 'assets')).filter((name) => name.endsWith('.js'));
  // the largest script: the bundle whose size prompted this
  bundle = scripts.sort((a, b) => fs.statSync(path.join(WEB_DIST, 'assets', b)).size - fs.statSync(path.join(WEB_DIST, 'assets', a)).size)[0]!;
});

afterAll(async () => {
  await app.close();
});

describe('precompressed static assets', () => {
  const get = (url: string, encoding?: string) => app.inject({ method: 'GET', url, headers: encoding ? { 'accept-encoding': encoding } : {} });

  it('accept-encoding br gets the Brotli copy of the JS bundle, gzip the gzip copy, neither the file itself', async () => {
    const original = fs.readFileSync(path.join(WEB_DIST, 'assets', bundle));
    const br = await get(`/assets/${bundle}`, 'gzip, deflate, br');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.rawPayload.length).toBeLessThan(original.length / 3);
    expect(brotliDecompressSync(br.rawPayload).equals(original)).toBe(true);

    const gz = await get(`/assets/${bundle}`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(original)).toBe(true);

    const plain = await get(`/assets/${bundle}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(original)).toBe(true);
  });

  it('the console page is still served, and API answers stay uncompressed', async () => {
    const page = await get('/users', 'br');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const api = await get('/livez', 'br');
    expect(api.headers['content-encoding']).toBeUndefined();
    expect(api.json()).toEqual({ status: 'ok' });
  });
});
