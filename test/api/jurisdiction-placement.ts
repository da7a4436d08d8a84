// Jurisdiction probes of placement (issue 10 §3), mounted by jurisdiction.test.ts: a reader of one community sees the
// hosts of rooms there (and hosts running its departments' VMs), never another community's; the policy is the pool's.
import { expect } from 'vitest';
import { newPool, newVm } from '../support/placement-factories.ts';
import type { ProbeContext } from './jurisdiction-data.ts';

/** The placement policy governs the whole pool: one row, the same for every reader. */
export const PLACEMENT_NOT_REGION_BOUND = ['GET /api/cloud/placement/policy'];

export function placementProbes(context: () => ProbeContext): Record<string, () => Promise<void>> {
  return {
    'GET /api/cloud/placement': async () => {
      const { db, worker, mine, theirs, theirDept } = context();
      const minePool = await newPool(db, { regionCode: mine.code, hosts: 1 });
      const theirPool = await newPool(db, { regionCode: theirs.code, hosts: 1 });
      // their department's VM on my room's host: the host is mine to see, the VM by size only
      const theirVm = await newVm(db, { departmentId: theirDept.id, hostId: minePool.hosts[0]!.id, zone: minePool.zone, vcpus: 2, name: '探针虚拟机' });
      const view = (await worker.get('/api/cloud/placement')).json() as { hosts: { id: string; vms: { id: string | null; name: string | null }[] }[] };
      const ids = view.hosts.map((h) => h.id);
      expect(ids).toContain(minePool.hosts[0]!.id);
      expect(ids).not.toContain(theirPool.hosts[0]!.id);
      const host = view.hosts.find((h) => h.id === minePool.hosts[0]!.id)!;
      expect(host.vms).toEqual([expect.objectContaining({ id: null, name: null })]);
      expect(JSON.stringify(view)).not.toContain(theirVm.id);
      // nor can it fail their host in a simulation
      expect((await worker.post('/api/cloud/placement/simulate', { hostIds: [theirPool.hosts[0]!.id] })).json()).toMatchObject({ status: 400, code: 'cloud.unknown_host' });
    },
  };
}
