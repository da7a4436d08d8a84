// The evaluation demo: ratings for most concluded cases (mostly 4–5 stars; bad ones with a follow-up day), complaints
// in every state, the last three months scored and published; a second run writes nothing new.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, testConfig } from '../../../test/support/app.ts';
import { newCase, newItem } from '../../../test/support/approval-factories.ts';
import { testDb } from '../../../test/support/db.ts';
import { systemClock } from '../../platform/clock.ts';
import { evaluationModule, type Evaluation } from './index.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let service: Evaluation;

beforeAll(async () => {
  ({ db } = await testDb());
  service = (await testApp()).services.evaluation as Evaluation;
});

const run = () => evaluationModule.demo!({ db, config: testConfig(), clock: systemClock, services: {}, service }, { prefecture: '6505' });
const n = async (query: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.raw(query)}`.execute(db)).rows[0]!.n;

describe('evaluation demo', () => {
  it('rates most concluded cases, files complaints in every state, publishes three months; once', { timeout: 180_000 }, async () => {
    const item = await newItem(db, { regionCode: '650502' });
    const month = (back: number) => {
      const d = new Date();
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 10)).toISOString().slice(0, 10);
    };
    const cases = [];
    for (let i = 0; i < 60; i++) {
      const concludedOn = month(1 + (i % 3));
      cases.push(await newCase(db, item, { state: i % 2 ? 'delivered' : 'concluded', appliedOn: concludedOn, acceptedOn: concludedOn, concludedOn, promisedDue: concludedOn, statutoryDue: concludedOn }));
    }
    const started = Date.now();
    await run();
    const ms = Date.now() - started;
    const rated = await db.selectFrom('evaluation_rating').select(['level', 'follow_up_due']).where('case_id', 'in', cases.map((c) => c.id)).execute();
    expect(rated.length).toBeGreaterThanOrEqual(40);
    expect(rated.filter((r) => r.level >= 4).length / rated.length).toBeGreaterThan(0.6);
    expect(rated.every((r) => (r.level <= 2) === (r.follow_up_due !== null))).toBe(true);
    const states = (await sql<{ state: string }>`SELECT DISTINCT state FROM evaluation_complaint`.execute(db)).rows.map((r) => r.state).sort();
    expect(states).toEqual(['accepted', 'closed', 'filed', 'handled', 'not_accepted']);
    const published = (await service.evaluation.months(null)).items.map((m) => m.month);
    for (const back of [1, 2, 3]) expect(published).toContain(month(back).slice(0, 7));
    const counts = [await n('evaluation_rating'), await n('evaluation_complaint'), await n('evaluation_score')];
    await run();
    expect([await n('evaluation_rating'), await n('evaluation_complaint'), await n('evaluation_score')]).toEqual(counts);
    console.log(`evaluation demo: ${rated.length} ratings of 60 cases, ${ms} ms`);
  });
});
