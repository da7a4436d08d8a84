// The community demo seed on a fresh in-memory database of its own: counts, valid ID numbers with the county prefix,
// households with one head and true member counts, each county's ethnic mix, grids, labels, past moves; idempotent.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type DatabaseHandle } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { checkIdNumber } from '../../shared/id-number.ts';
import { countyCodeExists } from '../citizens/index.ts';
import { importRegions } from '../regions/index.ts';
import { seedCommunityDemo } from './demo.ts';

const N = 3_000;
let handle: DatabaseHandle;
const rows = async <T>(text: string) => (await sql.raw<T>(text).execute(handle.db)).rows;
/** Every index of the tables the seed fills, as the catalogue defines it (the seed drops and rebuilds them: D125). */
const INDEXES_OF_LOADED_TABLES = `SELECT indexdef FROM pg_indexes WHERE tablename IN ('community_grid', 'community_building', 'community_household',
  'community_resident', 'community_residence', 'community_resident_label') ORDER BY indexdef`;
let indexesBefore: { indexdef: string }[];

beforeAll(async () => {
  handle = openPglite(undefined);
  await migrateToLatest(handle.db);
  await importRegions(handle.db, '6505');
  indexesBefore = await rows<{ indexdef: string }>(INDEXES_OF_LOADED_TABLES);
  await seedCommunityDemo(handle.db, { prefecture: '6505', residents: N });
}, 300_000);

afterAll(async () => {
  await handle?.close();
});

describe('community demo seed', () => {
  it('seeds exactly N residents with valid ID numbers carrying their county, sex and birth date', async () => {
    const people = await rows<{ id_number: string; sex: string; birth: string; community_code: string; phone: string | null }>(
      `SELECT id_number, sex, to_char(birth_date, 'YYYY-MM-DD') AS birth, community_code, phone FROM community_resident`,
    );
    expect(people).toHaveLength(N);
    for (const p of people) {
      const check = checkIdNumber(p.id_number, { today: '2026-11-27', regionExists: countyCodeExists });
      expect(check.ok, p.id_number).toBe(true);
      if (!check.ok) continue;
      expect(check.birthDate).toBe(p.birth);
      expect(check.sex === 'male' ? 'M' : 'F').toBe(p.sex);
      expect(p.id_number.slice(0, 6)).toBe(p.community_code.slice(0, 6));
      if (p.phone !== null) expect(p.phone).toMatch(/^1[3-9]\d{9}$/);
    }
  });

  it('fills households of 1–6 with one head each and true member counts', async () => {
    const bad = await rows<{ id: string }>(`
      SELECT h.id FROM community_household h
      LEFT JOIN community_resident r ON r.household_id = h.id
      GROUP BY h.id, h.member_count
      HAVING count(r.id) <> h.member_count OR count(*) FILTER (WHERE r.relation = 'head') <> 1 OR h.member_count NOT BETWEEN 1 AND 6`);
    expect(bad).toEqual([]);
  });

  it('spreads residents over every community, urban ones larger, with 2–6 grids each', async () => {
    const [spread] = await rows<{ communities: number; urban: number; rural: number }>(`
      SELECT count(DISTINCT r.community_code)::int AS communities,
             avg(n) FILTER (WHERE c.name LIKE '%社区%')::int AS urban, avg(n) FILTER (WHERE c.name NOT LIKE '%社区%')::int AS rural
      FROM (SELECT community_code, count(*) AS n FROM community_resident GROUP BY 1) r JOIN region c ON c.code = r.community_code`);
    expect(spread!.communities).toBe(307);
    expect(spread!.urban).toBeGreaterThan(spread!.rural);
    const grids = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM community_grid GROUP BY community_code`);
    expect(grids).toHaveLength(307);
    expect(grids.every((g) => g.n >= 2 && g.n <= 6)).toBe(true);
  });

  it('follows each county’s ethnic mix: Barkol has many Kazakh, Yizhou many Uyghur', async () => {
    const share = await rows<{ county: string; kazakh: number; uyghur: number }>(`
      SELECT substr(community_code, 1, 6) AS county, avg((ethnicity = '17')::int)::float AS kazakh, avg((ethnicity = '05')::int)::float AS uyghur
      FROM community_resident GROUP BY 1`);
    const of = (c: string) => share.find((s) => s.county === c)!;
    expect(of('650521').kazakh).toBeGreaterThan(0.2);
    expect(of('650502').uyghur).toBeGreaterThan(0.12);
    const names = await rows<{ name: string; ethnicity: string }>(`SELECT name, ethnicity FROM community_resident`);
    for (const n of names) expect(n.name.includes('·')).toBe(n.ethnicity === '05' || n.ethnicity === '17');
  });

  it('labels about 5 % and gives about 3 % a past residence elsewhere, closed where the current one opens', async () => {
    const [labelled] = await rows<{ n: number }>(`SELECT count(DISTINCT resident_id)::int AS n FROM community_resident_label`);
    expect(labelled!.n / N).toBeGreaterThan(0.025);
    expect(labelled!.n / N).toBeLessThan(0.08);
    const moves = await rows<{ ok: boolean }>(`
      SELECT (p.valid_to = c.valid_from AND p.community_code <> c.community_code) AS ok
      FROM community_residence p JOIN community_residence c ON c.resident_id = p.resident_id AND c.valid_to IS NULL
      WHERE p.valid_to IS NOT NULL`);
    expect(moves.length / N).toBeGreaterThan(0.01);
    expect(moves.length / N).toBeLessThan(0.05);
    expect(moves.every((m) => m.ok)).toBe(true);
    const [open] = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM community_residence WHERE valid_to IS NULL`);
    expect(open!.n).toBe(N);
  });

  it('leaves every index of the loaded tables as the migrations defined it', async () => {
    expect(indexesBefore.length).toBeGreaterThan(15);
    expect(indexesBefore.some((i) => i.indexdef.includes('gin_trgm_ops'))).toBe(true);
    expect(await rows<{ indexdef: string }>(INDEXES_OF_LOADED_TABLES)).toEqual(indexesBefore);
  });

  it('does nothing on a second run, and the trigram indexes are back', async () => {
    await seedCommunityDemo(handle.db, { prefecture: '6505', residents: N });
    const [count] = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM community_resident`);
    expect(count!.n).toBe(N);
    const indexes = await rows<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = 'community_resident' AND indexname LIKE '%trgm' ORDER BY 1`);
    expect(indexes.map((i) => i.indexname)).toEqual(['community_resident_id_trgm', 'community_resident_name_trgm']);
  });
});
