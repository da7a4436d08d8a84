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
  const rows = await db.transaction().execute(async (trx) => {
    const inserted = await sql`
      INSERT INTO metering_usage_hour (vm_id, hour, department_id, region_path, business_system_id, state, vcpus, memory_mb, disk_gb, cpu_used, memory_used_mb, disk_used_mb)
      SELECT v.id, h, v.department_id, v.region_path, v.business_system_id, v.state, v.vcpus, v.memory_mb, v.disk_gb,
             CASE WHEN v.state = 'running'
                  THEN round((0.04 + 0.6 * (0.5 + 0.5 * sin(2 * pi() * (extract(hour FROM h AT TIME ZONE 'UTC') + 8 - 6 - k.phase) / 24))
                                        * (0.3 + k.level / 100.0))::numeric, 4)
                  ELSE 0 END,
             CASE WHEN v.state = 'running' THEN round(v.memory_mb * (0.35 + k.level / 200.0))::int ELSE 0 END,
             round(v.disk_gb * 1024 * (0.2 + k.fill / 150.0), 3)
      FROM cloud_vm v
      CROSS JOIN LATERAL (SELECT abs(hashtext(v.id::text)) % 70 AS level, abs(hashtext(v.id::text || 'p')) % 4 AS phase, abs(hashtext(v.id::text || 'd')) % 100 AS fill) k
      CROSS JOIN generate_series(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz, interval '1 hour') h
      WHERE v.state IN (${HOLDING})
      ON CONFLICT (vm_id, hour) DO NOTHING`.execute(trx);
    await sql`
      INSERT INTO metering_run (hour, vms, source)
      SELECT h, ${vms.rows[0]!.n}::int, 'demo'
      FROM generate_series(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz, interval '1 hour') h
      ON CONFLICT (hour) DO NOTHING`.execute(trx);
    await rebuildMonth(trx, previous);
    await rebuildMonth(trx, month);
    return Number(inserted.numAffectedRows ?? 0);
  });
  return { rows };
}
