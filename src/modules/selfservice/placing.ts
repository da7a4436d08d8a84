// Where a new VM goes: a host with room in its zone and a storage pool of the host's room, both claimed by conditional
// UPDATEs in the caller's transaction. TODO(merge): replace the body of `placeVm` with the placement module's
// `choosePlacement(trx, demand)` (src/modules/cloud/placement/), which weighs hosts, keeps the N+k reserve and
// anti-affinity; this stand-in is first fit with a retry when a concurrent placement took the room first.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { claimHostCapacity, claimPoolCapacity, firstFit, hostSnapshots, releaseHostCapacity, type HostSnapshot, type PlacementDemand } from '../cloud/index.ts';

export interface Placed {
  hostId: string;
  poolId: string;
}

/** Claims a host and a pool for the VM, or returns null (nothing claimed) when the pool has no room: `cloud.no_capacity`. */
export async function placeVm(trx: Transaction<Database>, demand: PlacementDemand & { diskGb: number }): Promise<Placed | null> {
  let hosts: HostSnapshot[] = (await hostSnapshots(trx)).filter((h) => !demand.haGroup || !h.haGroups.includes(demand.haGroup));
  for (let attempt = 0; attempt < 8 && hosts.length > 0; attempt++) {
    const chosen = firstFit(hosts, demand);
    if (!('hostId' in chosen)) return null;
    const hostId = chosen.hostId;
    if (await claimHostCapacity(trx, hostId, demand.vcpus, demand.memoryMb)) {
      const host = await trx.selectFrom('cloud_host').select('room_id').where('id', '=', hostId).executeTakeFirstOrThrow();
      const pools = await trx.selectFrom('cloud_storage_pool').select('id').where('room_id', '=', host.room_id).orderBy('kind').orderBy('code').execute();
      for (const pool of pools) if (await claimPoolCapacity(trx, pool.id, demand.diskGb)) return { hostId, poolId: pool.id };
      await releaseHostCapacity(trx, hostId, demand.vcpus, demand.memoryMb);
    }
    // another placement took the room meanwhile, or the host's room has no disk left: ask again without it
    hosts = hosts.filter((h) => h.id !== hostId);
  }
  return null;
}
