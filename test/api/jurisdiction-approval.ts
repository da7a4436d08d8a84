// Jurisdiction probes of administrative approval (issue 9), mounted by jurisdiction.test.ts: a reader of one community
// never sees another community's service items or cases.
import { expect } from 'vitest';
import { newCase, newItem } from '../support/approval-factories.ts';
import { newDepartment } from '../support/factories.ts';
import type { ProbeContext } from './jurisdiction-data.ts';

export function approvalProbes(context: () => ProbeContext): Record<string, () => Promise<void>> {
  let made: Promise<{ mine: { item: string; case: string; caseNo: string }; theirs: { item: string; case: string; caseNo: string } }> | undefined;
  const setup = () =>
    (made ??= (async () => {
      const { db, mine, theirs } = context();
      const side = async (code: string) => {
        const department = await newDepartment(db, { regionCode: code });
        const item = await newItem(db, { departmentId: department.id, name: `探针事项${code}` });
        const c = await newCase(db, item, { state: 'reviewing', statutoryDue: '2026-12-01', promisedDue: '2026-11-20' });
        return { item: item.id, case: c.id, caseNo: c.case_no };
      };
      return { mine: await side(mine.code), theirs: await side(theirs.code) };
    })());
  const ids = (items: { id: string }[]) => items.map((i) => i.id);
  return {
    'GET /api/approval/items': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      const items = ids((await worker.get(`/api/approval/items?q=${encodeURIComponent('探针事项')}&limit=200`)).json().items);
      expect(items).toContain(mine.item);
      expect(items).not.toContain(theirs.item);
    },
    'GET /api/approval/items/{id}': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      expect((await worker.get(`/api/approval/items/${mine.item}`)).statusCode).toBe(200);
      expect((await worker.get(`/api/approval/items/${theirs.item}`)).statusCode).toBe(404);
    },
    'GET /api/approval/cases': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      expect(ids((await worker.get(`/api/approval/cases?scope=all&q=${mine.caseNo}`)).json().items)).toEqual([mine.case]);
      expect((await worker.get(`/api/approval/cases?scope=all&q=${theirs.caseNo}`)).json().total).toBe(0);
    },
    'GET /api/approval/cases/{id}': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      expect((await worker.get(`/api/approval/cases/${mine.case}`)).statusCode).toBe(200);
      expect((await worker.get(`/api/approval/cases/${theirs.case}`)).statusCode).toBe(404);
    },
  };
}

/** The portal's public catalogue (active online items, no sign-in) and a citizen's own cases (the citizen is the filter). */
export const APPROVAL_NOT_REGION_BOUND = ['/api/citizen/approval/items', '/api/citizen/approval/items/{id}', '/api/citizen/approval/cases', '/api/citizen/approval/cases/{id}'].map((r) => `GET ${r}`);
