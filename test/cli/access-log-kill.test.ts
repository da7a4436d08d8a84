// Cannot lose its tail: a server killed (SIGKILL) while personal-data reads are being batched has, after restart,
// an access-log row for every read it answered, and an intact chain.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { AuditService } from '../../src/modules/audit/index.ts';
import { hashPassword } from '../../src/modules/accounts/index.ts';
import { createServices } from '../../src/services.ts';
import { loadConfig } from '../../src/config.ts';
import { systemActorContext } from '../../src/shared/context.ts';
import { importRegions } from '../../src/modules/regions/index.ts';

const root = path.resolve(import.meta.dirname, '../..');
const PASSWORD = 'Kill-Test-Pass1';
let dataDir: string;
const people: string[] = [];

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-access-kill-'));
  const handle = openPglite(dataDir);
  await migrateToLatest(handle.db);
  await importRegions(handle.db, '6505');
  const dept = await handle.db.insertInto('department').values({ code: 'KILL', name: '测试局', kind: 'government', region_code: '650502' }).returning('id').executeTakeFirstOrThrow();
  const passwordHash = await hashPassword(PASSWORD);
  // the people are written through the directory's batch create, as the platform itself (system actor)
  const services = createServices(handle.db, loadConfig({ GOVCLOUD_DATA_DIR: dataDir }));
  const { created } = await services.users.createMany(
    systemActorContext(),
    Array.from({ length: 20 }, (_, i) => ({ username: `kill${i}`, displayName: `居民${i}`, departmentId: dept.id, phone: null, passwordHash, grants: i === 0 ? [{ role: 'department_admin' as const, regionCode: '650502' }] : [] })),
  );
  people.push(...created.map((u) => u.id));
  await handle.close();
}, 120_000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('access log under SIGKILL', { timeout: 240_000 }, () => {
  it('keeps every answered read', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(root, 'bin/govcloud.js'), 'serve'], {
      cwd: root,
      env: { ...process.env, GOVCLOUD_DATA_DIR: dataDir, DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1', GOVCLOUD_SEED_DEMO: 'false', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const url = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 150_000; ; ) {
      if (await fetch(`${url}/readyz`).then((r) => r.status === 200).catch(() => false)) break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'kill0', password: PASSWORD }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

    const answered: string[] = [];
    let stop = false;
    const client = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const res = await fetch(`${url}/api/users/${people[(n + i) % people.length]}`, { headers: { cookie } }).catch(() => undefined);
        if (!res) return;
        if (res.status === 200) answered.push(res.headers.get('x-request-id')!);
        await res.arrayBuffer().catch(() => undefined);
      }
    };
    const clients = Array.from({ length: 30 }, (_, n) => client(n));
    // kill while reads are streaming in and batches are being written: once enough have been answered (a loaded
    // machine answers fewer per second), at most a minute on
    for (const deadline = Date.now() + 60_000; answered.length < 60 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await exited;
    stop = true;
    await Promise.all(clients);
    expect(answered.length).toBeGreaterThan(30);

    const handle = openPglite(dataDir);
    try {
      const logged = new Set((await handle.db.selectFrom('audit_access').select('request_id').where('resource', '=', 'user').execute()).map((r) => r.request_id));
      const lost = answered.filter((id) => !logged.has(id));
      expect(lost).toEqual([]);
      expect(await new AuditService(handle.db).verify()).toMatchObject({ ok: true });
    } finally {
      await handle.close();
    }
  });
});
