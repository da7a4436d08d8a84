// The registry's tables and the one resident filter (jurisdiction, age on a date, labels, facts, fragments).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { checkIdNumber } from '../../shared/id-number.ts';
import { testDb } from '../../../test/support/db.ts';
import { COMMUNITY_A, COMMUNITY_B, makeIdNumber, newResident } from '../../../test/support/community-factories.ts';
import { minusYears, regionPathOf, residentWhere, type ResidentFilter } from './index.ts';
import { countResidents } from './repository.ts';

let db: Kysely<Database>;
beforeAll(async () => {
  ({ db } = await testDb());
});

const TODAY = '2026-11-27';
const ids = async (paths: string[], filter: ResidentFilter) =>
  (await db.selectFrom('community_resident as r').select('r.id').where((eb) => residentWhere(eb, { paths }, filter, TODAY)).execute()).map((r) => r.id);

describe('community registry contract', () => {
  it('makes valid ID numbers carrying birth date and sex', () => {
    for (const sex of ['M', 'F'] as const) {
      const id = makeIdNumber('1960-02-29', sex);
      expect(checkIdNumber(id, { today: TODAY }).ok).toBe(true);
      expect(Number(id[16]) % 2).toBe(sex === 'M' ? 1 : 0);
    }
  });

  it('subtracts years at month ends', () => {
    expect(minusYears('2024-02-29', 1)).toBe('2023-02-28');
    expect(minusYears('2026-11-27', 60)).toBe('1966-11-27');
  });

  it('filters by jurisdiction, region, age on the day, labels and facts', async () => {
    const a = await newResident(db, { communityCode: COMMUNITY_A, birthDate: '1966-11-27', sex: 'F' });
    const b = await newResident(db, { communityCode: COMMUNITY_B, birthDate: '1966-11-28', sex: 'F' });
    const pathA = (await regionPathOf(db, COMMUNITY_A))!;
    const pathB = (await regionPathOf(db, COMMUNITY_B))!;
    expect(await ids([pathA], { q: a.name })).toEqual([a.id]);
    expect(await ids([pathB], { q: a.name })).toEqual([]);
    expect(await ids([], { q: a.name })).toEqual([]);
    expect(await ids(['/'], { q: a.id_number.slice(6, 14) })).toContain(a.id);
    // 60 today for a, 59 for b (birthday tomorrow)
    const sixty = await ids([pathA, pathB], { ageMin: 60, ageMax: 60 });
    expect(sixty).toContain(a.id);
    expect(sixty).not.toContain(b.id);
    expect(await ids([pathA, pathB], { ageMax: 59, q: b.name })).toEqual([b.id]);
    await db.insertInto('community_label').values({ code: 'contract_test', name: '测试' }).onConflict((oc) => oc.doNothing()).execute();
    await db.insertInto('community_resident_label').values({ resident_id: b.id, label_code: 'contract_test', added_by: null }).execute();
    expect(await ids(['/'], { labels: ['contract_test'] })).toEqual([b.id]);
    await db.insertInto('community_resident_fact').values({ resident_id: a.id, fact: 'medical_insurance', value: true, source_resource_code: 'X', source_updated_at: null }).execute();
    const uninsured = await ids([pathA, pathB], { facts: { medical_insurance: false }, ageMin: 59 });
    expect(uninsured).toContain(b.id);
    expect(uninsured).not.toContain(a.id);
  });

  it('counts the list total up to a cap, and says when it stopped there', async () => {
    for (let i = 0; i < 3; i++) await newResident(db, { communityCode: COMMUNITY_B, name: '封顶计数' });
    const pathB = (await regionPathOf(db, COMMUNITY_B))!;
    expect(await countResidents(db, { paths: [pathB] }, { q: '封顶计数' }, TODAY, 2)).toEqual({ total: 2, exact: false });
    expect(await countResidents(db, { paths: [pathB] }, { q: '封顶计数' }, TODAY, 3)).toEqual({ total: 3, exact: true });
  });
});
