// A file far larger than the request body limit goes through a real HTTP server in both directions without the
// process's memory growing by its size.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newUser } from '../../../test/support/factories.ts';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { testCaseOwner } from './test-owner.ts';

const SIZE = 96 * 1024 * 1024;
const CHUNK = 64 * 1024;
let app: App;
let base: string;
let cookie: string;
let csrf: string;

/** SIZE bytes: a PDF header, then a pattern that changes per chunk (so nothing compresses or dedups by accident). */
function content(): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= SIZE) return void this.push(null);
      const chunk = Buffer.alloc(Math.min(CHUNK, SIZE - sent), sent / CHUNK);
      if (sent === 0) chunk.write('%PDF-1.7\n');
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

/** Runs `work` while sampling RSS every 10 ms; returns its result and the peak growth over the starting RSS. */
async function peakGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const result = await work();
    return { result, growth: Math.max(peak, process.memoryUsage().rss) - start };
  } finally {
    clearInterval(timer);
  }
}

beforeAll(async () => {
  const { db } = await testDb();
  const config = testConfig();
  expect(config.bodyLimit).toBeLessThan(SIZE / 1000);
  const built = await buildApp({ db, config, serveWeb: false });
  app = built.app;
  built.services.files.registerOwner('test.case', testCaseOwner(db));
  const user = await newUser(db, { grants: [{ role: 'department_admin', regionCode: '650502' }] });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user.username, password: user.password }) });
  expect(res.status).toBe(200);
  cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
});
afterAll(() => app?.close());

describe('streaming', { timeout: 120_000 }, () => {
  it('uploads and downloads 96 MB (1,500 × the body limit) with memory growing by far less than that', async () => {
    const expected = createHash('sha256');
    for await (const chunk of content()) expected.update(chunk as Buffer);
    const sha256 = expected.digest('hex');

    const upload = await peakGrowth(
      () =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = http.request(`${base}/api/files?ownerKind=test.case&ownerId=650502-big&use=bulk&name=${encodeURIComponent('大文件.pdf')}`, {
            method: 'POST',
            headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/pdf' },
          });
          req.on('response', (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          });
          req.on('error', reject);
          content().pipe(req);
        }),
    );
    expect(upload.result.status).toBe(201);
    const file = JSON.parse(upload.result.body) as { id: string; sha256: string; size: number };
    expect(file).toMatchObject({ sha256, size: SIZE });
    expect(upload.growth).toBeLessThan(40 * 1024 * 1024);

    const download = await peakGrowth(
      () =>
        new Promise<{ status: number; sha256: string; bytes: number }>((resolve, reject) => {
          http
            .get(`${base}/api/files/${file.id}/content`, { headers: { cookie } }, (res) => {
              const hash = createHash('sha256');
              let bytes = 0;
              res.on('data', (d: Buffer) => {
                bytes += d.length;
                hash.update(d);
              });
              res.on('end', () => resolve({ status: res.statusCode!, sha256: hash.digest('hex'), bytes }));
            })
            .on('error', reject);
        }),
    );
    expect(download.result).toEqual({ status: 200, sha256, bytes: SIZE });
    expect(download.growth).toBeLessThan(40 * 1024 * 1024);
  });
});
