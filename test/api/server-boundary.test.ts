// Errors only a real listening server shows (bad URLs, header overflow, unparseable requests, slow clients), extra
// allowed origins, and the request log's treatment of probes.
import net from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import type { App } from '../../src/http/types.ts';
import { testConfig } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newUser } from '../support/factories.ts';

let app: App;
let base: string;
let port: number;

beforeAll(async () => {
  const { db } = await testDb();
  ({ app } = await buildApp({ db, config: testConfig({ headersTimeoutMs: 300, requestTimeoutMs: 600, allowedOrigins: ['https://portal.example'] }), serveWeb: false }));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(base).port);
});

afterAll(async () => {
  await app.close();
});

/** Writes raw bytes (in timed chunks when given several) and resolves with everything read once the server closes. */
function raw(chunks: string[], gapMs = 0): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => (text += data));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ text, ms: Date.now() - started });
    });
    socket.write(chunks[0]!);
    let next = 1;
    if (chunks.length > 1) {
      timer = setInterval(() => {
        if (next < chunks.length && !socket.destroyed) socket.write(chunks[next++]!);
      }, gapMs);
    }
  });
}

function problemIn(text: string): { status: number; headers: string; body: Record<string, unknown> } {
  const [head, body] = text.split('\r\n\r\n');
  return { status: Number(head!.split(' ')[1]), headers: head!.toLowerCase(), body: JSON.parse(body!) as Record<string, unknown> };
}

describe('framework errors are problem+json', () => {
  it('malformed percent-encoding in the path: 400 request.bad_url', async () => {
    const res = await fetch(`${base}/api/users/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ status: 400, code: 'request.bad_url', field: 'path' });
  });

  it('an over-long path parameter: 414 request.uri_too_long', async () => {
    const res = await fetch(`${base}/api/users/${'a'.repeat(500)}`);
    expect(res.status).toBe(414);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 414, code: 'request.uri_too_long', title: 'URI Too Long' });
  });

  it('over-large headers: 431 request.headers_too_large', async () => {
    const { text } = await raw([`GET /livez HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`]);
    const res = problemIn(text);
    expect(res.status).toBe(431);
    expect(res.headers).toContain('content-type: application/problem+json');
    expect(res.body).toMatchObject({ status: 431, code: 'request.headers_too_large' });
  });

  it('an Expect header other than 100-continue: 417 request.expectation_failed', async () => {
    const res = problemIn((await raw(['POST /api/auth/login HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}'])).text);
    expect(res.status).toBe(417);
    expect(res.headers).toContain('content-type: application/problem+json');
    expect(res.body).toMatchObject({ status: 417, code: 'request.expectation_failed', field: 'expect' });
  });

  it('a request that is not HTTP: 400 request.unparseable, and the server keeps serving', async () => {
    const res = problemIn((await raw(['HELLO THERE\r\n\r\n'])).text);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 'request.unparseable' });
    expect((await fetch(`${base}/livez`)).status).toBe(200);
  });
});

describe('slow clients', () => {
  it('a connection that sends its headers a line at a time is answered 408 and closed at the headers timeout', async () => {
    const lines = ['GET /livez HTTP/1.1\r\n', 'Host: x\r\n', ...Array.from({ length: 40 }, (_, i) => `X-Slow-${i}: 1\r\n`)];
    const { text, ms } = await raw(lines, 100);
    expect(ms).toBeLessThan(2500);
    const res = problemIn(text);
    expect(res.status).toBe(408);
    expect(res.body).toMatchObject({ code: 'request.timeout' });
  });

  it('an idle keep-alive connection is not mistaken for a slow one', async () => {
    const request = 'GET /livez HTTP/1.1\r\nHost: x\r\n\r\n';
    const { text } = await raw([request, '', '', '', '', '', 'GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'], 150);
    expect(text.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
  });

  it('a prompt request on the same server is unaffected', async () => {
    const { text } = await raw(['GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
    expect(text).toMatch(/^HTTP\/1\.1 200/);
  });
});

describe('extra allowed origins (GOVCLOUD_ALLOWED_ORIGINS)', () => {
  it('lets a configured origin write with a session cookie, and still refuses others', async () => {
    const { db } = await testDb();
    const user = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
    const signIn = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://portal.example' }, body: JSON.stringify({ username: user.username, password: user.password }) });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const write = (origin: string) =>
      fetch(`${base}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken, origin }, body: JSON.stringify({ name: 'portal', scopes: ['dashboard.read'] }) });
    expect((await write('https://portal.example')).status).toBe(201);
    expect((await write(`http://127.0.0.1:${port}`)).status).toBe(201);
    const refused = await write('https://other.example');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'auth.bad_origin' });
  });
});

describe('request log', () => {
  async function logged(level: string, urls: string[]): Promise<Array<{ level: number; url: string }>> {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const { db } = await testDb();
    const { app: logging } = await buildApp({ db, config: testConfig(), serveWeb: false, logger: { level, stream } });
    for (const url of urls) await logging.inject({ method: 'GET', url, headers: { 'x-request-id': 'client-trace-1' } });
    await logging.close();
    return lines.map((line) => JSON.parse(line) as { level: number; url: string }).filter((line) => line.url !== undefined);
  }

  it('probes are logged at debug, other requests at info with the client request id', async () => {
    const info = await logged('info', ['/livez', '/readyz', '/api/nothing']);
    expect(info.map((l) => l.url)).toEqual(['/api/nothing']);
    expect(info[0]).toMatchObject({ level: 30, clientRequestId: 'client-trace-1', status: 404 });
    const debug = await logged('debug', ['/livez']);
    expect(debug).toMatchObject([{ url: '/livez', level: 20 }]);
  });
});
