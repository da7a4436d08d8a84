// The demo hook: synthetic valid rows for published resources without rows, one shared population, idempotent.
import { describe, expect, it } from 'vitest';
import { testApp } from '../../../test/support/app.ts';
import { newResource } from '../../../test/support/data-factories.ts';
import { testDb } from '../../../test/support/db.ts';
import { loadConfig } from '../../config.ts';
import { systemClock } from '../../platform/clock.ts';
import { checkIdNumber } from '../../shared/id-number.ts';
import { demoPopulation } from './demo.ts';
import { datasetsModule } from './module.ts';
import type { DatasetsService } from './service.ts';

describe('datasets demo', () => {
  it('loads 100–1,000 valid rows into each published resource without rows, persons drawn from one population', async () => {
    const [{ services }, { db }] = await Promise.all([testApp(), testDb()]);
    const people = [await newResource(db, { theme: 'population' }), await newResource(db, { theme: 'social_security' })];
    const other = await newResource(db, {
      items: [
        { code: 'case_no', name: '案件编号', isKey: true, required: true },
        { code: 'reported', name: '上报时间', type: 'datetime' },
        { code: 'amount', name: '金额', type: 'decimal' },
        { code: 'closed', name: '已结案', type: 'boolean' },
      ],
    });
    const ids = [...people, other].map((r) => r.id);
    await db.updateTable('data_resource').set({ status: 'published' }).where('id', 'in', ids).execute();
    const run = () => datasetsModule.demo!({ db, config: loadConfig({}), clock: systemClock, services, service: services.datasets as DatasetsService }, { prefecture: '6505' });
    const started = performance.now();
    await run();
    expect(performance.now() - started).toBeLessThan(20_000);
    const counts = await db.selectFrom('data_row').select(['resource_id', (eb) => eb.fn.countAll<string>().as('n')]).where('resource_id', 'in', ids).groupBy('resource_id').execute();
    expect(counts).toHaveLength(3);
    for (const c of counts) expect(Number(c.n)).toBeGreaterThanOrEqual(100);
    for (const c of counts) expect(Number(c.n)).toBeLessThanOrEqual(1000);
    const rejected = await db.selectFrom('data_load').select('rejected_rows').where('resource_id', 'in', ids).execute();
    expect(rejected.every((l) => l.rejected_rows === 0)).toBe(true);
    const persons = async (id: string) => new Set((await db.selectFrom('data_row').select('person_id').where('resource_id', '=', id).execute()).map((r) => r.person_id!));
    const [a, b] = [await persons(people[0]!.id), await persons(people[1]!.id)];
    for (const p of a) expect(checkIdNumber(p, { today: '2026-11-27' }).ok).toBe(true);
    expect([...a].filter((p) => b.has(p)).length).toBeGreaterThan(0);
    await run();
    expect(await db.selectFrom('data_load').select('id').where('resource_id', 'in', ids).execute()).toHaveLength(3);
  });

  it('the population is deterministic and valid', () => {
    const one = demoPopulation(50, ['650502', '650521']);
    expect(demoPopulation(50, ['650502', '650521'])).toEqual(one);
    expect(one.every((p) => checkIdNumber(p.idNumber, { today: '2026-11-27' }).ok && /^1[3-9]\d{9}$/.test(p.phone))).toBe(true);
  });
});
