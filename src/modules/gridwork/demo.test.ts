// The demo: visits and incidents in each state in the demo worker's community, written once.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser, uniq } from '../../../test/support/factories.ts';
import { COMMUNITY_B, newResident } from '../../../test/support/community-factories.ts';
import { systemClock } from '../../platform/clock.ts';
import { seedGridworkDemo } from './demo.ts';
import type { GridworkService } from './service.ts';

let service: GridworkService;
beforeAll(async () => {
  service = ((await testApp()).services as unknown as { gridwork: GridworkService }).gridwork;
}, 120_000);

describe('grid work demo', () => {
  it('writes visits and incidents in several states once', async () => {
    const { db } = await testDb();
    await newDepartment(db, { regionCode: '650502', name: `哈密市伊州区城市管理局${uniq()}` });
    const name = uniq('gw');
    await newUser(db, { username: name, grants: [{ role: 'community_worker', regionCode: COMMUNITY_B }] });
    const resident = await newResident(db, { communityCode: COMMUNITY_B });
    await db.insertInto('community_resident_label').values({ resident_id: resident.id, label_code: 'disabled', added_by: null }).execute();
    const prefix = uniq('demo');
    const run = () => seedGridworkDemo(db, systemClock, service, { prefecture: '6505' }, name, prefix);
    await run();
    await run();
    const states = await sql<{ status: string; n: number }>`SELECT status, count(*)::int AS n FROM gridwork_incident WHERE client_key LIKE ${`${prefix}-%`} GROUP BY status ORDER BY status`.execute(db);
    expect(Object.fromEntries(states.rows.map((r) => [r.status, r.n]))).toEqual({ concluded: 1, dispatched: 2, reported: 1, returned: 1 });
    const visits = await sql<{ n: number }>`SELECT count(*)::int AS n FROM gridwork_visit WHERE client_key LIKE ${`${prefix}-%`}`.execute(db);
    expect(visits.rows[0]!.n).toBeGreaterThanOrEqual(1);
  });
});
