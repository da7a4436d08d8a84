// Jurisdiction probes of the cloud inventory (issue 10), mounted by jurisdiction.test.ts: a reader of one community
// never sees another community's pre-consolidation rooms, business systems, VMs, quotas or zone grants, and the
// consolidation report counts only its own rooms. The shared pool itself (hosts, SAN pools, flavours, images) is the
// platform's, visible to every cloud reader (D88).
import { expect } from 'vitest';
import { newCloudHost, newLegacyRoom, newSystem, newVm } from '../support/cloud-factories.ts';
import type { ProbeContext } from './jurisdiction-data.ts';

export function cloudProbes(context: () => ProbeContext): Record<string, () => Promise<void>> {
  type Side = { room: string; system: string; vm: string; department: string };
  let made: Promise<{ mine: Side; theirs: Side; zone: string }> | undefined;
  const setup = () =>
    (made ??= (async () => {
      const { db, mine, theirs, myDept, theirDept } = context();
      const host = await newCloudHost(db);
      const side = async (regionCode: string, department: string): Promise<Side> => {
        const room = await newLegacyRoom(db, { departmentId: department, regionCode, servers: [{ cores: 4, powerWatts: regionCode === theirs.code ? 99_999 : 200 }] });
        const system = await newSystem(db, department, `探针系统${regionCode}`);
        const vm = await newVm(db, { departmentId: department, hostId: host.hostId, zone: host.zone, systemId: system.id, name: `探针虚拟机${regionCode}` });
        await db.insertInto('cloud_zone_grant').values({ zone_code: host.zone, department_id: department }).execute();
        return { room: room.id, system: system.id, vm: vm.id, department };
      };
      return { mine: await side(mine.code, myDept.id), theirs: await side(theirs.code, theirDept.id), zone: host.zone };
    })());
  const ids = (items: { id: string }[]) => items.map((i) => i.id);
  const sees = async (list: string, detail: (id: string) => string, key: 'room' | 'system' | 'vm') => {
    const { worker } = context();
    const { mine, theirs } = await setup();
    const found = ids((await worker.get(list)).json().items);
    expect(found).toContain(mine[key]);
    expect(found).not.toContain(theirs[key]);
    expect((await worker.get(detail(mine[key]))).statusCode).toBe(200);
    expect((await worker.get(detail(theirs[key]))).statusCode).toBe(404);
  };
  return {
    'GET /api/cloud/rooms': () => sees('/api/cloud/rooms?kind=legacy_department&limit=500', (id) => `/api/cloud/rooms/${id}`, 'room'),
    'GET /api/cloud/rooms/{id}': () => sees('/api/cloud/rooms?limit=500&kind=legacy_department', (id) => `/api/cloud/rooms/${id}`, 'room'),
    'GET /api/cloud/systems': () => sees(`/api/cloud/systems?limit=500&q=${encodeURIComponent('探针系统')}`, (id) => `/api/cloud/systems/${id}`, 'system'),
    'GET /api/cloud/systems/{id}': () => sees('/api/cloud/systems?limit=500', (id) => `/api/cloud/systems/${id}`, 'system'),
    'GET /api/cloud/vms': () => sees(`/api/cloud/vms?limit=500&q=${encodeURIComponent('探针虚拟机')}`, (id) => `/api/cloud/vms/${id}`, 'vm'),
    'GET /api/cloud/vms/{id}': () => sees('/api/cloud/vms?limit=500', (id) => `/api/cloud/vms/${id}`, 'vm'),
    'GET /api/cloud/quotas': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      const found = (await worker.get('/api/cloud/quotas?limit=500')).json().items.map((q: { department: { id: string } }) => q.department.id);
      expect(found).toContain(mine.department);
      expect(found).not.toContain(theirs.department);
    },
    'GET /api/cloud/quotas/{departmentId}': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      expect((await worker.get(`/api/cloud/quotas/${mine.department}`)).statusCode).toBe(200);
      expect((await worker.get(`/api/cloud/quotas/${theirs.department}`)).statusCode).toBe(404);
    },
    'GET /api/cloud/zones': async () => {
      const { worker } = context();
      const { mine, zone } = await setup();
      const grants = (await worker.get('/api/cloud/zones')).json().items.find((z: { code: string }) => z.code === zone).grants;
      expect(ids(grants)).toEqual([mine.department]);
    },
    'GET /api/cloud/consolidation': async () => {
      const { worker } = context();
      await setup();
      const report = (await worker.get('/api/cloud/consolidation')).json();
      // my room's 0.2 kW is in it; their room's 100 kW is not
      expect(report.before.powerKw).toBeGreaterThanOrEqual(0.2);
      expect(report.before.powerKw).toBeLessThan(99);
    },
  };
}

/** The shared pool: hosts, SAN pools, flavours and images belong to the platform, not to a region (D88). */
export const CLOUD_NOT_REGION_BOUND = ['/api/cloud/hosts', '/api/cloud/hosts/{id}', '/api/cloud/pools', '/api/cloud/flavours', '/api/cloud/images'].map((r) => `GET ${r}`);
