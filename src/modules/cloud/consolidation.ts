// 整合报告 (issue 10 §7): the pre-consolidation rooms and their servers against the pool that replaced them — servers,
// cores, memory, utilisation, power — and the energy and money saved per year, estimated with the assumptions of the
// cloud_tariff table (PUE before and after, electricity price, upkeep per room and per host), which the report
// returns with its figures so a reader can check the arithmetic.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { RequestContext } from '../../shared/context.ts';
import { reader, visibleSql } from './access.ts';
import { pct } from './inventory.ts';
import type { Consolidation } from './schema.ts';

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function consolidationReport(db: Kysely<Database>, clock: Clock, ctx: RequestContext): Promise<Consolidation> {
  const r = reader(ctx, clock);
  const [kinds, hosts, workload, tariff] = await Promise.all([
    db
      .selectFrom('cloud_room as r')
      .leftJoin('cloud_legacy_server as s', 's.room_id', 'r.id')
      .select([
        'r.kind',
        sql<number>`count(DISTINCT r.id)::int`.as('rooms'),
        sql<number>`count(s.id)::int`.as('servers'),
        sql<string>`coalesce(sum(s.cpu_cores), 0)::text`.as('cores'),
        sql<string>`coalesce(sum(s.memory_gb), 0)::text`.as('memory_gb'),
        sql<string>`coalesce(sum(s.cpu_cores * s.avg_cpu_utilisation), 0)::text`.as('busy_core_pct'),
        sql<string>`coalesce(sum(s.power_watts), 0)::text`.as('watts'),
        sql<string>`coalesce(sum(s.annual_cost_yuan), 0)::text`.as('cost'),
      ])
      .where('r.kind', 'in', ['legacy_department', 'legacy_community'])
      .where(visibleSql(r, { path: 'r.region_path', department: 'r.department_id' }))
      .groupBy('r.kind')
      .orderBy('r.kind')
      .execute(),
    db
      .selectFrom('cloud_host as h')
      .select([
        sql<number>`count(*)::int`.as('hosts'),
        sql<string>`coalesce(sum(h.cpu_cores), 0)::text`.as('cores'),
        sql<string>`coalesce(sum(h.memory_mb), 0)::text`.as('memory_mb'),
        sql<string>`coalesce(sum(floor(h.cpu_cores * h.cpu_ratio)), 0)::text`.as('vcpus'),
        sql<string>`coalesce(sum(floor(h.memory_mb * h.memory_ratio)), 0)::text`.as('memory_capacity'),
        sql<string>`coalesce(sum(h.vcpus_allocated), 0)::text`.as('vcpus_allocated'),
        sql<string>`coalesce(sum(h.memory_mb_allocated), 0)::text`.as('memory_allocated'),
        sql<string>`coalesce(sum(h.power_watts), 0)::text`.as('watts'),
        sql<number>`(SELECT count(*)::int FROM cloud_vm v WHERE v.host_id IS NOT NULL AND v.state <> 'decommissioned')`.as('vms'),
      ])
      .executeTakeFirstOrThrow(),
    // the workload that moved: each migrated legacy server's busy cores, now running on the pool
    db
      .selectFrom('cloud_legacy_server as s')
      .innerJoin('cloud_vm as v', 'v.id', 's.vm_id')
      .select(sql<string>`coalesce(sum(s.cpu_cores * s.avg_cpu_utilisation / 100), 0)::text`.as('busy_cores'))
      .where('v.state', '<>', 'decommissioned')
      .executeTakeFirstOrThrow(),
    db.selectFrom('cloud_tariff').select(['code', 'value', 'unit', 'description']).orderBy('code').execute(),
  ]);
  const t = new Map(tariff.map((x) => [x.code, Number(x.value)]));
  const param = (code: string, fallback: number) => t.get(code) ?? fallback;
  const hours = param('hours_per_year', 8760);
  const price = param('electricity_yuan_per_kwh', 0.45);

  const byKind = kinds.map((k) => {
    const cores = Number(k.cores);
    return {
      kind: k.kind as 'legacy_department' | 'legacy_community',
      rooms: Number(k.rooms),
      servers: Number(k.servers),
      cpuCores: cores,
      memoryGb: Number(k.memory_gb),
      avgCpuUtilisation: cores > 0 ? round(Number(k.busy_core_pct) / cores) : 0,
      powerKw: round(Number(k.watts) / 1000, 2),
      annualCostYuan: round(Number(k.cost), 0),
    };
  });
  const sum = (f: (k: (typeof byKind)[number]) => number) => byKind.reduce((a, k) => a + f(k), 0);
  const beforeCores = sum((k) => k.cpuCores);
  const beforeKw = sum((k) => k.powerKw);
  const beforeKwh = beforeKw * hours * param('pue_legacy', 2);
  const roomUpkeep = sum((k) => k.rooms * (k.kind === 'legacy_department' ? param('upkeep_department_room_yuan', 30000) : param('upkeep_community_room_yuan', 8000)));
  const beforeCost = beforeKwh * price + roomUpkeep + sum((k) => k.annualCostYuan);

  const hostCount = Number(hosts.hosts);
  const afterCores = Number(hosts.cores);
  const afterKw = Number(hosts.watts) / 1000;
  const afterKwh = afterKw * hours * param('pue_datacenter', 1.4);
  const afterCost = afterKwh * price + (hostCount > 0 ? param('upkeep_datacenter_yuan', 300000) : 0) + hostCount * param('upkeep_host_yuan', 12000);
  const servers = sum((k) => k.servers);
  const rooms = sum((k) => k.rooms);

  return {
    before: {
      byKind,
      rooms,
      servers,
      cpuCores: beforeCores,
      memoryGb: sum((k) => k.memoryGb),
      avgCpuUtilisation: beforeCores > 0 ? round(sum((k) => k.avgCpuUtilisation * k.cpuCores) / beforeCores) : 0,
      powerKw: round(beforeKw, 2),
      annualEnergyKwh: round(beforeKwh, 0),
      annualCostYuan: round(beforeCost, 0),
    },
    after: {
      hosts: hostCount,
      cpuCores: afterCores,
      memoryGb: Math.round(Number(hosts.memory_mb) / 1024),
      vcpusCapacity: Number(hosts.vcpus),
      vcpusAllocated: Number(hosts.vcpus_allocated),
      memoryGbAllocated: Math.round(Number(hosts.memory_allocated) / 1024),
      cpuAllocatedPct: pct(Number(hosts.vcpus_allocated), Number(hosts.vcpus)),
      memoryAllocatedPct: pct(Number(hosts.memory_allocated), Number(hosts.memory_capacity)),
      cpuUsedPct: pct(Number(workload.busy_cores) * param('legacy_core_performance', 0.5), afterCores),
      vms: Number(hosts.vms),
      powerKw: round(afterKw, 2),
      annualEnergyKwh: round(afterKwh, 0),
      annualCostYuan: round(afterCost, 0),
    },
    saved: {
      servers: servers - hostCount,
      rooms,
      powerKw: round(beforeKw - afterKw, 2),
      annualEnergyKwh: round(beforeKwh - afterKwh, 0),
      annualCostYuan: round(beforeCost - afterCost, 0),
      energyPct: beforeKwh > 0 ? pct(beforeKwh - afterKwh, beforeKwh) : 0,
      costPct: beforeCost > 0 ? pct(beforeCost - afterCost, beforeCost) : 0,
    },
    assumptions: tariff.map((x) => ({ code: x.code, value: Number(x.value), unit: x.unit, description: x.description })),
  };
}
