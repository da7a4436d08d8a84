// The sharing demo: a consuming system of a 民政局 with the documented credentials, an approved grant for it, a
// refusal with its reason, an escalated request; a second run writes nothing.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment } from '../../../test/support/factories.ts';
import { newResource } from '../../../test/support/data-factories.ts';
import { systemClock } from '../../platform/clock.ts';
import { DEMO_CLIENT, sharingModule, verifyClientSecret, type Sharing } from './index.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let sharing: Sharing;

beforeAll(async () => {
  ({ db } = await testDb());
  sharing = (await testApp()).services.sharing as Sharing;
});

const run = () => sharingModule.demo!({ db, config: testConfig(), clock: systemClock, services: {}, service: sharing }, { prefecture: '6505' });
const count = async (table: 'sharing_request' | 'client_app' | 'data_grant') => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!.n;

describe('sharing demo', () => {
  it('seeds a consuming system with known credentials, a grant, a refusal and an escalation, once', async () => {
    if (!(await db.selectFrom('department').select('id').where('name', 'like', '%民政局').where('region_code', '=', '6505').executeTakeFirst())) {
      await newDepartment(db, { regionCode: '6505', name: '哈密市民政局' });
    }
    for (let i = 0; i < 4; i++) await newResource(db, { regionCode: '6505' });
    await run();
    const app = await verifyClientSecret(db, DEMO_CLIENT.clientId, DEMO_CLIENT.secret, new Date());
    expect(app).not.toBeNull();
    const requests = await db.selectFrom('sharing_request').select(['status', 'decision_reason', 'client_app_id']).where('consumer_department_id', '=', app!.departmentId).execute();
    expect(requests.some((r) => r.status === 'approved' && r.client_app_id === app!.id)).toBe(true);
    expect(requests.some((r) => r.status === 'refused' && (r.decision_reason ?? '').length > 0)).toBe(true);
    expect(requests.some((r) => r.status === 'escalated')).toBe(true);
    expect(requests.some((r) => r.status === 'pending')).toBe(true);
    const before = await Promise.all([count('sharing_request'), count('client_app'), count('data_grant')]);
    await run();
    expect(await Promise.all([count('sharing_request'), count('client_app'), count('data_grant')])).toEqual(before);
  });
});
