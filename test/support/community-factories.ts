// Factories for the digital community (issue 8): a grid, a household and residents with valid ID numbers. They write
// rows directly (the registry's own tests go through its service); the residence history row is written too.
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { idNumberCheckCharacter } from '../../src/shared/id-number.ts';
import type { Relation, ResidenceStatus } from '../../src/modules/community/index.ts';
import { uniq } from './factories.ts';

/** Hami communities from the region table (imported by the test database): 建国北路社区 and 复兴路社区 of 东河街道. */
export const COMMUNITY_A = '650502001002';
export const COMMUNITY_B = '650502001003';

async function pathOf(db: Kysely<Database>, code: string): Promise<string> {
  const row = await db.selectFrom('region').select('path').where('code', '=', code).executeTakeFirstOrThrow();
  return row.path;
}

/** A valid 18-digit ID number for a birth date and sex, with the region prefix of `regionCode` (first 6 digits). */
export function makeIdNumber(birthDate: string, sex: 'M' | 'F', regionCode = '650502'): string {
  // the sequence's last digit is odd for men, even for women
  const seq = String(randomInt(0, 500) * 2 + (sex === 'M' ? 1 : 0)).padStart(3, '0');
  const first17 = `${regionCode.slice(0, 6)}${birthDate.replaceAll('-', '')}${seq}`;
  return first17 + idNumberCheckCharacter(first17);
}

export async function newGrid(db: Kysely<Database>, input: { communityCode?: string; name?: string } = {}) {
  const communityCode = input.communityCode ?? COMMUNITY_A;
  return db
    .insertInto('community_grid')
    .values({ code: uniq('G'), name: input.name ?? uniq('网格'), community_code: communityCode, region_path: await pathOf(db, communityCode) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function newHousehold(db: Kysely<Database>, input: { communityCode?: string; gridId?: string | null; address?: string } = {}) {
  const communityCode = input.communityCode ?? COMMUNITY_A;
  return db
    .insertInto('community_household')
    .values({
      household_no: uniq('H'),
      community_code: communityCode,
      region_path: await pathOf(db, communityCode),
      grid_id: input.gridId ?? null,
      address: input.address ?? '',
      updated_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface ResidentInput {
  communityCode?: string;
  name?: string;
  sex?: 'M' | 'F';
  birthDate?: string;
  ethnicity?: string;
  phone?: string | null;
  householdId?: string | null;
  relation?: Relation | null;
  gridId?: string | null;
  residenceStatus?: ResidenceStatus;
  movedInOn?: string;
  idNumber?: string;
}

export async function newResident(db: Kysely<Database>, input: ResidentInput = {}) {
  const communityCode = input.communityCode ?? COMMUNITY_A;
  const path = await pathOf(db, communityCode);
  const sex = input.sex ?? (randomInt(0, 2) === 0 ? 'M' : 'F');
  const birthDate = input.birthDate ?? `19${randomInt(40, 99)}-0${randomInt(1, 10)}-1${randomInt(0, 10)}`;
  const movedInOn = input.movedInOn ?? '2020-01-01';
  const residenceStatus = input.residenceStatus ?? 'registered';
  return db.transaction().execute(async (trx) => {
    const resident = await trx
      .insertInto('community_resident')
      .values({
        id_number: input.idNumber ?? makeIdNumber(birthDate, sex),
        name: input.name ?? uniq('居民'),
        sex,
        birth_date: birthDate,
        ethnicity: input.ethnicity ?? '01',
        phone: input.phone === undefined ? `139${String(randomInt(0, 1e8)).padStart(8, '0')}` : input.phone,
        household_id: input.householdId ?? null,
        relation: input.relation ?? null,
        grid_id: input.gridId ?? null,
        community_code: communityCode,
        region_path: path,
        residence_status: residenceStatus,
        moved_in_on: movedInOn,
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('community_residence')
      .values({ resident_id: resident.id, community_code: communityCode, region_path: path, grid_id: resident.grid_id, residence_status: residenceStatus, valid_from: movedInOn })
      .execute();
    if (input.householdId) await trx.updateTable('community_household').set((eb) => ({ member_count: eb('member_count', '+', 1) })).where('id', '=', input.householdId!).execute();
    return resident;
  });
}
