// One imported row, checked alone (pure): the header → field plan, and per column every problem a registration would
// raise — ID number (format, check character, impossible birth date, unknown county prefix), sex and birth date against
// it, 民族, mobile number, 居住类型, relation, dates. Checks that need the registry (community in the jurisdiction,
// household, duplicates) are the import service's.
import { checkIdNumber, isCnMobile } from '../../shared/id-number.ts';
import { isStorableText, storableCopy } from '../../shared/validators/text.ts';
import { countyCodeExists } from '../citizens/index.ts';
import { communityErrors } from './errors.ts';
import { ETHNICITIES } from './ethnicities.ts';
import { RELATIONS, RESIDENCE_STATUSES, type Relation, type ResidenceStatus } from './kinds.ts';

export type ImportCell = string | number | boolean | Date | null | undefined;

export const IMPORT_FIELDS = ['idNumber', 'name', 'sex', 'birthDate', 'ethnicity', 'phone', 'communityCode', 'householdNo', 'relation', 'address', 'residenceStatus', 'movedInOn'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Header names a column may carry (the template's Chinese first), matched trimmed and case-insensitively. */
const HEADERS: Readonly<Record<ImportField, readonly string[]>> = {
  idNumber: ['公民身份号码', '身份证号', '身份证号码', 'idNumber', 'id_number'],
  name: ['姓名', 'name'],
  sex: ['性别', 'sex', 'gender'],
  birthDate: ['出生日期', 'birthDate', 'birth_date'],
  ethnicity: ['民族', 'ethnicity'],
  phone: ['手机号码', '联系电话', 'phone'],
  communityCode: ['社区代码', '所在社区代码', 'communityCode', 'region'],
  householdNo: ['户号', 'householdNo'],
  relation: ['与户主关系', 'relation'],
  address: ['现住址', '地址', 'address'],
  residenceStatus: ['居住类型', 'residenceStatus'],
  movedInOn: ['迁入日期', 'movedInOn'],
};
export const REQUIRED_FIELDS: readonly ImportField[] = ['idNumber', 'name', 'ethnicity', 'communityCode', 'residenceStatus'];
/** The template's header row (the first name of each field). */
export const TEMPLATE_HEADER = IMPORT_FIELDS.map((f) => HEADERS[f][0]!);

export const RELATION_NAMES: Readonly<Record<string, Relation>> = { 户主: 'head', 本人: 'head', 配偶: 'spouse', 妻: 'spouse', 夫: 'spouse', 子女: 'child', 子: 'child', 女: 'child', 父母: 'parent', 父亲: 'parent', 母亲: 'parent', 祖父母: 'grandparent', 孙子女: 'grandchild', 兄弟姐妹: 'sibling', 其他: 'other' };
const RESIDENCE_NAMES: Readonly<Record<string, ResidenceStatus>> = { 户籍: 'registered', 户籍人口: 'registered', 常住: 'resident', 常住人口: 'resident', 流动: 'floating', 流动人口: 'floating' };
const ETHNICITY_BY_NAME = new Map(ETHNICITIES.flatMap((e) => [[e.zh, e.code], [e.code, e.code], [e.en.toLowerCase(), e.code]] as const));

export interface ColumnPlan<F extends string = ImportField> {
  /** Per field, its column index (or -1). */
  columnOf: Record<F, number>;
  /** Header names as written, per column. */
  headers: string[];
  missing: F[];
}

/** Columns of a header row by the names each field may carry (trimmed, case-insensitive, a BOM ignored). */
export function planColumnsOf<F extends string>(header: readonly ImportCell[], names: Readonly<Record<F, readonly string[]>>, required: readonly F[]): ColumnPlan<F> {
  const headers = header.map((h) => String(h ?? '').replace(/^\ufeff/, '').trim());
  const lower = headers.map((h) => h.toLowerCase());
  const columnOf = {} as Record<F, number>;
  for (const field of Object.keys(names) as F[]) columnOf[field] = lower.findIndex((h) => names[field].some((n) => n.toLowerCase() === h));
  return { columnOf, headers, missing: required.filter((f) => columnOf[f] < 0) };
}

export function planColumns(header: readonly ImportCell[]): ColumnPlan {
  return planColumnsOf(header, HEADERS, REQUIRED_FIELDS);
}

export interface ImportProblem {
  item: string;
  value: string | null;
  code: string;
  message: string;
}

/** A row every single check passed, as registered. */
export interface CheckedRow {
  idNumber: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  ethnicity: string;
  phone: string | null;
  communityCode: string;
  householdNo: string | null;
  relation: Relation | null;
  address: string;
  residenceStatus: ResidenceStatus;
  movedInOn: string | null;
}

export const problem = (item: string, value: string | null, code: keyof typeof communityErrors, detail = ''): ImportProblem => ({
  item,
  value,
  code,
  message: `${communityErrors[code].zh}${detail ? `（${detail}）` : ''}`,
});

/** A cell as text: XLSX dates as their calendar day, numbers without exponent (a long number typed as a number). */
export function textOf(cell: ImportCell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  if (typeof cell === 'number') return Number.isInteger(cell) ? BigInt(cell).toString() : String(cell);
  return String(cell).trim();
}

/**
 * The row's cells in mapped columns that the database could not store (NUL from a CSV, `_x0000_` or a lone
 * `_xD800_` escape in an XLSX string), one problem each, the value shown with U+FFFD in their place so that the
 * rejection itself can be stored. A row with any is refused before its other checks and before any write.
 */
export function unstorableCells<F extends string>(plan: ColumnPlan<F>, cells: readonly ImportCell[]): ImportProblem[] {
  const problems: ImportProblem[] = [];
  for (const column of new Set(Object.values<number>(plan.columnOf))) {
    if (column < 0) continue;
    const cell = cells[column];
    if (typeof cell !== 'string' || isStorableText(cell)) continue;
    problems.push(problem(plan.headers[column] ?? String(column + 1), storableCopy(cell).trim().slice(0, 200), 'community.unstorable_text'));
  }
  return problems;
}

const DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
function dateOf(text: string): string | null {
  const m = DATE.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

/** Checks one row's cells alone: the row as registered, or its problems (one per column at fault). */
export function checkRow(plan: ColumnPlan, cells: readonly ImportCell[], today: string): { row: CheckedRow } | { problems: ImportProblem[] } {
  const unstorable = unstorableCells(plan, cells);
  if (unstorable.length > 0) return { problems: unstorable };
  const problems: ImportProblem[] = [];
  const header = (f: ImportField) => plan.headers[plan.columnOf[f]] ?? HEADERS[f][0]!;
  const get = (f: ImportField) => (plan.columnOf[f] < 0 ? '' : textOf(cells[plan.columnOf[f]]));
  const bad = (f: ImportField, code: keyof typeof communityErrors, detail = '') => void problems.push(problem(header(f), get(f) || null, code, detail));
  for (const f of REQUIRED_FIELDS) if (get(f) === '') bad(f, 'community.required');

  const id = get('idNumber') === '' ? null : checkIdNumber(get('idNumber'), { today, regionExists: countyCodeExists });
  if (id && !id.ok) bad('idNumber', 'community.invalid_id_number', { format: '格式', check_digit: '校验位', birth_date: '出生日期', region: '地址码' }[id.problem] ?? id.problem);
  const name = get('name');
  if (name.length > 50) bad('name', 'community.too_long', '不超过 50 字');
  if (get('sex') !== '') {
    const sex = ({ 男: 'M', 女: 'F', m: 'M', f: 'F', male: 'M', female: 'F' } as Record<string, 'M' | 'F'>)[get('sex').toLowerCase()] ?? null;
    if (sex === null) bad('sex', 'community.invalid_value', '男 或 女');
    else if (id?.ok && sex !== (id.sex === 'male' ? 'M' : 'F')) bad('sex', 'community.id_mismatch');
  }
  if (get('birthDate') !== '') {
    const birth = dateOf(get('birthDate'));
    if (birth === null) bad('birthDate', 'community.invalid_date', 'YYYY-MM-DD');
    else if (id?.ok && birth !== id.birthDate) bad('birthDate', 'community.id_mismatch');
  }
  const ethnicity = get('ethnicity') === '' ? null : (ETHNICITY_BY_NAME.get(get('ethnicity')) ?? ETHNICITY_BY_NAME.get(get('ethnicity').toLowerCase()) ?? ETHNICITY_BY_NAME.get(get('ethnicity').padStart(2, '0')));
  if (get('ethnicity') !== '' && !ethnicity) bad('ethnicity', 'community.unknown_ethnicity');
  const phone = get('phone').replace(/^\+?86[- ]?/, '').replaceAll(/[\s-]/g, '');
  if (phone !== '' && !isCnMobile(phone)) bad('phone', 'community.invalid_phone');
  const community = get('communityCode');
  if (community !== '' && !/^\d{12}$/.test(community)) bad('communityCode', 'community.not_a_community');
  const residence = get('residenceStatus') === '' ? null : (RESIDENCE_NAMES[get('residenceStatus')] ?? ((RESIDENCE_STATUSES as readonly string[]).includes(get('residenceStatus')) ? (get('residenceStatus') as ResidenceStatus) : null));
  if (get('residenceStatus') !== '' && !residence) bad('residenceStatus', 'community.invalid_value', '户籍、常住或流动');
  const relationText = get('relation');
  const relation = relationText === '' ? null : (RELATION_NAMES[relationText] ?? ((RELATIONS as readonly string[]).includes(relationText) ? (relationText as Relation) : null));
  if (relationText !== '' && !relation) bad('relation', 'community.invalid_value', '户主、配偶、子女、父母、祖父母、孙子女、兄弟姐妹或其他');
  const householdNo = get('householdNo') || null;
  if (relation && !householdNo) bad('relation', 'community.household_not_found', '填写了关系但没有户号');
  let movedInOn: string | null = null;
  if (get('movedInOn') !== '') {
    movedInOn = dateOf(get('movedInOn'));
    if (movedInOn === null || movedInOn > today || (id?.ok && movedInOn < id.birthDate)) bad('movedInOn', 'community.invalid_date');
  }
  const address = get('address');
  if (address.length > 200) bad('address', 'community.too_long', '不超过 200 字');
  if (problems.length > 0 || !id?.ok) return { problems };
  return {
    row: {
      idNumber: id.idNumber,
      name,
      sex: id.sex === 'male' ? 'M' : 'F',
      birthDate: id.birthDate,
      ethnicity: ethnicity!,
      phone: phone || null,
      communityCode: community,
      householdNo,
      relation: householdNo ? (relation ?? 'other') : null,
      address,
      residenceStatus: residence!,
      movedInOn,
    },
  };
}
