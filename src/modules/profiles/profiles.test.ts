// The resident profile: jurisdiction (404 outside), masking, live reads through the consumer's grants (no grant → no
// data, revoked → gone), the access log, fact flags derived by the real outbox handler and removed after revocation,
// labels attached once however many attaches race.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { systemActorContext } from '../../shared/context.ts';
import { systemClock } from '../../platform/clock.ts';
import { modules } from '../registry.ts';
import { collectWork, outboxJobHandlers, type JobsService } from '../jobs/index.ts';
import type { DatasetsService } from '../datasets/index.ts';
import { login, testApp, testConfig, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';
import { newClientApp, newDataGrant, newResource, newRows, PERSON_ITEMS, type ItemSpec } from '../../../test/support/data-factories.ts';
import { COMMUNITY_A, newHousehold, newResident } from '../../../test/support/community-factories.ts';
import { ageOn, isStale, type ProfileService } from './index.ts';

let db: Kysely<Database>;
let app: Awaited<ReturnType<typeof testApp>>['app'];
let services: Awaited<ReturnType<typeof testApp>>['services'];
let profiles: ProfileService;
const ITEMS: ItemSpec[] = [...PERSON_ITEMS, { code: 'insured_status', name: '参保状态', type: 'string', shareType: 'unconditional' }];

async function published(providerDepartmentId: string, name: string) {
  const r = await newResource(db, { providerDepartmentId, regionCode: '6505', theme: 'population', name: `${name}${Date.now()}${Math.random()}`, items: ITEMS });
  await db.updateTable('data_resource').set({ status: 'published' }).where('id', '=', r.id).execute();
  return r;
}

/** Runs the registered handlers of datasets.committed (feeds' and ours, composed) until no event is left. */
async function drainCommitted() {
  const deps = { db, config: testConfig(), clock: systemClock, services: services as unknown as Record<string, unknown> };
  const handler = collectWork(modules, deps).outbox['datasets.committed']!;
  const worker = (services.jobs as JobsService).createWorker({ handlers: outboxJobHandlers({ 'datasets.committed': handler }), batchSize: 200, pollMs: 10 });
  while ((await worker.runOnce()) > 0);
}

const push = (code: string, rows: Record<string, unknown>[]) => (services.datasets as DatasetsService).push(systemActorContext(), { resource: code, rows });
const factOf = (residentId: string, fact: string) => db.selectFrom('community_resident_fact').selectAll().where('resident_id', '=', residentId).where('fact', '=', fact as never).executeTakeFirst();

let provider: { id: string };
let consumer: { id: string };
let client: { id: string };
let pop: Awaited<ReturnType<typeof published>>;
let ss: Awaited<ReturnType<typeof published>>;
let ss2: Awaited<ReturnType<typeof published>>;
let party: Awaited<ReturnType<typeof published>>;
let otherApp: Awaited<ReturnType<typeof published>>;
let a: Awaited<ReturnType<typeof newResident>>;
let b: Awaited<ReturnType<typeof newResident>>;
let outsider: Awaited<ReturnType<typeof newResident>>;
let worker: Client;
let workerId: string;
let leader: Client;
let far: Client;

beforeAll(async () => {
  ({ app, services } = await testApp());
  ({ db } = await testDb());
  profiles = services.profiles as ProfileService;
  provider = await newDepartment(db, { regionCode: '6505' });
  consumer = await newDepartment(db, { regionCode: '6505', name: `民政局${Date.now()}` });
  client = await newClientApp(db, { departmentId: consumer.id });
  pop = await published(provider.id, '人口基础信息');
  ss = await published(provider.id, '社会保险参保信息');
  ss2 = await published(provider.id, '养老保险待遇发放信息');
  party = await published(provider.id, '党员基本信息');
  otherApp = await published(provider.id, '医保参保信息');
  await newDataGrant(db, { resource: pop, consumerDepartmentId: consumer.id, clientAppId: client.id, items: ['id_number', 'name', 'phone', 'region'], purpose: '社区服务' });
  await newDataGrant(db, { resource: ss, consumerDepartmentId: consumer.id, items: ['id_number', 'name', 'region', 'insured_status'] });
  await newDataGrant(db, { resource: ss2, consumerDepartmentId: consumer.id, items: ['id_number', 'region'] });
  // a grant bound to another system of the consumer does not open the resource to the community system
  const other = await newClientApp(db, { departmentId: consumer.id });
  await newDataGrant(db, { resource: otherApp, consumerDepartmentId: consumer.id, clientAppId: other.id, items: ['id_number', 'name'] });

  const household = await newHousehold(db, { communityCode: COMMUNITY_A });
  a = await newResident(db, { communityCode: COMMUNITY_A, birthDate: '1950-03-01', sex: 'M', phone: '13912345678', householdId: household.id, relation: 'head' });
  b = await newResident(db, { communityCode: COMMUNITY_A, birthDate: '1953-05-01', sex: 'F', householdId: household.id, relation: 'spouse' });
  const farCommunity = await db.selectFrom('region').select('code').where('level', '=', 4).where('path', 'like', '/6505/650521/%').orderBy('code').limit(1).executeTakeFirstOrThrow();
  outsider = await newResident(db, { communityCode: farCommunity.code });
  for (const r of [pop, ss, party, otherApp]) await newRows(db, r, [{ id_number: a.id_number, name: a.name, phone: '13912345678', region: '650502', insured_status: '正常参保', note: '内部' }]);

  await profiles.configure(systemActorContext(), { departmentId: consumer.id, clientAppId: client.id, purpose: '测试：社区服务', factSources: { social_security: [ss.code, ss2.code], party_member: [party.code] } });

  const w = await newUser(db, { grants: [{ role: 'community_worker', regionCode: COMMUNITY_A }] });
  workerId = w.id;
  worker = await login(app, w.username, w.password);
  const l = await newUser(db, { grants: [{ role: 'leader', regionCode: COMMUNITY_A }] });
  leader = await login(app, l.username, l.password);
  const f = await newUser(db, { grants: [{ role: 'community_worker', regionCode: farCommunity.code }] });
  far = await login(app, f.username, f.password);
});

describe('resident profile', () => {
  it('computes age and staleness', () => {
    expect(ageOn('1950-03-01', '2026-02-28')).toBe(75);
    expect(ageOn('1950-03-01', '2026-03-01')).toBe(76);
    const now = new Date('2026-11-27T00:00:00Z');
    expect(isStale(null, 'daily', now)).toBe(true);
    expect(isStale('2026-11-20T00:00:00Z', 'monthly', now)).toBe(false);
    expect(isStale('2026-11-20T00:00:00Z', 'daily', now)).toBe(true);
  });

  it('shows the record masked, the household, the granted sources with freshness and the ungranted as no grant', async () => {
    const res = await worker.get(`/api/profiles/${a.id}`);
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p.resident.name).toBe(a.name);
    // a community worker holds community.read_sensitive (D63): full ID number and phone; a leader sees them masked
    expect(p.resident.idNumber).toBe(a.id_number);
    expect(p.masked).toBe(false);
    const masked = (await leader.get(`/api/profiles/${a.id}`)).json();
    expect(masked.resident.idNumber).toBe(`${a.id_number.slice(0, 6)}********${a.id_number.slice(-4)}`);
    expect(masked.resident.phone).toBe('139****5678');
    expect(masked.masked).toBe(true);
    expect(masked.household.members.every((m: { idNumber: string }) => m.idNumber.includes('*'))).toBe(true);
    expect(p.household.members.map((m: { id: string }) => m.id).sort()).toEqual([a.id, b.id].sort());
    expect(p.consumer).toMatchObject({ departmentId: consumer.id, clientAppId: client.id });
    expect(p.abilities.manageLabels).toBe(true);
    const src = (r: { code: string }) => p.sources.find((s: { resourceCode: string }) => s.resourceCode === r.code);
    expect(src(pop)).toMatchObject({ access: 'granted', stale: false, updateCycle: expect.any(String) });
    expect(src(pop).records).toHaveLength(1);
    expect(src(pop).records[0].values.note).toBeUndefined();
    expect(src(pop).rowUpdatedAt).not.toBeNull();
    expect(src(ss).facts).toEqual(['social_security']);
    // no grant: no data, and a link to apply
    for (const r of [party, otherApp]) {
      expect(src(r)).toMatchObject({ access: 'no_grant', records: [], grantId: null });
      expect(src(r).applyPath).toBe(`/sharing/requests/new?resource=${encodeURIComponent(r.code)}`);
    }
  });

  it('answers 404 outside the jurisdiction and for no such resident, 400 for a malformed id', async () => {
    const out = await worker.get(`/api/profiles/${outsider.id}`);
    expect(out.statusCode).toBe(404);
    expect(out.json().code).toBe('profiles.resident_not_found');
    const none = await worker.get('/api/profiles/00000000-0000-4000-8000-000000000000');
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe(out.json().code);
    expect((await worker.get('/api/profiles/nope')).statusCode).toBe(400);
    expect((await far.get(`/api/profiles/${a.id}`)).statusCode).toBe(404);
    expect((await far.get(`/api/profiles/${outsider.id}`)).statusCode).toBe(200);
  });

  it('puts every view on the access log: the person, the fields, the purpose, the reader and the consumer', async () => {
    await worker.get(`/api/profiles/${a.id}?purpose=${encodeURIComponent('入户走访')}`);
    const logged = await db.selectFrom('audit_access').select(['resource', 'subject_ids', 'fields', 'permission', 'detail']).where('actor_id', '=', workerId).execute();
    const own = logged.filter((l) => l.resource === 'community_resident' && (l.detail as { purpose?: string }).purpose === '入户走访');
    expect(own).toHaveLength(1);
    expect(own[0]!.subject_ids).toContain(a.id_number);
    expect(own[0]!.fields).toContain('id_number');
    expect(own[0]!.detail).toMatchObject({ via: 'community_profile', residentId: a.id, consumerDepartmentId: consumer.id, clientAppId: client.id });
    const data = logged.filter((l) => l.resource === `data:${pop.code}`);
    expect(data.length).toBeGreaterThanOrEqual(2);
    expect(data.at(-1)!.detail).toMatchObject({ via: 'community_profile', consumerDepartmentId: consumer.id, clientAppId: client.id });
    expect(data.at(-1)!.permission).toBe('community.read');
  });

  it('derives fact flags through the real outbox handler after a load commits, two loads at once losing nothing', async () => {
    await drainCommitted();
    // the full refresh at configuration saw a's social security row (loaded before)
    expect(await factOf(a.id, 'social_security')).toMatchObject({ value: true, source_resource_code: ss.code });
    // party membership is a source without a grant: no flag
    expect(await factOf(a.id, 'party_member')).toBeUndefined();
    // b gets rows in two sources of one fact by two loads committed together
    await Promise.all([push(ss.code, [{ id_number: b.id_number, name: b.name, region: '650502', insured_status: '终止参保' }]), push(ss2.code, [{ id_number: b.id_number, name: b.name, region: '650502' }])]);
    await drainCommitted();
    const flag = await factOf(b.id, 'social_security');
    expect(flag).toMatchObject({ value: true, source_resource_code: ss2.code });
    expect(flag!.source_updated_at).not.toBeNull();
    // a's status turns to 终止参保 in a new load: the flag follows
    await push(ss.code, [{ id_number: a.id_number, name: a.name, region: '650502', insured_status: '终止参保' }]);
    await drainCommitted();
    expect(await factOf(a.id, 'social_security')).toMatchObject({ value: false, source_resource_code: ss.code });
    // idempotent: the same event again changes nothing
    const before = await factOf(b.id, 'social_security');
    await profiles.onCommitted({ resourceId: ss2.id, loadId: (await db.selectFrom('data_load').select('id').where('resource_id', '=', ss2.id).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id });
    expect((await factOf(b.id, 'social_security'))!.value).toBe(before!.value);
  });

  it('derives the flags of a source granted later on the next sweep, and skips a load a full derivation saw', async () => {
    expect(await profiles.sweep()).toEqual([]);
    await newDataGrant(db, { resource: party, consumerDepartmentId: consumer.id, clientAppId: client.id, items: ['id_number', 'name', 'region'] });
    expect(await profiles.sweep()).toEqual(['party_member']);
    expect(await factOf(a.id, 'party_member')).toMatchObject({ value: true, source_resource_code: party.code });
    // a load committed before that derivation: its event changes nothing
    const load = await db.selectFrom('data_load').select('id').where('resource_id', '=', party.id).executeTakeFirstOrThrow();
    const max = await db.selectFrom('data_row').select((eb) => eb.fn.max('seq').as('m')).where('resource_id', '=', party.id).executeTakeFirstOrThrow();
    expect(await profiles.onCommitted({ resourceId: party.id, loadId: load.id, maxSeq: String(max.m) })).toBe(0);
  });

  it('removes the flags of a revoked grant, and the profile no longer shows the source', async () => {
    const grant = await db.selectFrom('data_grant').select('share_id').where('resource_id', '=', ss2.id).executeTakeFirstOrThrow();
    await db.updateTable('share_grant').set({ revoked_at: new Date() }).where('id', '=', grant.share_id).execute();
    expect(await profiles.sweep()).toContain('social_security');
    // b's flag came from ss2 only in part: ss (終止参保) still speaks for b
    expect(await factOf(b.id, 'social_security')).toMatchObject({ value: false, source_resource_code: ss.code });
    const p = (await worker.get(`/api/profiles/${b.id}`)).json();
    expect(p.sources.find((s: { resourceCode: string }) => s.resourceCode === ss2.code)).toMatchObject({ access: 'no_grant', records: [] });
    // the last grant of the fact goes too: no flag is left from it
    const g2 = await db.selectFrom('data_grant').select('share_id').where('resource_id', '=', ss.id).executeTakeFirstOrThrow();
    await db.updateTable('share_grant').set({ revoked_at: new Date() }).where('id', '=', g2.share_id).execute();
    await profiles.sweep();
    expect(await factOf(a.id, 'social_security')).toBeUndefined();
    expect(await factOf(b.id, 'social_security')).toBeUndefined();
    expect(await profiles.sweep()).toEqual([]);
  });
});

describe('重点人群 labels', () => {
  it('attaches once however many attaches race, audited once; detaches with a note', async () => {
    const results = await Promise.all([0, 1, 2].map(() => worker.post(`/api/profiles/${b.id}/labels`, { label: 'elderly_alone', note: '子女在外地' })));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(results.filter((r) => r.json().created)).toHaveLength(1);
    const rows = await db.selectFrom('community_resident_label').selectAll().where('resident_id', '=', b.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ label_code: 'elderly_alone', note: '子女在外地', added_by: workerId });
    const audited = await db.selectFrom('audit_log').select('detail').where('action', '=', 'profiles.label_attach').where('object_id', '=', b.id).execute();
    expect(audited).toHaveLength(1);
    expect((await worker.get(`/api/profiles/${b.id}`)).json().labels.map((l: { code: string }) => l.code)).toEqual(['elderly_alone']);

    const gone = await worker.delete(`/api/profiles/${b.id}/labels/elderly_alone?note=${encodeURIComponent('已随子女迁居')}`);
    expect(gone.statusCode).toBe(200);
    expect(gone.json().labels).toEqual([]);
    const detached = await db.selectFrom('audit_log').select('detail').where('action', '=', 'profiles.label_detach').where('object_id', '=', b.id).executeTakeFirstOrThrow();
    expect(detached.detail).toMatchObject({ label: 'elderly_alone', note: '已随子女迁居' });
    expect((await worker.delete(`/api/profiles/${b.id}/labels/elderly_alone`)).json().code).toBe('profiles.label_not_attached');
  });

  it('refuses an unknown label, a resident outside the jurisdiction, a reader without community.manage — writing nothing', async () => {
    const bad = await worker.post(`/api/profiles/${a.id}/labels`, { label: 'no_such_label' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'profiles.unknown_label', field: 'label' });
    expect((await worker.post(`/api/profiles/${a.id}/labels`, { label: 'Bad Code' })).statusCode).toBe(400);
    expect((await worker.post(`/api/profiles/${a.id}/labels`, { label: 'veteran', note: 'x'.repeat(201) })).statusCode).toBe(400);
    expect((await worker.post(`/api/profiles/${outsider.id}/labels`, { label: 'veteran' })).statusCode).toBe(404);
    expect((await leader.post(`/api/profiles/${a.id}/labels`, { label: 'veteran' })).statusCode).toBe(403);
    expect((await leader.get(`/api/profiles/${a.id}`)).json().abilities.manageLabels).toBe(false);
    const rows = await db.selectFrom('community_resident_label').select('label_code').where('resident_id', 'in', [a.id, outsider.id]).execute();
    expect(rows).toEqual([]);
  });

  it('counts labelled residents in the caller’s jurisdiction', async () => {
    const count = async (c: Client, code: string) => (await c.get('/api/profiles/labels')).json().items.find((l: { code: string }) => l.code === code).count as number;
    const [mine, theirs] = [await count(worker, 'veteran'), await count(far, 'veteran')];
    expect((await worker.post(`/api/profiles/${a.id}/labels`, { label: 'veteran' })).statusCode).toBe(200);
    expect(await count(worker, 'veteran')).toBe(mine + 1);
    expect(await count(far, 'veteran')).toBe(theirs);
    // the 8 standard labels at least (other tests of the run may add their own)
    expect((await far.get('/api/profiles/labels')).json().items.length).toBeGreaterThanOrEqual(8);
  });
});
