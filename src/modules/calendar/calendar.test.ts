// The calendar API on the real app and database: status, deadlines, the coverage guard, loading a year (audited),
// bad input, two loads at once, and a second node seeing a year loaded on the first.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, signedInWith, testApp, testConfig, type Client } from '../../../test/support/app.ts';
import { forgetYearsAfter2026, testDb } from '../../../test/support/db.ts';
import { newUser } from '../../../test/support/factories.ts';
import { ManualClock } from '../../platform/clock.ts';
import { calendarModule } from './module.ts';
import { CalendarService } from './service.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: Awaited<ReturnType<typeof testApp>>['app'];
let services: Awaited<ReturnType<typeof testApp>>['services'];
let admin: Client;
let adminId: string;

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app, services } = await testApp());
  await forgetYearsAfter2026(db);
  await services.calendar.refresh();
  const user = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
  adminId = user.id;
  admin = await login(app, user.username, user.password);
});

/** A made-up 2027 (the State Council has not published it): 元旦 1-01..03, 春节 2-06..12 with 2-14 worked. */
const year2027 = {
  year: 2027,
  holidays: [
    { from: '2027-01-01', to: '2027-01-03', name: '元旦' },
    { from: '2027-02-06', to: '2027-02-12', name: '春节' },
  ],
  workdays: [{ date: '2027-02-14', name: '春节' }],
};

const version = async () => (await db.selectFrom('calendar_state').select('version').executeTakeFirstOrThrow()).version;

describe('calendar API', () => {
  it('ships 2004–2026 from chinese-days and says where coverage ends', async () => {
    const res = await admin.get('/api/calendar');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.years.map((y: { year: number }) => y.year)).toEqual(expect.arrayContaining([2004, 2025, 2026]));
    expect(body.years.find((y: { year: number }) => y.year === 2026)).toMatchObject({ source: 'package', holidays: 33, workdays: 6 });
    expect(body).toMatchObject({ canManage: true });
    const staff = await signedInWith([{ role: 'department_staff', regionCode: '650502' }]);
    expect((await staff.get('/api/calendar')).json()).toMatchObject({ canManage: false, alerts: [] });
    expect((await app.inject({ method: 'GET', url: '/api/calendar' })).statusCode).toBe(401);
  });

  it('computes a deadline, provisional past the loaded years, with an alert until the year is loaded', async () => {
    const before = await admin.get('/api/calendar/add?date=2026-12-24&n=10');
    expect(before.json()).toEqual({ date: '2027-01-07', provisional: true });
    await services.calendar.flushAlerts();
    const alerts = (await admin.get('/api/calendar')).json().alerts;
    expect(alerts).toEqual([expect.objectContaining({ year: 2027, furthest: '2027-01-07' })]);
    // and each administrator gets one 站内信 about it, however often the year is reached again
    await admin.get('/api/calendar/add?date=2026-12-30&n=3');
    await services.calendar.flushAlerts();
    const told = (await admin.get('/api/inbox')).json().items.filter((m: { kind: string }) => m.kind === 'calendar.coverage');
    expect(told).toEqual([expect.objectContaining({ title: '2027 年节假日安排尚未载入', link: '/calendar' })]);
    expect((await admin.get('/api/calendar')).json().alerts[0].computations).toBe(2);

    const loaded = await admin.post('/api/calendar/years', year2027);
    expect(loaded.statusCode).toBe(201);
    expect(loaded.json()).toMatchObject({ year: 2027, source: 'admin', holidays: 10, workdays: 1 });
    // 元旦 2027 is off now: one working day later
    expect((await admin.get('/api/calendar/add?date=2026-12-24&n=10')).json()).toEqual({ date: '2027-01-08', provisional: false });
    expect(services.calendar.addWorkingDays('2027-02-05', 1)).toEqual({ date: '2027-02-14', provisional: false });
    const status = (await admin.get('/api/calendar')).json();
    expect(status.alerts).toEqual([]);
    expect(status.coverageEnds).toBe('2027-12-31');
    expect(status.endingSoon).toBe(status.daysLeft <= 60);
    const record = await db.selectFrom('audit_log').selectAll().where('action', '=', 'calendar.load').where('object_id', '=', '2027').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(record).toMatchObject({ actor_id: adminId, outcome: 'success', detail: { year: 2027, holidays: 10, workdays: 1, replaced: null } });
    const days = (await admin.get('/api/calendar/years/2027')).json().days;
    expect(days).toHaveLength(11);
    expect(days[0]).toEqual({ date: '2027-01-01', kind: 'holiday', name: '元旦' });
  });

  it('refuses to load a year twice unless replacing, and refuses staff', async () => {
    const body = { year: 2031, holidays: [{ date: '2031-01-01', name: '元旦' }], workdays: [] };
    expect((await admin.post('/api/calendar/years', body)).statusCode).toBe(201);
    const again = await admin.post('/api/calendar/years', body);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'calendar.year_loaded', field: 'year' });
    const fixed = await admin.post('/api/calendar/years', { ...body, holidays: [{ from: '2031-01-01', to: '2031-01-02', name: '元旦' }], replace: true });
    expect(fixed.statusCode).toBe(201);
    expect(fixed.json()).toMatchObject({ holidays: 2 });
    const staff = await signedInWith([{ role: 'department_admin', regionCode: '650502' }]);
    const refused = await staff.post('/api/calendar/years', { ...body, replace: true });
    expect(refused.statusCode).toBe(403);
    expect((await admin.get('/api/calendar/years/2031')).json().days).toHaveLength(2);
  });

  it.each([
    [{ year: 2032, holidays: [{ date: '2033-01-01', name: '元旦' }], workdays: [] }, 'calendar.date_outside_year', 'holidays/0/date'],
    [{ year: 2032, holidays: [{ date: '2032-02-30', name: '春节' }], workdays: [] }, 'calendar.invalid_date', 'holidays/0/date'],
    [{ year: 2032, holidays: [{ from: '2032-02-10', to: '2032-02-12', name: '春节' }], workdays: [{ date: '2032-02-11', name: '春节' }] }, 'calendar.holiday_and_workday', 'workdays/0/date'],
    [{ year: 2032, holidays: [{ date: '2032-01-01', name: '元旦' }, { date: '2032-01-01', name: '元旦' }], workdays: [] }, 'calendar.duplicate_date', 'holidays/1/date'],
    [{ year: 2032, holidays: [{ date: '2032-01-01', name: '元旦' }], workdays: [{ date: '2032-01-05', name: '元旦' }] }, 'calendar.workday_not_weekend', 'workdays/0/date'],
    [{ year: 2032, holidays: [{ from: '2032-01-03', to: '2032-01-01', name: '元旦' }], workdays: [] }, 'calendar.invalid_range', 'holidays/0/to'],
    [{ year: 2032, holidays: [{ date: '2032-01-01', name: '<b>' }], workdays: [] }, 'calendar.invalid_name', 'holidays/0/name'],
    [{ year: 2032, holidays: [], workdays: [] }, 'request.invalid', 'holidays'],
    [{ year: 1999, holidays: [{ date: '1999-01-01', name: '元旦' }], workdays: [] }, 'request.invalid', 'year'],
  ])('refuses a bad schedule without writing anything (%#)', async (body, code, field) => {
    const v = await version();
    const res = await admin.post('/api/calendar/years', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code, field });
    expect(await db.selectFrom('calendar_year').select('year').where('year', 'in', [1999, 2032]).execute()).toEqual([]);
    expect(await version()).toBe(v);
  });

  it('loads a CSV file’s text and refuses a malformed one', async () => {
    const csv = 'date,kind,name\n2034-01-01,holiday,元旦\n2034-01-02,休,元旦\n2034-01-07,班,元旦\n';
    const res = await admin.post('/api/calendar/years/import', { text: csv });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ year: 2034, holidays: 2, workdays: 1 });
    const bad = await admin.post('/api/calendar/years/import', { text: 'date,kind,name\n2035-01-01,party,元旦\n' });
    expect(bad.json()).toMatchObject({ code: 'calendar.invalid_kind', field: 'line 2' });
    const notJson = await admin.post('/api/calendar/years/import', { text: '{"year": 2035, "holidays": [' });
    expect(notJson.json()).toMatchObject({ code: 'calendar.invalid_file' });
  });

  it('loads a year once when two administrators load it at the same moment', async () => {
    const body = { year: 2036, holidays: [{ date: '2036-01-01', name: '元旦' }], workdays: [] };
    const results = await Promise.all([admin.post('/api/calendar/years', body), admin.post('/api/calendar/years', body)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const records = await db.selectFrom('audit_log').select('seq').where('action', '=', 'calendar.load').where('object_id', '=', '2036').execute();
    expect(records).toHaveLength(1);
  });

  it('is seen by another node after it refreshes (version check)', async () => {
    const other = new CalendarService(db, services.audit, new ManualClock(), () => undefined);
    await other.refresh();
    expect(other.addWorkingDays('2038-01-01', 1).provisional).toBe(true);
    await admin.post('/api/calendar/years', { year: 2038, holidays: [{ date: '2038-01-01', name: '元旦' }], workdays: [] });
    expect(await other.refresh()).toBe(true);
    expect(other.addWorkingDays('2037-12-31', 1)).toEqual({ date: '2038-01-04', provisional: false });
    expect(await other.refresh()).toBe(false);
  });

  it('is picked up by a running node’s poller within seconds', async () => {
    const other = new CalendarService(db, services.audit, new ManualClock(), () => undefined);
    const work = await calendarModule.start!({ db, config: testConfig(), clock: new ManualClock(), services: {}, service: other });
    try {
      expect(other.loadedYears).not.toContain(2039);
      await admin.post('/api/calendar/years', { year: 2039, holidays: [{ date: '2039-01-03', name: '元旦' }], workdays: [] });
      await expect.poll(() => other.loadedYears, { timeout: 8000, interval: 200 }).toContain(2039);
      expect(other.isWorkingDay('2039-01-03')).toBe(false); // a Monday, off in this made-up schedule
    } finally {
      await work.stop();
    }
  });

  it('answers bad computation input with 400 naming the field', async () => {
    expect((await admin.get('/api/calendar/add?date=2026-02-30&n=1')).json()).toMatchObject({ code: 'calendar.out_of_range', field: 'date' });
    expect((await admin.get('/api/calendar/add?date=2026-02-01&n=x')).json()).toMatchObject({ code: 'request.invalid', field: 'n' });
    expect((await admin.get('/api/calendar/years/2050')).statusCode).toBe(404);
  });
});

describe('after-hours audit alerts use the calendar', () => {
  it('treats a holiday as a rest day and a 调休 Saturday as a working day', async () => {
    const reader = `holiday${Date.now()}`;
    const auditor = await signedInWith([{ role: 'auditor', regionCode: '6505' }]);
    const { appendAudit } = await import('../audit/repository.ts');
    const at = (iso: string) =>
      db.transaction().execute((trx) =>
        appendAudit(trx, { at: new Date(iso), actorId: null, actorName: reader, role: 'department_staff', departmentId: null, action: 'user.read', objectType: 'user', objectId: null, regionCode: '6505', outcome: 'success', clientAddr: null, requestId: null, detail: null }),
      );
    await at('2026-10-02T02:00:00Z'); // Fri 10:00, 国庆: rest day
    await at('2026-10-10T02:00:00Z'); // Sat 10:00, 调休 make-up workday
    await at('2026-10-12T02:00:00Z'); // Mon 10:00, ordinary working day
    const body = (await auditor.get(`/api/audit/alerts?person=${reader}`)).json();
    expect(body.items.map((i: { at: string }) => i.at)).toEqual(['2026-10-02T02:00:00.000Z']);
  });
});
