// Jurisdiction probes of the community registry's routes (issue 8), mounted by jurisdiction.test.ts: the worker of
// one community never sees another community's residents, grids, buildings or households.
import { expect } from 'vitest';
import { newGrid, newHousehold, newResident } from '../support/community-factories.ts';
import type { ProbeContext } from './jurisdiction-data.ts';

export function communityProbes(context: () => ProbeContext): Record<string, () => Promise<void>> {
  let made: Promise<{ mine: { resident: string; grid: string; household: string; building: string; name: string }; theirs: { resident: string; grid: string; household: string; building: string; name: string } }> | undefined;
  const setup = () =>
    (made ??= (async () => {
      const { db, mine, theirs } = context();
      const side = async (code: string) => {
        const grid = await newGrid(db, { communityCode: code });
        const household = await newHousehold(db, { communityCode: code, gridId: grid.id });
        const name = `探针居民${code}`;
        const resident = await newResident(db, { communityCode: code, householdId: household.id, relation: 'head', gridId: grid.id, name });
        const building = await db
          .insertInto('community_building')
          .values({ community_code: code, region_path: grid.region_path, grid_id: grid.id, name: '探针楼' })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { resident: resident.id, grid: grid.id, household: household.id, building: building.id, name };
      };
      return { mine: await side(mine.code), theirs: await side(theirs.code) };
    })());
  const ids = (items: { id: string }[]) => items.map((i) => i.id);
  return {
    'GET /api/community/residents': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      const all = (await worker.get('/api/community/residents?q=探针居民&limit=500')).json();
      expect(ids(all.items)).toContain(mine.resident);
      expect(ids(all.items)).not.toContain(theirs.resident);
      expect((await worker.get(`/api/community/residents?region=${context().theirs.code}`)).json().total).toBe(0);
    },
    'GET /api/community/residents/export': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      const csv = (await worker.get('/api/community/residents/export?format=csv&q=探针居民')).body;
      expect(csv).toContain(mine.name);
      expect(csv).not.toContain(theirs.name);
    },
    'GET /api/community/residents/{id}': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      expect((await worker.get(`/api/community/residents/${mine.resident}`)).statusCode).toBe(200);
      expect((await worker.get(`/api/community/residents/${theirs.resident}`)).statusCode).toBe(404);
    },
    'GET /api/community/residents/{id}/residences': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      expect((await worker.get(`/api/community/residents/${mine.resident}/residences`)).json().items).toHaveLength(1);
      expect((await worker.get(`/api/community/residents/${theirs.resident}/residences`)).statusCode).toBe(404);
    },
    'GET /api/community/grids': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      const grids = ids((await worker.get('/api/community/grids')).json().items);
      expect(grids).toContain(mine.grid);
      expect(grids).not.toContain(theirs.grid);
    },
    'GET /api/community/buildings': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      const buildings = ids((await worker.get('/api/community/buildings')).json().items);
      expect(buildings).toContain(mine.building);
      expect(buildings).not.toContain(theirs.building);
    },
    'GET /api/community/households': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      const households = ids((await worker.get('/api/community/households?limit=500')).json().items);
      expect(households).toContain(mine.household);
      expect(households).not.toContain(theirs.household);
    },
    'GET /api/community/households/{id}': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      expect((await worker.get(`/api/community/households/${mine.household}`)).json().members).toHaveLength(1);
      expect((await worker.get(`/api/community/households/${theirs.household}`)).statusCode).toBe(404);
    },
  };
}
