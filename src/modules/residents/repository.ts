// SQL of the resident view: resources keyed by a person, the caller department's usable grants, the person's rows.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** Published resources that hold a person item (身份证号), with their provider. */
export async function personResources(db: Kysely<Database>) {
  return db
    .selectFrom('data_resource as r')
    .innerJoin('department as d', 'd.id', 'r.provider_department_id')
    .select(['r.id', 'r.code', 'r.name', 'r.theme', 'r.update_cycle', 'r.provider_department_id', 'r.region_code', 'd.name as provider_name'])
    .where('r.person_item', 'is not', null)
    .where('r.status', '=', 'published')
    .orderBy('r.code')
    .execute();
}

/**
 * The department's grants on those resources that are neither revoked nor expired at `now`; with `clientAppId`, only
 * those open to that consuming system (bound to it or to any of the department's systems).
 */
export async function usableGrants(db: Kysely<Database>, departmentId: string, resourceIds: readonly string[], now: Date, clientAppId?: string | null) {
  if (resourceIds.length === 0) return [];
  return db
    .selectFrom('data_grant as g')
    .innerJoin('share_grant as s', 's.id', 'g.share_id')
    .select(['g.share_id', 'g.resource_id', 'g.region_prefix', 'g.masks', 's.fields', 's.purpose', 's.expires_at'])
    .where('g.consumer_department_id', '=', departmentId)
    .where('g.resource_id', 'in', resourceIds)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .$if(!!clientAppId, (q) => q.where((eb) => eb.or([eb('g.client_app_id', 'is', null), eb('g.client_app_id', '=', clientAppId!)])))
    .execute();
}

/** The person's current rows in the given resources (served by data_row_person). */
export async function personRows(db: Kysely<Database>, idNumber: string, resourceIds: readonly string[]) {
  if (resourceIds.length === 0) return [];
  return db
    .selectFrom('data_row')
    .select(['resource_id', 'data', 'region_code', 'updated_at'])
    .where('person_id', '=', idNumber)
    .where('resource_id', 'in', resourceIds)
    .where('deleted', '=', false)
    .orderBy('updated_at', 'desc')
    .execute();
}

/** Each resource's newest committed load. */
export async function lastLoads(db: Kysely<Database>, resourceIds: readonly string[]) {
  if (resourceIds.length === 0) return [];
  return db
    .selectFrom('data_load')
    .select(['resource_id', 'finished_at'])
    .distinctOn('resource_id')
    .where('resource_id', 'in', resourceIds)
    .where('status', '=', 'committed')
    .orderBy('resource_id')
    .orderBy('finished_at', 'desc')
    .execute();
}

