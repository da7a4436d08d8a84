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

describe('StatsBuffer failures', () => {
  it('writes the good tallies when one is refused by the database', async () => {
    const resource = await newResource(db);
    const client = await newClientApp(db);
    const buffer = new StatsBuffer(db, new ManualClock('2026-03-05T02:00:00Z'), 60_000);
    const good = { clientAppId: client.id, resourceId: resource.id, providerDepartmentId: resource.providerDepartmentId, consumerDepartmentId: client.departmentId, rows: 1, refused: false };
    buffer.count(good);
    buffer.count({ ...good, clientAppId: '00000000-0000-4000-8000-000000000001' }); // no such client application
    await buffer.flush();
    const rows = await db.selectFrom('exchange_stat').select('calls').where('client_app_id', '=', client.id).execute();
    expect(rows.map((r) => Number(r.calls))).toEqual([1]);
    for (let i = 0; i < 5; i++) await buffer.flush();
    await buffer.close();
  });
});
