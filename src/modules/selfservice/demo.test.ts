// The self-service demo: after the cloud demo, two open requests (one on the department step, one on the platform's)
// with their quota reserved and their timelines; a second run writes nothing. Its own made-up prefecture code.
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newUser, uniq } from '../../../test/support/factories.ts';
import { systemClock } from '../../platform/clock.ts';
import type { Services } from '../../services.ts';
import { systemActorContext } from '../../shared/context.ts';
import { cloudModule, type CloudService } from '../cloud/index.ts';
import { selfserviceModule } from './module.ts';
import type { SelfserviceService } from './service.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let services: Services;
const prefix = uniq('S').slice(0, 6);

beforeAll(async () => {
  ({ db } = await testDb());
  ({ services } = await testApp());
  await services.departments.createMany(systemActorContext(), ['SJB', 'RSJ', 'WJW'].map((k) => ({ code: `${prefix}-${k}`, name: `哈密市演示部门${prefix}${k}`, kind: 'government', regionCode: '6505' })));
  for (const k of ['RSJ', 'WJW']) {
    const d = await db.selectFrom('department').select('id').where('code', '=', `${prefix}-${k}`).executeTakeFirstOrThrow();
    await newUser(db, { departmentId: d.id, grants: [{ role: 'department_staff', regionCode: '6505' }] });
  }
});

const deps = <S>(service: S) => ({ db, config: testConfig(), clock: systemClock, services: services as unknown as Record<string, unknown>, service });

describe('self-service demo', () => {
  it('leaves one request on the department step and one on the platform’s, quota reserved, once', { timeout: 120_000 }, async () => {
    await cloudModule.demo!(deps(services.cloud as CloudService), { prefecture: prefix });
    const before = await db.selectFrom('cloud_quota as q').innerJoin('department as d', 'd.id', 'q.department_id').select(['d.code', 'q.vcpus_used']).where('d.code', 'in', [`${prefix}-RSJ`, `${prefix}-WJW`]).orderBy('d.code').execute();
    const run = () => selfserviceModule.demo!(deps((services as unknown as { selfservice: SelfserviceService }).selfservice), { prefecture: prefix });
    await run();
    const requests = await db
      .selectFrom('cloud_vm_request as r')
      .innerJoin('department as d', 'd.id', 'r.department_id')
      .select(['d.code', 'r.id', 'r.state', 'r.vcpus', 'r.quota_reserved'])
      .where('d.code', 'in', [`${prefix}-RSJ`, `${prefix}-WJW`])
      .orderBy('d.code')
      .execute();
    expect(requests.map((r) => [r.code, r.state, r.quota_reserved])).toEqual([
      [`${prefix}-RSJ`, 'pending_department', true],
      [`${prefix}-WJW`, 'pending_platform', true],
    ]);
    const after = await db.selectFrom('cloud_quota as q').innerJoin('department as d', 'd.id', 'q.department_id').select(['d.code', 'q.vcpus_used']).where('d.code', 'in', [`${prefix}-RSJ`, `${prefix}-WJW`]).orderBy('d.code').execute();
    expect(after.map((a, i) => a.vcpus_used - before[i]!.vcpus_used)).toEqual(requests.map((r) => r.vcpus));
    const events = await db.selectFrom('selfservice_request_event').select(['request_id', 'to_state']).where('request_id', 'in', requests.map((r) => r.id)).orderBy('request_id').orderBy('seq').execute();
    expect(events.filter((e) => e.request_id === requests[1]!.id).map((e) => e.to_state)).toEqual(['pending_department', 'pending_platform']);
    await run();
    expect(await db.selectFrom('cloud_vm_request as r').innerJoin('department as d', 'd.id', 'r.department_id').select('r.id').where('d.code', 'like', `${prefix}-%`).execute()).toHaveLength(2);
  });
});
