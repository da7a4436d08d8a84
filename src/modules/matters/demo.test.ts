// The matters demo: every kind written with some violations, evaluated by its sweep; a second run writes nothing.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment } from '../../../test/support/factories.ts';
import { systemClock } from '../../platform/clock.ts';
import { mattersModule, type MattersService } from './index.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let matters: MattersService;

beforeAll(async () => {
  ({ db } = await testDb());
  matters = (await testApp()).services.matters as MattersService;
});

const run = () => mattersModule.demo!({ db, config: testConfig(), clock: systemClock, services: {}, service: matters }, { prefecture: '6505' });
const ensure = async (name: string, regionCode: string) => (await db.selectFrom('department').select('id').where('name', '=', name).executeTakeFirst()) ?? newDepartment(db, { regionCode, name });

describe('matters demo', () => {
  it('writes matters of every kind with warnings of every kind, once', { timeout: 180_000 }, async () => {
    const market = await ensure('哈密市市场监督管理局', '6505');
    for (const name of ['哈密市生态环境局', '哈密市城市管理局', '哈密市公共资源交易中心', '哈密市发展和改革委员会']) await ensure(name, '6505');
    await ensure('东河街道办事处', '650502001');
    const started = performance.now();
    await run();
    const seconds = (performance.now() - started) / 1000;
    const kinds = await sql<{ kind: string; n: number; warned: number }>`
      SELECT m.kind, count(*)::int AS n, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM supervision_warning w WHERE w.subject_id = m.id))::int AS warned
      FROM supervised_matter m WHERE m.ref_no NOT LIKE '探针%' AND m.created_by IS NULL GROUP BY m.kind ORDER BY m.kind`.execute(db);
    const byKind = Object.fromEntries(kinds.rows.map((r) => [r.kind, r]));
    for (const kind of ['penalty', 'enforcement', 'trading', 'village', 'project']) {
      expect(byKind[kind]?.n, kind).toBeGreaterThan(0);
      expect(byKind[kind]?.warned, kind).toBeGreaterThan(0);
      expect(byKind[kind]!.warned, kind).toBeLessThan(byKind[kind]!.n);
    }
    console.log(`matters demo: ${kinds.rows.map((r) => `${r.kind} ${r.n} (${r.warned} warned)`).join(', ')} in ${seconds.toFixed(1)} s`);
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM supervised_matter WHERE department_id = ${market.id}`.execute(db)).rows[0]!.n;
    await run();
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM supervised_matter WHERE department_id = ${market.id}`.execute(db)).rows[0]!.n).toBe(before);
  });
});
