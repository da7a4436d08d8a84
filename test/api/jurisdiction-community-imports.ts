// Jurisdiction probes of resident imports and building pages (issue 8 §1, §3), mounted by jurisdiction.test.ts: an
// import is its creator's (another's is 404 whatever its region), a building outside the community is 404, the pull
// sources are the caller's own department's grants.
import { expect } from 'vitest';
import { newGrid } from '../support/community-factories.ts';
import type { ProbeContext } from './jurisdiction-data.ts';

export function communityImportProbes(context: () => ProbeContext): Record<string, () => Promise<void>> {
  let made: Promise<{ mine: string; theirs: string; myBuilding: string; theirBuilding: string }> | undefined;
  const setup = () =>
    (made ??= (async () => {
      const { app, db, worker, mine, theirs, theirDept } = context();
      const res = await app.inject({
        method: 'POST',
        url: '/api/community/imports/files?name=probe.csv',
        headers: { cookie: worker.session!.cookie, 'x-csrf-token': worker.session!.csrfToken, 'content-type': 'text/csv' },
        payload: `公民身份号码,姓名,民族,社区代码,居住类型\n650502199001011234,探针,汉族,${mine.code},户籍\n`,
      });
      const other = await db
        .insertInto('community_import')
        .values({ source: 'file', file_name: 'theirs.csv', format: 'csv', encoding: null, resource_id: null, status: 'committed', bytes_total: null, error: null, scope_paths: ['/'], department_id: theirDept.id, created_by: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('community_import_rejection').values({ import_id: other.id, row_no: 1, item: '姓名', value: '他们的', code: 'community.required', message: 'x' }).execute();
      const building = async (code: string) => {
        const grid = await newGrid(db, { communityCode: code });
        return (await db.insertInto('community_building').values({ community_code: code, region_path: grid.region_path, grid_id: grid.id, name: '探针楼' }).returning('id').executeTakeFirstOrThrow()).id;
      };
      return { mine: res.json().id as string, theirs: other.id, myBuilding: await building(mine.code), theirBuilding: await building(theirs.code) };
    })());
  return {
    'GET /api/community/imports': async () => {
      const { mine, theirs } = await setup();
      const ids = (await context().worker.get('/api/community/imports')).json().items.map((i: { id: string }) => i.id);
      expect(ids).toContain(mine);
      expect(ids).not.toContain(theirs);
    },
    'GET /api/community/imports/{id}': async () => {
      const { mine, theirs } = await setup();
      expect((await context().worker.get(`/api/community/imports/${mine}`)).statusCode).toBe(200);
      expect((await context().worker.get(`/api/community/imports/${theirs}`)).statusCode).toBe(404);
    },
    'GET /api/community/imports/{id}/rejections': async () => {
      const { mine, theirs } = await setup();
      expect((await context().worker.get(`/api/community/imports/${mine}/rejections`)).statusCode).toBe(200);
      expect((await context().worker.get(`/api/community/imports/${theirs}/rejections`)).statusCode).toBe(404);
    },
    'GET /api/community/imports/{id}/report.{format}': async () => {
      const { mine, theirs } = await setup();
      expect((await context().worker.get(`/api/community/imports/${mine}/report.csv`)).statusCode).toBe(200);
      expect((await context().worker.get(`/api/community/imports/${theirs}/report.csv`)).statusCode).toBe(404);
    },
    'GET /api/community/imports/sources': async () => {
      // only the caller's department's grants
      const { db, worker, myDept } = context();
      const own = new Set((await db.selectFrom('data_grant').select('resource_id').where('consumer_department_id', '=', myDept.id).execute()).map((g) => g.resource_id));
      const items = (await worker.get('/api/community/imports/sources')).json().items as { resourceId: string }[];
      expect(items.filter((i) => !own.has(i.resourceId))).toEqual([]);
    },
    'GET /api/community/imports/template.csv': async () => {
      expect((await context().worker.get('/api/community/imports/template.csv')).body).toContain('公民身份号码');
    },
    'GET /api/community/imports/households/template.csv': async () => {
      // the same header for everyone: nothing of a region in it
      expect((await context().worker.get('/api/community/imports/households/template.csv')).body).toContain('户主身份证号');
    },
    'GET /api/community/buildings/{id}': async () => {
      const { myBuilding, theirBuilding } = await setup();
      expect((await context().worker.get(`/api/community/buildings/${myBuilding}`)).statusCode).toBe(200);
      expect((await context().worker.get(`/api/community/buildings/${theirBuilding}`)).statusCode).toBe(404);
    },
  };
}
