// Community statistics: the incrementally kept cube equals a rebuild from the registry and the plain GROUP BY after a
// random mix of writes; exact ages on the asked day; past days from the residence history; drill-down, cross-tab,
// export; bad input and jurisdiction (each a 4xx naming the field, nothing written); two writers in one community.
import { randomInt } from 'node:crypto';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { postgresDialect } from '../../db/database.ts';
import { signedInWith, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { inRolledBackTransaction } from '../../../test/support/rollback.ts';
import { newHousehold, newResident } from '../../../test/support/community-factories.ts';
import { chinaDate } from '../../shared/id-number.ts';
import { DIMENSIONS } from './kinds.ts';
import * as repo from './repository.ts';
import type { CensusService } from './service.ts';

let db: Kysely<Database>;
let census: CensusService;
let admin: Client;
/** Communities of 伊吾县 (650522) no other test writes to: a street and three of its communities. */
let street: { code: string; path: string };
let communities: { code: string; path: string }[];
const today = () => chinaDate(new Date());

beforeAll(async () => {
  const { services } = await testApp();
  ({ db } = await testDb());
  census = (services as unknown as { census: CensusService }).census;
  const busiest = await sql<{ code: string; path: string }>`
    SELECT s.code, s.path FROM region s WHERE s.level = 3 AND s.path LIKE '/6505/650522/%'
    ORDER BY (SELECT count(*) FROM region c WHERE c.parent_code = s.code) DESC, s.code LIMIT 1`.execute(db);
  street = busiest.rows[0]!;
  communities = await db.selectFrom('region').select(['code', 'path']).where('level', '=', 4).where('path', 'like', `${street.path}%`).orderBy('code').limit(3).execute();
  expect(communities.length).toBe(3);
  admin = await signedInWith([{ role: 'platform_admin', regionCode: '6505' }]);
});

const sortRows = (rows: repo.CommunityCount[]) =>
  rows
    .filter((r) => r.n !== 0)
    .map((r) => `${r.community_code}|${r.value}|${r.n}`)
    .sort();

/** Cube (incremental) and plain GROUP BY over the registry agree for every dimension under `path`. */
async function expectCubeMatchesRegistry(path: string) {
  await census.fold();
  for (const dimension of DIMENSIONS) {
    const [cube, base] = await Promise.all([repo.cubeCounts(db, dimension, path, today()), repo.baseCounts(db, dimension, path, today(), today())]);
    expect(sortRows(cube), dimension).toEqual(sortRows(base));
  }
}

async function randomResident(communityCode: string, householdId?: string) {
  const resident = await newResident(db, {
    communityCode,
    householdId: householdId ?? null,
    birthDate: `${randomInt(1930, 2025)}-${String(randomInt(1, 13)).padStart(2, '0')}-${String(randomInt(1, 29)).padStart(2, '0')}`,
    ethnicity: ['01', '05', '17', '03'][randomInt(0, 4)]!,
    residenceStatus: (['registered', 'resident', 'floating'] as const)[randomInt(0, 3)]!,
  });
  return resident;
}

describe('incremental maintenance', () => {
  it('equals the rebuilt cube and the plain GROUP BY after a random mix of inserts, moves, labels, facts and deletions', async () => {
    const households = [];
    for (const c of communities) households.push(await newHousehold(db, { communityCode: c.code }), await newHousehold(db, { communityCode: c.code }));
    const residents: { id: string }[] = [];
    for (let i = 0; i < 30; i++) {
      const c = communities[i % 3]!;
      const h = i % 4 === 0 ? undefined : households.filter((x) => x.community_code === c.code)[i % 2]!.id;
      residents.push(await randomResident(c.code, h));
    }
    await expectCubeMatchesRegistry(street.path);
    const labels = ['elderly_alone', 'disabled', 'low_income', 'veteran'];
    const facts = ['medical_insurance', 'social_security', 'party_member'] as const;
    for (let step = 0; step < 60; step++) {
      const r = residents[randomInt(0, residents.length)]!;
      const op = randomInt(0, 8);
      if (op === 0) {
        // a move to another community (and out of the household)
        const to = communities[randomInt(0, 3)]!;
        await db.updateTable('community_resident').set({ community_code: to.code, region_path: to.path, household_id: null }).where('id', '=', r.id).execute();
      } else if (op === 1) {
        await db.insertInto('community_resident_label').values({ resident_id: r.id, label_code: labels[randomInt(0, labels.length)]! }).onConflict((oc) => oc.doNothing()).execute();
      } else if (op === 2) {
        await db.deleteFrom('community_resident_label').where('resident_id', '=', r.id).execute();
      } else if (op === 3) {
        await db
          .insertInto('community_resident_fact')
          .values({ resident_id: r.id, fact: facts[randomInt(0, 3)]!, value: randomInt(0, 2) === 1, source_resource_code: 'TEST' })
          .onConflict((oc) => oc.columns(['resident_id', 'fact']).doUpdateSet((eb) => ({ value: eb.not('community_resident_fact.value') })))
          .execute();
      } else if (op === 4) {
        await db.updateTable('community_resident').set({ status: randomInt(0, 2) === 0 ? 'moved_out' : 'active' }).where('id', '=', r.id).execute();
      } else if (op === 5) {
        const h = households[randomInt(0, households.length)]!;
        await db.updateTable('community_resident').set({ household_id: h.id, community_code: h.community_code, region_path: h.region_path }).where('id', '=', r.id).execute();
      } else if (op === 6) {
        residents.push(await randomResident(communities[randomInt(0, 3)]!.code));
      } else {
        // deletion: the residence rows go first (no cascade), labels and facts cascade
        await db.deleteFrom('community_residence').where('resident_id', '=', r.id).execute();
        await db.deleteFrom('community_resident').where('id', '=', r.id).execute();
        residents.splice(residents.indexOf(r), 1);
      }
      if (step % 20 === 19) await census.fold();
    }
    await expectCubeMatchesRegistry(street.path);
    const before = await Promise.all(DIMENSIONS.map((d) => repo.cubeCounts(db, d, street.path, today())));
    await census.rebuild();
    const after = await Promise.all(DIMENSIONS.map((d) => repo.cubeCounts(db, d, street.path, today())));
    DIMENSIONS.forEach((d, i) => expect(sortRows(after[i]!), d).toEqual(sortRows(before[i]!)));
    expect(await repo.pendingResidents(db)).toBe(0);
    // the rebuild counts each dimension apart: every cell exactly as census_cells (the fold's description) describes it
    const cellsOf = async (query: ReturnType<typeof sql>) => ((await query.execute(db)).rows as { k: string }[]).map((r) => r.k).sort();
    const direct = await cellsOf(sql`
      SELECT concat_ws('|', m.community_code, c.dim, c.value, count(*)) AS k
      FROM census_member m CROSS JOIN LATERAL census_cells(m.birth_date, m.sex, m.ethnicity, m.residence_status, m.medical_insurance,
                                                           m.social_security, m.party_member, m.household_size, m.labels) c
      WHERE m.region_path LIKE ${`${street.path}%`} GROUP BY m.community_code, c.dim, c.value`);
    expect(direct.length).toBeGreaterThan(30);
    expect(await cellsOf(sql`SELECT concat_ws('|', community_code, dim, value, n) AS k FROM census_cube WHERE region_path LIKE ${`${street.path}%`}`)).toEqual(direct);
  });

  it('builds an empty cube with its secondary indexes dropped and made again exactly as defined (D155)', async () => {
    const indexes = async (trx: Kysely<Database>) =>
      (await sql<{ def: string }>`SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid IN ('census_cube'::regclass, 'census_member'::regclass) ORDER BY 1`.execute(trx)).rows.map((r) => r.def);
    await inRolledBackTransaction(db, async (trx) => {
      const before = await indexes(trx);
      expect(before.some((d) => d.includes('census_cube_dim_value_path'))).toBe(true);
      await sql`DELETE FROM census_cube`.execute(trx);
      const built = await repo.rebuildIn(trx);
      expect(built.cells).toBeGreaterThan(0);
      expect(await indexes(trx)).toEqual(before);
      // the rebuilt indexes serve: the cube's cells of one dimension are found through them as through a scan
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM census_cube WHERE dim = 'sex'`.execute(trx);
      expect(rows[0]!.n).toBeGreaterThan(0);
    });
  });

  it('shows a committed insert after the next fold (the server folds every second)', async () => {
    const c = communities[0]!;
    const count = async () => (await census.tree('sex', c.path, today())).get(c.code)!.total;
    await census.fold();
    const before = await count();
    await randomResident(c.code);
    expect(await census.fold()).toBeGreaterThanOrEqual(1);
    expect(await count()).toBe(before + 1);
  });
});

describe('ages on the asked day', () => {
  it('puts a resident in the next band on the birthday, not before (cube and registry alike)', async () => {
    const c = communities[1]!;
    const t = today();
    const [y, m, d] = t.split('-').map(Number) as [number, number, number];
    // turns 18 tomorrow, and one who turned 18 today (skip the days where tomorrow is another month's or a 29th)
    const tomorrow = new Date(Date.UTC(y, m - 1, d + 1));
    const turnsTomorrow = `${y - 18}-${String(tomorrow.getUTCMonth() + 1).padStart(2, '0')}-${String(tomorrow.getUTCDate()).padStart(2, '0')}`;
    const turnedToday = `${y - 18}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    await census.fold();
    const before = (await census.tree('age', c.path, t)).get(c.code)!.counts;
    await newResident(db, { communityCode: c.code, birthDate: turnsTomorrow });
    await newResident(db, { communityCode: c.code, birthDate: turnedToday });
    await census.fold();
    const after = (await census.tree('age', c.path, t)).get(c.code)!.counts;
    expect((after['18-34'] ?? 0) - (before['18-34'] ?? 0)).toBe(1);
    expect((after['7-17'] ?? 0) - (before['7-17'] ?? 0)).toBe(1);
    await expectCubeMatchesRegistry(c.path);
  });
});

describe('API', () => {
  it('breaks a street down by its communities, and the numbers add up', async () => {
    await census.fold();
    const res = await admin.get(`/api/census/breakdown?dimension=sex&region=${street.code}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.source).toBe('cube');
    expect(body.node.code).toBe(street.code);
    expect(body.ancestors.map((a: { level: number }) => a.level)).toEqual([1, 2]);
    expect(body.values).toEqual(['M', 'F']);
    expect(body.children.length).toBeGreaterThanOrEqual(3);
    const sum = body.children.reduce((s: number, c: { total: number }) => s + c.total, 0);
    expect(sum).toBe(body.node.total);
    expect(body.node.counts.M + body.node.counts.F).toBe(body.node.total);
    // the prefecture by default
    const top = (await admin.get('/api/census/breakdown?dimension=label')).json();
    expect(top.node.level).toBe(1);
    expect(top.children.every((c: { level: number }) => c.level === 2)).toBe(true);
    expect(top.values.at(-1)).toBe('none');
    expect(top.names.elderly_alone).toBe('独居老人');
  });

  it('answers a past date from the residence history', async () => {
    const c = communities[2]!;
    const r = await newResident(db, { communityCode: c.code, movedInOn: '2024-03-01' });
    const count = async (asOf: string) => (await admin.get(`/api/census/breakdown?dimension=residence_status&region=${c.code}&asOf=${asOf}`)).json();
    const early = await count('2024-02-29');
    const later = await count('2024-03-01');
    expect(later.source).toBe('registry');
    expect(later.node.total - early.node.total).toBeGreaterThanOrEqual(1);
    // moved away on 2025-01-01: counted on the 31st of December, not after
    await db.updateTable('community_residence').set({ valid_to: '2025-01-01' }).where('resident_id', '=', r.id).execute();
    const dec = await count('2024-12-31');
    const jan = await count('2025-01-01');
    expect(dec.node.total - jan.node.total).toBeGreaterThanOrEqual(1);
  });

  it('cross-tabs two dimensions, the cells adding up to the total', async () => {
    const res = await admin.get(`/api/census/crosstab?dimension=age&second=sex&region=${street.code}`);
    expect(res.statusCode).toBe(200);
    const x = res.json();
    expect(x.rows.values[0]).toBe('0-6');
    expect(x.columns.values).toEqual(['M', 'F']);
    const sum = x.cells.flat().reduce((s: number, n: number) => s + n, 0);
    expect(sum).toBe(x.total);
    await census.fold(); // the cube catches up with the previous test's resident
    const breakdown = (await admin.get(`/api/census/breakdown?dimension=age&region=${street.code}`)).json();
    expect(x.cells.map((row: number[]) => row[0]! + row[1]!)).toEqual(x.rows.values.map((v: string) => breakdown.node.counts[v] ?? 0));
  });

  it('exports an XLSX workbook with the breakdown and the cross-tab, audited', async () => {
    const res = await admin.get(`/api/census/export.xlsx?dimension=ethnicity&second=sex&region=${street.code}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['民族', '交叉分析']);
    expect(workbook.worksheets[0]!.getRow(2).getCell(1).value).toBe('区划代码');
    const audit = await db.selectFrom('audit_log').select(['action', 'region_code']).where('action', '=', 'census.export').where('region_code', '=', street.code).execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['dimension=colour', 400, 'census.unknown_dimension', 'dimension'],
    ['dimension=', 400, 'census.unknown_dimension', 'dimension'],
    ['dimension=sex&asOf=2026-02-30', 400, 'census.invalid_date', 'asOf'],
    ['dimension=sex&asOf=yesterday', 400, 'census.invalid_date', 'asOf'],
    ['dimension=sex&asOf=2999-01-01', 400, 'census.future_date', 'asOf'],
    ['dimension=sex&region=659999', 404, 'census.unknown_region', 'region'],
    ['dimension=sex&region=abc', 400, 'census.unknown_region', 'region'],
  ])('breakdown?%s → %i %s naming %s', async (query, status, code, field) => {
    const res = await admin.get(`/api/census/breakdown?${query}`);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe(code);
    expect(JSON.stringify(res.json())).toContain(field);
  });

  it('refuses the same dimension twice in a cross-tab, and an unknown second one', async () => {
    const same = await admin.get('/api/census/crosstab?dimension=sex&second=sex');
    expect(same.statusCode).toBe(400);
    expect(same.json().code).toBe('census.same_dimension');
    expect(JSON.stringify(same.json())).toContain('second');
    const unknown = await admin.get('/api/census/crosstab?dimension=sex&second=shoe_size');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('census.unknown_dimension');
  });

  it('keeps a community worker to their community: another region is 403 naming region, no audit of an export', async () => {
    const mine = communities[0]!;
    const theirs = communities[1]!;
    const worker = await signedInWith([{ role: 'community_worker', regionCode: mine.code }]);
    const own = (await worker.get('/api/census/breakdown?dimension=sex')).json();
    expect(own.node.code).toBe(mine.code);
    expect(own.ancestors).toEqual([]);
    expect(own.children).toEqual([]);
    for (const url of [`/api/census/breakdown?dimension=sex&region=${theirs.code}`, `/api/census/breakdown?dimension=sex&region=${street.code}`, `/api/census/crosstab?dimension=sex&second=age&region=${theirs.code}`, `/api/census/export.xlsx?dimension=sex&region=${theirs.code}`]) {
      const res = await worker.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().code).toBe('census.region_outside');
      expect(JSON.stringify(res.json())).toContain('region');
    }
    const audit = await db.selectFrom('audit_log').select('action').where('action', '=', 'census.export').where('region_code', '=', theirs.code).execute();
    expect(audit).toEqual([]);
    const auditor = await signedInWith([{ role: 'auditor', regionCode: '6505' }]);
    expect((await auditor.get('/api/census/breakdown?dimension=sex')).statusCode).toBe(403);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('two writers at once (PostgreSQL)', () => {
  it('both land and the counts are right, neither waits for the other', async () => {
    const c = communities[0]!;
    const other = new Kysely<Database>({ dialect: postgresDialect(process.env.TEST_DATABASE_URL!.replace(/\/[^/]*$/, `/${(await sql<{ d: string }>`SELECT current_database() AS d`.execute(db)).rows[0]!.d}`), 2) });
    try {
      const h = await newHousehold(db, { communityCode: c.code });
      await census.fold();
      const before = (await census.tree('sex', c.path, today())).get(c.code)!.total;
      const base = await randomResident(c.code, h.id);
      // two transactions in the same community (and the same household) interleaved: both hold their writes open
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const first = db.transaction().execute(async (trx) => {
        await sql`INSERT INTO community_resident_label (resident_id, label_code) VALUES (${base.id}, 'veteran')`.execute(trx);
        await sql`UPDATE community_resident SET ethnicity = '05' WHERE id = ${base.id}`.execute(trx);
        await gate;
      });
      await new Promise((r) => setTimeout(r, 50));
      const started = Date.now();
      const second = other.transaction().execute(async (trx) => {
        await sql`INSERT INTO community_resident_fact (resident_id, fact, value, source_resource_code) VALUES (${base.id}, 'party_member', true, 'T')`.execute(trx);
      });
      const path = c.path;
      const secondDone = second.then(() => Date.now() - started);
      await new Promise((r) => setTimeout(r, 200));
      release();
      await Promise.all([first, secondDone]);
      await census.fold();
      expect(before + 1).toBe((await census.tree('sex', c.path, today())).get(c.code)!.total);
      await expectCubeMatchesRegistry(path);
      // two inserts into one community at once: no counter row is shared, so neither waits
      const t0 = Date.now();
      let hold!: () => void;
      const held = new Promise<void>((r) => (hold = r));
      const a = db.transaction().execute(async (trx) => {
        await sql`INSERT INTO community_resident (id_number, name, sex, birth_date, ethnicity, community_code, region_path, residence_status, moved_in_on)
                  VALUES (${`65052219900101${String(randomInt(1000, 9999))}`}, '甲', 'M', '1990-01-01', '01', ${c.code}, ${c.path}, 'registered', '2020-01-01')`.execute(trx);
        await held;
      });
      await new Promise((r) => setTimeout(r, 50));
      await other.transaction().execute(async (trx) => {
        await sql`INSERT INTO community_resident (id_number, name, sex, birth_date, ethnicity, community_code, region_path, residence_status, moved_in_on)
                  VALUES (${`65052219910101${String(randomInt(1000, 9999))}`}, '乙', 'F', '1991-01-01', '01', ${c.code}, ${c.path}, 'registered', '2020-01-01')`.execute(trx);
      });
      const waited = Date.now() - t0;
      hold();
      await a;
      expect(waited).toBeLessThan(1000);
      await census.fold();
      expect((await census.tree('sex', c.path, today())).get(c.code)!.total).toBe(before + 3);
      await expectCubeMatchesRegistry(path);
    } finally {
      await other.destroy();
    }
  });
});
