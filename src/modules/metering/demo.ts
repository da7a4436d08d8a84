// Demo usage (issue 10 §5): the previous calendar month and this month to date for the VMs the cloud demo seeded, in
// two statements over generate_series (hours × VMs), with deterministic "used" figures: a daily curve per VM whose
// height comes from a hash of its id. Idempotent (ON CONFLICT DO NOTHING, roll-ups recomputed) and a single probe when
// seeded already. No VMs: nothing.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { VM_HOLDING_STATES } from '../cloud/index.ts';
import { HOUR_MS, hourOf, monthOf, monthStart, previousMonth } from './hours.ts';
import { rebuildMonth } from './usage.ts';

const HOLDING = sql.join(VM_HOLDING_STATES.map((s) => sql.lit(s)));

export async function seedMeteringDemo(db: Kysely<Database>, clock: Clock): Promise<{ rows: number }> {
  const now = clock.now();
  const month = monthOf(now);
  const previous = previousMonth(month);
  const from = monthStart(previous);
  const to = new Date(hourOf(now).getTime() - HOUR_MS);
  if (to < from) return { rows: 0 };
  const vms = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cloud_vm WHERE state IN (${HOLDING})`.execute(db);
  if ((vms.rows[0]?.n ?? 0) === 0) return { rows: 0 };
  const seeded = await sql<{ one: number }>`SELECT 1 AS one FROM metering_run WHERE hour = ${from.toISOString()}::timestamptz`.execute(db);
  if (seeded.rows.length > 0) return { rows: 0 };
  const hours = Math.round((to.getTime() - from.getTime()) / HOUR_MS) + 1;
  const write = (skipMetered: boolean) =>
    db.transaction().execute(async (trx) => {
      // Hours the scheduled metering wrote already (a database that ran without the demo) keep their rows; without
      // any, the rows go in without ON CONFLICT, whose per-row speculative insertion was a third of the demo (D132).
      const metered = skipMetered || (await sql`SELECT 1 FROM metering_run WHERE hour BETWEEN ${from.toISOString()}::timestamptz AND ${to.toISOString()}::timestamptz LIMIT 1`.execute(trx)).rows.length > 0;
      // Each VM's figures are computed once: memory and disk are constant, and the CPU curve repeats every 24 hours
      // (an array indexed by the hour's place in the day), so the per-row work is a lookup, not sin() over numerics;
      // MATERIALIZED, or the planner folds the CTE into the join and builds each VM's array again for every row.
      const inserted = await sql`
        WITH vm AS MATERIALIZED (
          SELECT v.id, v.department_id, v.region_path, v.business_system_id, v.state, v.vcpus, v.memory_mb, v.disk_gb,
                 ARRAY(
                   SELECT CASE WHEN v.state = 'running'
                               THEN round((0.04 + 0.6 * (0.5 + 0.5 * sin(2 * pi() * (extract(hour FROM h AT TIME ZONE 'UTC') + 8 - 6 - k.phase) / 24))
                                                     * (0.3 + k.level / 100.0))::numeric, 4)
                               ELSE 0 END
                   FROM generate_series(0, 23) slot
                   CROSS JOIN LATERAL (SELECT ${from.toISOString()}::timestamptz + slot * interval '1 hour' AS h) s
                   ORDER BY slot
                 ) AS cpu,
                 CASE WHEN v.state = 'running' THEN round(v.memory_mb * (0.35 + k.level / 200.0))::int ELSE 0 END AS memory_used_mb,
                 round(v.disk_gb * 1024 * (0.2 + k.fill / 150.0), 3) AS disk_used_mb
          FROM cloud_vm v
          CROSS JOIN LATERAL (SELECT abs(hashtext(v.id::text)) % 70 AS level, abs(hashtext(v.id::text || 'p')) % 4 AS phase, abs(hashtext(v.id::text || 'd')) % 100 AS fill) k
          WHERE v.state IN (${HOLDING})
        )
        INSERT INTO metering_usage_hour (vm_id, hour, department_id, region_path, business_system_id, state, vcpus, memory_mb, disk_gb, cpu_used, memory_used_mb, disk_used_mb)
        SELECT vm.id, ${from.toISOString()}::timestamptz + n * interval '1 hour', vm.department_id, vm.region_path, vm.business_system_id, vm.state,
               vm.vcpus, vm.memory_mb, vm.disk_gb, vm.cpu[n % 24 + 1], vm.memory_used_mb, vm.disk_used_mb
        FROM vm CROSS JOIN generate_series(0, ${hours - 1}::int) n
        ${metered ? sql`ON CONFLICT (vm_id, hour) DO NOTHING` : sql``}`.execute(trx);
      await sql`
        INSERT INTO metering_run (hour, vms, source)
        SELECT h, ${vms.rows[0]!.n}::int, 'demo'
        FROM generate_series(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz, interval '1 hour') h
        ON CONFLICT (hour) DO NOTHING`.execute(trx);
      await rebuildMonth(trx, previous);
      await rebuildMonth(trx, month);
      return Number(inserted.numAffectedRows ?? 0);
    });
  // another node's scheduled metering committed an hour between the probe and the insert: again, keeping its rows
  const rows = await write(false).catch((error: unknown) => {
    if ((error as { code?: string }).code === '23505') return write(true);
    throw error;
  });
  return { rows };
}
