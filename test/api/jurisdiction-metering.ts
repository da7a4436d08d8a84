// Jurisdiction probes of the metering routes (issue 10 §5), mounted by jurisdiction.test.ts: the worker (a leader over
// their own community) sees the usage and charges of that community's departments, none of the other community's.
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { meterHour } from '../../src/modules/metering/index.ts';
import type { Client } from '../support/app.ts';
import { newDepartment, uniq } from '../support/factories.ts';

export interface MeteringProbeContext {
  db: Kysely<Database>;
  /** Holds leader (so metering.read) over `mine` only. */
  worker: Client;
  mine: { code: string; path: string };
  theirs: { code: string; path: string };
}

/** The tariff table is the whole pool's price list, not bound to a region. */
export const METERING_NOT_REGION_BOUND = ['GET /api/metering/tariffs'];

/** An hour of its own, far in the future, so no other test meters it. */
const HOUR = new Date('2039-07-14T05:00:00Z');
const MONTH = '2039-07';

export function meteringProbes(ctx: () => MeteringProbeContext): Record<string, () => Promise<void>> {
  let made: Promise<{ mine: { id: string; name: string }; theirs: { id: string; name: string } }> | undefined;
  const setup = () =>
    (made ??= (async () => {
      const { db, mine, theirs } = ctx();
      const zone = uniq('jz');
      await db.insertInto('cloud_zone').values({ code: zone, name: '计量探针区', open_to_all: true }).execute();
      const withVm = async (region: { code: string; path: string }) => {
        const dept = await newDepartment(db, { regionCode: region.code, name: uniq('计量探针局') });
        const name = uniq('jvm');
        await db
          .insertInto('cloud_vm')
          .values({ domain_name: `gc-${name}`, name, department_id: dept.id, region_code: region.code, region_path: region.path, vcpus: 2, memory_mb: 2048, disk_gb: 20, zone_code: zone, state: 'running' })
          .execute();
        return { id: dept.id, name: dept.name };
      };
      const out = { mine: await withVm(mine), theirs: await withVm(theirs) };
      await meterHour(db, HOUR);
      return out;
    })());
  const departmentIds = (rows: { departmentId: string }[]) => rows.map((r) => r.departmentId);
  return {
    'GET /api/metering/usage': async () => {
      const { mine, theirs } = await setup();
      const ids = departmentIds((await ctx().worker.get(`/api/metering/usage?month=${MONTH}`)).json().rows);
      expect(ids).toContain(mine.id);
      expect(ids).not.toContain(theirs.id);
    },
    'GET /api/metering/chargeback': async () => {
      const { mine, theirs } = await setup();
      const ids = departmentIds((await ctx().worker.get(`/api/metering/chargeback?month=${MONTH}`)).json().rows);
      expect(ids).toContain(mine.id);
      expect(ids).not.toContain(theirs.id);
    },
    'GET /api/metering/chargeback.xlsx': async () => {
      const { mine, theirs } = await setup();
      const res = await ctx().worker.get(`/api/metering/chargeback.xlsx?month=${MONTH}`);
      expect(res.statusCode).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const cells: string[] = [];
      book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => void cells.push(String(cell.value)))));
      expect(cells).toContain(mine.name);
      expect(cells).not.toContain(theirs.name);
    },
  };
}
