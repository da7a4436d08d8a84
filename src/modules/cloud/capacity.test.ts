// The cloud contract's counters: concurrent claims never exceed a quota or a host's capacity, and releases give back.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, uniq } from '../../../test/support/factories.ts';
import { claimHostCapacity, hostSnapshots, releaseHostCapacity, releaseQuota, reserveQuota } from './index.ts';

let db: Kysely<Database>;
beforeAll(async () => {
  ({ db } = await testDb());
});

describe('cloud capacity contract', () => {
  it('admits exactly what fits of 40 concurrent quota reservations, names the dimension refused, and releases', async () => {
    const dept = await newDepartment(db);
    await db.insertInto('cloud_quota').values({ department_id: dept.id, vcpus_limit: 20, memory_mb_limit: 1_000_000, disk_gb_limit: 10_000, vms_limit: 100 }).execute();
    const one = { vcpus: 2, memoryMb: 4096, diskGb: 50, vms: 1 };
    const results = await Promise.all(Array.from({ length: 40 }, () => reserveQuota(db, dept.id, one)));
    expect(results.filter((r) => r === null)).toHaveLength(10);
    expect(new Set(results.filter((r) => r !== null))).toEqual(new Set(['vcpus']));
    const row = await db.selectFrom('cloud_quota').selectAll().where('department_id', '=', dept.id).executeTakeFirstOrThrow();
    expect(row.vcpus_used).toBe(20);
    expect(row.vms_used).toBe(10);
    await releaseQuota(db, dept.id, { ...one, vcpus: 30, vms: 30 });
    const after = await db.selectFrom('cloud_quota').selectAll().where('department_id', '=', dept.id).executeTakeFirstOrThrow();
    expect(after.vcpus_used).toBe(0);
    expect(await reserveQuota(db, (await newDepartment(db)).id, one)).toBe('vms');
  });

  it('claims host capacity under 30 concurrent claims without exceeding cores × ratio', async () => {
    const region = await db.selectFrom('region').select(['code', 'path']).where('level', '=', 2).limit(1).executeTakeFirstOrThrow();
    const room = await db.insertInto('cloud_room').values({ code: uniq('room-'), name: '测试机房', kind: 'datacenter', region_code: region.code, region_path: region.path }).returning('id').executeTakeFirstOrThrow();
    const host = await db
      .insertInto('cloud_host')
      .values({ code: uniq('host-'), name: '测试宿主机', room_id: room.id, cpu_cores: 4, cpu_ratio: 2, memory_mb: 65536, zones: ['test'] })
      .returning('id')
      .executeTakeFirstOrThrow();
    const claims = await Promise.all(Array.from({ length: 30 }, () => claimHostCapacity(db, host.id, 1, 1024)));
    expect(claims.filter(Boolean)).toHaveLength(8);
    const snap = (await hostSnapshots(db)).find((h) => h.id === host.id)!;
    expect(snap).toMatchObject({ vcpus: 8, vcpusAllocated: 8, memoryMbAllocated: 8192, haGroups: [] });
    await releaseHostCapacity(db, host.id, 8, 8192);
    expect(await claimHostCapacity(db, host.id, 9, 1)).toBe(false);
    expect(await claimHostCapacity(db, host.id, 8, 1)).toBe(true);
  });
});
