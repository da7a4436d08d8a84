// The cloud demo: 7 hosts with a redundant SAN, 101 pre-consolidation rooms with 1–6 servers each, ~60 business
// systems with 1–3 VMs placed with anti-affinity, every counter (host, SAN, quota) equal to the VMs it holds; a second
// run writes nothing. It runs against departments of a made-up prefecture code of its own, so the shared test
// database's other rows do not matter.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, testConfig } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { uniq } from '../../../test/support/factories.ts';
import { systemClock } from '../../platform/clock.ts';
import type { Services } from '../../services.ts';
import { systemActorContext } from '../../shared/context.ts';
import { DEMO_COMMUNITY_ROOMS, DEMO_HOSTS } from './demo.ts';
import { DEMO_SYSTEMS, LEGACY_ROOM_DEPARTMENTS } from './demo-data.ts';
import { cloudModule, type CloudService } from './index.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let services: Services;
const prefix = uniq('C').slice(0, 6);

beforeAll(async () => {
  ({ db } = await testDb());
  ({ services } = await testApp());
  await services.departments.createMany(systemActorContext(), LEGACY_ROOM_DEPARTMENTS.map((k) => ({ code: `${prefix}-${k}`, name: `哈密市演示部门${prefix}${k}`, kind: 'government', regionCode: '6505' })));
});

const run = () => cloudModule.demo!({ db, config: testConfig(), clock: systemClock, services: services as unknown as Record<string, unknown>, service: services.cloud as CloudService }, { prefecture: prefix });

async function counts() {
  const n = async (q: ReturnType<typeof sql<{ n: number }>>) => (await q.execute(db)).rows[0]!.n;
  const like = `${prefix}-%`;
  return {
    rooms: await n(sql<{ n: number }>`SELECT count(*)::int AS n FROM cloud_room WHERE code LIKE ${like}`),
    hosts: await n(sql<{ n: number }>`SELECT count(*)::int AS n FROM cloud_host WHERE code LIKE ${like}`),
    systems: await n(sql<{ n: number }>`SELECT count(*)::int AS n FROM cloud_business_system WHERE code LIKE ${like}`),
    vms: await n(sql<{ n: number }>`SELECT count(*)::int AS n FROM cloud_vm v JOIN cloud_business_system b ON b.id = v.business_system_id WHERE b.code LIKE ${like}`),
    servers: await n(sql<{ n: number }>`SELECT count(*)::int AS n FROM cloud_legacy_server s JOIN cloud_room r ON r.id = s.room_id WHERE r.code LIKE ${like}`),
    audit: await n(sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'cloud.demo' AND object_id IN (SELECT id::text FROM cloud_room WHERE code = ${`${prefix}-DC01`})`),
  };
}

describe('cloud demo', () => {
  it('seeds the pool, 101 legacy rooms and ~60 systems with consistent counters, in seconds, once', { timeout: 120_000 }, async () => {
    const started = performance.now();
    await run();
    const seconds = (performance.now() - started) / 1000;
    console.log(`cloud demo: ${seconds.toFixed(2)} s`);
    const first = await counts();
    expect(first).toMatchObject({ hosts: DEMO_HOSTS, rooms: 1 + LEGACY_ROOM_DEPARTMENTS.length + DEMO_COMMUNITY_ROOMS, systems: DEMO_SYSTEMS.length, audit: 3 });
    expect(first.rooms).toBe(102); // the data centre and the 56 + 45 rooms it replaced
    expect(first.systems).toBeGreaterThanOrEqual(55);
    expect(first.vms).toBeGreaterThanOrEqual(first.systems);
    expect(first.vms).toBeLessThanOrEqual(first.systems * 3);

    // every legacy room has 1–6 servers with 5–20 % utilisation, all but none pointing at a VM
    const rooms = (await sql<{ kind: string; n: number; lo: string; hi: string; unmapped: number }>`
      SELECT r.kind, count(s.id)::int AS n, min(s.avg_cpu_utilisation)::text AS lo, max(s.avg_cpu_utilisation)::text AS hi, count(*) FILTER (WHERE s.vm_id IS NULL)::int AS unmapped
      FROM cloud_room r LEFT JOIN cloud_legacy_server s ON s.room_id = r.id WHERE r.code LIKE ${`${prefix}-%`} AND r.kind <> 'datacenter' GROUP BY r.id, r.kind`.execute(db)).rows;
    expect(rooms.filter((r) => r.kind === 'legacy_department')).toHaveLength(56);
    expect(rooms.filter((r) => r.kind === 'legacy_community')).toHaveLength(45);
    for (const r of rooms) {
      expect(r.n).toBeGreaterThanOrEqual(1);
      expect(r.n).toBeLessThanOrEqual(6);
      expect(Number(r.lo)).toBeGreaterThanOrEqual(5);
      expect(Number(r.hi)).toBeLessThanOrEqual(20);
      expect(r.unmapped).toBe(0);
    }
    // community rooms lie in real communities of the prefecture
    const communities = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cloud_room r JOIN region g ON g.code = r.region_code WHERE r.code LIKE ${`${prefix}-SQ-%`} AND g.level = 4 AND g.path LIKE '/6505/%'`.execute(db);
    expect(communities.rows[0]!.n).toBe(45);

    // host counters equal the VMs on them, never over capacity; HA partners never share a host
    const hosts = (await sql<{ code: string; vcpus_allocated: number; memory: string; cap: number; vm_vcpus: number; vm_memory: string }>`
      SELECT h.code, h.vcpus_allocated, h.memory_mb_allocated::text AS memory, floor(h.cpu_cores * h.cpu_ratio)::int AS cap,
             coalesce(sum(v.vcpus), 0)::int AS vm_vcpus, coalesce(sum(v.memory_mb), 0)::text AS vm_memory
      FROM cloud_host h LEFT JOIN cloud_vm v ON v.host_id = h.id WHERE h.code LIKE ${`${prefix}-%`} GROUP BY h.id ORDER BY h.code`.execute(db)).rows;
    for (const h of hosts) {
      expect(h.vcpus_allocated, h.code).toBe(h.vm_vcpus);
      expect(h.memory).toBe(h.vm_memory);
      expect(h.vcpus_allocated).toBeLessThanOrEqual(h.cap);
      expect(h.vcpus_allocated, `${h.code} is used`).toBeGreaterThan(0);
    }
    const shared = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT ha_group, host_id FROM cloud_vm WHERE ha_group LIKE ${`${prefix}-%`} GROUP BY ha_group, host_id HAVING count(*) > 1) x`.execute(db);
    expect(shared.rows[0]!.n).toBe(0);
    const quotas = await sql<{ bad: number; n: number }>`
      SELECT count(*) FILTER (WHERE q.vcpus_used <> u.vcpus OR q.memory_mb_used <> u.memory OR q.disk_gb_used <> u.disk OR q.vms_used <> u.vms)::int AS bad, count(*)::int AS n
      FROM cloud_quota q JOIN (SELECT department_id, sum(vcpus) AS vcpus, sum(memory_mb) AS memory, sum(disk_gb) AS disk, count(*) AS vms FROM cloud_vm GROUP BY department_id) u ON u.department_id = q.department_id
      JOIN department d ON d.id = q.department_id WHERE d.code LIKE ${`${prefix}-%`}`.execute(db);
    expect(quotas.rows[0]).toMatchObject({ bad: 0 });
    expect(quotas.rows[0]!.n).toBeGreaterThan(30);
    const pools = await sql<{ allocated: string; disks: string }>`
      SELECT sum(p.allocated_gb)::text AS allocated, (SELECT sum(v.disk_gb) FROM cloud_vm v JOIN cloud_storage_pool sp ON sp.id = v.storage_pool_id WHERE sp.code LIKE ${`${prefix}-%`})::text AS disks
      FROM cloud_storage_pool p WHERE p.code LIKE ${`${prefix}-%`}`.execute(db);
    expect(pools.rows[0]!.allocated).toBe(pools.rows[0]!.disks);

    await run();
    expect(await counts()).toEqual(first);
    expect(seconds).toBeLessThan(30);
  });
});
