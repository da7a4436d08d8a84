// Where a new VM goes: the placement module's choice (weighers, anti-affinity, the N+k reserve under the pool's policy,
// D108) with the host's capacity and a storage pool of the host's room both claimed by conditional UPDATEs in the
// caller's transaction. A host whose room has no disk left is given back and placement asked again without it.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { claimHostCapacity, claimPoolCapacity, placeAndClaim, releaseHostCapacity, type ChooseOptions, type PlacementDemand, type PlacementRefusal } from '../cloud/index.ts';
import { DomainError } from '../../shared/errors.ts';

export interface Placed {
  hostId: string;
  poolId: string;
  /** false: placed without the N+k reserve (the policy allows it); the caller flags the placement. */
  reserveKept: boolean;
}

/** Claims a host and a pool for the VM, or says why not (nothing claimed): `cloud.no_capacity` with the reason. */
export async function placeVm(trx: Transaction<Database>, demand: PlacementDemand & { diskGb: number }, options: Pick<ChooseOptions, 'policy'> = {}): Promise<Placed | { refused: PlacementRefusal }> {
  let poolId: string | null = null;
  const claim = async (hostId: string): Promise<boolean> => {
    if (!(await claimHostCapacity(trx, hostId, demand.vcpus, demand.memoryMb))) return false;
    const pools = await trx
      .selectFrom('cloud_storage_pool as p')
      .innerJoin('cloud_host as h', 'h.room_id', 'p.room_id')
      .select('p.id')
      .where('h.id', '=', hostId)
      .orderBy('p.kind')
      .orderBy('p.code')
      .execute();
    for (const pool of pools) {
      if (await claimPoolCapacity(trx, pool.id, demand.diskGb)) {
        poolId = pool.id;
        return true;
      }
    }
    await releaseHostCapacity(trx, hostId, demand.vcpus, demand.memoryMb);
    return false;
  };
  try {
    const chosen = await placeAndClaim(trx, demand, { ...options, claim });
    return { hostId: chosen.hostId, poolId: poolId!, reserveKept: chosen.reserveKept };
  } catch (error) {
    if (error instanceof DomainError && error.code === 'cloud.no_capacity') return { refused: (error.details as { reason: PlacementRefusal }).reason };
    throw error;
  }
}
