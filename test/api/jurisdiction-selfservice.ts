// Jurisdiction probes of self-service (issue 10 §2), mounted by jurisdiction.test.ts: a reader of one community never
// sees another community's VM requests or VM ledgers, nor another department's approval policy.
import { expect } from 'vitest';
import { newCloudDepartment, newCloudWorld } from '../support/cloud-factories.ts';
import { newUser, uniq } from '../support/factories.ts';
import type { ProbeContext } from './jurisdiction-data.ts';

export function selfserviceProbes(context: () => ProbeContext): Record<string, () => Promise<void>> {
  let made: Promise<{ mine: { request: string; vm: string; dept: string }; theirs: { request: string; vm: string; dept: string } }> | undefined;
  const setup = () =>
    (made ??= (async () => {
      const { db, mine, theirs } = context();
      const world = await newCloudWorld(db, { hosts: 0 });
      const side = async (regionCode: string) => {
        const dept = await newCloudDepartment(db, { vcpus: 8, memoryMb: 8192, diskGb: 100, vms: 2 }, regionCode);
        const user = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode }] });
        const vm = await db
          .insertInto('cloud_vm')
          .values({ domain_name: `gc-${uniq()}`, name: '探针主机', department_id: dept.id, region_code: regionCode, region_path: dept.regionPath, vcpus: 1, memory_mb: 1024, disk_gb: 20, zone_code: world.zone, state: 'running' })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db.insertInto('cloud_vm_event').values({ vm_id: vm.id, seq: 1, action: 'provision', outcome: 'succeeded', state: 'running', detail: '{}' }).execute();
        const request = await db
          .insertInto('cloud_vm_request')
          .values({ request_no: uniq('PROBE'), kind: 'decommission', department_id: dept.id, region_code: regionCode, region_path: dept.regionPath, requested_by: user.id, vm_id: vm.id, vcpus: 1, memory_mb: 1024, disk_gb: 20, reason: '探针', state: 'pending_department' })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { request: request.id, vm: vm.id, dept: dept.id };
      };
      return { mine: await side(mine.code), theirs: await side(theirs.code) };
    })());
  const ids = (items: { id: string }[]) => items.map((i) => i.id);
  return {
    'GET /api/cloud/requests': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      const seen = ids((await worker.get('/api/cloud/requests?scope=all&state=pending_department&limit=200')).json().items);
      expect(seen).toContain(mine.request);
      expect(seen).not.toContain(theirs.request);
    },
    'GET /api/cloud/requests/{id}': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      expect((await worker.get(`/api/cloud/requests/${mine.request}`)).statusCode).toBe(200);
      expect((await worker.get(`/api/cloud/requests/${theirs.request}`)).statusCode).toBe(404);
    },
    'GET /api/cloud/vms/{id}/events': async () => {
      const { worker } = context();
      const { mine, theirs } = await setup();
      expect((await worker.get(`/api/cloud/vms/${mine.vm}/events`)).json().items).toHaveLength(1);
      expect((await worker.get(`/api/cloud/vms/${theirs.vm}/events`)).statusCode).toBe(404);
    },
    'GET /api/cloud/approval-policy': async () => {
      const { worker } = context();
      const { theirs } = await setup();
      // only platform approvers read policies, and only of departments in their region
      expect((await worker.get(`/api/cloud/approval-policy?departmentId=${theirs.dept}`)).statusCode).toBe(403);
    },
  };
}

/** The request form's choices: the caller's own department only (the caller is the filter). */
export const SELFSERVICE_NOT_REGION_BOUND = ['GET /api/cloud/request-options'];
