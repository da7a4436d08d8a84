// The hourly metering statement and the monthly roll-up (issue 10 §5). One statement per hour: the VMs that held
// resources in that hour (their state then, read from the lifecycle ledger) become usage rows, ON CONFLICT DO NOTHING,
// and exactly the rows inserted are added to the month's per-VM roll-up in the same statement — so running an hour
// twice, or two runners at once, adds nothing the second time.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { VM_HOLDING_STATES } from '../cloud/index.ts';
import { HOUR_MS, monthOf, monthStart, nextMonth } from './hours.ts';

/** What the hypervisor told about a VM over the hour (null fields: unknown). */
export interface UsedSample {
  vmId: string;
  /** Fraction of the allocated vCPUs busy, 0…1. */
  cpu: number | null;
  memoryMb: number | null;
  /** The disk volume's allocation on the host, MiB (null: diskless or unknown). */
  diskUsedMb?: number | null;
}

const HOLDING = sql.join(VM_HOLDING_STATES.map((s) => sql.lit(s)));

/** The roll-up columns computed from usage rows `u` grouped by VM (the newest hour's department wins). */
function rollupSelect(): RawBuilder<unknown> {
  return sql`
    (array_agg(u.department_id ORDER BY u.hour DESC))[1],
    (array_agg(u.region_path ORDER BY u.hour DESC))[1],
    (array_agg(u.business_system_id ORDER BY u.hour DESC))[1],
    ${sumsSelect()}`;
}

/** The roll-up's sums over usage rows `u`. */
function sumsSelect(): RawBuilder<unknown> {
  return sql`
    count(*)::int,
    (count(*) FILTER (WHERE u.state = 'running'))::int,
    coalesce(sum(u.vcpus) FILTER (WHERE u.state = 'running'), 0),
    coalesce(sum(u.vcpus) FILTER (WHERE u.state <> 'running'), 0),
    coalesce(sum(u.memory_mb::numeric / 1024) FILTER (WHERE u.state = 'running'), 0),
    coalesce(sum(u.memory_mb::numeric / 1024) FILTER (WHERE u.state <> 'running'), 0),
    coalesce(sum(u.disk_gb), 0),
    coalesce(sum(u.vcpus) FILTER (WHERE u.cpu_used IS NOT NULL), 0),
    coalesce(sum(u.vcpus * u.cpu_used), 0),
    coalesce(sum(u.memory_mb::numeric / 1024) FILTER (WHERE u.memory_used_mb IS NOT NULL), 0),
    coalesce(sum(u.memory_used_mb::numeric / 1024), 0),
    coalesce(sum(u.disk_gb) FILTER (WHERE u.disk_used_mb IS NOT NULL), 0),
    coalesce(sum(u.disk_used_mb / 1024), 0)`;
}

const ROLLUP_COLUMNS = [
  'hours',
  'running_hours',
  'vcpu_h_running',
  'vcpu_h_idle',
  'mem_gbh_running',
  'mem_gbh_idle',
  'disk_gbh',
  'cpu_known_vcpu_h',
  'cpu_used_vcpu_h',
  'mem_known_gbh',
  'mem_used_gbh',
  'disk_known_gbh',
  'disk_used_gbh',
] as const;

const INSERT_MONTH = sql.raw(`INSERT INTO metering_usage_month (month, vm_id, department_id, region_path, business_system_id, ${ROLLUP_COLUMNS.join(', ')})`);
const ADD_ON_CONFLICT = sql.raw(
  `ON CONFLICT (month, vm_id) DO UPDATE SET department_id = excluded.department_id, region_path = excluded.region_path, business_system_id = excluded.business_system_id, ${ROLLUP_COLUMNS.map((c) => `${c} = metering_usage_month.${c} + excluded.${c}`).join(', ')}`,
);
const REPLACE_ON_CONFLICT = sql.raw(
  `ON CONFLICT (month, vm_id) DO UPDATE SET department_id = excluded.department_id, region_path = excluded.region_path, business_system_id = excluded.business_system_id, ${ROLLUP_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`,
);

/**
 * Meters one hour [hour, hour + 1 h) in one statement and marks it metered; returns the usage rows it added (0 when
 * the hour was metered already). The VM's state in the hour is its newest ledger event before the hour's end (its
 * current state when the ledger has none); its shape is its current one.
 */
export async function meterHour(db: Kysely<Database>, hour: Date, samples: readonly UsedSample[] = [], source: 'schedule' | 'demo' = 'schedule'): Promise<number> {
  const start = hour.toISOString();
  const end = new Date(hour.getTime() + HOUR_MS).toISOString();
  const month = `${monthOf(hour)}-01`;
  const probe = JSON.stringify(samples.map((s) => ({ vm_id: s.vmId, cpu: s.cpu, mem: s.memoryMb, disk: s.diskUsedMb ?? null })));
  return db.transaction().execute(async (trx) => {
    // runners of the same hour take turns (the ON CONFLICT below would keep them right anyway, but waiting is cheaper
    // than inserting and discarding)
    await sql`SELECT pg_advisory_xact_lock(hashtext('metering.hour'), hashtext(${start}))`.execute(trx);
    const { rows } = await sql<{ n: number }>`
      WITH probe AS (
        SELECT * FROM jsonb_to_recordset(${probe}::jsonb) AS p(vm_id uuid, cpu numeric, mem integer, disk numeric)
      ),
      src AS (
        SELECT v.id, v.department_id, v.region_path, v.business_system_id, v.vcpus, v.memory_mb, v.disk_gb,
               coalesce((SELECT e.state FROM cloud_vm_event e WHERE e.vm_id = v.id AND e.at < ${end}::timestamptz ORDER BY e.seq DESC LIMIT 1), v.state) AS state
        FROM cloud_vm v
        WHERE v.created_at < ${end}::timestamptz AND (v.decommissioned_at IS NULL OR v.decommissioned_at > ${start}::timestamptz)
      ),
      ins AS (
        INSERT INTO metering_usage_hour (vm_id, hour, department_id, region_path, business_system_id, state, vcpus, memory_mb, disk_gb, cpu_used, memory_used_mb, disk_used_mb)
        SELECT s.id, ${start}::timestamptz, s.department_id, s.region_path, s.business_system_id, s.state, s.vcpus, s.memory_mb, s.disk_gb,
               CASE WHEN p.cpu IS NULL THEN NULL ELSE least(greatest(round(p.cpu, 4), 0), 1) END, p.mem,
               CASE WHEN p.disk IS NULL THEN NULL ELSE greatest(round(p.disk, 3), 0) END
        FROM src s LEFT JOIN probe p ON p.vm_id = s.id
        WHERE s.state IN (${HOLDING})
        ON CONFLICT (vm_id, hour) DO NOTHING
        RETURNING *
      ),
      rolled AS (
        ${INSERT_MONTH}
        SELECT ${month}::date, u.vm_id, ${rollupSelect()}
        FROM ins u GROUP BY u.vm_id
        ${ADD_ON_CONFLICT}
        RETURNING 1
      )
      SELECT count(*)::int AS n FROM rolled`.execute(trx);
    const n = rows[0]?.n ?? 0;
    await sql`INSERT INTO metering_run (hour, vms, source) VALUES (${start}::timestamptz, ${n}, ${source}) ON CONFLICT (hour) DO NOTHING`.execute(trx);
    return n;
  });
}

/**
 * Recomputes the month roll-up of `month` from its usage rows (the demo, after writing hours in bulk). The month is
 * attributed to each VM's department and business system as they are now (no sort over the month's rows).
 */
export async function rebuildMonth(db: Kysely<Database>, month: string): Promise<void> {
  const from = monthStart(month).toISOString();
  const to = monthStart(nextMonth(month)).toISOString();
  await sql`
    ${INSERT_MONTH}
    SELECT ${`${month}-01`}::date, v.id, v.department_id, v.region_path, v.business_system_id, ${sql.raw(ROLLUP_COLUMNS.map((c) => `r.${c}`).join(', '))}
    FROM (
      SELECT u.vm_id, ${sumsSelect()}
      FROM metering_usage_hour u WHERE u.hour >= ${from}::timestamptz AND u.hour < ${to}::timestamptz GROUP BY u.vm_id
    ) ${sql.raw(`r(vm_id, ${ROLLUP_COLUMNS.join(', ')})`)} JOIN cloud_vm v ON v.id = r.vm_id
    ${REPLACE_ON_CONFLICT}`.execute(db);
}
