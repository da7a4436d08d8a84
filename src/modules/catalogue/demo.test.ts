// The catalogue's demo: ~40 resources across the ten domains, valid person resources, a few open demands; idempotent.
import { describe, expect, it } from 'vitest';
import { testApp } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment } from '../../../test/support/factories.ts';
import { catalogueModule } from './module.ts';
import { loadResourceMeta } from './meta.ts';

describe('catalogue demo', () => {
  it('writes ~40 resources and open demands through the service, and a second run adds nothing', async () => {
    const { db } = await testDb();
    const { services, config } = await testApp();
    await newDepartment(db, { regionCode: '6505', name: '哈密市人力资源和社会保障局' });
    const deps = { db, config, clock: { now: () => new Date() }, services: services as unknown as Record<string, unknown>, service: services.catalogue };
    const started = Date.now();
    await catalogueModule.demo!(deps, { prefecture: '6505' });
    const elapsed = Date.now() - started;
    const count = async () => Number((await db.selectFrom('data_resource').select((eb) => eb.fn.countAll().as('n')).where('name', 'in', ['人口基础信息', '社会保险参保信息', '党员基本信息', '数字城管案件信息']).executeTakeFirstOrThrow()).n);
    expect(await count()).toBe(4);
    const themes = await db.selectFrom('data_resource').select('theme').distinct().where('created_by', 'is', null).where('theme', 'is not', null).execute();
    expect(themes.map((t) => t.theme)).toEqual(expect.arrayContaining(['population', 'social_security', 'medical_insurance', 'family_planning', 'party', 'approval', 'audit', 'emergency', 'geo', 'city_management']));
    const population = (await loadResourceMeta(db, (await db.selectFrom('data_resource').select('id').where('name', '=', '人口基础信息').executeTakeFirstOrThrow()).id))!;
    expect(population).toMatchObject({ personItem: 'id_number', regionItem: 'region', keyItems: ['id_number'], status: 'published' });
    expect(population.items.find((i) => i.code === 'name')?.mask).toBe('name');
    expect(population.items.find((i) => i.code === 'phone')?.type).toBe('mobile');
    const social = await db.selectFrom('data_resource').innerJoin('department as d', 'd.id', 'data_resource.provider_department_id').select('d.name').where('data_resource.name', '=', '社会保险参保信息').executeTakeFirstOrThrow();
    expect(social.name).toMatch(/人力资源和社会保障局$/);
    const before = await db.selectFrom('data_resource').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    await catalogueModule.demo!(deps, { prefecture: '6505' });
    const after = await db.selectFrom('data_resource').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(Number((await db.selectFrom('data_demand').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow()).n)).toBeGreaterThanOrEqual(3);
    expect(elapsed).toBeLessThan(15_000);
  });
});
