// Metering and chargeback (issue 10 §5): the hourly job (idempotent, concurrent runners, catch-up within its bound),
// the ledger's state per hour, "used" unknown without a hypervisor, tariffs (history; a past month never rewritten),
// exact chargeback arithmetic on VMs of our own, the XLSX read back, bad input and jurisdiction. Each test meters hours
// of its own far-future month, so tests of other files (and of this one) never share an hour.
import ExcelJS from 'exceljs';
import { sql, type Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.ts';
import type { AuditService } from '../../src/modules/audit/index.ts';
import { meterHour, MeteringService, seedMeteringDemo } from '../../src/modules/metering/index.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { login, testApp, type Client } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser, uniq } from '../support/factories.ts';

let db: Kysely<Database>;
let audit: AuditService;
let admin: Client;
let zone: string;

beforeAll(async () => {
  ({ db } = await testDb());
  const { app, services } = await testApp();
  audit = services.audit as AuditService;
  const user = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
  admin = await login(app, user.username, user.password);
  zone = uniq('mz');
  await db.insertInto('cloud_zone').values({ code: zone, name: '计量测试区', open_to_all: true }).execute();
});

async function department(regionCode = '650502') {
  const dept = await newDepartment(db, { regionCode, name: uniq('计量测试局') });
  const region = await db.selectFrom('region').select('path').where('code', '=', regionCode).executeTakeFirstOrThrow();
  return { ...dept, path: region.path };
}

async function vm(dept: { id: string; region_code: string; path: string }, shape: { vcpus: number; memoryMb: number; diskGb: number; state: string; businessSystemId?: string | null; decommissionedAt?: string }) {
  const name = uniq('mvm');
  const row = await db
    .insertInto('cloud_vm')
    .values({
      domain_name: `gc-${name}`,
      name,
      department_id: dept.id,
      region_code: dept.region_code,
      region_path: dept.path,
      business_system_id: shape.businessSystemId ?? null,
      vcpus: shape.vcpus,
      memory_mb: shape.memoryMb,
      disk_gb: shape.diskGb,
      zone_code: zone,
      state: shape.state as never,
      decommissioned_at: shape.decommissionedAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function businessSystem(dept: { id: string; region_code: string; path: string }, name: string) {
  const row = await db
    .insertInto('cloud_business_system')
    .values({ department_id: dept.id, region_code: dept.region_code, region_path: dept.path, code: uniq('bs'), name })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function meter(at: string) {
  const clock = new ManualClock(at);
  return { clock, service: new MeteringService({ db, clock, audit, probe: null }) };
}

async function hourRows(deptId: string) {
  return db.selectFrom('metering_usage_hour').selectAll().where('department_id', '=', deptId).orderBy('hour').orderBy('vm_id').execute();
}

async function monthRows(deptId: string) {
  return db.selectFrom('metering_usage_month').selectAll().where('department_id', '=', deptId).orderBy('vm_id').execute();
}

const tariff = (effectiveMonth: string, over: Record<string, unknown> = {}) => ({ effectiveMonth, vcpuHour: 0.05, memoryGbHour: 0.02, storageGbHour: 0.0003, stoppedDiscount: 0.5, ...over });

describe('metering: the hourly job', () => {
  it('meters each completed hour once: a second run adds nothing, ten runners at once add one hour once', async () => {
    const dept = await department();
    const running = await vm(dept, { vcpus: 2, memoryMb: 4096, diskGb: 100, state: 'running' });
    const stopped = await vm(dept, { vcpus: 4, memoryMb: 8192, diskGb: 50, state: 'stopped' });
    await vm(dept, { vcpus: 8, memoryMb: 8192, diskGb: 50, state: 'decommissioned', decommissionedAt: '2026-01-01T00:00:00Z' });
    const { clock, service } = meter('2031-01-15T04:10:00Z');
    const first = await service.runHourly({ maxCatchUpHours: 2 });
    expect(first.hours).toEqual(['2031-01-15T02:00:00.000Z', '2031-01-15T03:00:00.000Z']);
    const rows = await hourRows(dept.id);
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.vm_id))).toEqual(new Set([running, stopped]));
    // no hypervisor: "used" is unknown (null), never 0
    expect(rows.every((r) => r.cpu_used === null && r.memory_used_mb === null)).toBe(true);

    const again = await service.runHourly({ maxCatchUpHours: 2 });
    expect(again.hours).toEqual([]);
    expect(await hourRows(dept.id)).toHaveLength(4);

    clock.advance(3_600_000);
    const results = await Promise.all(Array.from({ length: 10 }, () => service.runHourly({ maxCatchUpHours: 2 })));
    expect(results.flatMap((r) => r.hours)).toContain('2031-01-15T04:00:00.000Z');
    const after = await hourRows(dept.id);
    expect(after).toHaveLength(6);
    const keys = after.map((r) => `${r.vm_id}@${new Date(r.hour).toISOString()}`);
    expect(new Set(keys).size).toBe(6);
    // the roll-up counted every hour exactly once
    const months = await monthRows(dept.id);
    expect(months.map((m) => [m.vm_id, m.month, m.hours, m.running_hours])).toEqual(
      [
        [running, '2031-01-01', 3, 3],
        [stopped, '2031-01-01', 3, 0],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const run = months.find((m) => m.vm_id === running)!;
    expect([Number(run.vcpu_h_running), Number(run.mem_gbh_running), Number(run.disk_gbh), Number(run.cpu_known_vcpu_h)]).toEqual([6, 12, 300, 0]);
    const idle = months.find((m) => m.vm_id === stopped)!;
    expect([Number(idle.vcpu_h_idle), Number(idle.mem_gbh_idle), Number(idle.vcpu_h_running)]).toEqual([12, 24, 0]);
  });

  it('fifty concurrent calls for the same hour insert each row once', async () => {
    const dept = await department();
    await vm(dept, { vcpus: 1, memoryMb: 1024, diskGb: 10, state: 'running' });
    const { service } = meter('2031-02-03T10:05:00Z');
    await Promise.all(Array.from({ length: 50 }, () => service.runHourly({ maxCatchUpHours: 1 })));
    expect(await hourRows(dept.id)).toHaveLength(1);
    expect((await monthRows(dept.id))[0]!.hours).toBe(1);
  });

  it('catches up the hours missed during downtime, but no further back than its bound', async () => {
    const dept = await department();
    await vm(dept, { vcpus: 1, memoryMb: 1024, diskGb: 10, state: 'running' });
    const { clock, service } = meter('2031-06-10T00:30:00Z');
    expect((await service.runHourly({ maxCatchUpHours: 1 })).hours).toEqual(['2031-06-09T23:00:00.000Z']);
    clock.set('2031-06-10T10:15:00Z'); // down for ten hours
    const caught = await service.runHourly({ maxCatchUpHours: 168 });
    expect(caught.hours).toHaveLength(10);
    expect(caught.hours[0]).toBe('2031-06-10T00:00:00.000Z');
    expect(caught.hours[9]).toBe('2031-06-10T09:00:00.000Z');
    clock.set('2031-06-11T10:15:00Z'); // down a day, bound 5 hours
    const bounded = await service.runHourly({ maxCatchUpHours: 5 });
    expect(bounded.hours).toEqual(['2031-06-11T05:00:00.000Z', '2031-06-11T06:00:00.000Z', '2031-06-11T07:00:00.000Z', '2031-06-11T08:00:00.000Z', '2031-06-11T09:00:00.000Z']);
    const hours = (await hourRows(dept.id)).map((r) => new Date(r.hour).toISOString());
    expect(hours).toHaveLength(16);
    expect(new Set(hours).size).toBe(16);
    // the month roll-up: 2031-06 in Beijing time holds all sixteen
    expect((await monthRows(dept.id)).map((m) => [m.month, m.hours])).toEqual([['2031-06-01', 16]]);
  });

  it('takes a VM’s state in an hour from its ledger (the state at the hour’s end): stopped hours are not running hours, hours after decommissioning are not metered', async () => {
    const dept = await department();
    const id = await vm(dept, { vcpus: 2, memoryMb: 2048, diskGb: 20, state: 'decommissioned', decommissionedAt: '2031-07-01T05:30:00Z' });
    await db
      .insertInto('cloud_vm_event')
      .values([
        { vm_id: id, seq: 1, action: 'provision', outcome: 'succeeded', state: 'running', detail: '{}', at: '2031-07-01T00:10:00Z' },
        { vm_id: id, seq: 2, action: 'stop', outcome: 'succeeded', state: 'stopped', detail: '{}', at: '2031-07-01T02:30:00Z' },
        { vm_id: id, seq: 3, action: 'decommission', outcome: 'succeeded', state: 'decommissioned', detail: '{}', at: '2031-07-01T05:30:00Z' },
      ])
      .execute();
    const { service } = meter('2031-07-01T08:05:00Z');
    await service.runHourly({ maxCatchUpHours: 8 });
    const rows = await hourRows(dept.id);
    expect(rows.map((r) => [new Date(r.hour).toISOString().slice(11, 13), r.state])).toEqual([
      ['00', 'running'],
      ['01', 'running'],
      ['02', 'stopped'],
      ['03', 'stopped'],
      ['04', 'stopped'],
    ]);
  });
});

describe('metering: used figures', () => {
  it('records what the probe told (clamped to the allocation) beside unknown for the VMs it did not, and computes utilisation over the known hours only', async () => {
    const dept = await department();
    const a = await vm(dept, { vcpus: 4, memoryMb: 4096, diskGb: 10, state: 'running' });
    const b = await vm(dept, { vcpus: 4, memoryMb: 4096, diskGb: 10, state: 'running' });
    await meterHour(db, new Date('2031-09-01T01:00:00Z'), [{ vmId: a, cpu: 0.25, memoryMb: 1024 }]);
    await meterHour(db, new Date('2031-09-01T02:00:00Z'), [{ vmId: a, cpu: 1.7, memoryMb: 2048 }]);
    const rows = await hourRows(dept.id);
    expect(rows.filter((r) => r.vm_id === a).map((r) => [Number(r.cpu_used), r.memory_used_mb])).toEqual([
      [0.25, 1024],
      [1, 2048],
    ]);
    expect(rows.filter((r) => r.vm_id === b).every((r) => r.cpu_used === null && r.memory_used_mb === null)).toBe(true);
    const usage = (await admin.get(`/api/metering/usage?month=2031-09&departmentId=${dept.id}`)).json().rows[0];
    // allocated 2 h × 8 vCPUs; known only for a: busy 4 × 0.25 + 4 × 1 = 5 of 8 vCPU-hours
    expect(usage).toMatchObject({ vcpuHours: 16, vcpuHoursUsed: 5, cpuUtilisation: 62.5, memoryGbHours: 16, memoryGbHoursUsed: 3, memoryUtilisation: 37.5, storageGbHoursUsed: null, storageUtilisation: null });
  });

  it('records a sparse volume’s used storage in MiB with decimals, not rounded to 0 GB, through the roll-up and the report (D121)', async () => {
    const dept = await department();
    const a = await vm(dept, { vcpus: 1, memoryMb: 1024, diskGb: 40, state: 'running' });
    // a fresh qcow2 of 40 GB holds about 200 KiB on the host; an hour later 1.5 GiB
    await meterHour(db, new Date('2031-10-01T01:00:00Z'), [{ vmId: a, cpu: null, memoryMb: null, diskUsedMb: 0.1953125 }]);
    await meterHour(db, new Date('2031-10-01T02:00:00Z'), [{ vmId: a, cpu: null, memoryMb: null, diskUsedMb: 1536 }]);
    const rows = (await hourRows(dept.id)).filter((r) => r.vm_id === a);
    expect(rows.map((r) => Number(r.disk_used_mb))).toEqual([0.195, 1536]);
    const month = await db.selectFrom('metering_usage_month').select(['disk_known_gbh', 'disk_used_gbh']).where('vm_id', '=', a).executeTakeFirstOrThrow();
    expect(Number(month.disk_known_gbh)).toBe(80);
    expect(Number(month.disk_used_gbh)).toBeCloseTo((0.195 + 1536) / 1024, 9);
    const usage = (await admin.get(`/api/metering/usage?month=2031-10&departmentId=${dept.id}`)).json().rows[0];
    expect(usage.storageGbHours).toBe(80);
    expect(usage.storageGbHoursUsed).toBeCloseTo(1.500190, 6);
    expect(usage.storageUtilisation).toBe(1.9);
    // one hour of the sparse volume alone is far below a GB-hour, and still not 0
    await meterHour(db, new Date('2031-11-01T01:00:00Z'), [{ vmId: a, cpu: null, memoryMb: null, diskUsedMb: 0.1953125 }]);
    const tiny = (await admin.get(`/api/metering/usage?month=2031-11&departmentId=${dept.id}`)).json().rows[0];
    expect(tiny.storageGbHoursUsed).toBe(0.00019);
    // the XLSX's usage sheet says it in MiB-hours: 0.195, not 0
    const xlsx = await admin.get('/api/metering/chargeback.xlsx?month=2031-11');
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const lines: unknown[][] = [];
    book.getWorksheet('资源用量')!.eachRow((row) => lines.push((row.values as unknown[]).slice(1)));
    expect(lines[1]![7]).toBe('存储MiB·时（实际使用）');
    const ours = lines.find((l) => l[0] === dept.name)!;
    expect(ours[6]).toBe(40);
    expect(ours[7]).toBe(0.195);
  });
});

describe('metering: tariffs and chargeback', () => {
  it('charges a known fixture to the fen, by department and business system, and the XLSX says the same', async () => {
    const dept = await department();
    const system = await businessSystem(dept, uniq('不动产登记系统'));
    await vm(dept, { vcpus: 2, memoryMb: 4096, diskGb: 100, state: 'running', businessSystemId: system });
    await vm(dept, { vcpus: 4, memoryMb: 8192, diskGb: 50, state: 'stopped' });
    const put = await admin.request('PUT', '/api/metering/tariffs', tariff('2032-03'));
    expect(put.statusCode, put.body).toBe(200);
    const { service } = meter('2032-03-05T10:20:00Z');
    expect((await service.runHourly({ maxCatchUpHours: 10 })).hours).toHaveLength(10);

    const res = await admin.get('/api/metering/chargeback?month=2032-03');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.tariff).toMatchObject({ effectiveMonth: '2032-03', vcpuHour: 0.05, memoryGbHour: 0.02, storageGbHour: 0.0003, stoppedDiscount: 0.5 });
    const mine = report.rows.filter((r: { departmentId: string }) => r.departmentId === dept.id);
    // running: 20 vCPU-h × 0.05 + 40 GB-h × 0.02 = 1.80; storage 1000 GB-h × 0.0003 = 0.30
    // stopped: (40 × 0.05 + 80 × 0.02) × (1 − 0.5) = 1.80; storage 500 × 0.0003 = 0.15
    expect(mine).toEqual([
      expect.objectContaining({ businessSystemId: system, vms: 1, vcpuHoursRunning: 20, memoryGbHoursRunning: 40, storageGbHours: 1000, runningYuan: 1.8, stoppedYuan: 0, storageYuan: 0.3, totalYuan: 2.1 }),
      expect.objectContaining({ businessSystemId: null, vms: 1, vcpuHoursStopped: 40, memoryGbHoursStopped: 80, storageGbHours: 500, runningYuan: 0, stoppedYuan: 1.8, storageYuan: 0.15, totalYuan: 1.95 }),
    ]);
    expect(report.departments.find((d: { departmentId: string }) => d.departmentId === dept.id).totalYuan).toBe(4.05);

    const usage = (await admin.get(`/api/metering/usage?month=2032-03&departmentId=${dept.id}`)).json();
    expect(usage.rows).toEqual([
      expect.objectContaining({ departmentId: dept.id, vms: 2, hours: 20, vcpuHours: 60, memoryGbHours: 120, storageGbHours: 1500, vcpuHoursUsed: null, cpuUtilisation: null }),
    ]);

    const xlsx = await admin.get('/api/metering/chargeback.xlsx?month=2032-03');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.headers['content-disposition']).toContain('chargeback-2032-03.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('计费明细')!;
    const lines: unknown[][] = [];
    sheet.eachRow((row) => lines.push((row.values as unknown[]).slice(1)));
    expect(lines[1]).toContain('合计（元）');
    const ours = lines.filter((l) => l[0] === dept.name);
    expect(ours.map((l) => l[11])).toEqual([2.1, 1.95]);
    expect(ours[1]![1]).toBe('（未关联业务系统）');
    expect(lines.at(-1)![0]).toBe('合计');
    expect(lines.at(-1)![11]).toBe(report.totalYuan);
    const rates = book.getWorksheet('资费')!;
    expect(rates.getRow(3).values).toEqual([undefined, 'vCPU（元/核·时）', 0.05]);
    const exported = await db.selectFrom('audit_log').select('detail').where('action', '=', 'metering.export').orderBy('seq', 'desc').limit(5).execute();
    expect(exported.some((e) => (e.detail as { month?: string }).month === '2032-03')).toBe(true);
  });

  it('keeps a past month’s amounts when the tariff changes, and refuses a tariff for a past month', async () => {
    const dept = await department();
    await vm(dept, { vcpus: 1, memoryMb: 1024, diskGb: 10, state: 'running' });
    expect((await admin.request('PUT', '/api/metering/tariffs', tariff('2033-01', { vcpuHour: 0.1, memoryGbHour: 0, storageGbHour: 0 }))).statusCode).toBe(200);
    await meter('2033-01-10T02:10:00Z').service.runHourly({ maxCatchUpHours: 2 });
    const january = async () => (await admin.get('/api/metering/chargeback?month=2033-01')).json().departments.find((d: { departmentId: string }) => d.departmentId === dept.id).totalYuan;
    expect(await january()).toBe(0.2);
    const change = await admin.request('PUT', '/api/metering/tariffs', tariff('2033-02', { vcpuHour: 1, memoryGbHour: 0, storageGbHour: 0, note: '调价' }));
    expect(change.statusCode, change.body).toBe(200);
    await meter('2033-02-10T02:10:00Z').service.runHourly({ maxCatchUpHours: 3 });
    expect(await january()).toBe(0.2);
    const february = (await admin.get('/api/metering/chargeback?month=2033-02')).json();
    expect(february.tariff.vcpuHour).toBe(1);
    expect(february.departments.find((d: { departmentId: string }) => d.departmentId === dept.id).totalYuan).toBe(3);

    const history = (await admin.get('/api/metering/tariffs')).json();
    expect(history.history.map((t: { effectiveMonth: string }) => t.effectiveMonth)).toEqual(expect.arrayContaining(['2033-01', '2033-02', '2000-01']));
    const audited = await db.selectFrom('audit_log').select('detail').where('action', '=', 'metering.tariff.set').where('object_id', '=', change.json().id).execute();
    expect(audited).toHaveLength(1);

    const past = await admin.request('PUT', '/api/metering/tariffs', tariff('2020-01'));
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({ code: 'metering.past_month', field: 'effectiveMonth' });
    const negative = await admin.request('PUT', '/api/metering/tariffs', tariff('2034-01', { vcpuHour: -1 }));
    expect(negative.statusCode).toBe(400);
    expect(JSON.stringify(negative.json())).toContain('vcpuHour');
    const count = await db.selectFrom('metering_tariff').select((eb) => eb.fn.countAll<string>().as('n')).where('effective_month', 'in', ['2020-01-01', '2034-01-01']).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('keeps every one of 20 concurrent tariff changes in the history, each audited, and charges by the last', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => admin.request('PUT', '/api/metering/tariffs', tariff('2037-01', { vcpuHour: 0.01 * (i + 1), note: `并发${i}` }))));
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    const ids = results.map((r) => r.json().id as string);
    expect(new Set(ids).size).toBe(20);
    const audited = await db.selectFrom('audit_log').select('object_id').where('action', '=', 'metering.tariff.set').where('object_id', 'in', ids).execute();
    expect(audited).toHaveLength(20);
    const newest = ids.map(Number).sort((a, b) => b - a)[0];
    expect((await admin.get('/api/metering/chargeback?month=2037-01')).json().tariff.id).toBe(String(newest));
  });

  it('answers a bad month with 400 naming month, never 500', async () => {
    for (const month of ['2026-13', '2026-1', 'abc', '0999-01', '2026-00']) {
      for (const path of ['usage', 'chargeback', 'chargeback.xlsx']) {
        const res = await admin.get(`/api/metering/${path}?month=${encodeURIComponent(month)}`);
        expect(res.statusCode, `${path} ${month}: ${res.body}`).toBe(400);
        expect(JSON.stringify(res.json())).toContain('month');
      }
    }
    expect((await admin.get('/api/metering/chargeback')).statusCode).toBe(400);
    expect((await admin.get('/api/metering/usage?month=2026-11&departmentId=nope')).statusCode).toBe(400);
  });
});

describe('metering: jurisdiction', () => {
  it('shows a department administrator their own department only, a county leader their county only, and refuses staff and tariff changes by non-managers', async () => {
    const { app } = await testApp();
    const mine = await department('650502');
    const neighbour = await department('650502');
    const far = await department('650521');
    for (const d of [mine, neighbour, far]) await vm(d, { vcpus: 1, memoryMb: 1024, diskGb: 10, state: 'running' });
    await meter('2034-03-02T03:10:00Z').service.runHourly({ maxCatchUpHours: 1 });
    const [deptAdmin, leader, staff] = await Promise.all([
      newUser(db, { departmentId: mine.id, grants: [{ role: 'department_admin', regionCode: '650502' }] }),
      newUser(db, { departmentId: neighbour.id, grants: [{ role: 'leader', regionCode: '650502' }] }),
      newUser(db, { departmentId: mine.id, grants: [{ role: 'department_staff', regionCode: '650502' }] }),
    ]);
    const ids = (rows: { departmentId: string }[]) => rows.map((r) => r.departmentId).filter((id) => [mine.id, neighbour.id, far.id].includes(id));
    const asAdmin = await login(app, deptAdmin.username, deptAdmin.password);
    expect(ids((await asAdmin.get('/api/metering/usage?month=2034-03')).json().rows)).toEqual([mine.id]);
    expect(ids((await asAdmin.get('/api/metering/chargeback?month=2034-03')).json().rows)).toEqual([mine.id]);
    // asking for another department's figures by id gives nothing, not its figures
    expect((await asAdmin.get(`/api/metering/usage?month=2034-03&departmentId=${neighbour.id}`)).json().rows).toEqual([]);
    const asLeader = await login(app, leader.username, leader.password);
    expect(new Set(ids((await asLeader.get('/api/metering/chargeback?month=2034-03')).json().rows))).toEqual(new Set([mine.id, neighbour.id]));
    expect((await asLeader.request('PUT', '/api/metering/tariffs', tariff('2035-01'))).statusCode).toBe(403);
    expect((await asAdmin.request('PUT', '/api/metering/tariffs', tariff('2035-01'))).statusCode).toBe(403);
    const asStaff = await login(app, staff.username, staff.password);
    expect((await asStaff.get('/api/metering/chargeback?month=2034-03')).statusCode).toBe(403);
    expect(new Set(ids((await admin.get('/api/metering/usage?month=2034-03')).json().rows))).toEqual(new Set([mine.id, neighbour.id, far.id]));
  });
});

describe('metering: demo', () => {
  it('writes the previous month and this month to date for the VMs there are, once, with "used" below allocated', async () => {
    const dept = await department();
    const running = await vm(dept, { vcpus: 2, memoryMb: 4096, diskGb: 100, state: 'running' });
    const clock = new ManualClock('2036-05-03T00:30:00+08:00'); // Beijing 3 May: April and 2 days of May
    const first = await seedMeteringDemo(db, clock);
    expect(first.rows).toBeGreaterThan(0);
    const rows = await db.selectFrom('metering_usage_hour').select(['hour', 'cpu_used', 'memory_used_mb']).where('vm_id', '=', running).execute();
    expect(rows).toHaveLength(30 * 24 + 2 * 24);
    expect(rows.every((r) => Number(r.cpu_used) > 0 && Number(r.cpu_used) < 1 && r.memory_used_mb! < 4096)).toBe(true);
    const months = await monthRows(dept.id);
    expect(months.map((m) => [m.month, m.hours])).toEqual([
      ['2036-04-01', 720],
      ['2036-05-01', 48],
    ]);
    expect((await seedMeteringDemo(db, clock)).rows).toBe(0);
    const usage = (await admin.get(`/api/metering/usage?month=2036-04&departmentId=${dept.id}`)).json().rows[0];
    expect(usage.cpuUtilisation).toBeGreaterThan(0);
    expect(usage.cpuUtilisation).toBeLessThan(100);
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM metering_usage_hour WHERE vm_id = ${running}`.execute(db);
    expect(count.rows[0]!.n).toBe(768);
  });

  it('keeps the hours the scheduled metering wrote before the demo, and writes the others', async () => {
    const dept = await department();
    const running = await vm(dept, { vcpus: 2, memoryMb: 4096, diskGb: 100, state: 'running' });
    const metered = new Date('2037-02-10T04:00:00Z');
    await meterHour(db, metered, [{ vmId: running, cpu: 0.9, memoryMb: 4000 }]);
    const clock = new ManualClock('2037-03-02T00:30:00+08:00'); // Beijing 2 March: February and 1 day of March
    expect((await seedMeteringDemo(db, clock)).rows).toBeGreaterThan(0);
    const rows = await db.selectFrom('metering_usage_hour').select(['hour', 'cpu_used', 'memory_used_mb']).where('vm_id', '=', running).orderBy('hour').execute();
    expect(rows).toHaveLength(28 * 24 + 24);
    const kept = rows.find((r) => new Date(r.hour).getTime() === metered.getTime())!;
    expect([Number(kept.cpu_used), kept.memory_used_mb]).toEqual([0.9, 4000]);
    // the demo's own figures elsewhere: a daily curve (same hour of day, same figure), memory below the scheduled sample
    const others = rows.filter((r) => r !== kept);
    expect(others.every((r) => Number(r.cpu_used) > 0 && Number(r.cpu_used) < 0.9 && r.memory_used_mb! < 4000)).toBe(true);
    const at = (iso: string) => Number(others.find((r) => new Date(r.hour).getTime() === Date.parse(iso))!.cpu_used);
    expect(at('2037-02-03T05:00:00Z')).toBe(at('2037-02-20T05:00:00Z'));
    expect(at('2037-02-03T05:00:00Z')).not.toBe(at('2037-02-03T17:00:00Z'));
    const months = await monthRows(dept.id);
    expect(months.map((m) => [m.month, m.hours]).sort()).toEqual([
      ['2037-02-01', 672],
      ['2037-03-01', 24],
    ]);
  });
});
