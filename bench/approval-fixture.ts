// A bench fixture for administrative approval (issue 9): departments in the prefecture and its counties, service
// items with realistic limits and fees, and `n` cases in realistic states and clocks, written by INSERT … SELECT
// generate_series in chunks (fast on PostgreSQL and PGlite). Due dates approximate working days as 7/5 calendar days
// (the fixture does not need the legal calendar; the rules read the stored columns). Most cases run within their
// limits; a few percent are past the promised or the statutory limit, paused for 补正, charged on a free item, etc.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema.ts';

const CHUNK = 100_000;

/** County-level bureaus the fixture makes in each county (and in the prefecture), as the seed names them. */
const BUREAUS = ['市场监督管理局', '人力资源和社会保障局', '民政局', '自然资源局', '卫生健康委员会', '交通运输局', '住房和城乡建设局', '农业农村局'];
/** One item per bureau (same order): names with (statutory, promised) limits in working days and whether a fee is lawful. */
const ITEMS: [string, number, number, boolean][] = [
  ['食品经营许可', 20, 10, false],
  ['人力资源服务许可', 20, 10, false],
  ['最低生活保障审核确认', 30, 20, false],
  ['建设工程规划许可证核发', 20, 15, true],
  ['医疗机构执业登记', 45, 30, false],
  ['道路运输经营许可', 20, 10, false],
  ['建筑工程施工许可证核发', 15, 7, false],
  ['农药经营许可', 20, 10, true],
];

export interface FillOptions {
  prefecture?: string;
  /** The business date the clocks are laid out around (default today, Beijing). */
  today?: string;
  /** Cases given to this handler (else none: department admins are the responsible staff). */
  handlerId?: string | null;
  onProgress?: (done: number, total: number) => void;
}

export interface Fixture {
  departments: number;
  items: number;
  cases: number;
}

/** Makes the departments and items once (idempotent by code), then adds `n` open cases. */
export async function fillCases(db: Kysely<Database>, n: number, options: FillOptions = {}): Promise<Fixture> {
  const prefecture = options.prefecture ?? '6505';
  const today = options.today ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  await sql`
    INSERT INTO department (code, name, kind, region_code)
    SELECT 'BENCH-' || r.code || '-' || b.k, r.name || b.name, 'government', r.code
    FROM region r CROSS JOIN unnest(${BUREAUS}::text[]) WITH ORDINALITY AS b(name, k)
    WHERE r.valid_to IS NULL AND (r.code = ${prefecture} OR (r.level = 2 AND r.path LIKE ${`/${prefecture}/%`}))
    ON CONFLICT (code) DO NOTHING
  `.execute(db);
  const names = ITEMS.map((i) => i[0]);
  await sql`
    INSERT INTO approval_item (code, name, department_id, region_code, region_path, kind, legal_basis, statutory_days, promised_days, fee_lawful, fee_yuan, updated_at)
    SELECT 'BENCH-' || d.code || '-' || i.k, i.name, d.id, d.region_code, r.path, 'licence', '《中华人民共和国行政许可法》第四十二条',
           i.statutory, i.promised, i.fee, CASE WHEN i.fee THEN 100 ELSE 0 END, now()
    FROM department d JOIN region r ON r.code = d.region_code
    CROSS JOIN unnest(${names}::text[], ${ITEMS.map((i) => i[1])}::int[], ${ITEMS.map((i) => i[2])}::int[], ${ITEMS.map((i) => i[3])}::bool[]) WITH ORDINALITY AS i(name, statutory, promised, fee, k)
    WHERE d.code LIKE 'BENCH-%' AND i.k = split_part(d.code, '-', 3)::int
    ON CONFLICT (code) DO NOTHING
  `.execute(db);
  await sql`
    INSERT INTO approval_item_step (item_id, seq, step, name, limit_days, required)
    SELECT it.id, s.seq, s.step, s.name, s.lim, true
    FROM approval_item it
    CROSS JOIN (VALUES (1, 'accept', '受理', 5), (2, 'review', '审查', NULL), (3, 'decide', '决定', NULL), (4, 'conclude', '办结', NULL), (5, 'deliver', '送达', 10)) AS s(seq, step, name, lim)
    WHERE it.code LIKE 'BENCH-%' AND NOT EXISTS (SELECT 1 FROM approval_item_step x WHERE x.item_id = it.id)
  `.execute(db);
  const start = Number((await db.selectFrom('approval_case').select((eb) => eb.fn.countAll<string>().as('n')).where('case_no', 'like', 'BC%').executeTakeFirstOrThrow()).n);
  for (let from = start; from < start + n; from += CHUNK) {
    const to = Math.min(start + n, from + CHUNK);
    await db.transaction().execute(async (trx) => {
      // g.u: a uniform draw per case that picks the state; g.f: another that sets the age — young cases are many (f³ of
      // the statutory span), 3 % are past the statutory limit by 1–10 days
      await sql`
        WITH it AS (
          SELECT id, department_id, region_code, region_path, statutory_days, promised_days, fee_lawful,
                 (row_number() OVER (ORDER BY code) - 1)::int AS k, count(*) OVER ()::int AS n
          FROM approval_item WHERE code LIKE 'BENCH-%'
        ), g AS (
          SELECT i, ((i::bigint * 2654435761) % 1000)::int AS u, ((i::bigint * 40503) % 997)::float8 / 997 AS f FROM generate_series(${from}::int, ${to - 1}::int) i
        ), c AS (
          SELECT g.i, g.u, it.*,
                 ${today}::date - CASE WHEN g.u % 33 = 0 THEN it.statutory_days * 7 / 5 + 2 + g.i % 10 ELSE floor(g.f ^ 3 * it.statutory_days * 7 / 5)::int END AS applied,
                 CASE WHEN g.u < 100 THEN 'submitted' WHEN g.u < 300 THEN 'accepted' WHEN g.u < 850 THEN 'reviewing' ELSE 'decided' END AS state
          FROM g JOIN it ON it.k = g.i % it.n
        ), a AS (
          SELECT c.*, CASE WHEN c.state = 'submitted' THEN NULL ELSE c.applied + (c.i % 2) END AS accepted
          FROM c
        )
        INSERT INTO approval_case (case_no, item_id, department_id, region_code, region_path, channel, applicant_kind, applicant_name,
                                   applicant_id_number, applicant_phone, state, applied_on, registered_at, handler_id, accepted_on, fee_yuan,
                                   statutory_days, promised_days, corrections, statutory_due, promised_due, paused_since, updated_at)
        SELECT 'BC' || lpad(a.i::text, 10, '0'), a.id, a.department_id, a.region_code, a.region_path,
               CASE WHEN a.i % 3 = 0 THEN 'counter' ELSE 'online' END, 'citizen',
               (ARRAY['王','李','张','刘','陈','杨','马','阿不都','买买提','努尔','古丽','艾力'])[1 + a.i % 12] || (ARRAY['伟','芳','娜','军','敏','静','强','江','热依拉','别克'])[1 + (a.i / 12) % 10],
               '650502' || to_char(date '1960-01-01' + (a.i % 15000), 'YYYYMMDD') || lpad((a.i % 1000)::text, 3, '0') || 'X',
               '139' || lpad((a.i % 100000000)::text, 8, '0'),
               a.state, a.applied,
               -- 0.3 % entered at the counter days after the application (late entry)
               (a.applied + CASE WHEN a.u % 331 = 0 THEN 6 ELSE 0 END)::timestamp + interval '10 hours' - interval '8 hours',
               ${options.handlerId ?? null}::uuid,
               a.accepted,
               CASE WHEN a.u % 499 = 0 AND NOT a.fee_lawful THEN 50 ELSE 0 END,
               a.statutory_days, a.promised_days,
               CASE WHEN a.u % 97 = 0 THEN 2 WHEN a.u % 13 = 0 THEN 1 ELSE 0 END,
               a.accepted + (a.statutory_days * 7 / 5 + CASE WHEN a.u % 97 = 0 THEN 7 ELSE 0 END),
               a.accepted + (a.promised_days * 7 / 5),
               CASE WHEN a.u % 53 = 0 AND a.accepted IS NOT NULL THEN least(${today}::date, a.accepted + 3) END,
               -- last changed when it was accepted (or applied for): what a day-old backlog looks like to the sweep
               coalesce(a.accepted, a.applied)::timestamp + interval '3 hours'
        FROM a
      `.execute(trx);
      await sql`
        INSERT INTO approval_case_event (case_id, seq, action, from_state, to_state, on_date, at)
        SELECT c.id, 1, 'submit', NULL, 'submitted', c.applied_on, c.registered_at FROM approval_case c
        WHERE c.case_no >= ${'BC' + String(from).padStart(10, '0')} AND c.case_no <= ${'BC' + String(to - 1).padStart(10, '0')}
        UNION ALL
        SELECT c.id, 2, 'accept', 'submitted', 'accepted', c.accepted_on, c.registered_at FROM approval_case c
        WHERE c.case_no >= ${'BC' + String(from).padStart(10, '0')} AND c.case_no <= ${'BC' + String(to - 1).padStart(10, '0')} AND c.accepted_on IS NOT NULL
      `.execute(trx);
    });
    options.onProgress?.(to - start, n);
  }
  const count = async (table: 'department' | 'approval_item', column: 'code') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where(column, 'like', 'BENCH-%').executeTakeFirstOrThrow()).n);
  return { departments: await count('department', 'code'), items: await count('approval_item', 'code'), cases: start + n };
}
