// The injected clock times sessions and the dashboard: an app built with a ManualClock lets a test move time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { ManualClock } from '../../platform/clock.ts';
import { login, testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newUser } from '../../../test/support/factories.ts';

const clock = new ManualClock(new Date());
let app: App;
let db: Awaited<ReturnType<typeof testDb>>['db'];
beforeAll(async () => {
  ({ db } = await testDb());
  ({ app } = await buildApp({ db, config: testConfig(), serveWeb: false, clock }));
});
afterAll(() => app.close());

describe('the injected clock', () => {
  it('ends a session that has been idle past the timeout by the clock, not by the wall', async () => {
    const user = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const client = await login(app, user.username, user.password);
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    // the dashboard is stamped with the clock's time
    expect((await client.get('/api/dashboard/summary')).json().generatedAt).toBe(clock.now().toISOString());
    clock.advance((testConfig().sessionIdleMinutes + 2) * 60_000); // past the timeout and its grace for the last-seen write
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past this node's 1-second copy of the session row
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });
});
