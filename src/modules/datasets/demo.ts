// Demo rows: every published resource without rows gets 100–1,000 synthetic valid rows (deterministic), loaded through
// the service as the system actor. Person resources draw from one synthetic population of Hami residents, so the
// resident view can join them by 身份证号.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DemoOptions } from '../../platform/module.ts';
import { systemActorContext } from '../../shared/context.ts';
import { idNumberCheckCharacter } from '../../shared/id-number.ts';
import { prng, type Prng } from '../../seed/prng.ts';
import { loadResourceMeta, type ItemMeta } from '../catalogue/index.ts';
import { MAX_PUSH_ROWS, type DatasetsService } from './service.ts';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '马', '艾', '买', '阿'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '霞', '平', '刚', '古丽', '江', '热依拉'];

export interface Resident {
  idNumber: string;
  name: string;
  phone: string;
  region: string;
  birthDate: string;
}

/** One synthetic population of valid 身份证号 in the prefecture's counties (the same for every resource). */
export function demoPopulation(size: number, counties: readonly string[], seed = 'datasets-population'): Resident[] {
  const r = prng(seed);
  const people: Resident[] = [];
  const seen = new Set<string>();
  while (people.length < size) {
    const region = r.pick(counties);
    const year = r.int(1940, 2015);
    const month = r.int(1, 12);
    const day = r.int(1, 28);
    const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    const first17 = `${region.slice(0, 6).padEnd(6, '0')}${birth}${String(r.int(0, 999)).padStart(3, '0')}`;
    const id = first17 + idNumberCheckCharacter(first17);
    if (seen.has(id)) continue;
    seen.add(id);
    people.push({
      idNumber: id,
      name: r.pick(SURNAMES) + r.pick(GIVEN) + (r.next() < 0.4 ? r.pick(GIVEN) : ''),
      phone: `1${r.pick(['3', '5', '7', '8', '9'])}${String(r.int(0, 999_999_999)).padStart(9, '0')}`,
      region,
      birthDate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    });
  }
  return people;
}

function valueFor(item: ItemMeta, r: Prng, person: Resident | null, row: number, regions: readonly string[]): unknown {
  switch (item.type) {
    case 'id_number':
      return person?.idNumber ?? null;
    case 'mobile':
      return person?.phone ?? `1${r.pick(['3', '5', '8'])}${String(r.int(0, 999_999_999)).padStart(9, '0')}`;
    case 'region_code':
      return person?.region ?? r.pick(regions);
    case 'integer':
      return item.isKey ? row : r.int(0, 10_000);
    case 'decimal':
      return Math.round(r.next() * 1_000_000) / 100;
    case 'boolean':
      return r.next() < 0.5;
    case 'date':
      return `${r.int(2015, 2026)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
    case 'datetime':
      return `${r.int(2020, 2026)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}T${String(r.int(8, 19)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}:00+08:00`;
    default: {
      if (item.isKey) return `${item.code.toUpperCase()}-${String(row).padStart(6, '0')}`;
      if (person && /name|姓名/.test(`${item.code}${item.name}`)) return person.name;
      if (/birth|出生/.test(`${item.code}${item.name}`) && person) return person.birthDate;
      const text = `${item.name}${r.int(1, 999)}`;
      return item.maxLength ? text.slice(0, item.maxLength) : text;
    }
  }
}

export async function seedDatasetsDemo(db: Kysely<Database>, datasets: DatasetsService, options: DemoOptions): Promise<void> {
  const resources = await db
    .selectFrom('data_resource')
    .select(['id', 'code'])
    .where('status', '=', 'published')
    .where('upstream_url', 'is', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('data_row').select('key').whereRef('data_row.resource_id', '=', 'data_resource.id'))))
    .orderBy('code')
    .execute();
  if (resources.length === 0) return;
  const counties = (await db.selectFrom('region').select('code').where('parent_code', '=', options.prefecture).orderBy('code').execute()).map((r) => r.code).filter((c) => c.length === 6);
  const regions = counties.length > 0 ? counties : [`${options.prefecture}02`];
  const population = demoPopulation(1200, regions);
  const ctx = systemActorContext();
  for (const resource of resources) {
    const meta = await loadResourceMeta(db, resource.id);
    if (!meta || meta.keyItems.length === 0) continue;
    options.onStep?.(`Demo rows: ${meta.code}`);
    const r = prng(`datasets-${meta.code}`);
    const count = Math.min(MAX_PUSH_ROWS, r.int(100, 1000));
    const personal = meta.items.some((i) => i.type === 'id_number');
    // every person resource covers the head of the one population (so the resident view finds people in several)
    const start = r.int(0, 50);
    const rows = Array.from({ length: count }, (_, n) => {
      const person = personal ? population[(start + n) % population.length]! : null;
      return Object.fromEntries(meta.items.map((item) => [item.code, valueFor(item, r, person, n + 1, regions)]).filter(([, v]) => v !== null));
    });
    await datasets.push(ctx, { resource: meta.id, rows });
  }
}
