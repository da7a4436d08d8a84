// The metering service (issue 10 §5): the hourly job (with catch-up), usage and chargeback reports within the reader's
// jurisdiction, the XLSX export, and the tariffs.
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { inTenant, likePrefix } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize, authorOf, type Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { invalid } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { fenOf, HOUR_MS, hourOf, monthOf, parseMonth, yuanOf } from './hours.ts';
import { meterHour, type UsedSample } from './usage.ts';

/**
 * What metering needs of the hypervisor: a VM's cumulative CPU time and memory, or null when it cannot tell (no host
 * connected, domain gone). The hypervisor module's service fulfils it; without that module "used" stays unknown.
 */
export interface UsageProbe {
  statsOf(vmId: string): Promise<{ cpuTimeNs: number; memoryMb: number; diskUsedBytes?: number | null } | null>;
}

/** The probe a service offers, if it has one (`services.hypervisor` may be absent, or lack statsOf). */
export function usageProbeOf(service: unknown): UsageProbe | null {
  const candidate = service as { statsOf?: unknown } | null | undefined;
  return candidate && typeof candidate.statsOf === 'function' ? (candidate as UsageProbe) : null;
}

export interface MeteringDeps {
  db: Kysely<Database>;
  audit: AuditService;
  clock: Clock;
  probe: UsageProbe | null;
}

/** Hours the job goes back for after downtime (a week); older gaps stay unmetered. */
export const CATCH_UP_HOURS = 168;

export interface Tariff {
  id: string;
  effectiveMonth: string;
  vcpuHour: number;
  memoryGbHour: number;
  storageGbHour: number;
  stoppedDiscount: number;
  note: string;
  createdAt: string;
}

export interface TariffInput {
  effectiveMonth: string;
  vcpuHour: number;
  memoryGbHour: number;
  storageGbHour: number;
  stoppedDiscount: number;
  note?: string;
}

export interface UsageRow {
  departmentId: string;
  departmentName: string;
  vms: number;
  hours: number;
  vcpuHours: number;
  vcpuHoursUsed: number | null;
  memoryGbHours: number;
  memoryGbHoursUsed: number | null;
  storageGbHours: number;
  storageGbHoursUsed: number | null;
  /** Used ÷ allocated over the hours where "used" is known, in %; null when it never is. */
  cpuUtilisation: number | null;
  memoryUtilisation: number | null;
  storageUtilisation: number | null;
}

export interface ChargeRow {
  departmentId: string;
  departmentName: string;
  businessSystemId: string | null;
  businessSystemName: string | null;
  vms: number;
  vcpuHoursRunning: number;
  vcpuHoursStopped: number;
  memoryGbHoursRunning: number;
  memoryGbHoursStopped: number;
  storageGbHours: number;
  runningYuan: number;
  stoppedYuan: number;
  storageYuan: number;
  totalYuan: number;
}

export interface Chargeback {
  month: string;
  tariff: Tariff;
  rows: ChargeRow[];
  departments: { departmentId: string; departmentName: string; totalYuan: number }[];
  totalYuan: number;
}

const num = (v: string | number | null): number => (v === null ? 0 : Number(v));
const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;
const MIB = 1024 * 1024;

interface TariffRow {
  id: string;
  effective_month: string | Date;
  vcpu_hour: string;
  memory_gb_hour: string;
  storage_gb_hour: string;
  stopped_discount: string;
  note: string;
  created_at: Date | string;
}

function dateText(v: string | Date): string {
  return typeof v === 'string' ? v.slice(0, 10) : new Date(v.getTime() - v.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

function tariffOf(r: TariffRow): Tariff {
  return {
    id: String(r.id),
    effectiveMonth: dateText(r.effective_month).slice(0, 7),
    vcpuHour: Number(r.vcpu_hour),
    memoryGbHour: Number(r.memory_gb_hour),
    storageGbHour: Number(r.storage_gb_hour),
    stoppedDiscount: Number(r.stopped_discount),
    note: r.note,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Rows of `m` (metering_usage_month) the scope opens: region subtree prefixes ∪ the tenant's department trees. */
function inMeteringScope(scope: Scope): RawBuilder<SqlBool> {
  const parts: (RawBuilder<SqlBool> | Expression<SqlBool>)[] = scope.paths.map((p) => sql<SqlBool>`m.region_path LIKE ${likePrefix(p)}`);
  if (scope.departments.length > 0) parts.push(inTenant(sql.ref('m.department_id'), scope));
  return parts.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

/** A spreadsheet cell made inert: a leading ' before = + - @ TAB CR. */
function inert(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export class MeteringService {
  constructor(readonly deps: MeteringDeps) {}

  private get db() {
    return this.deps.db;
  }

  // ---- the hourly job

  /**
   * Meters every completed hour not metered yet, oldest first: from the hour after the newest metered one (at most
   * CATCH_UP_HOURS back) to the hour before now. The newest hour gets the hypervisor's "used" figures when there is a
   * probe; hours caught up after downtime have "used" unknown. Returns the hours metered and the rows added.
   */
  async runHourly(options: { maxCatchUpHours?: number } = {}): Promise<{ hours: string[]; rows: number }> {
    const now = this.deps.clock.now();
    const last = new Date(hourOf(now).getTime() - HOUR_MS);
    const bound = options.maxCatchUpHours ?? CATCH_UP_HOURS;
    const earliest = new Date(last.getTime() - (bound - 1) * HOUR_MS);
    const newest = await sql<{ hour: Date | null }>`SELECT max(hour) AS hour FROM metering_run WHERE hour <= ${last.toISOString()}::timestamptz AND hour >= ${earliest.toISOString()}::timestamptz`.execute(this.db);
    const newestHour = newest.rows[0]?.hour;
    // a first run goes back the whole bound too: a VM is metered only from the hour it was created in
    const start = newestHour ? new Date(new Date(newestHour).getTime() + HOUR_MS) : earliest;
    const hours: string[] = [];
    let rows = 0;
    for (let h = start.getTime(); h <= last.getTime(); h += HOUR_MS) {
      const samples = h === last.getTime() ? await this.sample(now) : [];
      rows += await meterHour(this.db, new Date(h), samples);
      hours.push(new Date(h).toISOString());
    }
    return { hours, rows };
  }

  /** The probe's figures for the running VMs: CPU busy fraction since the previous sample, memory now. */
  private async sample(now: Date): Promise<UsedSample[]> {
    const probe = this.deps.probe;
    if (!probe) return [];
    const vms = await sql<{ id: string; vcpus: number; prev_ns: string | null; prev_at: Date | null }>`
      SELECT v.id, v.vcpus, s.cpu_time_ns AS prev_ns, s.sampled_at AS prev_at
      FROM cloud_vm v LEFT JOIN metering_cpu_sample s ON s.vm_id = v.id
      WHERE v.state = 'running' AND v.host_id IS NOT NULL`.execute(this.db);
    const out: UsedSample[] = [];
    const fresh: { vm_id: string; ns: number }[] = [];
    const queue = [...vms.rows];
    const worker = async () => {
      for (let vm = queue.shift(); vm; vm = queue.shift()) {
        const stats = await probe.statsOf(vm.id).catch(() => null);
        if (!stats) continue;
        fresh.push({ vm_id: vm.id, ns: stats.cpuTimeNs });
        let cpu: number | null = null;
        if (vm.prev_ns !== null && vm.prev_at !== null) {
          const elapsedNs = (now.getTime() - new Date(vm.prev_at).getTime()) * 1e6;
          const busyNs = stats.cpuTimeNs - Number(vm.prev_ns);
          // a restarted domain's counter starts again at 0: that interval is unknown
          if (elapsedNs > 0 && busyNs >= 0) cpu = Math.min(1, busyNs / (elapsedNs * vm.vcpus));
        }
        out.push({ vmId: vm.id, cpu, memoryMb: Math.round(stats.memoryMb), diskUsedMb: stats.diskUsedBytes == null ? null : stats.diskUsedBytes / MIB });
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
    if (fresh.length > 0) {
      await sql`
        INSERT INTO metering_cpu_sample (vm_id, cpu_time_ns, sampled_at)
        SELECT p.vm_id, p.ns, ${now.toISOString()}::timestamptz FROM jsonb_to_recordset(${JSON.stringify(fresh)}::jsonb) AS p(vm_id uuid, ns bigint)
        ON CONFLICT (vm_id) DO UPDATE SET cpu_time_ns = excluded.cpu_time_ns, sampled_at = excluded.sampled_at`.execute(this.db);
    }
    return out;
  }

  // ---- reports

  /** Per department: allocated and used vCPU-hours, memory and storage GB-hours, utilisation (metering.read). */
  async usage(ctx: RequestContext, query: { month?: string; departmentId?: string }): Promise<{ month: string; rows: UsageRow[] }> {
    const { scope } = authorize(ctx, 'metering.read', this.deps.clock);
    const month = parseMonth(query.month);
    const department = query.departmentId ? sql`AND m.department_id = ${query.departmentId}::uuid` : sql``;
    const { rows } = await sql<{
      department_id: string;
      name: string;
      vms: number;
      hours: number;
      vcpu: string;
      cpu_known: string;
      cpu_used: string;
      mem: string;
      mem_known: string;
      mem_used: string;
      disk: string;
      disk_known: string;
      disk_used: string;
    }>`
      SELECT m.department_id, d.name, count(*)::int AS vms, sum(m.hours)::int AS hours,
             sum(m.vcpu_h_running + m.vcpu_h_idle) AS vcpu, sum(m.cpu_known_vcpu_h) AS cpu_known, sum(m.cpu_used_vcpu_h) AS cpu_used,
             sum(m.mem_gbh_running + m.mem_gbh_idle) AS mem, sum(m.mem_known_gbh) AS mem_known, sum(m.mem_used_gbh) AS mem_used,
             sum(m.disk_gbh) AS disk, sum(m.disk_known_gbh) AS disk_known, sum(m.disk_used_gbh) AS disk_used
      FROM metering_usage_month m JOIN department d ON d.id = m.department_id
      WHERE m.month = ${`${month}-01`}::date AND ${inMeteringScope(scope)} ${department}
      GROUP BY m.department_id, d.name
      ORDER BY sum(m.vcpu_h_running + m.vcpu_h_idle) DESC, d.name`.execute(this.db);
    const util = (used: string, known: string) => (num(known) > 0 ? round((num(used) / num(known)) * 100, 1) : null);
    const usedOrNull = (used: string, known: string) => (num(known) > 0 ? round(num(used)) : null);
    return {
      month,
      rows: rows.map((r) => ({
        departmentId: r.department_id,
        departmentName: r.name,
        vms: r.vms,
        hours: r.hours,
        vcpuHours: round(num(r.vcpu)),
        vcpuHoursUsed: usedOrNull(r.cpu_used, r.cpu_known),
        memoryGbHours: round(num(r.mem)),
        memoryGbHoursUsed: usedOrNull(r.mem_used, r.mem_known),
        storageGbHours: round(num(r.disk)),
        // GB-hours to the KiB-hour (6 decimals): a sparse volume's few MiB would round to 0 at 2 decimals (D121)
        storageGbHoursUsed: num(r.disk_known) > 0 ? round(num(r.disk_used), 6) : null,
        cpuUtilisation: util(r.cpu_used, r.cpu_known),
        memoryUtilisation: util(r.mem_used, r.mem_known),
        storageUtilisation: util(r.disk_used, r.disk_known),
      })),
    };
  }

  /** The tariff that charges `month`: the newest one effective on or before it. */
  async tariffFor(month: string): Promise<Tariff> {
    const { rows } = await sql<TariffRow>`
      SELECT * FROM metering_tariff WHERE effective_month <= ${`${month}-01`}::date ORDER BY effective_month DESC, id DESC LIMIT 1`.execute(this.db);
    if (!rows[0]) throw invalid('metering.invalid_month', 'month', 'No tariff was in force in that month.');
    return tariffOf(rows[0]);
  }

  /**
   * Per department and business system: hours by running and not running, and the amounts by the month's tariff
   * (each amount rounded to the fen in SQL; totals are sums of the rounded amounts, so the table adds up).
   */
  async chargeback(ctx: RequestContext, query: { month?: string }): Promise<Chargeback> {
    const { scope } = authorize(ctx, 'metering.read', this.deps.clock);
    const month = parseMonth(query.month);
    const tariff = await this.tariffFor(month);
    const { rows } = await sql<{
      department_id: string;
      department_name: string;
      business_system_id: string | null;
      business_system_name: string | null;
      vms: number;
      vcpu_run: string;
      vcpu_idle: string;
      mem_run: string;
      mem_idle: string;
      disk: string;
      running_yuan: string;
      stopped_yuan: string;
      storage_yuan: string;
    }>`
      WITH t AS (SELECT * FROM metering_tariff WHERE id = ${tariff.id}::bigint),
      g AS (
        SELECT m.department_id, m.business_system_id, count(*)::int AS vms,
               sum(m.vcpu_h_running) AS vcpu_run, sum(m.vcpu_h_idle) AS vcpu_idle,
               sum(m.mem_gbh_running) AS mem_run, sum(m.mem_gbh_idle) AS mem_idle, sum(m.disk_gbh) AS disk
        FROM metering_usage_month m
        WHERE m.month = ${`${month}-01`}::date AND ${inMeteringScope(scope)}
        GROUP BY m.department_id, m.business_system_id
      )
      SELECT g.department_id, d.name AS department_name, g.business_system_id, b.name AS business_system_name, g.vms,
             g.vcpu_run, g.vcpu_idle, g.mem_run, g.mem_idle, g.disk,
             round(g.vcpu_run * t.vcpu_hour + g.mem_run * t.memory_gb_hour, 2) AS running_yuan,
             round((g.vcpu_idle * t.vcpu_hour + g.mem_idle * t.memory_gb_hour) * (1 - t.stopped_discount), 2) AS stopped_yuan,
             round(g.disk * t.storage_gb_hour, 2) AS storage_yuan
      FROM g CROSS JOIN t
      JOIN department d ON d.id = g.department_id
      LEFT JOIN cloud_business_system b ON b.id = g.business_system_id
      ORDER BY d.name, g.department_id, b.name NULLS LAST`.execute(this.db);
    const departments = new Map<string, { departmentId: string; departmentName: string; fen: number }>();
    let totalFen = 0;
    const out: ChargeRow[] = rows.map((r) => {
      const fen = fenOf(r.running_yuan) + fenOf(r.stopped_yuan) + fenOf(r.storage_yuan);
      totalFen += fen;
      const dep = departments.get(r.department_id) ?? { departmentId: r.department_id, departmentName: r.department_name, fen: 0 };
      dep.fen += fen;
      departments.set(r.department_id, dep);
      return {
        departmentId: r.department_id,
        departmentName: r.department_name,
        businessSystemId: r.business_system_id,
        businessSystemName: r.business_system_name,
        vms: r.vms,
        vcpuHoursRunning: round(num(r.vcpu_run)),
        vcpuHoursStopped: round(num(r.vcpu_idle)),
        memoryGbHoursRunning: round(num(r.mem_run)),
        memoryGbHoursStopped: round(num(r.mem_idle)),
        storageGbHours: round(num(r.disk)),
        runningYuan: yuanOf(fenOf(r.running_yuan)),
        stoppedYuan: yuanOf(fenOf(r.stopped_yuan)),
        storageYuan: yuanOf(fenOf(r.storage_yuan)),
        totalYuan: yuanOf(fen),
      };
    });
    return {
      month,
      tariff,
      rows: out,
      departments: [...departments.values()].map((d) => ({ departmentId: d.departmentId, departmentName: d.departmentName, totalYuan: yuanOf(d.fen) })),
      totalYuan: yuanOf(totalFen),
    };
  }

  /** The chargeback as an XLSX workbook (明细, 资源用量 and 资费 sheets); the export is audited. */
  async chargebackXlsx(ctx: RequestContext, query: { month?: string }): Promise<{ filename: string; body: Buffer }> {
    const report = await this.chargeback(ctx, query);
    const usage = await this.usage(ctx, { month: report.month });
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('计费明细', { views: [{ state: 'frozen', ySplit: 2 }] });
    sheet.addRow([`政务云资源计量计费 · ${report.month}`]).font = { bold: true };
    const headers = ['部门', '业务系统', '虚拟机数', 'vCPU·时（运行）', 'vCPU·时（未运行）', '内存GB·时（运行）', '内存GB·时（未运行）', '存储GB·时', '运行费用（元）', '未运行费用（元）', '存储费用（元）', '合计（元）'];
    sheet.addRow(headers).font = { bold: true };
    for (const r of report.rows) {
      sheet.addRow([
        inert(r.departmentName),
        inert(r.businessSystemName ?? '（未关联业务系统）'),
        r.vms,
        r.vcpuHoursRunning,
        r.vcpuHoursStopped,
        r.memoryGbHoursRunning,
        r.memoryGbHoursStopped,
        r.storageGbHours,
        r.runningYuan,
        r.stoppedYuan,
        r.storageYuan,
        r.totalYuan,
      ]);
    }
    const total = sheet.addRow(['合计', '', report.rows.reduce((s, r) => s + r.vms, 0), '', '', '', '', '', '', '', '', report.totalYuan]);
    total.font = { bold: true };
    sheet.getColumn(1).width = 28;
    sheet.getColumn(2).width = 28;
    for (let c = 3; c <= headers.length; c++) sheet.getColumn(c).width = 16;
    for (let c = 9; c <= 12; c++) sheet.getColumn(c).numFmt = '#,##0.00';
    // allocated and used per department; used storage in MiB-hours with decimals (a sparse volume's few MiB, D121)
    const u = workbook.addWorksheet('资源用量', { views: [{ state: 'frozen', ySplit: 2 }] });
    u.addRow([`政务云资源用量（分配与实际使用） · ${usage.month}`]).font = { bold: true };
    u.addRow(['部门', '虚拟机数', 'vCPU·时（分配）', 'vCPU·时（实际使用）', '内存GB·时（分配）', '内存GB·时（实际使用）', '存储GB·时（分配）', '存储MiB·时（实际使用）', 'CPU利用率（%）', '内存利用率（%）', '存储利用率（%）']).font = { bold: true };
    for (const r of usage.rows) {
      u.addRow([
        inert(r.departmentName),
        r.vms,
        r.vcpuHours,
        r.vcpuHoursUsed ?? '未知',
        r.memoryGbHours,
        r.memoryGbHoursUsed ?? '未知',
        r.storageGbHours,
        r.storageGbHoursUsed === null ? '未知' : round(r.storageGbHoursUsed * 1024, 3),
        r.cpuUtilisation ?? '未知',
        r.memoryUtilisation ?? '未知',
        r.storageUtilisation ?? '未知',
      ]);
    }
    u.getColumn(1).width = 28;
    for (let c = 2; c <= 11; c++) u.getColumn(c).width = 18;
    u.getColumn(8).numFmt = '#,##0.000';
    const t = workbook.addWorksheet('资费');
    t.addRow(['项目', '单价']).font = { bold: true };
    t.addRow(['生效月份', report.tariff.effectiveMonth]);
    t.addRow(['vCPU（元/核·时）', report.tariff.vcpuHour]);
    t.addRow(['内存（元/GB·时）', report.tariff.memoryGbHour]);
    t.addRow(['存储（元/GB·时）', report.tariff.storageGbHour]);
    t.addRow(['未运行虚拟机计算资源折扣', report.tariff.stoppedDiscount]);
    t.getColumn(1).width = 28;
    t.getColumn(2).width = 14;
    const body = Buffer.from(await workbook.xlsx.writeBuffer());
    await this.deps.audit.recordNow(ctx, {
      action: 'metering.export',
      objectType: 'metering_chargeback',
      detail: { format: 'xlsx', month: report.month, rows: report.rows.length, totalYuan: report.totalYuan, tariff: report.tariff.id },
    });
    return { filename: `chargeback-${report.month}.xlsx`, body };
  }

  // ---- tariffs

  /** The tariff in force this month and every tariff ever set, newest first (metering.read). */
  async tariffs(ctx: RequestContext): Promise<{ current: Tariff; history: Tariff[] }> {
    authorize(ctx, 'metering.read', this.deps.clock);
    const current = await this.tariffFor(monthOf(this.deps.clock.now()));
    const { rows } = await sql<TariffRow>`SELECT * FROM metering_tariff ORDER BY effective_month DESC, id DESC LIMIT 200`.execute(this.db);
    return { current, history: rows.map(tariffOf) };
  }

  /**
   * Sets the tariff from a month on (metering.tariffs.manage): this month or a later one, never a past month, so a
   * month already charged keeps its amounts. A new row each time (the history); audited in the same transaction.
   */
  async setTariff(ctx: RequestContext, input: TariffInput): Promise<Tariff> {
    const { actor, scope } = authorize(ctx, 'metering.tariffs.manage', this.deps.clock);
    const month = parseMonth(input.effectiveMonth, 'effectiveMonth');
    const current = monthOf(this.deps.clock.now());
    if (month < current) throw invalid('metering.past_month', 'effectiveMonth', `A tariff takes effect from ${current} or later.`);
    for (const field of ['vcpuHour', 'memoryGbHour', 'storageGbHour'] as const) {
      const v = input[field];
      if (!Number.isFinite(v) || v < 0 || v > 1_000_000) throw invalid('request.invalid', field, 'A price is a number of yuan from 0 to 1,000,000.');
    }
    if (!Number.isFinite(input.stoppedDiscount) || input.stoppedDiscount < 0 || input.stoppedDiscount > 1) {
      throw invalid('request.invalid', 'stoppedDiscount', 'The discount is a fraction from 0 to 1.');
    }
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('metering_tariff')
        .values({
          effective_month: `${month}-01`,
          vcpu_hour: input.vcpuHour,
          memory_gb_hour: input.memoryGbHour,
          storage_gb_hour: input.storageGbHour,
          stopped_discount: input.stoppedDiscount,
          note: input.note ?? '',
          created_by: authorOf(actor),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const tariff = tariffOf(row as unknown as TariffRow);
      await this.deps.audit.record(trx, ctx, {
        action: 'metering.tariff.set',
        objectType: 'metering_tariff',
        objectId: tariff.id,
        detail: { effectiveMonth: tariff.effectiveMonth, vcpuHour: tariff.vcpuHour, memoryGbHour: tariff.memoryGbHour, storageGbHour: tariff.storageGbHour, stoppedDiscount: tariff.stoppedDiscount, permission: scope.permission },
      });
      return tariff;
    });
  }
}
