// Grid work through the API on a ManualClock: the worker's area (grid, else community) with masked residents, due
// visits, idempotent visits (retries and concurrent retries make one), photos (type, size, owner), incidents through
// dispatch (working-day deadline, concurrent dispatches: one wins) to conclusion or return, illegal transitions (409),
// the to-do lists, and bad input with nothing written.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.ts';
import type { App } from '../../http/types.ts';
import { ManualClock } from '../../platform/clock.ts';
import { login, testConfig, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser, uniq } from '../../../test/support/factories.ts';
import { COMMUNITY_A, COMMUNITY_B, newGrid, newHousehold, newResident } from '../../../test/support/community-factories.ts';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES, VISIT_KINDS } from './kinds.ts';
import { IncidentCategory, IncidentStatus, VisitKind } from './schema.ts';

type User = Awaited<ReturnType<typeof newUser>>;
let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: App;
// a Friday
const clock = new ManualClock('2026-11-27T10:00:00+08:00');
const STREET = '650502001';
let gridWorker: User;
let communityWorker: User;
let streetStaff: User;
let handler: User;
let farHandler: User;
let bureau: { id: string; name: string };
let farBureau: { id: string; name: string };
let inGrid: Awaited<ReturnType<typeof newResident>>;
let outsideGrid: Awaited<ReturnType<typeof newResident>>;
let otherCommunity: Awaited<ReturnType<typeof newResident>>;

const as = (user: User): Promise<Client> => login(app, user.username, user.password);
const key = () => uniq('k-').padEnd(12, '0');
const count = async (table: 'gridwork_visit' | 'gridwork_incident', column: string, value: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${value}`.execute(db)).rows[0]!.n;
const inbox = async (userId: string, kind: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM inbox_message WHERE recipient_id = ${userId} AND kind = ${kind}`.execute(db)).rows[0]!.n;
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 3)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 0)]);
const upload = (client: Client, ownerKind: string, ownerId: string, name: string, body: Buffer) =>
  app.inject({
    method: 'POST',
    url: `/api/files?${new URLSearchParams({ ownerKind, ownerId, use: 'photo', name }).toString()}`,
    headers: { cookie: client.session!.cookie, 'x-csrf-token': client.session!.csrfToken, 'content-type': 'application/octet-stream' },
    payload: body,
  });

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app } = await buildApp({ db, config: testConfig({ sessionIdleMinutes: 6000 }), serveWeb: false, clock }));
  const committee = await newDepartment(db, { regionCode: COMMUNITY_A });
  const streetOffice = await newDepartment(db, { regionCode: STREET });
  bureau = await newDepartment(db, { regionCode: '650502', name: `城管局${uniq()}` });
  farBureau = await newDepartment(db, { regionCode: '650521' });
  gridWorker = await newUser(db, { departmentId: committee.id, phone: '13900003333', grants: [{ role: 'community_worker', regionCode: COMMUNITY_A }] });
  communityWorker = await newUser(db, { departmentId: committee.id, grants: [{ role: 'community_worker', regionCode: COMMUNITY_A }] });
  streetStaff = await newUser(db, { departmentId: streetOffice.id, grants: [{ role: 'department_staff', regionCode: STREET }] });
  handler = await newUser(db, { departmentId: bureau.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  farHandler = await newUser(db, { departmentId: farBureau.id, grants: [{ role: 'department_staff', regionCode: '650521' }] });
  const grid = await newGrid(db, { communityCode: COMMUNITY_A });
  await db.insertInto('community_grid_worker').values({ grid_id: grid.id, user_id: gridWorker.id }).execute();
  const household = await newHousehold(db, { communityCode: COMMUNITY_A, gridId: grid.id, address: '建国北路 1 号' });
  inGrid = await newResident(db, { communityCode: COMMUNITY_A, gridId: grid.id, householdId: household.id, relation: 'head', phone: '13912345678' });
  outsideGrid = await newResident(db, { communityCode: COMMUNITY_A });
  otherCommunity = await newResident(db, { communityCode: COMMUNITY_B });
  await db
    .insertInto('community_resident_label')
    .values([inGrid, outsideGrid, otherCommunity].map((r) => ({ resident_id: r.id, label_code: 'elderly_alone', added_by: null })))
    .execute();
});

afterAll(async () => app?.close());

describe('the schema and the enumerations', () => {
  it('list the same values', () => {
    const values = (u: { anyOf: { const: string }[] }) => u.anyOf.map((l) => l.const);
    expect(values(VisitKind as never)).toEqual([...VISIT_KINDS]);
    expect(values(IncidentCategory as never)).toEqual([...INCIDENT_CATEGORIES]);
    expect(values(IncidentStatus as never)).toEqual([...INCIDENT_STATUSES]);
  });
});

describe('my grid', () => {
  it('shows a worker with a grid that grid only, and one without the whole community, masked', async () => {
    const worker = await as(gridWorker);
    const area = (await worker.get('/api/gridwork/area')).json();
    expect(area.wholeCommunity).toBe(false);
    expect(area.grids).toHaveLength(1);
    expect(area.counts).toMatchObject({ residents: 1, households: 1 });
    const residents = (await worker.get('/api/gridwork/area/residents')).json();
    expect(residents.items.map((r: { id: string }) => r.id)).toEqual([inGrid.id]);
    expect(residents.items[0]).toMatchObject({ idNumber: `${inGrid.id_number.slice(0, 6)}********${inGrid.id_number.slice(-4)}`, phone: '139****5678', labels: ['elderly_alone'] });
    const households = (await worker.get('/api/gridwork/area/households')).json();
    expect(households.items).toHaveLength(1);
    expect(households.items[0]).toMatchObject({ memberCount: 1, headName: inGrid.name });

    const whole = await as(communityWorker);
    expect((await whole.get('/api/gridwork/area')).json().wholeCommunity).toBe(true);
    // by each resident's own name: other tests and the demo put any number of residents in this community
    const found = async (r: { name: string }) => (await whole.get(`/api/gridwork/area/residents?q=${encodeURIComponent(r.name)}`)).json().items.map((x: { id: string }) => x.id);
    expect(await found(inGrid)).toEqual([inGrid.id]);
    expect(await found(outsideGrid)).toEqual([outsideGrid.id]);
    expect(await found(otherCommunity)).toEqual([]);
  });

  it('is closed to those without grid work', async () => {
    const staff = await as(farHandler);
    expect((await staff.get('/api/gridwork/area')).statusCode).toBe(403);
  });
});

describe('visits', () => {
  it('lists residents due, records a visit once however often it is sent, and the due list follows', async () => {
    const worker = await as(gridWorker);
    const due = (await worker.get('/api/gridwork/visits/due')).json();
    expect(due.items.map((d: { residentId: string }) => d.residentId)).toEqual([inGrid.id]);
    expect(due.items[0]).toMatchObject({ lastVisitAt: null, intervalDays: 30, overdueDays: null });
    const todo = (await worker.get('/api/todo')).json();
    expect(todo.items.some((t: { kind: string; id: string }) => t.kind === 'gridwork.visit_due' && t.id === inGrid.id)).toBe(true);

    const body = { residentId: inGrid.id, kind: 'home', notes: '身体状况良好', latitude: 42.83, longitude: 93.51, clientKey: key() };
    const first = await worker.post('/api/gridwork/visits', body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await worker.post('/api/gridwork/visits', body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    // a flaky network: the same submission three times at once
    const k = key();
    const racing = await Promise.all([1, 2, 3].map(() => worker.post('/api/gridwork/visits', { ...body, clientKey: k })));
    expect(racing.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(await count('gridwork_visit', 'client_key', k)).toBe(1);
    const mismatch = await worker.post('/api/gridwork/visits', { ...body, residentId: outsideGrid.id });
    expect(mismatch.statusCode).toBe(409);
    expect(mismatch.json().code).toBe('gridwork.idempotency_mismatch');
    const audit = await db.selectFrom('audit_log').select('action').where('object_id', '=', first.json().id).execute();
    expect(audit.map((a) => a.action)).toEqual(['gridwork.visit.create']);

    expect((await worker.get('/api/gridwork/visits/due')).json().total).toBe(0);
    clock.advance(31 * 86_400_000);
    try {
      const later = (await (await as(gridWorker)).get('/api/gridwork/visits/due')).json();
      expect(later.items[0]).toMatchObject({ residentId: inGrid.id, overdueDays: 1 });
    } finally {
      clock.advance(-31 * 86_400_000);
    }
    const listed = (await worker.get(`/api/gridwork/visits?residentId=${inGrid.id}`)).json();
    expect(listed.items.length).toBe(2);
  });

  it('refuses residents outside the grid or community, future times and half locations, writing nothing', async () => {
    const worker = await as(gridWorker);
    const whole = await as(communityWorker);
    for (const [client, resident] of [
      [worker, outsideGrid],
      [worker, otherCommunity],
      [whole, otherCommunity],
    ] as const) {
      const res = await client.post('/api/gridwork/visits', { residentId: resident.id, kind: 'phone', clientKey: key() });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'gridwork.resident_not_found', field: 'residentId' });
      expect(await count('gridwork_visit', 'resident_id', resident.id)).toBe(0);
    }
    const future = await worker.post('/api/gridwork/visits', { residentId: inGrid.id, kind: 'home', visitedAt: '2026-11-28T10:00:00+08:00', clientKey: key() });
    expect(future.json()).toMatchObject({ code: 'gridwork.invalid_time', field: 'visitedAt' });
    const half = await worker.post('/api/gridwork/visits', { residentId: inGrid.id, kind: 'home', latitude: 42.8, clientKey: key() });
    expect(half.json()).toMatchObject({ code: 'gridwork.invalid_location', field: 'longitude' });
    const kind = await worker.post('/api/gridwork/visits', { residentId: inGrid.id, kind: 'visit', clientKey: key() });
    expect(kind.statusCode).toBe(400);
    expect(kind.json().field).toContain('kind');
  });

  it('takes photos: images only, within the size limit, from the visitor; read by those who see the visit', async () => {
    const worker = await as(gridWorker);
    const visit = (await worker.post('/api/gridwork/visits', { residentId: inGrid.id, kind: 'home', clientKey: key() })).json();
    const ok = await upload(worker, 'gridwork.visit', visit.id, '走访.jpg', JPEG);
    expect(ok.statusCode, ok.body).toBe(201);
    const pdf = await upload(worker, 'gridwork.visit', visit.id, '走访.pdf', PDF);
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json().code).toBe('file.unsupported_type');
    const exe = await upload(worker, 'gridwork.visit', visit.id, 'photo.jpg', EXE);
    expect(exe.statusCode).toBe(415);
    const big = await upload(worker, 'gridwork.visit', visit.id, 'big.jpg', Buffer.concat([JPEG, Buffer.alloc(8 * 1024 * 1024)]));
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('file.too_large');
    // another worker of the community sees the visit's photos but cannot add to it
    const whole = await as(communityWorker);
    expect((await upload(whole, 'gridwork.visit', visit.id, 'x.jpg', JPEG)).statusCode).toBe(404);
    expect((await whole.get(`/api/files?ownerKind=gridwork.visit&ownerId=${visit.id}`)).json().items).toHaveLength(1);
    expect((await (await as(farHandler)).get(`/api/files/${ok.json().id}/content`)).statusCode).toBe(404);
    const files = await db.selectFrom('file_record').select('id').where('owner_id', '=', visit.id).execute();
    expect(files).toHaveLength(1);
  });
});

describe('incidents', () => {
  const report = (client: Client, over: Record<string, unknown> = {}) =>
    client.post('/api/gridwork/incidents', { category: 'safety_hazard', description: '楼道堆放杂物，存在火灾隐患', address: '建国北路 1 号楼 2 单元', latitude: 42.82, longitude: 93.5, clientKey: key(), ...over });

  it('goes from report through dispatch (working-day deadline, one of two racing dispatches) to conclusion, telling the reporter', async () => {
    const worker = await as(gridWorker);
    const k = key();
    const created = await report(worker, { clientKey: k });
    expect(created.statusCode, created.body).toBe(201);
    const incident = created.json();
    expect(incident).toMatchObject({ status: 'reported', street: { code: STREET }, community: { code: COMMUNITY_A }, abilities: ['attach'] });
    expect((await report(worker, { clientKey: k })).statusCode).toBe(200);
    expect(await count('gridwork_incident', 'client_key', k)).toBe(1);
    expect((await upload(worker, 'gridwork.incident', incident.id, '现场.jpg', JPEG)).statusCode).toBe(201);

    const street = await as(streetStaff);
    const toDispatch = (await street.get('/api/gridwork/incidents?view=dispatch')).json().items;
    expect(toDispatch.find((i: { id: string }) => i.id === incident.id)).toMatchObject({ abilities: ['dispatch'] });
    expect((await street.get('/api/todo')).json().items.some((t: { id: string }) => t.id === incident.id)).toBe(true);
    // the list is capped, and the run's shared database holds many departments: look each one up by name
    const options = async (name: string) =>
      (await street.get(`/api/gridwork/incidents/${incident.id}/departments?q=${encodeURIComponent(name)}`)).json().items.map((d: { id: string }) => d.id);
    expect(await options(bureau.name)).toContain(bureau.id);
    expect(await options(farBureau.name)).not.toContain(farBureau.id);
    const [a, b] = await Promise.all([
      street.post(`/api/gridwork/incidents/${incident.id}/dispatch`, { departmentId: bureau.id, workingDays: 5 }),
      street.post(`/api/gridwork/incidents/${incident.id}/dispatch`, { departmentId: bureau.id, workingDays: 3 }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json()).toMatchObject({ code: 'gridwork.invalid_transition', field: 'status' });
    expect(loser.json().detail).toContain('dispatched');
    const dispatched = (a.statusCode === 200 ? a : b).json();
    // Friday + 5 or 3 working days
    expect(['2026-12-04', '2026-12-02']).toContain(dispatched.deadline);
    expect(dispatched).toMatchObject({ status: 'dispatched', department: { id: bureau.id }, deadlineProvisional: false, overdue: false });
    expect(await inbox(gridWorker.id, 'gridwork.incident.dispatch')).toBe(1);
    expect(await inbox(handler.id, 'gridwork.incident.assigned')).toBe(1);

    const dept = await as(handler);
    const todo = (await dept.get('/api/todo')).json().items.find((t: { id: string }) => t.id === incident.id);
    expect(todo).toMatchObject({ kind: 'gridwork.incident_handle', deadline: dispatched.deadline });
    expect((await dept.get(`/api/files?ownerKind=gridwork.incident&ownerId=${incident.id}`)).json().items).toHaveLength(1);
    // overdue is derived from the deadline when read
    clock.advance(10 * 86_400_000);
    try {
      const handling = (await (await as(handler)).get('/api/gridwork/incidents?view=handle')).json().items.find((i: { id: string }) => i.id === incident.id);
      expect(handling).toMatchObject({ overdue: true, abilities: ['conclude', 'return'] });
    } finally {
      clock.advance(-10 * 86_400_000);
    }
    // another county's department neither sees nor concludes it
    expect((await (await as(farHandler)).post(`/api/gridwork/incidents/${incident.id}/conclude`, { note: '已处理' })).statusCode).toBe(404);
    const concluded = await dept.post(`/api/gridwork/incidents/${incident.id}/conclude`, { note: '已清理楼道杂物' });
    expect(concluded.statusCode, concluded.body).toBe(200);
    expect(concluded.json()).toMatchObject({ status: 'concluded', conclusion: '已清理楼道杂物', abilities: [] });
    expect(concluded.json().events.map((e: { action: string }) => e.action)).toEqual(['report', 'dispatch', 'conclude']);
    expect(await inbox(gridWorker.id, 'gridwork.incident.conclude')).toBe(1);
    const again = await dept.post(`/api/gridwork/incidents/${incident.id}/conclude`, { note: '再次办结' });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('concluded');
    const actions = await db.selectFrom('audit_log').select('action').where('object_id', '=', incident.id).orderBy('seq').execute();
    expect(actions.map((r) => r.action)).toEqual(['gridwork.incident.report', 'gridwork.incident.dispatch', 'gridwork.incident.conclude']);
  });

  it('returns to the reporter, who resubmits it; illegal transitions are 409 naming the state', async () => {
    const worker = await as(gridWorker);
    const street = await as(streetStaff);
    const dept = await as(handler);
    const incident = (await report(worker, { category: 'dispute', description: '邻里噪音纠纷' })).json();
    const early = await dept.post(`/api/gridwork/incidents/${incident.id}/conclude`, { note: '已处理' });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'gridwork.invalid_transition', field: 'status', state: 'reported' });
    expect(early.json().detail).toContain('reported');
    expect((await worker.post(`/api/gridwork/incidents/${incident.id}/resubmit`, {})).statusCode).toBe(409);
    expect((await street.post(`/api/gridwork/incidents/${incident.id}/dispatch`, { departmentId: farBureau.id })).json()).toMatchObject({ code: 'gridwork.unknown_department', field: 'departmentId' });
    expect((await street.post(`/api/gridwork/incidents/${incident.id}/dispatch`, { departmentId: bureau.id })).statusCode).toBe(200);
    expect((await dept.post(`/api/gridwork/incidents/${incident.id}/return`, { note: '' })).statusCode).toBe(400);
    const returned = await dept.post(`/api/gridwork/incidents/${incident.id}/return`, { note: '不属本局职责，请补充具体住户' });
    expect(returned.json()).toMatchObject({ status: 'returned', returnReason: '不属本局职责，请补充具体住户' });
    const todo = (await worker.get('/api/todo')).json().items.find((t: { id: string }) => t.id === incident.id);
    expect(todo).toMatchObject({ kind: 'gridwork.incident_returned' });
    const resubmitted = await worker.post(`/api/gridwork/incidents/${incident.id}/resubmit`, { description: '3 单元 501 与 601 噪音纠纷' });
    expect(resubmitted.json()).toMatchObject({ status: 'reported', department: null, deadline: null, description: '3 单元 501 与 601 噪音纠纷' });
    const mine = (await worker.get('/api/gridwork/incidents?view=mine')).json().items.map((i: { id: string }) => i.id);
    expect(mine).toContain(incident.id);
  });

  it('marks a deadline past the loaded calendar years provisional', async () => {
    const incident = (await report(await as(gridWorker))).json();
    clock.set('2035-12-28T10:00:00+08:00');
    try {
      const res = await (await as(streetStaff)).post(`/api/gridwork/incidents/${incident.id}/dispatch`, { departmentId: bureau.id, workingDays: 5 });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ deadline: '2036-01-04', deadlineProvisional: true });
    } finally {
      clock.set('2026-11-27T10:00:00+08:00');
    }
  });

  it('refuses unknown categories, strangers and a community not one’s own, writing nothing', async () => {
    const worker = await as(gridWorker);
    const k = key();
    const bad = await report(worker, { category: 'noise', clientKey: k });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toContain('category');
    const other = await report(worker, { communityCode: COMMUNITY_B, clientKey: k });
    expect(other.json()).toMatchObject({ code: 'gridwork.invalid_community', field: 'communityCode' });
    expect(await count('gridwork_incident', 'client_key', k)).toBe(0);
    expect((await report(await as(handler))).statusCode).toBe(403);
    const mine = (await report(worker)).json();
    expect((await (await as(farHandler)).get(`/api/gridwork/incidents/${mine.id}`)).statusCode).toBe(404);
  });
});
