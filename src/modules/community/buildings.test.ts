// A building's page and its edits on the real app: residents listed (masked), edits audited, a grid of another
// community refused naming the field, a building outside the jurisdiction 404, a reader cannot edit.
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../../../test/support/app.ts';
import { COMMUNITY_A, COMMUNITY_B, newGrid, newResident } from '../../../test/support/community-factories.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser } from '../../../test/support/factories.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let worker: Client;
let reader: Client;

beforeAll(async () => {
  ({ db } = await testDb());
  const { app } = await testApp();
  const dept = await newDepartment(db, { regionCode: COMMUNITY_A });
  const w = await newUser(db, { departmentId: dept.id, grants: [{ role: 'community_worker', regionCode: COMMUNITY_A }] });
  worker = await login(app, w.username, w.password);
  const l = await newUser(db, { departmentId: dept.id, grants: [{ role: 'leader', regionCode: COMMUNITY_A }] });
  reader = await login(app, l.username, l.password);
});

const building = async (code: string) => {
  const grid = await newGrid(db, { communityCode: code });
  const b = await db.insertInto('community_building').values({ community_code: code, region_path: grid.region_path, grid_id: grid.id, name: '1号楼' }).returning('id').executeTakeFirstOrThrow();
  return { id: b.id, gridId: grid.id };
};

describe('buildings', () => {
  it('shows the residents, edits with an audit record, refuses a grid of another community and other jurisdictions', async () => {
    const mine = await building(COMMUNITY_A);
    const r = await newResident(db, { communityCode: COMMUNITY_A });
    await db.updateTable('community_resident').set({ building_id: mine.id }).where('id', '=', r.id).execute();
    const view = (await worker.get(`/api/community/buildings/${mine.id}`)).json();
    expect(view.residents).toEqual([expect.objectContaining({ id: r.id, name: r.name, idNumber: expect.stringContaining('*') })]);

    const edited = await worker.request('PATCH', `/api/community/buildings/${mine.id}`, { name: '幸福小区3号楼', floors: 6 });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ name: '幸福小区3号楼', floors: 6, gridId: mine.gridId });
    expect(await db.selectFrom('audit_log').select('action').where('object_id', '=', mine.id).execute()).toEqual([{ action: 'community.building_edit' }]);

    const otherGrid = await newGrid(db, { communityCode: COMMUNITY_B });
    const bad = await worker.request('PATCH', `/api/community/buildings/${mine.id}`, { gridId: otherGrid.id });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'community.grid_not_found', field: 'gridId' });

    const theirs = await building(COMMUNITY_B);
    expect((await worker.get(`/api/community/buildings/${theirs.id}`)).statusCode).toBe(404);
    expect((await worker.request('PATCH', `/api/community/buildings/${theirs.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await reader.request('PATCH', `/api/community/buildings/${mine.id}`, { name: 'x' })).statusCode).toBe(403);
  });
});
