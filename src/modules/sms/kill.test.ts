// Kill -9 of a real SMS worker process mid-batch, then a restart: the SMS centre (in this process) must have
// received every message exactly once. On PostgreSQL the worker gets a database of its own on the same server.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { killScenario } from '../../../bench/sms.ts';

async function withOwnDatabase<T>(serverUrl: string, run: (url: string) => Promise<T>): Promise<T> {
  const name = `govcloud_smskill_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    return await run(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

describe('SMS worker killed mid-batch', () => {
  it('loses nothing and sends nothing twice after a restart', { timeout: 240_000 }, async () => {
    const serverUrl = inject('testDatabaseUrl');
    const result = serverUrl ? await withOwnDatabase(serverUrl, (url) => killScenario(600, url)) : await killScenario(600);
    expect(result.atKill).toBeGreaterThan(0);
    expect(result.atKill).toBeLessThan(600);
    expect(result).toMatchObject({ messages: 600, received: 600, lost: 0, duplicates: 0, delivered: 600 });
  });
});
