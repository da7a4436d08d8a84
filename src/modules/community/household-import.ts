// Household files (D113): one row per household — 户号, 地址, 户主身份证号, 成员 ("身份证号:关系" entries) and an
// optional 社区代码 — checked per row and column, then checked against the registry and written in ONE transaction
// (households upserted by number, memberships set, member counts recounted, the report, the counts and the audit
// record), each step one set-wise statement over arrays however many rows the file has.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { RequestContext } from '../../shared/context.ts';
import { checkIdNumber } from '../../shared/id-number.ts';
import type { AuditService } from '../audit/index.ts';
import { RELATION_NAMES, planColumnsOf, problem, textOf, unstorableCells, type ColumnPlan, type ImportCell, type ImportProblem } from './import-rows.ts';
import { ImportTally, insertRejections } from './import-run.ts';
import { RELATIONS, type Relation } from './kinds.ts';

export const HOUSEHOLD_FIELDS = ['householdNo', 'communityCode', 'address', 'headIdNumber', 'members'] as const;
export type HouseholdField = (typeof HOUSEHOLD_FIELDS)[number];

const HEADERS: Readonly<Record<HouseholdField, readonly string[]>> = {
  householdNo: ['户号', 'householdNo'],
  communityCode: ['社区代码', '所在社区代码', 'communityCode'],
  address: ['地址', '住址', '现住址', 'address'],
  headIdNumber: ['户主身份证号', '户主公民身份号码', 'headIdNumber'],
  members: ['成员', '家庭成员', 'members'],
};
const REQUIRED: readonly HouseholdField[] = ['householdNo', 'headIdNumber'];
/** The columns of a household file's header row. */
export const planHouseholdColumns = (header: readonly ImportCell[]): ColumnPlan<HouseholdField> => planColumnsOf(header, HEADERS, REQUIRED);
/** The household template's header row. */
export const HOUSEHOLD_TEMPLATE_HEADER = HOUSEHOLD_FIELDS.map((f) => HEADERS[f][0]!);

/**
 * A member's relation: the registry's code (spouse…), its Chinese name (配偶…), or a GB/T 4761 家庭关系代码 — two
 * digits whose first gives the kind (1 配偶, 2/3 子女, 4 孙子女, 5 父母, 6 祖父母, 7 兄弟姐妹, 8/9 其他; 0x is 本人/户主).
 */
export function relationOf(text: string): Relation | null {
  const t = text.trim();
  if (/^\d{2}$/.test(t)) return (['head', 'spouse', 'child', 'child', 'grandchild', 'parent', 'grandparent', 'sibling', 'other', 'other'] as const)[Number(t[0])]!;
  return RELATION_NAMES[t] ?? ((RELATIONS as readonly string[]).includes(t.toLowerCase()) ? (t.toLowerCase() as Relation) : null);
}

export interface HouseholdRow {
  householdNo: string;
  communityCode: string | null;
  address: string;
  headIdNumber: string;
  members: { idNumber: string; relation: Exclude<Relation, 'head'>; entry: string }[];
}

const idOf = (text: string, today: string) => {
  const checked = checkIdNumber(text, { today });
  return checked.ok ? checked.idNumber : null;
};

/** One household row checked alone (pure): the row, or its problems (one per column at fault). */
export function checkHouseholdRow(plan: ColumnPlan<HouseholdField>, cells: readonly ImportCell[], today: string): { row: HouseholdRow } | { problems: ImportProblem[] } {
  const unstorable = unstorableCells(plan, cells);
  if (unstorable.length > 0) return { problems: unstorable };
  const problems: ImportProblem[] = [];
  const header = (f: HouseholdField) => plan.headers[plan.columnOf[f]] ?? HEADERS[f][0]!;
  const get = (f: HouseholdField) => (plan.columnOf[f] < 0 ? '' : textOf(cells[plan.columnOf[f]]));
  const bad = (f: HouseholdField, value: string | null, code: Parameters<typeof problem>[2], detail = '') => void problems.push(problem(header(f), value, code, detail));
  for (const f of REQUIRED) if (get(f) === '') bad(f, null, 'community.required');
  const householdNo = get('householdNo');
  if (householdNo !== '' && !/^[0-9A-Za-z-]{1,32}$/.test(householdNo)) bad('householdNo', householdNo, 'community.invalid_value', '1–32 位字母、数字或连字符');
  const communityCode = get('communityCode') || null;
  if (communityCode !== null && !/^\d{12}$/.test(communityCode)) bad('communityCode', communityCode, 'community.not_a_community');
  const address = get('address');
  if (address.length > 200) bad('address', address, 'community.too_long', '不超过 200 字');
  const head = get('headIdNumber') === '' ? null : idOf(get('headIdNumber'), today);
  if (get('headIdNumber') !== '' && head === null) bad('headIdNumber', get('headIdNumber'), 'community.invalid_id_number');
  const members: HouseholdRow['members'] = [];
  const listed = new Set(head === null ? [] : [head]);
  for (const entry of get('members').split(/[;；,，\n]+/).map((e) => e.trim()).filter(Boolean)) {
    const [idText = '', relationText = '', ...rest] = entry.split(/[:：]/).map((x) => x.trim());
    const idNumber = idOf(idText, today);
    const relation = relationOf(relationText);
    if (idNumber === null || rest.length > 0) bad('members', entry, 'community.invalid_id_number', '每位成员写作 身份证号:关系');
    else if (relation === null) bad('members', entry, 'community.invalid_value', '关系为配偶、子女、父母、祖父母、孙子女、兄弟姐妹、其他或 GB/T 4761 代码');
    else if (relation === 'head') bad('members', entry, 'community.head_exists', '户主只填在户主身份证号一列');
    else if (listed.has(idNumber)) bad('members', entry, 'community.duplicate_resident', idNumber === head ? '户主不必再列为成员' : '同一户中重复');
    else {
      listed.add(idNumber);
      members.push({ idNumber, relation, entry });
    }
  }
  if (problems.length > 0) return { problems };
  return { row: { householdNo, communityCode, address, headIdNumber: head!, members } };
}

export interface HouseholdRunOptions {
  importId: string;
  scopePaths: readonly string[];
  allOrNothing: boolean;
  today: string;
  audit: { ctx: RequestContext; action: string; detail: Record<string, unknown> };
}

interface Registered {
  id: string;
  id_number: string;
  community_code: string;
  household_id: string | null;
  status: string;
}

/** The engine of one household file: rows kept after their own checks, then one transaction (commit). */
export class HouseholdImportRun extends ImportTally {
  private plan: ColumnPlan<HouseholdField> | null = null;
  private readonly rows: { rowNo: number; row: HouseholdRow }[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly auditService: AuditService,
    clock: Clock,
    private readonly options: HouseholdRunOptions,
  ) {
    super(clock);
  }

  header(record: readonly ImportCell[]): boolean {
    this.plan = planHouseholdColumns(record);
    for (const f of this.plan.missing) this.reject(0, problem(HEADERS[f][0]!, null, 'community.import_missing_column'));
    return this.plan.missing.length === 0;
  }

  async row(rowNo: number, cells: readonly ImportCell[]): Promise<void> {
    if (cells.every((c) => c === null || c === undefined || String(c).trim() === '')) return;
    this.totalRows++;
    const checked = checkHouseholdRow(this.plan!, cells, this.options.today);
    if ('problems' in checked) for (const p of checked.problems) this.reject(rowNo, p);
    else this.rows.push({ rowNo, row: checked.row });
    if (this.totalRows % 5000 === 0) await this.db.updateTable('community_import').set({ status: 'validating', bytes_read: String(this.bytesRead), total_rows: this.totalRows, rejected_rows: this.rejectedRows.size }).where('id', '=', this.options.importId).execute();
  }

  /** Checks every kept row against the registry and writes the accepted ones, all in one transaction. */
  async finish(): Promise<'committed' | 'rejected'> {
    const { importId } = this.options;
    await this.db.updateTable('community_import').set({ status: 'committing', total_rows: this.totalRows }).where('id', '=', importId).execute();
    return this.db.transaction().execute(async (trx) => {
      const accepted = this.rejected.some((r) => r.rowNo === 0) ? [] : await this.checkAgainstRegistry(trx);
      if (this.rejected.some((r) => r.rowNo === 0) || (this.options.allOrNothing && this.rejected.length > 0)) {
        await insertRejections(trx, importId, this.rejected);
        await trx.updateTable('community_import').set(this.counts('rejected', 0, 0)).where('id', '=', importId).execute();
        return 'rejected';
      }
      const { inserted, updated } = await this.write(trx, accepted);
      await insertRejections(trx, importId, this.rejected);
      await trx.updateTable('community_import').set(this.counts('committed', inserted, updated)).where('id', '=', importId).execute();
      const { ctx, action, detail } = this.options.audit;
      await this.auditService.record(trx, ctx, {
        action,
        objectType: 'community_import',
        objectId: importId,
        detail: { ...detail, rows: this.totalRows, inserted, updated, rejected: this.rejectedRows.size },
      });
      return 'committed';
    });
  }

  private inScope(path: string): boolean {
    return this.options.scopePaths.some((root) => path.startsWith(root));
  }

  /**
   * The registry's side, read with row locks so nothing changes before the write: the households by number, every
   * resident named (head or member), their communities. Returns the accepted rows with their resolved ids.
   */
  private async checkAgainstRegistry(trx: Transaction<Database>) {
    const numbers = [...new Set(this.rows.map((r) => r.row.householdNo))];
    const idNumbers = [...new Set(this.rows.flatMap((r) => [r.row.headIdNumber, ...r.row.members.map((m) => m.idNumber)]))];
    const households = new Map(
      numbers.length === 0
        ? []
        : (await trx.selectFrom('community_household').select(['id', 'household_no', 'community_code', 'region_path']).where(sql<boolean>`household_no = ANY(${numbers}::text[])`).forUpdate().execute()).map((h) => [h.household_no, h]),
    );
    const residents = new Map<string, Registered>(
      idNumbers.length === 0
        ? []
        : (
            await trx
              .selectFrom('community_resident')
              .select(['id', 'id_number', 'community_code', 'household_id', 'status'])
              .where(sql<boolean>`id_number = ANY(${idNumbers}::text[])`)
              .forUpdate()
              .execute()
          ).map((r) => [r.id_number, r]),
    );
    const codes = [...new Set([...residents.values()].map((r) => r.community_code))];
    const paths = new Map(codes.length === 0 ? [] : (await trx.selectFrom('region').select(['code', 'path']).where('code', 'in', codes).execute()).map((r) => [r.code, r.path]));
    const headerOf = (f: HouseholdField) => this.plan!.headers[this.plan!.columnOf[f]] ?? HEADERS[f][0]!;
    const firstRowOfNumber = new Map<string, number>();
    const firstRowOfResident = new Map<string, number>();
    const accepted: { rowNo: number; row: HouseholdRow; communityCode: string; path: string; householdId: string | null; members: { residentId: string; relation: Relation }[] }[] = [];
    for (const { rowNo, row } of this.rows) {
      const fail = (f: HouseholdField, value: string | null, code: Parameters<typeof problem>[2], detail = '') => {
        this.reject(rowNo, problem(headerOf(f), value, code, detail));
        return false;
      };
      let ok = true;
      const earlier = firstRowOfNumber.get(row.householdNo);
      if (earlier !== undefined) ok = fail('householdNo', row.householdNo, 'community.duplicate_household', `与第 ${earlier} 行重复`);
      else firstRowOfNumber.set(row.householdNo, rowNo);
      const existing = households.get(row.householdNo);
      const head = residents.get(row.headIdNumber);
      const headPath = head ? paths.get(head.community_code) : undefined;
      if (!head || head.status !== 'active' || headPath === undefined) ok = fail('headIdNumber', row.headIdNumber, 'community.resident_not_found');
      else if (!this.inScope(headPath)) ok = fail('headIdNumber', row.headIdNumber, 'community.out_of_jurisdiction');
      else if (row.communityCode !== null && row.communityCode !== head.community_code) ok = fail('communityCode', row.communityCode, 'community.invalid_value', '与户主所在社区不一致');
      if (existing && !this.inScope(existing.region_path)) ok = fail('householdNo', row.householdNo, 'community.out_of_jurisdiction');
      else if (existing && head && existing.community_code !== head.community_code) ok = fail('householdNo', row.householdNo, 'community.household_not_found', '该户号已在其他社区登记');
      const members: { residentId: string; relation: Relation }[] = [];
      for (const [idNumber, relation, item, value] of [[row.headIdNumber, 'head', 'headIdNumber', row.headIdNumber] as const, ...row.members.map((m) => [m.idNumber, m.relation, 'members', m.entry] as const)]) {
        const r = residents.get(idNumber);
        if (!r) {
          if (item === 'members') ok = fail(item, value, 'community.resident_not_found');
          continue;
        }
        const seen = firstRowOfResident.get(idNumber);
        if (seen !== undefined && seen !== rowNo) ok = fail(item, value, 'community.duplicate_resident', `已列在第 ${seen} 行`);
        else firstRowOfResident.set(idNumber, rowNo);
        if (item === 'members' && (r.status !== 'active' || (head && r.community_code !== head.community_code))) ok = fail(item, value, 'community.resident_not_found', '须为户主所在社区的在册居民');
        else if (r.household_id !== null && r.household_id !== existing?.id) ok = fail(item, value, 'community.already_member');
        members.push({ residentId: r.id, relation });
      }
      if (ok) accepted.push({ rowNo, row, communityCode: head!.community_code, path: headPath!, householdId: existing?.id ?? null, members });
    }
    return accepted;
  }

  /** The accepted households in four set-wise statements: upsert, members let go, members set, counts. */
  private async write(trx: Transaction<Database>, accepted: Awaited<ReturnType<HouseholdImportRun['checkAgainstRegistry']>>) {
    if (accepted.length === 0) return { inserted: 0, updated: 0 };
    const at = this.clock.now();
    const { rows: saved } = await sql<{ id: string; household_no: string; inserted: boolean }>`
      INSERT INTO community_household (household_no, community_code, region_path, address, updated_at)
      SELECT v.no, v.code, v.path, v.address, ${at}::timestamptz
        FROM unnest(${accepted.map((a) => a.row.householdNo)}::text[], ${accepted.map((a) => a.communityCode)}::text[], ${accepted.map((a) => a.path)}::text[],
                    ${accepted.map((a) => a.row.address)}::text[]) AS v(no, code, path, address)
      ON CONFLICT (household_no) DO UPDATE
        SET address = CASE WHEN EXCLUDED.address = '' THEN community_household.address ELSE EXCLUDED.address END, updated_at = EXCLUDED.updated_at
      RETURNING id, household_no, (xmax = 0) AS inserted
    `.execute(trx);
    const idOfNumber = new Map(saved.map((s) => [s.household_no, s.id]));
    const householdIds = saved.map((s) => s.id);
    const memberIds = accepted.flatMap((a) => a.members.map((m) => m.residentId));
    const memberHouseholds = accepted.flatMap((a) => a.members.map(() => idOfNumber.get(a.row.householdNo)!));
    const relations = accepted.flatMap((a) => a.members.map((m) => m.relation));
    // the file's row is the whole household: members it no longer lists leave it
    await sql`
      UPDATE community_resident SET household_id = NULL, relation = NULL, version = version + 1, updated_at = ${at}
       WHERE household_id = ANY(${householdIds}::uuid[]) AND NOT (id = ANY(${memberIds}::uuid[]))
    `.execute(trx);
    await sql`
      UPDATE community_resident r SET household_id = v.household_id, relation = v.relation, version = r.version + 1, updated_at = ${at}
        FROM unnest(${memberIds}::uuid[], ${memberHouseholds}::uuid[], ${relations}::text[]) AS v(resident_id, household_id, relation)
       WHERE r.id = v.resident_id AND (r.household_id IS DISTINCT FROM v.household_id OR r.relation IS DISTINCT FROM v.relation)
    `.execute(trx);
    await sql`
      UPDATE community_household h SET member_count = (SELECT count(*) FROM community_resident r WHERE r.household_id = h.id AND r.status = 'active')
       WHERE h.id = ANY(${householdIds}::uuid[])
    `.execute(trx);
    const inserted = saved.filter((s) => s.inserted).length;
    return { inserted, updated: saved.length - inserted };
  }
}
