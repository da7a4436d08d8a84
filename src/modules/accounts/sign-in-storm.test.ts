// A sign-in storm against a real listening server: /livez must stay fast while argon2 work is capped.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newUser } from '../../../test/support/factories.ts';

const STORM = 300;
/**
 * The p99 budget for /livez is asserted strictly only where the machine is not shared (STORM_STRICT=1, as the
 * bench's storm does): on a box running several suites at once the idle baseline alone exceeds 100 ms.
 */
const STRICT = process.env.STORM_STRICT === '1';

// The storm comes from another process, so the probe below measures only the server's event loop.
const LOAD = `
const [url, users, count] = [process.argv[1], JSON.parse(process.argv[2]), Number(process.argv[3])];
const statuses = await Promise.all(Array.from({ length: count }, (_, i) => {
  const u = users[i % users.length];
  return fetch(url + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u.username, password: u.password }) })
    .then(async (r) => { await r.arrayBuffer(); return r.status; }, () => 0);
}));
const counts = {};
for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
process.stdout.write(JSON.stringify(counts));
`;

function storm(url: string, users: { username: string; password: string }[], count: number): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', LOAD, url, JSON.stringify(users), String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as Record<string, number>);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

let app: App;
let url: string;

beforeAll(async () => {
  const { db } = await testDb();
  ({ app } = await buildApp({ db, config: testConfig({ loginConcurrency: os.availableParallelism(), loginQueue: 16 }), serveWeb: false }));
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
});

describe('sign-in storm', { timeout: 120_000 }, () => {
  it(`keeps /livez p99 within 100 ms during ${STORM} simultaneous sign-ins, refusing the excess with 429 auth.busy`, async () => {
    const { db } = await testDb();
    const users = await Promise.all(Array.from({ length: 10 }, () => newUser(db, { grants: [{ role: 'department_staff', regionCode: '650502' }] })));
    const load = storm(
      url,
      users.map((u) => ({ username: u.username, password: u.password })),
      STORM,
    );
    let done = false;
    load.then(
      () => (done = true),
      () => (done = true),
    );
    const latencies: number[] = [];
    while (!done) {
      const started = performance.now();
      const res = await fetch(`${url}/livez`);
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 10));
    }
    const counts = await load;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!;
    console.log(`storm of ${STORM}: answers ${JSON.stringify(counts)}; /livez samples ${latencies.length}, p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms`);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(STORM);
    expect(counts['429']).toBeGreaterThan(0);
    expect(counts['200']).toBeGreaterThan(0);
    expect(counts['0'] ?? 0).toBe(0);
    expect(latencies.length).toBeGreaterThan(3);
    expect(at(0.5)).toBeLessThanOrEqual(20); // before the cap, /livez waited seconds behind the hashing
    if (STRICT) expect(at(0.99)).toBeLessThanOrEqual(100);
  });
});
