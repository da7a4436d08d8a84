// A building (楼栋) with its residents, and editing it: name, address, floors and grid, inside the manage scope, with
// the audit record in the same transaction. Creation and the list stay in service.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize, scopeCovers } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { invalid, notFound } from '../../shared/errors.ts';
import { chinaDate } from '../../shared/id-number.ts';
import { maskIdNumber } from '../../shared/sensitive.ts';
import type { AuditService } from '../audit/index.ts';
import * as repo from './repository.ts';

export interface BuildingEdit {
  name?: string;
  address?: string;
  floors?: number | null;
  gridId?: string | null;
}

const ageOn = (birth: string, today: string) => Number(today.slice(0, 4)) - Number(birth.slice(0, 4)) - (today.slice(5) < birth.slice(5) ? 1 : 0);

export class BuildingService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The building and its active residents (ID numbers masked: the full ones are on the resident's own page). */
  async get(ctx: RequestContext, id: string) {
    const { scope } = authorize(ctx, 'community.read', this.clock);
    const b = /^[0-9a-f-]{36}$/i.test(id) ? await repo.buildingById(this.db, id) : undefined;
    if (!b || !scopeCovers(scope, b.region_path)) throw notFound('community.building_not_found', 'No such building in your jurisdiction.', 'id');
    const residents = await this.db
      .selectFrom('community_resident as r')
      .leftJoin('community_household as h', 'h.id', 'r.household_id')
      .select(['r.id', 'r.name', 'r.sex', 'r.id_number', 'r.relation', 'r.residence_status', 'h.household_no'])
      .select((eb) => eb.cast<string>('r.birth_date', 'text').as('birth'))
      .where('r.building_id', '=', id)
      .where('r.status', '=', 'active')
      .orderBy('h.household_no')
      .orderBy('r.name')
      .limit(2000)
      .execute();
    const today = chinaDate(this.clock.now());
    return {
      id: b.id,
      communityCode: b.community_code,
      gridId: b.grid_id,
      name: b.name,
      address: b.address,
      floors: b.floors,
      residents: residents.map((r) => ({ id: r.id, name: r.name, sex: r.sex, age: ageOn(r.birth, today), idNumber: maskIdNumber(r.id_number), relation: r.relation, residenceStatus: r.residence_status, householdNo: r.household_no })),
    };
  }

  async edit(ctx: RequestContext, id: string, input: BuildingEdit) {
    const { scope } = authorize(ctx, 'community.manage', this.clock);
    await this.db.transaction().execute(async (trx) => {
      const b = await trx.selectFrom('community_building').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!b || !scopeCovers(scope, b.region_path)) throw notFound('community.building_not_found', 'No such building in your jurisdiction.', 'id');
      if (input.gridId) {
        const grid = await repo.gridById(trx, input.gridId);
        if (!grid || grid.community_code !== b.community_code) throw invalid('community.grid_not_found', 'gridId', 'No such grid in that community.');
      }
      const set = {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.address !== undefined ? { address: input.address } : {}),
        ...(input.floors !== undefined ? { floors: input.floors } : {}),
        ...(input.gridId !== undefined ? { grid_id: input.gridId } : {}),
      };
      if (Object.keys(set).length > 0) await trx.updateTable('community_building').set(set).where('id', '=', id).execute();
      await this.audit.record(trx, ctx, { action: 'community.building_edit', objectType: 'community_building', objectId: id, regionCode: b.community_code, detail: { changes: input } });
    });
    return this.get(ctx, id);
  }
}
