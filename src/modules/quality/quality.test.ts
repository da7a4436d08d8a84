// Quality figures on crafted loads (completeness, rejection rate, freshness by a ManualClock) and the departments'
// ranking (on-time, late, overdue counting; order by the documented score).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { ManualClock } from '../../platform/clock.ts';
import { login, testConfig, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser, uniq } from '../../../test/support/factories.ts';
import { newResource, newRows } from '../../../test/support/data-factories.ts';
import { departmentScore, freshness, onTimeRate, resourceScore } from './figures.ts';

const clock = new ManualClock('2026-11-20T10:00:00+08:00');
let app: App;
let db: Kysely<Database>;
let communities: string[];
beforeAll(async () => {
  ({ db } = await testDb());
  ({ app } = await buildApp({ db, config: testConfig(), serveWeb: false, clock }));
  // communities of one county, picked at random so that reruns on one database do not meet earlier rows
  communities = (await db.selectFrom('region').select('code').where('level', '=', 4).where('path', 'like', '/6505/650522/%').orderBy(sql`random()`).limit(4).execute()).map((r) => r.code);
});
afterAll(() => app.close());

async function leaderOf(regionCode: string): Promise<Client> {
  const user = await newUser(db, { grants: [{ role: 'leader', regionCode }] });
  return login(app, user.username, user.password);
}

const row = (n: number, extra: Record<string, unknown> = {}) => ({ id_number: `6505021990010${String(n).padStart(4, '0')}X`, name: `张${n}`, region: '650502', ...extra });

describe('resource quality', () => {
  it('counts completeness over the rows, the rejection rate over recent loads and freshness against the cycle', async () => {
    const region = communities[0]!;
    const provider = await newDepartment(db, { regionCode: region });
    const resource = await newResource(db, { providerDepartmentId: provider.id, regionCode: region });
    const { loadId } = await newRows(db, resource, [row(1, { phone: '13800000001', note: 'a' }), row(2, { phone: '13800000002' }), row(3, { phone: '' }), row(4, { note: null })]);
    await db.updateTable('data_load').set({ finished_at: clock.now(), created_at: clock.now() }).where('id', '=', loadId).execute();
    // a rejected load: 6 rows read, all refused
    await db
      .insertInto('data_load')
      .values({ resource_id: resource.id, department_id: provider.id, source: 'file', status: 'rejected', total_rows: 6, rejected_rows: 6, finished_at: clock.now() })
      .execute();
    const leader = await leaderOf(region);
    const res = await leader.get(`/api/quality/resources/${resource.code}`);
    expect(res.statusCode).toBe(200);
    const q = res.json();
    expect(q.rows).toBe(4);
    expect(q.completeness.source).toBe('rows');
    expect(Object.fromEntries(q.completeness.items.map((i: { code: string; ratio: number }) => [i.code, i.ratio]))).toEqual({ id_number: 1, name: 1, phone: 0.5, region: 1, note: 0.25 });
    expect(q.completeness.overall).toBe(0.75);
    expect(q.rejection).toEqual({ loads: 2, totalRows: 10, rejectedRows: 6, rate: 0.6 });
    expect(q.freshness).toMatchObject({ cycleDays: 1, overdue: false });
    expect(q.score).toBe(resourceScore({ completeness: 0.75, rejectionRate: 0.6, overdue: false }));

    // a day and a half later the daily resource is overdue (a fresh session: the clock moved past the idle timeout)
    clock.advance(36 * 3_600_000);
    try {
      const later = (await (await leaderOf(region)).get(`/api/quality/resources/${resource.code}`)).json();
      expect(later.freshness).toMatchObject({ overdue: true, ageDays: 1.5 });
      expect((await (await leaderOf(region)).get('/api/quality/resources?overdue=true')).json().items.map((r: { code: string }) => r.code)).toContain(resource.code);
    } finally {
      clock.advance(-36 * 3_600_000);
    }

    // a row written since is counted (the per-node copy of the count follows the rows' sequence numbers)
    const extra = await newRows(db, resource, [row(5, { phone: '13800000005', note: 'e' })]);
    await db.updateTable('data_load').set({ finished_at: clock.now() }).where('id', '=', extra.loadId).execute();
    const recounted = (await leader.get(`/api/quality/resources/${resource.code}`)).json();
    expect(recounted.rows).toBe(5);
    expect(recounted.completeness.items.find((i: { code: string }) => i.code === 'note').ratio).toBe(0.4);

    // a newer load with statistics: completeness is taken from them
    await db
      .insertInto('data_load')
      .values({ resource_id: resource.id, department_id: provider.id, source: 'api', status: 'committed', total_rows: 2, accepted_rows: 2, finished_at: new Date(clock.now().getTime() + 1000), stats: JSON.stringify({ rows: 9, completeness: { id_number: 1, name: 0.9, phone: 0.3, region: 1, note: 0 } }) })
      .execute();
    const fromStats = (await leader.get(`/api/quality/resources/${resource.code}`)).json();
    expect(fromStats.completeness.source).toBe('load_stats');
    expect(fromStats.rows).toBe(9);
    expect(fromStats.completeness.overall).toBe(0.64);

    // out of another county's jurisdiction the resource does not exist
    const outsider = await leaderOf('650502');
    const absent = await outsider.get(`/api/quality/resources/${resource.code}`);
    expect(absent.statusCode).toBe(404);
    expect(absent.json().code).toBe('quality.resource_not_found');
  });

  it('flags a resource never loaded as overdue, and an upstream one as live', () => {
    const now = new Date('2026-11-20T02:00:00Z');
    expect(freshness('monthly', null, now, false)).toMatchObject({ overdue: true, lastLoadAt: null });
    expect(freshness('monthly', null, now, true)).toMatchObject({ overdue: false, live: true });
    expect(freshness('quarterly', new Date('2026-08-20T02:00:00Z'), now, false).overdue).toBe(false); // 92 days
    expect(freshness('quarterly', new Date('2026-08-19T01:00:00Z'), now, false).overdue).toBe(true);
    expect(freshness('yearly', new Date('2025-11-20T02:00:00Z'), now, false)).toMatchObject({ overdue: false, ageDays: 365 });
  });
});

describe('department ranking', () => {
  it('counts requests answered on time, late and overdue, averages answer time in working days and orders by score', async () => {
    const region = communities[1]!;
    const [good, slow, idle] = [await newDepartment(db, { regionCode: region, name: uniq('准时局') }), await newDepartment(db, { regionCode: region, name: uniq('拖延局') }), await newDepartment(db, { regionCode: region, name: uniq('空闲局') })];
    const consumer = await newDepartment(db, { regionCode: region });
    const resources = new Map<string, Awaited<ReturnType<typeof newResource>>>();
    for (const d of [good, slow, idle]) {
      const resource = await newResource(db, { providerDepartmentId: d.id, regionCode: region });
      await db.updateTable('data_resource').set({ status: 'published' }).where('id', '=', resource.id).execute();
      const { loadId } = await newRows(db, resource, [row(10), row(11)]);
      await db.updateTable('data_load').set({ finished_at: clock.now() }).where('id', '=', loadId).execute();
      resources.set(d.id, resource);
    }
    const request = async (provider: string, input: { submitted: string; deadline: string; decided?: string; status: 'pending' | 'escalated' | 'approved' | 'refused' | 'withdrawn' }) =>
      db
        .insertInto('sharing_request')
        .values({
          number: uniq('GX-'),
          resource_id: resources.get(provider)!.id,
          provider_department_id: provider,
          consumer_department_id: consumer.id,
          purpose: '测试',
          legal_basis: '测试依据',
          items: ['phone'],
          period_from: '2026-11-01',
          period_to: '2027-10-31',
          status: input.status,
          submitted_at: input.submitted,
          deadline: input.deadline,
          decided_at: input.decided ?? null,
        })
        .execute();
    // good: two answered on time (Mon → Fri: 4 working days; Mon → Wed: 2)
    await request(good.id, { submitted: '2026-11-02T09:00:00+08:00', deadline: '2026-11-16', decided: '2026-11-06T16:00:00+08:00', status: 'approved' });
    await request(good.id, { submitted: '2026-11-09T09:00:00+08:00', deadline: '2026-11-23', decided: '2026-11-11T16:00:00+08:00', status: 'refused' });
    // slow: one answered a day late (23:30 Beijing on the day after the deadline counts as that day), one overdue, one withdrawn
    await request(slow.id, { submitted: '2026-10-19T09:00:00+08:00', deadline: '2026-11-02', decided: '2026-11-03T23:30:00+08:00', status: 'approved' });
    await request(slow.id, { submitted: '2026-11-02T09:00:00+08:00', deadline: '2026-11-16', status: 'escalated' });
    await request(slow.id, { submitted: '2026-11-02T09:00:00+08:00', deadline: '2026-11-16', status: 'withdrawn' });
    // idle: one still within its time
    await request(idle.id, { submitted: '2026-11-19T09:00:00+08:00', deadline: '2026-12-03', status: 'pending' });

    const ranking = (await (await leaderOf(region)).get('/api/quality/ranking')).json();
    const of = (id: string) => ranking.items.find((r: { departmentId: string }) => r.departmentId === id);
    expect(of(good.id)).toMatchObject({ published: 1, onTime: 2, late: 0, overdue: 0, pending: 0, averageAnswerDays: 3, onTimeRate: 1 });
    expect(of(slow.id)).toMatchObject({ published: 1, onTime: 0, late: 1, overdue: 1, pending: 0, averageAnswerDays: 11, onTimeRate: 0 });
    expect(of(idle.id)).toMatchObject({ published: 1, onTime: 0, late: 0, overdue: 0, pending: 1, averageAnswerDays: null, onTimeRate: 1 });
    // the consumer provides nothing and was asked for nothing: not ranked
    expect(of(consumer.id)).toBeUndefined();
    const order = ranking.items.map((r: { departmentId: string }) => r.departmentId).filter((id: string) => [good.id, slow.id, idle.id].includes(id));
    expect(order[2]).toBe(slow.id);
    const scores = ranking.items.map((r: { score: number }) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(ranking.items[0].rank).toBe(1);
    expect(ranking.weights).toEqual({ published: 0.2, onTime: 0.4, quality: 0.25, freshness: 0.15 });
  });

  it('scores by the documented weights', () => {
    const f = { published: 2, onTime: 3, late: 1, overdue: 0, quality: 80, freshRate: 0.5 };
    expect(onTimeRate(f)).toBe(0.75);
    expect(departmentScore(f, 4)).toBe(Math.round(1000 * (0.2 * 0.5 + 0.4 * 0.75 + 0.25 * 0.8 + 0.15 * 0.5)) / 10);
    expect(onTimeRate({ onTime: 0, late: 0, overdue: 0 })).toBe(1);
  });
});
