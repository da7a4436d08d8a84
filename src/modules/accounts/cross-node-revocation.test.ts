// Cross-node session revocation (D61): two app instances (nodes) over one PostgreSQL database, each with its own pool
// and session cache. Node B's clock stands still, so its cached session rows never age out: only the revocation
// notice can make it drop them. Disabling a user or resetting their password on node A ends the session on B at once,
// and again after B's listening connection was killed and came back.
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { postgresDialect } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { ManualClock } from '../../platform/clock.ts';
import { login, testConfig, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newUser } from '../../../test/support/factories.ts';
import type { SessionRevocationListener } from './session-revocation.ts';
import { LISTENER_APPLICATION_NAME } from './session-revocation.ts';

const url = inject('testDatabaseUrl');

// PGlite admits one process per data directory (its lock): there is no second node to tell, and the node that
// revokes forgets in-process (revocation.test.ts). The cross-node path needs PostgreSQL (TEST_DATABASE_URL).
describe.skipIf(!url)('cross-node session revocation (PostgreSQL: skipped on PGlite, which has a single node by its data-directory lock)', () => {
  let db: Kysely<Database>;
  let nodeA: App;
  let nodeB: App;
  let dbB: Kysely<Database>;
  let listener: SessionRevocationListener;
  let adminOnA: Client;

  beforeAll(async () => {
    ({ db } = await testDb());
    const config = testConfig({ databaseUrl: url });
    nodeA = (await buildApp({ db, config, serveWeb: false })).app;
    dbB = new Kysely<Database>({ dialect: postgresDialect(url!, 3) });
    const built = await buildApp({ db: dbB, config, serveWeb: false, clock: new ManualClock(new Date()) });
    nodeB = built.app;
    listener = await built.services.auth.listenForRevocations(url!);
    expect(listener.isListening).toBe(true);
    const admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
    adminOnA = await login(nodeA, admin.username, admin.password);
  });

  afterAll(async () => {
    await listener?.stop();
    await nodeB?.close();
    await nodeA?.close();
    await dbB?.destroy();
  });

  /** Signs the user in on node B and reads once there, so B holds the session row in its cache. */
  async function cachedOnB() {
    const user = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '6505' }] });
    const session = await login(nodeB, user.username, user.password);
    expect((await session.get('/api/auth/me')).statusCode).toBe(200);
    return { user, session };
  }

  /** Milliseconds until node B answers 401 to the session (fails after 3 s; B's own cache would never expire). */
  async function msUntilEndedOnB(session: Client): Promise<number> {
    const started = performance.now();
    while (performance.now() - started < 3_000) {
      if ((await session.get('/api/auth/me')).statusCode === 401) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error('node B still serves the revoked session after 3 s');
  }

  it('ends the session on the other node at once when a user is disabled there', async () => {
    const { user, session } = await cachedOnB();
    // the cache serves B's reads: the same row twice without a change
    expect((await session.get('/api/auth/me')).statusCode).toBe(200);
    expect((await adminOnA.request('PATCH', `/api/users/${user.id}`, { status: 'disabled' })).statusCode).toBe(200);
    const ms = await msUntilEndedOnB(session);
    console.log(`cross-node revocation (disable): node B refused the session ${ms.toFixed(1)} ms after node A answered`);
    expect(ms).toBeLessThan(1_000);
  });

  it('ends the session on the other node at once when an administrator resets the password', async () => {
    const { user, session } = await cachedOnB();
    expect((await adminOnA.post(`/api/users/${user.id}/password`, { password: 'Zq8#reset-cross-node' })).statusCode).toBe(204);
    expect(await msUntilEndedOnB(session)).toBeLessThan(1_000);
  });

  it('reconnects after its listening connection is killed, and trusts no cached row while it is down', async () => {
    const { rows } = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE application_name = ${LISTENER_APPLICATION_NAME} AND datname = current_database()`.execute(db);
    expect(rows.length).toBeGreaterThan(0);
    for (const { pid } of rows) await sql`SELECT pg_terminate_backend(${pid})`.execute(db);
    const { user, session } = await cachedOnB();
    // back within a few seconds (backoff from 100 ms)
    const started = performance.now();
    while (!listener.isListening && performance.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(listener.isListening).toBe(true);
    const pids = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE application_name = ${LISTENER_APPLICATION_NAME} AND datname = current_database()`.execute(db);
    expect(pids.rows.map((r) => r.pid)).not.toEqual(rows.map((r) => r.pid));
    expect((await session.get('/api/auth/me')).statusCode).toBe(200);
    expect((await adminOnA.request('PATCH', `/api/users/${user.id}`, { status: 'disabled' })).statusCode).toBe(200);
    expect(await msUntilEndedOnB(session)).toBeLessThan(1_000);
  });
});
