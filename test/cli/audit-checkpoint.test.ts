// `govcloud audit checkpoint | public-key | verify` as an operator runs them: the newest records removed from a real
// data directory are reported against the signed checkpoint file.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { AuditService } from '../../src/modules/audit/index.ts';
import { systemContext } from '../../src/shared/context.ts';

const root = path.resolve(import.meta.dirname, '../..');
let dataDir: string;

function govcloud(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'bin/govcloud.js'), ...args],
      { cwd: root, env: { ...process.env, GOVCLOUD_DATA_DIR: dataDir, DATABASE_URL: '' }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-checkpoint-cli-'));
  const handle = openPglite(dataDir);
  await migrateToLatest(handle.db);
  const audit = new AuditService(handle.db);
  for (let i = 0; i < 5; i++) await audit.recordNow(systemContext(), { action: 'test.event', objectId: String(i) });
  await handle.close();
}, 120_000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('govcloud audit checkpoint', { timeout: 240_000 }, () => {
  it('signs the head into the data directory, verifies against it, and reports the tail removed afterwards', async () => {
    const written = await govcloud(['audit', 'checkpoint']);
    expect(written.stderr).toBe('');
    expect(written.stdout).toMatch(/^Checkpoint: record 5, hash [0-9a-f]{64}, signed at .* with key [0-9a-f]{16}\.\n$/);
    expect(fs.readFileSync(path.join(dataDir, 'audit-checkpoints.log'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect((await govcloud(['audit', 'public-key'])).stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    const intact = await govcloud(['audit', 'verify']);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/Audit chain intact: 5 records, head 5 .*matches the checkpoint of .* \(record 5\)/);

    // someone with the database owner's rights removes the two newest records and moves the head back
    const handle = openPglite(dataDir);
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(handle.db);
    await sql`ALTER TABLE audit_head DISABLE TRIGGER audit_head_no_rewrite`.execute(handle.db);
    await sql`DELETE FROM audit_log WHERE seq > 3`.execute(handle.db);
    await sql`UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3)`.execute(handle.db);
    await sql`ALTER TABLE audit_head ENABLE TRIGGER audit_head_no_rewrite`.execute(handle.db);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(handle.db);
    await handle.close();

    const broken = await govcloud(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN at record 4: the chain ends at 3 but the checkpoint signed at .* covers 5: the newest 2 record\(s\) were removed/);
  });
});
