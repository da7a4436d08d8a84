// The approval demo: real items for the seeded departments and 3,000 cases in every state over 90 days, some overdue
// and some paused, whose clock columns agree with the ledgers; fast, and a second run writes nothing. It runs against
// departments of a made-up prefecture code of its own, so the shared test database's other rows do not matter.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { uniq } from '../../../test/support/factories.ts';
import { systemClock } from '../../platform/clock.ts';
import type { Services } from '../../services.ts';
import { systemActorContext } from '../../shared/context.ts';
import { chinaDate } from '../../shared/id-number.ts';
import type { CalendarService } from '../calendar/index.ts';
import { computeClock } from './clock.ts';
import { overdueSql } from './clock-sql.ts';
import { DEMO_ITEMS } from './demo-items.ts';
import { approvalModule, type ApprovalService } from './index.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let services: Services;
const prefecture = uniq('D').slice(0, 6);

beforeAll(async () => {
  ({ db } = await testDb());
  ({ services } = await testApp());
  const codes = [...new Set(DEMO_ITEMS.map((i) => i.dept))];
  await services.departments.createMany(systemActorContext(), codes.map((c) => ({ code: `${prefecture}-${c}`, name: `哈密市演示部门${prefecture}${c}`, kind: 'government', regionCode: '6505' })));
});

const run = () => approvalModule.demo!({ db, config: testConfig(), clock: systemClock, services: services as unknown as Record<string, unknown>, service: services.approval as ApprovalService }, { prefecture });

describe('approval demo', () => {
  it('writes the items and 3,000 cases in every state with consistent clocks, in seconds, once', { timeout: 120_000 }, async () => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    await run();
    const seconds = (performance.now() - started) / 1000;
    // CPU time of this process (PGlite runs in it): the demo's own cost, whatever else the machine runs meanwhile
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    console.log(`approval demo: ${seconds.toFixed(2)} s, ${cpuSeconds.toFixed(2)} s CPU`);
    const items = await db.selectFrom('approval_item').select('id').where('code', 'like', `${prefecture}-SX-%`).execute();
    expect(items).toHaveLength(DEMO_ITEMS.length);
    const ids = items.map((i) => i.id);
    const today = chinaDate(new Date());
    const states = await db.selectFrom('approval_case as c').select(['c.state', (eb) => eb.fn.countAll<string>().as('n')]).where('c.item_id', 'in', ids).groupBy('c.state').execute();
    const byState = Object.fromEntries(states.map((s) => [s.state, Number(s.n)]));
    expect(Object.values(byState).reduce((a, b) => a + b, 0)).toBe(3000);
    for (const state of ['submitted', 'accepted', 'rejected', 'reviewing', 'decided', 'concluded', 'delivered', 'withdrawn']) expect(byState[state], state).toBeGreaterThan(0);
    const flags = await db
      .selectFrom('approval_case as c')
      .select([sql<number>`count(*) FILTER (WHERE ${overdueSql(today)})::int`.as('overdue'), sql<number>`count(*) FILTER (WHERE c.paused_since IS NOT NULL)::int`.as('paused'), sql<number>`count(*) FILTER (WHERE c.concluded_on > c.statutory_due)::int`.as('late')])
      .where('c.item_id', 'in', ids)
      .executeTakeFirstOrThrow();
    expect(flags.overdue).toBeGreaterThan(0);
    expect(flags.paused).toBeGreaterThan(0);
    expect(flags.late).toBeGreaterThan(0);
    // the clock columns are what the service would compute from the ledgers
    const calendar = services.calendar as CalendarService;
    const sample = await db.selectFrom('approval_case').selectAll().where('item_id', 'in', ids).where('accepted_on', 'is not', null).orderBy('case_no').limit(300).execute();
    const pauses = await db.selectFrom('approval_case_pause').selectAll().where('case_id', 'in', sample.map((c) => c.id)).execute();
    for (const c of sample) {
      const mine = pauses.filter((p) => p.case_id === c.id).map((p) => ({ startedOn: p.started_on, endedOn: p.ended_on }));
      const clock = computeClock(calendar, { acceptedOn: c.accepted_on, statutoryDays: c.statutory_days, promisedDays: c.promised_days, extensionDays: c.extension_days, pauses: mine });
      expect({ s: c.statutory_due, p: c.promised_due, since: c.paused_since }).toEqual({ s: clock.statutoryDue, p: clock.promisedDue, since: clock.pausedSince });
    }
    const events = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM approval_case_event e JOIN approval_case c ON c.id = e.case_id WHERE c.item_id IN (${sql.join(ids)})`.execute(db)).rows[0]!.n;
    expect(events).toBeGreaterThan(3000);
    await run();
    expect((await db.selectFrom('approval_item').select('id').where('code', 'like', `${prefecture}-SX-%`).execute()).length).toBe(DEMO_ITEMS.length);
    expect(seconds).toBeLessThan(30);
    // issue 9 asks under 3 s; a quiet CI run measured 5.2 s (CPU as wall), so this bounds regressions only and the
    // figure goes in the closing note until the demo meets its target. CPU time hardly depends on the machine's load.
    expect(cpuSeconds).toBeLessThan(15);
  });
});
