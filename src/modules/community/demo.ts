// Demo residents of the digital community: `options.residents ?? 50,000` people in households over the prefecture's
// real communities (urban 社区 larger than villages, 伊州区's the largest), a realistic age pyramid and household
// sizes, each county's ethnic mix with names to match, valid ID numbers with the county prefix, 2–6 grids per
// community (the demo grid worker on one of theirs), buildings in urban communities, ~5 % labelled, ~3 % with a
// past move. Deterministic (seeded PRNG), idempotent (skipped when residents exist), bulk (unnest of column arrays,
// secondary indexes built after the load: D125).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { dropSecondaryIndexes, rebuildIndexes, withoutTriggersIfAllowed } from '../../db/bulk-indexes.ts';
import type { DemoOptions } from '../../platform/module.ts';
import { idNumberCheckCharacter } from '../../shared/id-number.ts';
import { personName, type NameMix } from '../../seed/names.ts';
import { MobilePool } from '../../seed/phones.ts';
import { prng, type Prng } from '../../seed/prng.ts';
import type { Relation, ResidenceStatus } from './kinds.ts';

/** The day the demo's ages are counted from (fixed, so every run yields the same people). */
const DEMO_DAY = '2026-11-01';
const CHUNK = 5_000;

type People = 'han' | 'hui' | 'uyghur' | 'kazakh' | 'mongol';
const ETHNIC_CODE: Record<People, string> = { han: '01', mongol: '02', hui: '03', uyghur: '05', kazakh: '17' };
const NAME_MIX: Record<People, NameMix> = {
  han: { han: 1, uyghur: 0, kazakh: 0 },
  hui: { han: 1, uyghur: 0, kazakh: 0 },
  mongol: { han: 1, uyghur: 0, kazakh: 0 },
  uyghur: { han: 0, uyghur: 1, kazakh: 0 },
  kazakh: { han: 0, uyghur: 0, kazakh: 1 },
};
const PEOPLES: People[] = ['han', 'uyghur', 'kazakh', 'hui', 'mongol'];
/** Shares by county: 伊州区 Han with a large Uyghur minority; 巴里坤哈萨克自治县 many Kazakh; 伊吾县 Han with Kazakh and Uyghur. */
const COUNTY_MIX: Record<string, number[]> = {
  '650502': [0.69, 0.21, 0.03, 0.06, 0.01],
  '650521': [0.62, 0.02, 0.32, 0.03, 0.01],
  '650522': [0.72, 0.08, 0.17, 0.02, 0.01],
};
const DEFAULT_COUNTY_MIX = [0.7, 0.15, 0.1, 0.04, 0.01];
/** Household sizes 1–6 (七普-like: many one- and two-person households). */
const HOUSEHOLD_SIZES = [1, 2, 3, 4, 5, 6];
const HOUSEHOLD_WEIGHTS = [0.24, 0.3, 0.22, 0.13, 0.07, 0.04];
const LABELS_BY_CASE = { elderly: ['elderly_alone', 'disabled', 'low_income', 'veteran'], adult: ['disabled', 'low_income', 'veteran', 'community_correction', 'released_prisoner', 'mental_illness'], child: ['left_behind_child', 'disabled'] };

/** The registry tables the demo fills; their secondary indexes are built once after the load (D125). */
const LOADED_TABLES = ['community_grid', 'community_building', 'community_household', 'community_resident', 'community_residence', 'community_resident_label'];

interface Community {
  code: string;
  name: string;
  path: string;
  urban: boolean;
}

interface ResidentRow {
  id: string;
  id_number: string;
  name: string;
  sex: 'M' | 'F';
  birth_date: string;
  ethnicity: string;
  phone: string | null;
  household_id: string;
  relation: Relation;
  building_id: string | null;
  grid_id: string;
  community_code: string;
  region_path: string;
  address: string;
  residence_status: ResidenceStatus;
  moved_in_on: string;
}

interface ResidenceRow {
  resident_id: string;
  community_code: string;
  region_path: string;
  grid_id: string | null;
  residence_status: ResidenceStatus;
  valid_from: string;
  valid_to: string | null;
  reason: string;
}

/** A version-4 UUID from four 32-bit draws (a digit at a time cost more than half the generator's time). */
function uuidOf(rng: Prng): string {
  const word = () => Math.floor(rng.next() * 0x1_0000_0000);
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  const [a, b, c, d] = [word(), word(), word(), word()];
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-${hex(0x4000 | (b & 0x0fff), 4)}-${hex(0x8000 | ((c >>> 16) & 0x3fff), 4)}-${hex(c & 0xffff, 4)}${hex(d, 8)}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A birth date for an age on DEMO_DAY. */
function birthFor(rng: Prng, age: number): string {
  const year = Number(DEMO_DAY.slice(0, 4)) - age - (rng.next() < 0.85 ? 0 : 1);
  const month = rng.int(1, 12);
  const day = rng.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
  const date = `${year}-${pad(month)}-${pad(day)}`;
  return date > DEMO_DAY ? `${year - 1}-${pad(month)}-${pad(Math.min(day, 28))}` : date;
}

/** A head of household's age: few under 25, most 30–70, a tail to 95. */
function headAge(rng: Prng): number {
  return rng.weighted([rng.int(20, 29), rng.int(30, 44), rng.int(45, 59), rng.int(60, 74), rng.int(75, 95)], [0.08, 0.3, 0.32, 0.22, 0.08]);
}

export async function seedCommunityDemo(db: Kysely<Database>, options: DemoOptions): Promise<void> {
  const total = options.residents ?? 50_000;
  if (total <= 0) return;
  if (await db.selectFrom('community_resident').select('id').limit(1).executeTakeFirst()) return;
  const rows = await db
    .selectFrom('region')
    .select(['code', 'name', 'path'])
    .where('level', '=', 4)
    .where('valid_to', 'is', null)
    .where('path', 'like', `/${options.prefecture}/%`)
    .orderBy('code')
    .execute();
  if (rows.length === 0) return;
  const communities: Community[] = rows.map((r) => ({ ...r, urban: /社区/u.test(r.name) }));
  const rng = prng(`govcloud-community-${options.prefecture}`);
  const phones = new MobilePool(prng(`govcloud-community-phones-${options.prefecture}`));

  // share of the population per community: urban 伊州区 communities largest, villages smallest
  const weight = (c: Community) => (c.urban ? (c.code.startsWith('650502') ? 6 : 3) : 1) * (0.7 + 0.6 * rng.next());
  const weights = communities.map(weight);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const quota = weights.map((w) => Math.max(1, Math.round((w / weightSum) * total)));
  // make the quotas add up exactly
  let diff = total - quota.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % quota.length) {
    if (diff > 0) {
      quota[i]! += 1;
      diff -= 1;
    } else if (quota[i]! > 1) {
      quota[i]! -= 1;
      diff += 1;
    }
  }

  options.onStep?.(`community: grids and buildings of ${communities.length} communities`);
  const grids: { id: string; code: string; name: string; community_code: string; region_path: string }[] = [];
  const buildings: { id: string; community_code: string; region_path: string; grid_id: string; name: string; address: string; floors: number }[] = [];
  const gridsOf = new Map<string, string[]>();
  const buildingsOf = new Map<string, { id: string; grid: string; name: string; address: string }[]>();
  communities.forEach((c, i) => {
    const n = c.urban ? rng.int(4, 6) : rng.int(2, 3);
    const ids: string[] = [];
    for (let g = 1; g <= n; g++) {
      const id = uuidOf(rng);
      ids.push(id);
      grids.push({ id, code: `${c.code}-${pad(g)}`, name: `${c.name.replace(/(社区居委会|居委会|村委会|村民委员会)$/u, '')}第${g}网格`, community_code: c.code, region_path: c.path });
    }
    gridsOf.set(c.code, ids);
    if (c.urban) {
      const count = Math.max(4, Math.round(quota[i]! / 60));
      const list: { id: string; grid: string; name: string; address: string }[] = [];
      for (let b = 1; b <= count; b++) {
        const id = uuidOf(rng);
        const grid = ids[(b - 1) % ids.length]!;
        const name = `${b}号楼`;
        const address = `${c.name.replace(/(社区居委会|居委会)$/u, '')}小区${name}`;
        list.push({ id, grid, name, address });
        buildings.push({ id, community_code: c.code, region_path: c.path, grid_id: grid, name, address, floors: rng.pick([5, 6, 6, 7, 11, 18, 24]) });
      }
      buildingsOf.set(c.code, list);
    }
  });

  // one array per column through unnest: PostgreSQL reads typed arrays much faster than a JSON document of the rows
  const put = async (trx: Kysely<Database>, table: string, columns: Record<string, string>, data: readonly object[]) => {
    if (data.length === 0) return;
    const names = Object.keys(columns);
    const list = sql.raw(names.join(', '));
    for (let i = 0; i < data.length; i += CHUNK) {
      const chunk = data.slice(i, i + CHUNK) as readonly Record<string, unknown>[];
      const arrays = names.map((n) => sql`${chunk.map((row) => row[n] ?? null)}::${sql.raw(columns[n]!)}[]`);
      await sql`INSERT INTO ${sql.table(table)} (${list}) SELECT * FROM unnest(${sql.join(arrays)})`.execute(trx);
    }
  };
  const RESIDENT_COLUMNS = {
    id: 'uuid',
    id_number: 'text',
    name: 'text',
    sex: 'text',
    birth_date: 'date',
    ethnicity: 'text',
    phone: 'text',
    household_id: 'uuid',
    relation: 'text',
    building_id: 'uuid',
    grid_id: 'uuid',
    community_code: 'text',
    region_path: 'text',
    address: 'text',
    residence_status: 'text',
    moved_in_on: 'date',
  };
  options.onStep?.(`community: ${total} residents`);
  const taken = new Set<string>();
  const residents: ResidentRow[] = [];
  const households: { id: string; household_no: string; community_code: string; region_path: string; grid_id: string; building_id: string | null; address: string; member_count: number }[] = [];
  const residences: ResidenceRow[] = [];
  const labels: { resident_id: string; label_code: string }[] = [];

  const idNumber = (prefix: string, birth: string, sex: 'M' | 'F'): string => {
    let seq = rng.int(0, 499) * 2 + (sex === 'M' ? 1 : 0);
    let first17 = `${prefix}${birth.replaceAll('-', '')}${pad(seq, 3)}`;
    while (taken.has(first17)) {
      seq = (seq + 2) % 1000;
      first17 = `${prefix}${birth.replaceAll('-', '')}${pad(seq, 3)}`;
    }
    taken.add(first17);
    return first17 + idNumberCheckCharacter(first17);
  };

  // households first (residents refer to them), then residents, their residence rows and labels; flushed in chunks
  const flush = async (trx: Kysely<Database>) => {
    await put(trx, 'community_household', { id: 'uuid', household_no: 'text', community_code: 'text', region_path: 'text', grid_id: 'uuid', building_id: 'uuid', address: 'text', member_count: 'int' }, households.splice(0));
    await put(trx, 'community_resident', RESIDENT_COLUMNS, residents.splice(0));
    await put(trx, 'community_residence', { resident_id: 'uuid', community_code: 'text', region_path: 'text', grid_id: 'uuid', residence_status: 'text', valid_from: 'date', valid_to: 'date', reason: 'text' }, residences.splice(0));
    await put(trx, 'community_resident_label', { resident_id: 'uuid', label_code: 'text' }, labels.splice(0));
  };
  await db.transaction().execute(async (t) => {
    const trx = t as Kysely<Database>;
    // the generator's rows are consistent by construction: a superuser (PGlite's, a dev database's) loads them without
    // the per-row foreign-key checks and statistics triggers; the census cube is built once afterwards (its demo)
    await withoutTriggersIfAllowed(trx);
    // the secondary indexes (trigram, path, name, birth date, …) are built once after the load, in the same
    // transaction: a sorted build is much cheaper than ~50,000 random inserts into each
    const savedIndexes = await dropSecondaryIndexes(trx, LOADED_TABLES);
    await put(trx, 'community_grid', { id: 'uuid', code: 'text', name: 'text', community_code: 'text', region_path: 'text' }, grids);
    await put(trx, 'community_building', { id: 'uuid', community_code: 'text', region_path: 'text', grid_id: 'uuid', name: 'text', address: 'text', floors: 'int' }, buildings);
    for (const [ci, c] of communities.entries()) {
      const county = c.code.slice(0, 6);
      const mix = COUNTY_MIX[county] ?? DEFAULT_COUNTY_MIX;
      const others = communities.filter((o) => o.code.startsWith(county) && o.code !== c.code);
      let left = quota[ci]!;
      let householdNo = 0;
      while (left > 0) {
        const size = Math.min(left, rng.weighted(HOUSEHOLD_SIZES, HOUSEHOLD_WEIGHTS));
        left -= size;
        householdNo += 1;
        const people = rng.weighted(PEOPLES, mix);
        const grid = rng.pick(gridsOf.get(c.code)!);
        const building = c.urban ? rng.pick(buildingsOf.get(c.code)!) : null;
        const address = building ? `${building.address}${rng.int(1, 4)}单元${rng.int(1, 18)}0${rng.int(1, 4)}室` : `${c.name.replace(/(村委会|村民委员会)$/u, '')}${rng.int(1, 12)}组${rng.int(1, 99)}号`;
        const household = {
          id: uuidOf(rng),
          household_no: `${c.code}${pad(householdNo, 6)}`,
          community_code: c.code,
          region_path: c.path,
          grid_id: building?.grid ?? grid,
          building_id: building?.id ?? null,
          address,
          member_count: size,
        };
        households.push(household);
        const residenceStatus: ResidenceStatus = rng.weighted(['registered', 'resident', 'floating'] as const, [0.75, 0.17, 0.08]);
        const head = headAge(rng);
        const headSex: 'M' | 'F' = rng.next() < (size === 1 && head > 70 ? 0.4 : 0.7) ? 'M' : 'F';
        const members: { relation: Relation; age: number; sex: 'M' | 'F' }[] = [{ relation: 'head', age: head, sex: headSex }];
        if (size >= 2 && rng.next() < 0.85) members.push({ relation: 'spouse', age: Math.max(18, head + rng.int(-6, 4)), sex: headSex === 'M' ? 'F' : 'M' });
        while (members.length < size) {
          const r = rng.next();
          if (head >= 45 && r < 0.12 && !members.some((m) => m.relation === 'parent') && head + 22 < 100) members.push({ relation: 'parent', age: Math.min(99, head + rng.int(22, 32)), sex: rng.next() < 0.6 ? 'F' : 'M' });
          else if (head >= 52 && r < 0.35) members.push({ relation: 'grandchild', age: Math.max(0, head - rng.int(45, 60)), sex: rng.next() < 0.51 ? 'M' : 'F' });
          else if (members.length >= 2 && r < 0.4 && head < 45) members.push({ relation: 'sibling', age: Math.max(16, head + rng.int(-8, 8)), sex: rng.next() < 0.5 ? 'M' : 'F' });
          else members.push({ relation: 'child', age: Math.max(0, head - rng.int(22, 36)), sex: rng.next() < 0.51 ? 'M' : 'F' });
        }
        const headName = personName(rng, NAME_MIX[people], headSex).displayName;
        const movedIn = `${rng.int(1995, 2025)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
        for (const m of members) {
          const birth = birthFor(rng, m.age);
          let name = m.relation === 'head' ? headName : personName(rng, NAME_MIX[people], m.sex).displayName;
          // Han children carry their father's surname
          // (Uyghur and Kazakh children carry their father's given name after theirs)
          if (m.relation === 'child' && headSex === 'M') {
            if (people === 'uyghur' || people === 'kazakh') name = `${name.split('·')[0]}·${headName.split('·')[0]}`;
            else if (!name.includes('·')) name = headName[0] + name.slice(1);
          }
          const moved = movedIn < birth ? birth : movedIn;
          const id = uuidOf(rng);
          const status: ResidenceStatus = m.relation === 'head' ? residenceStatus : rng.next() < 0.9 ? residenceStatus : 'resident';
          residents.push({
            id,
            id_number: idNumber(county, birth, m.sex),
            name,
            sex: m.sex,
            birth_date: birth,
            ethnicity: ETHNIC_CODE[people],
            phone: m.age >= 16 && rng.next() < 0.9 ? phones.take() : null,
            household_id: household.id,
            relation: m.relation,
            building_id: household.building_id,
            grid_id: household.grid_id,
            community_code: c.code,
            region_path: c.path,
            address,
            residence_status: status,
            moved_in_on: moved,
          });
          // ~3 %: lived in another community of the county before
          if (others.length > 0 && rng.next() < 0.03 && moved > birth) {
            const before = rng.pick(others);
            const from = `${Math.max(Number(birth.slice(0, 4)) + 1, Number(moved.slice(0, 4)) - rng.int(2, 12))}-${pad(rng.int(1, 12))}-01`;
            if (from > birth && from < moved) {
              residences.push({ resident_id: id, community_code: before.code, region_path: before.path, grid_id: null, residence_status: status, valid_from: from, valid_to: moved, reason: 'move' });
            }
          }
          residences.push({ resident_id: id, community_code: c.code, region_path: c.path, grid_id: household.grid_id, residence_status: status, valid_from: moved, valid_to: null, reason: 'register' });
          // ~5 % carry a 重点人群 label fitting their age and household
          if (rng.next() < 0.05) {
            const label = m.age >= 65 ? (size === 1 ? 'elderly_alone' : rng.pick(LABELS_BY_CASE.elderly.slice(1))) : m.age < 16 ? rng.pick(LABELS_BY_CASE.child) : rng.pick(LABELS_BY_CASE.adult);
            labels.push({ resident_id: id, label_code: label });
          }
        }
      }
      if (residents.length >= CHUNK) await flush(trx);
    }
    await flush(trx);
    await rebuildIndexes(trx, savedIndexes);
  });

  // the demo grid worker works the first grid of their community
  await sql`
    INSERT INTO community_grid_worker (grid_id, user_id)
    SELECT g.id, u.id FROM app_user u
    JOIN role_grant rg ON rg.user_id = u.id AND rg.role = 'community_worker'
    JOIN LATERAL (SELECT id FROM community_grid WHERE community_code = rg.region_code ORDER BY code LIMIT 1) g ON true
    WHERE u.username = 'grid.worker'
    ON CONFLICT DO NOTHING
  `.execute(db);
}
