// Statistics counted in memory and added to exchange_stat: concurrent flushes add up, close writes the rest.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { ManualClock } from '../../platform/clock.ts';
import { testDb } from '../../../test/support/db.ts';
import { newClientApp, newResource } from '../../../test/support/data-factories.ts';
import { beijingDay, StatsBuffer } from './stats.ts';

let db: Kysely<Database>;
beforeAll(async () => {
  db = (await testDb()).db;
});

describe('StatsBuffer', () => {
  it('adds counts from two nodes and several flushes, per Beijing day, and writes the rest at close', async () => {
    const resource = await newResource(db);
    const client = await newClientApp(db);
    const clock = new ManualClock('2026-03-01T15:59:00Z'); // 23:59 in Beijing
    const nodes = [new StatsBuffer(db, clock, 60_000), new StatsBuffer(db, clock, 60_000)];
    const facts = { clientAppId: client.id, resourceId: resource.id, providerDepartmentId: resource.providerDepartmentId, consumerDepartmentId: client.departmentId };
    for (let i = 0; i < 10; i++) nodes[i % 2]!.count({ ...facts, rows: 2, refused: i === 0 });
    await Promise.all([nodes[0]!.flush(), nodes[1]!.flush(), nodes[0]!.flush()]);
    clock.set('2026-03-01T16:00:01Z'); // the next day in Beijing
    nodes[0]!.count({ ...facts, rows: 0, refused: true });
    await nodes[0]!.close();
    await nodes[1]!.close();
    const rows = await db.selectFrom('exchange_stat').select(['day', 'calls', 'rows', 'refusals']).where('client_app_id', '=', client.id).orderBy('day').execute();
    expect(rows.map((r) => ({ day: r.day, calls: Number(r.calls), rows: Number(r.rows), refusals: Number(r.refusals) }))).toEqual([
      { day: '2026-03-01', calls: 10, rows: 20, refusals: 1 },
      { day: '2026-03-02', calls: 1, rows: 0, refusals: 1 },
    ]);
    expect(beijingDay(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
  });
});
