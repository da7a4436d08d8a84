// Row validation against a resource's info items: types, required, length, keys, 身份证号 (GB 11643), mobile numbers,
// GB/T 2260 region codes. Pure: the loads (files and pushed rows) and the demo use it alike.
import type { ItemMeta, ResourceMeta } from '../catalogue/index.ts';
import { invalid } from '../../shared/errors.ts';
import { CN_MOBILE } from '../../shared/id-number.ts';
import type { RejectionCode } from './errors.ts';

/** A value as a parser hands it over: text (CSV, JSON), or a typed cell (XLSX, JSON numbers and booleans). */
export type Cell = string | number | boolean | Date | null | undefined;

export interface Rejection {
  item: string;
  value: string | null;
  code: RejectionCode;
}

export interface AcceptedRow {
  /** The key items' values joined by U+001F. */
  key: string;
  /** The row's data as JSON text ({itemCode: value}), written as it is validated (no object, no stringify). */
  json: string;
  /** Whether `json` holds a backslash (an escaped character), which COPY's text format must double. */
  backslash: boolean;
  regionCode: string | null;
  personId: string | null;
}

export const KEY_SEPARATOR = '\u001f';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const INTEGER = /^[+-]?\d{1,15}$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const TRUE = new Set(['true', '1', '是', 'y', 'yes', 't']);
const FALSE = new Set(['false', '0', '否', 'n', 'no', 'f']);

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether y-m-d is a day of the Gregorian calendar, without a Date (years 100–9999, as the Date check it replaced). */
function realDate(y: number, m: number, d: number): boolean {
  if (!(y >= 100 && m >= 1 && m <= 12 && d >= 1)) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= MONTH_DAYS[m - 1]! + (leap ? 1 : 0);
}

/** The digit at i (0–9), or -1. */
function digit(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** YYYY-MM-DD that is a real day, by character codes (the path every loaded date takes). */
function isDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const d = digit(text, i);
    if (d < 0) return false;
    y = y * 10 + d;
  }
  const m1 = digit(text, 5), m2 = digit(text, 6), d1 = digit(text, 8), d2 = digit(text, 9);
  if (m1 < 0 || m2 < 0 || d1 < 0 || d2 < 0) return false;
  return realDate(y, m1 * 10 + m2, d1 * 10 + d2);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * 身份证号 as checkIdNumber (src/shared/id-number.ts) judges it — format, MOD 11-2 check character, a real birth date
 * from 1900 to `today` — by character codes, without its intermediate strings: the upper-case number or the problem.
 */
export function idNumberOf(value: string, today: string): string | { code: RejectionCode } {
  const text = value.length === 18 ? value : value.trim();
  if (text.length !== 18) return { code: 'id_number_format' };
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = digit(text, i);
    if (d < 0) return { code: 'id_number_format' };
    sum += d * ID_WEIGHTS[i]!;
  }
  let last = text.charCodeAt(17);
  if (last === 120) last = 88; // x → X
  if (!((last >= 48 && last <= 57) || last === 88)) return { code: 'id_number_format' };
  if (ID_CHECK.charCodeAt(sum % 11) !== last) return { code: 'id_number_check_digit' };
  const y = digit(text, 6) * 1000 + digit(text, 7) * 100 + digit(text, 8) * 10 + digit(text, 9);
  const m = digit(text, 10) * 10 + digit(text, 11);
  const d = digit(text, 12) * 10 + digit(text, 13);
  if (y < 1900 || !realDate(y, m, d)) return { code: 'id_number_birth_date' };
  // YYYYMMDD against today's YYYY-MM-DD, as numbers
  const born = y * 10_000 + m * 100 + d;
  const now = Number(today.slice(0, 4)) * 10_000 + Number(today.slice(5, 7)) * 100 + Number(today.slice(8, 10));
  if (born > now) return { code: 'id_number_birth_date' };
  return text.charCodeAt(17) === 120 ? text.toUpperCase() : text;
}

/** A cell as text for checks and the rejection report (XLSX dates as their UTC calendar day). */
function textOf(cell: Cell): string {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString();
  return typeof cell === 'string' ? cell.trim() : String(cell);
}

/** The column → item mapping of a header row: by item code (case-insensitive) or Chinese name. */
export interface ColumnPlan {
  /** Per column, the index of its item in meta.items, or -1 for an unknown column. */
  itemOf: number[];
  unknown: string[];
}

/** Looks a header name up among the items: its code (any case) or its name. */
export function itemLookup(items: readonly ItemMeta[]): (header: string) => number {
  const byName = new Map<string, number>();
  items.forEach((item, index) => {
    byName.set(item.code.toLowerCase(), index);
    byName.set(item.name.trim(), index);
  });
  return (header) => {
    const h = header.replace(/^\ufeff/, '').trim();
    return byName.get(h) ?? byName.get(h.toLowerCase()) ?? -1;
  };
}

/** Maps a header row to items; a column missing for a required or key item, or an item named twice, fails the load. */
export function planColumns(headers: readonly string[], items: readonly ItemMeta[]): ColumnPlan {
  const lookup = itemLookup(items);
  const itemOf = headers.map((h) => lookup(String(h ?? '')));
  const unknown = headers.filter((_, i) => itemOf[i] === -1).map((h) => String(h ?? '').trim());
  const seen = new Set<number>();
  itemOf.forEach((index, column) => {
    if (index < 0) return;
    if (seen.has(index)) throw invalid('datasets.duplicate_column', 'body', `Columns map to the item ${items[index]!.code} twice (column ${column + 1}).`, { item: items[index]!.code });
    seen.add(index);
  });
  const missing = items.filter((item, index) => (item.required || item.isKey) && !seen.has(index));
  if (missing.length > 0) {
    throw invalid('datasets.missing_column', 'body', `No column for ${missing.map((i) => `${i.code} (${i.name})`).join(', ')}.`, { items: missing.map((i) => i.code) });
  }
  return { itemOf, unknown };
}

export interface ValidatorOptions {
  /** Today in China (YYYY-MM-DD): ID numbers born later are refused. */
  today: string;
  /** Whether a region code is known (GB/T 2260, from the regions table). */
  regionExists: (code: string) => boolean;
}

/** Validates rows whose cells are given per item (index into meta.items). Keeps per-item completeness counts. */
export class RowValidator {
  readonly items: readonly ItemMeta[];
  /** Non-empty values per item over the accepted rows. */
  readonly filled: number[];
  private readonly keyIndexes: number[];
  /** Scratch: the row being checked, per item (counted into `filled` only when the row is accepted). */
  private readonly values: (string | number | boolean | undefined)[];
  private readonly quotedCodes: string[];
  private readonly regionIndex: number;
  private readonly personIndex: number;

  constructor(
    meta: Pick<ResourceMeta, 'items' | 'keyItems' | 'regionItem' | 'personItem'>,
    private readonly options: ValidatorOptions,
  ) {
    this.items = meta.items;
    this.filled = meta.items.map(() => 0);
    this.values = meta.items.map(() => undefined);
    this.quotedCodes = meta.items.map((i) => JSON.stringify(i.code));
    this.keyIndexes = meta.keyItems.map((code) => meta.items.findIndex((i) => i.code === code));
    this.regionIndex = meta.regionItem ? meta.items.findIndex((i) => i.code === meta.regionItem) : -1;
    this.personIndex = meta.personItem ? meta.items.findIndex((i) => i.code === meta.personItem) : -1;
  }

  /** The row's normalised values, or its rejections (one per faulty cell). */
  validate(cells: readonly Cell[], rejections: Rejection[]): AcceptedRow | null {
    const values = this.values;
    const before = rejections.length;
    let json = '';
    for (let i = 0; i < this.items.length; i++) {
      values[i] = undefined;
      const item = this.items[i]!;
      const cell = cells[i];
      const empty = cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
      if (empty) {
        if (item.required || item.isKey) rejections.push({ item: item.code, value: null, code: 'required' });
        continue;
      }
      const value = this.convert(item, cell);
      if (typeof value === 'object') {
        rejections.push({ item: item.code, value: textOf(cell).slice(0, 200), code: value.code });
        continue;
      }
      values[i] = value;
      json += `${json === '' ? '{' : ','}${this.quotedCodes[i]}:${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;
    }
    if (rejections.length > before) return null;
    for (let i = 0; i < values.length; i++) if (values[i] !== undefined) this.filled[i]!++;
    const key = this.keyIndexes.length === 1 ? String(values[this.keyIndexes[0]!]) : this.keyIndexes.map((k) => String(values[k])).join(KEY_SEPARATOR);
    const region = this.regionIndex >= 0 ? values[this.regionIndex] : undefined;
    const person = this.personIndex >= 0 ? values[this.personIndex] : undefined;
    const text = json === '' ? '{}' : `${json}}`;
    // looking for a backslash also flattens the text while it is young (a batch of many-piece strings kept until
    // the batch is written made the garbage collector copy every piece)
    return { key, json: text, backslash: text.includes('\\'), regionCode: region === undefined ? null : String(region), personId: person === undefined ? null : String(person) };
  }

  private convert(item: ItemMeta, cell: Exclude<Cell, null | undefined>): string | number | boolean | { code: RejectionCode } {
    switch (item.type) {
      case 'integer': {
        if (typeof cell === 'number') return Number.isSafeInteger(cell) ? cell : { code: 'integer' };
        const text = textOf(cell);
        return INTEGER.test(text) ? Number(text) : { code: 'integer' };
      }
      case 'decimal': {
        if (typeof cell === 'number') return Number.isFinite(cell) ? cell : { code: 'decimal' };
        const text = textOf(cell);
        return DECIMAL.test(text) && Number.isFinite(Number(text)) ? Number(text) : { code: 'decimal' };
      }
      case 'boolean': {
        if (typeof cell === 'boolean') return cell;
        const text = textOf(cell).toLowerCase();
        return TRUE.has(text) ? true : FALSE.has(text) ? false : { code: 'boolean' };
      }
      case 'date': {
        if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? { code: 'date' } : cell.toISOString().slice(0, 10);
        const text = textOf(cell);
        return isDate(text) ? text : { code: 'date' };
      }
      case 'datetime': {
        if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? { code: 'datetime' } : cell.toISOString();
        const text = textOf(cell);
        if (!DATETIME.test(text)) return { code: 'datetime' };
        const m = DATE.exec(text.slice(0, 10))!;
        return realDate(Number(m[1]), Number(m[2]), Number(m[3])) && !Number.isNaN(Date.parse(text.replace(' ', 'T'))) ? text : { code: 'datetime' };
      }
      case 'id_number': {
        return idNumberOf(textOf(cell), this.options.today);
      }
      case 'mobile': {
        let text = textOf(cell);
        if (text.length !== 11 || text.charCodeAt(0) !== 49) text = text.replace(/^\+?86[-\s]?/, '');
        return CN_MOBILE.test(text) ? text : { code: 'mobile' };
      }
      case 'region_code': {
        const text = textOf(cell);
        return /^\d{2,12}$/.test(text) && this.options.regionExists(text) ? text : { code: 'region_code' };
      }
      default: {
        const text = textOf(cell);
        // the database stores neither NUL nor an unpaired surrogate (it would refuse the whole load, or alter the text)
        if (text.includes('\u0000') || LONE_SURROGATE.test(text)) return { code: 'unstorable_text' };
        // characters, not UTF-16 units: counted only when the units could exceed the limit
        if (item.maxLength !== null && text.length > item.maxLength && [...text].length > item.maxLength) return { code: 'too_long' };
        return text;
      }
    }
  }
}

/**
 * A region code is known when the regions table holds it, or when it is the 6-digit GB/T 2260 form of a province or
 * prefecture the table keeps shorter (650000 → 65, 650500 → 6505).
 */
export function regionChecker(known: ReadonlySet<string>): (code: string) => boolean {
  return (code) => {
    if (known.has(code)) return true;
    if (code.length === 6 && code.endsWith('0000')) return known.has(code.slice(0, 2));
    if (code.length === 6 && code.endsWith('00')) return known.has(code.slice(0, 4));
    return false;
  };
}
