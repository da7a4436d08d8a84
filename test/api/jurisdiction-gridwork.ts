// Jurisdiction probes of the grid-work routes (issue 8 §6), mounted by jurisdiction.test.ts: a worker over one
// community sees residents, buildings, households, due visits, visits and incidents there, not in another county.
import { expect } from 'vitest';
import type { ProbeContext } from './jurisdiction-data.ts';
import { login } from '../support/app.ts';
import { newHousehold, newResident } from '../support/community-factories.ts';
import { newUser, uniq } from '../support/factories.ts';

interface Fixture {
  mineResident: string;
  theirsResident: string;
  mineHousehold: string;
  theirsHousehold: string;
  mineBuilding: string;
  theirsBuilding: string;
  mineVisit: string;
  theirsVisit: string;
  mineIncident: string;
  theirsIncident: string;
}

export function gridworkProbes(context: () => ProbeContext): Record<string, () => Promise<void>> {
  let fixture: Promise<Fixture> | undefined;
  const setup = () =>
    (fixture ??= (async () => {
      const { app, db, mine, theirs } = context();
      const side = async (community: { code: string }) => {
        const path = (await db.selectFrom('region').select('path').where('code', '=', community.code).executeTakeFirstOrThrow()).path;
        const building = await db.insertInto('community_building').values({ community_code: community.code, region_path: path, name: uniq('楼') }).returning('id').executeTakeFirstOrThrow();
        const household = await newHousehold(db, { communityCode: community.code });
        const resident = await newResident(db, { communityCode: community.code, householdId: household.id });
        await db.insertInto('community_resident_label').values({ resident_id: resident.id, label_code: 'elderly_alone', added_by: null }).execute();
        // a worker over that community records a visit and reports an incident there
        const user = await newUser(db, { grants: [{ role: 'community_worker', regionCode: community.code }] });
        const client = await login(app, user.username, user.password);
        const visit = await client.post('/api/gridwork/visits', { residentId: resident.id, kind: 'phone', clientKey: uniq('probe-').padEnd(12, '0') });
        expect(visit.statusCode, visit.body).toBe(201);
        const incident = await client.post('/api/gridwork/incidents', { category: 'other', description: '探针', address: '探针', clientKey: uniq('probe-').padEnd(12, '0') });
        expect(incident.statusCode, incident.body).toBe(201);
        return { resident: resident.id, household: household.id, building: building.id, visit: visit.json().id as string, incident: incident.json().id as string };
      };
      const [m, t] = [await side(mine), await side(theirs)];
      return {
        mineResident: m.resident,
        theirsResident: t.resident,
        mineHousehold: m.household,
        theirsHousehold: t.household,
        mineBuilding: m.building,
        theirsBuilding: t.building,
        mineVisit: m.visit,
        theirsVisit: t.visit,
        mineIncident: m.incident,
        theirsIncident: t.incident,
      };
    })());
  const ids = async (url: string, key = 'id') => ((await context().worker.get(url)).json().items as Record<string, string>[]).map((r) => r[key]);
  const listProbe = (url: string, mineKey: keyof Fixture, theirsKey: keyof Fixture, key = 'id') => async () => {
    const f = await setup();
    const seen = await ids(`${url}${url.includes('?') ? '&' : '?'}limit=500`, key);
    expect(seen).toContain(f[mineKey]);
    expect(seen).not.toContain(f[theirsKey]);
  };
  return {
    'GET /api/gridwork/area': async () => {
      await setup();
      const area = (await context().worker.get('/api/gridwork/area')).json();
      expect(area.communities.map((c: { code: string }) => c.code)).toEqual([context().mine.code]);
    },
    'GET /api/gridwork/area/residents': listProbe('/api/gridwork/area/residents', 'mineResident', 'theirsResident'),
    'GET /api/gridwork/area/buildings': listProbe('/api/gridwork/area/buildings', 'mineBuilding', 'theirsBuilding'),
    'GET /api/gridwork/area/households': listProbe('/api/gridwork/area/households', 'mineHousehold', 'theirsHousehold'),
    'GET /api/gridwork/visits/due': async () => {
      const f = await setup();
      // both were visited just now: neither is due; the list stays inside the community either way
      expect(await ids('/api/gridwork/visits/due?limit=500', 'residentId')).not.toContain(f.theirsResident);
    },
    'GET /api/gridwork/visits': listProbe('/api/gridwork/visits', 'mineVisit', 'theirsVisit'),
    'GET /api/gridwork/incidents': listProbe('/api/gridwork/incidents', 'mineIncident', 'theirsIncident'),
    'GET /api/gridwork/incidents/{id}': async () => {
      const f = await setup();
      expect((await context().worker.get(`/api/gridwork/incidents/${f.mineIncident}`)).statusCode).toBe(200);
      expect((await context().worker.get(`/api/gridwork/incidents/${f.theirsIncident}`)).statusCode).toBe(404);
    },
    'GET /api/gridwork/incidents/{id}/departments': async () => {
      const f = await setup();
      // a worker dispatches nothing; a dispatcher of the other county does not reach mine
      expect((await context().worker.get(`/api/gridwork/incidents/${f.mineIncident}/departments`)).statusCode).toBe(404);
      const { app, db, theirs } = context();
      const county = theirs.code.slice(0, 6);
      const staff = await newUser(db, { grants: [{ role: 'department_staff', regionCode: county }] });
      const client = await login(app, staff.username, staff.password);
      expect((await client.get(`/api/gridwork/incidents/${f.theirsIncident}/departments`)).statusCode).toBe(200);
      expect((await client.get(`/api/gridwork/incidents/${f.mineIncident}/departments`)).statusCode).toBe(404);
    },
  };
}
