// A real listening server on the run's database, serving the built console, for browser tests.
import { buildApp } from '../../src/http/app.ts';
import { testConfig } from './app.ts';
import { testDb } from './db.ts';
import { newDepartment, newUser } from './factories.ts';

export async function startTestServer(): Promise<{ url: string; username: string; password: string; close(): Promise<void> }> {
  const { db } = await testDb();
  const { app } = await buildApp({ db, config: testConfig(), serveWeb: true });
  for (const regionCode of ['650502', '650502', '650521', '650522']) await newDepartment(db, { regionCode });
  // one account holding the three administrators' duties (D41), so that the browser tests reach every page
  const user = await newUser(db, {
    grants: [
      { role: 'platform_admin', regionCode: '6505' },
      { role: 'security_admin', regionCode: '6505' },
      { role: 'audit_admin', regionCode: '6505' },
    ],
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: address, username: user.username, password: user.password, close: () => app.close() };
}
