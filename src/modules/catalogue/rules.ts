// Pure rules of the catalogue: the class-code scheme (GB/T 21063 / 政务信息资源目录编制指南), resource codes, the
// validation of a resource's metadata and items, snapshots and their field-level diff. Shared with the console.
import type { ItemMask, ItemType, OpenAttr, ResourceClass, ShareMode, ShareType, UpdateCycle } from './kinds.ts';

export const RESOURCE_CLASSES: readonly ResourceClass[] = ['base', 'theme', 'department'];
export const UPDATE_CYCLES: readonly UpdateCycle[] = ['daily', 'weekly', 'monthly', 'quarterly', 'half_yearly', 'yearly', 'realtime'];
export const OPEN_ATTRS: readonly OpenAttr[] = ['closed', 'conditional', 'open'];
export const SHARE_MODES: readonly ShareMode[] = ['api', 'file', 'subscription'];
export const SHARE_TYPES: readonly ShareType[] = ['unconditional', 'conditional', 'none'];
export const ITEM_TYPES: readonly ItemType[] = ['string', 'integer', 'decimal', 'date', 'datetime', 'boolean', 'id_number', 'mobile', 'region_code'];
export const ITEM_MASKS: readonly ItemMask[] = ['id_number', 'phone', 'name', 'all', 'none'];
export const FORMATS = ['database', 'csv', 'xlsx', 'json', 'xml', 'api', 'shp', 'pdf', 'other'] as const;
/** Domain tags (the resident view joins by them). */
export const THEMES = ['population', 'social_security', 'medical_insurance', 'family_planning', 'party', 'approval', 'audit', 'emergency', 'geo', 'city_management', 'legal_person', 'credit', 'other'] as const;

/** First digit of a class code per resource class: 1 基础, 2 主题, 3 部门. */
export const CLASS_DIGIT: Readonly<Record<ResourceClass, string>> = { base: '1', theme: '2', department: '3' };

/**
 * 项 (second level) of the class codes. 基础信息资源 follow the guideline's five base libraries; 主题信息资源 the
 * themes Hami integrates; 部门信息资源 take any two-digit 项 (the department's own business lines).
 */
export const CLASS_ITEMS: Readonly<Record<'base' | 'theme', Readonly<Record<string, string>>>> = {
  base: { '01': '人口', '02': '法人', '03': '自然资源和空间地理', '04': '社会信用', '05': '电子证照' },
  theme: {
    '01': '社会保障',
    '02': '医疗保障',
    '03': '计划生育',
    '04': '党建',
    '05': '行政审批',
    '06': '审计监督',
    '07': '应急管理',
    '08': '城市管理',
    '09': '社区治理',
    '10': '生态环保',
    '11': '市场监管',
    '12': '教育文化',
  },
};

/** Class code: `<class digit>-<项 2 digits>[-<目 2 digits>[-<细目 3 digits>]]`, e.g. 1-01, 2-01-03, 3-05-01-001. */
export const CLASS_CODE_PATTERN = '^[1-3]-[0-9]{2}(-[0-9]{2}(-[0-9]{3})?)?$';
/** Resource code: 前段码 `<6-digit region>-<项>` / 后段码 `<5–6 digit sequence>`, e.g. 650500-01/00001. */
export const RESOURCE_CODE_PATTERN = '^[0-9]{6}-[0-9]{2}/[0-9]{5,6}$';
export const ITEM_CODE_PATTERN = '^[a-z][a-z0-9_]*$';

/** Why a class code does not fit a class, or null. */
export function classCodeProblem(cls: ResourceClass, classCode: string): string | null {
  if (!new RegExp(CLASS_CODE_PATTERN).test(classCode)) return `A class code looks like 1-01 or 2-01-03 (${CLASS_CODE_PATTERN}).`;
  if (classCode[0] !== CLASS_DIGIT[cls]) return `A ${cls} resource's class code starts with ${CLASS_DIGIT[cls]}.`;
  const item = classCode.slice(2, 4);
  if (cls !== 'department' && !(item in CLASS_ITEMS[cls])) return `${item} is not a 项 of the ${cls} class (${Object.keys(CLASS_ITEMS[cls]).join(', ')}).`;
  if (item === '00') return 'The 项 of a class code is 01–99.';
  return null;
}

/** The 前段码 of a resource: the provider's region as 6 digits and the class code's 项. */
export function codePrefix(regionCode: string, classCode: string): string {
  return `${regionCode.slice(0, 6).padEnd(6, '0')}-${classCode.slice(2, 4)}`;
}

export function formatCode(prefix: string, sequence: number): string {
  return `${prefix}/${String(sequence).padStart(5, '0')}`;
}

export interface ItemInput {
  code: string;
  name: string;
  type: ItemType;
  maxLength?: number | null;
  required?: boolean;
  isKey?: boolean;
  sensitivity?: number;
  shareType: ShareType;
  legalBasis?: string | null;
  mask?: ItemMask | null;
  description?: string | null;
}

export interface ResourceInput {
  code?: string;
  name: string;
  class: ResourceClass;
  classCode: string;
  theme?: string | null;
  providerDepartmentId: string;
  summary?: string;
  format: string;
  updateCycle: UpdateCycle;
  relatedCodes?: string[];
  openAttr: OpenAttr;
  shareModes: ShareMode[];
  regionItem?: string | null;
  personItem?: string | null;
  upstreamUrl?: string | null;
  items: ItemInput[];
}

/** A metadata problem: the error code, the field at fault (JSON-pointer style) and a message. */
export interface Problem {
  code: string;
  field: string;
  message: string;
}

const trimmed = (s: string | null | undefined): string => (s ?? '').trim();

/** The first problem of a resource's metadata (without database facts: provider, related codes, code uniqueness). */
export function resourceProblem(input: ResourceInput): Problem | null {
  const p = (code: string, field: string, message: string): Problem => ({ code, field, message });
  if (input.code !== undefined && !new RegExp(RESOURCE_CODE_PATTERN).test(input.code)) return p('catalogue.invalid_code', 'code', 'A resource code is 前段码/后段码, e.g. 650500-01/00001.');
  const name = trimmed(input.name);
  if (name.length === 0 || name.length > 200) return p('catalogue.invalid_name', 'name', 'Name the resource (at most 200 characters).');
  if (!RESOURCE_CLASSES.includes(input.class)) return p('catalogue.invalid_class_code', 'class', `class is one of ${RESOURCE_CLASSES.join(', ')}.`);
  const classProblem = classCodeProblem(input.class, input.classCode);
  if (classProblem) return p('catalogue.invalid_class_code', 'classCode', classProblem);
  if (input.theme != null && !(THEMES as readonly string[]).includes(input.theme)) return p('catalogue.invalid_theme', 'theme', `theme is one of ${THEMES.join(', ')}.`);
  if (!(FORMATS as readonly string[]).includes(input.format)) return p('catalogue.invalid_format', 'format', `format is one of ${FORMATS.join(', ')}.`);
  if (!UPDATE_CYCLES.includes(input.updateCycle)) return p('request.invalid', 'updateCycle', `updateCycle is one of ${UPDATE_CYCLES.join(', ')}.`);
  if (!OPEN_ATTRS.includes(input.openAttr)) return p('request.invalid', 'openAttr', `openAttr is one of ${OPEN_ATTRS.join(', ')}.`);
  const modes = input.shareModes ?? [];
  if (modes.length === 0 || new Set(modes).size !== modes.length || modes.some((m) => !SHARE_MODES.includes(m))) {
    return p('catalogue.invalid_share_modes', 'shareModes', `Choose one or more of ${SHARE_MODES.join(', ')}, each once.`);
  }
  if (input.upstreamUrl != null) {
    let ok: boolean;
    try {
      const url = new URL(input.upstreamUrl);
      ok = (url.protocol === 'http:' || url.protocol === 'https:') && input.upstreamUrl.length <= 500;
    } catch {
      ok = false;
    }
    if (!ok) return p('catalogue.invalid_upstream_url', 'upstreamUrl', 'The upstream endpoint is an http(s) URL of at most 500 characters.');
  }
  const items = input.items ?? [];
  if (items.length === 0) return p('catalogue.no_items', 'items', 'A resource has at least one info item.');
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    const at = (f: string) => `items/${i}/${f}`;
    if (!new RegExp(ITEM_CODE_PATTERN).test(item.code) || item.code.length > 64) return p('catalogue.invalid_item_code', at('code'), `Item code "${item.code}" must match ${ITEM_CODE_PATTERN}.`);
    if (seen.has(item.code)) return p('catalogue.duplicate_item_code', at('code'), `Item code "${item.code}" appears twice.`);
    seen.add(item.code);
    const itemName = trimmed(item.name);
    if (itemName.length === 0 || itemName.length > 100) return p('catalogue.invalid_item_name', at('name'), 'Name the item (at most 100 characters).');
    if (!ITEM_TYPES.includes(item.type)) return p('request.invalid', at('type'), `type is one of ${ITEM_TYPES.join(', ')}.`);
    if (item.maxLength != null && item.type !== 'string') return p('catalogue.invalid_max_length', at('maxLength'), 'maxLength applies to string items only.');
    if (item.sensitivity !== undefined && !(Number.isInteger(item.sensitivity) && item.sensitivity >= 1 && item.sensitivity <= 4)) {
      return p('request.invalid', at('sensitivity'), 'sensitivity is 1 (公开) … 4 (高度敏感).');
    }
    if (!SHARE_TYPES.includes(item.shareType)) return p('request.invalid', at('shareType'), `shareType is one of ${SHARE_TYPES.join(', ')}.`);
    if (item.shareType !== 'unconditional' && trimmed(item.legalBasis).length === 0) {
      return p('catalogue.legal_basis_required', at('legalBasis'), `Item "${item.code}" is ${item.shareType === 'none' ? 'not shared' : 'shared on conditions'}: cite its legal basis.`);
    }
    if (trimmed(item.legalBasis).length > 500) return p('request.invalid', at('legalBasis'), 'A legal basis has at most 500 characters.');
    if (item.mask != null && !ITEM_MASKS.includes(item.mask)) return p('request.invalid', at('mask'), `mask is one of ${ITEM_MASKS.join(', ')}.`);
  }
  if (!items.some((i) => i.isKey)) return p('catalogue.no_key_item', 'items', 'Mark one or more items as key (isKey).');
  const typeOf = (code: string | null | undefined) => items.find((i) => i.code === code)?.type;
  if (input.regionItem != null && typeOf(input.regionItem) !== 'region_code') return p('catalogue.invalid_region_item', 'regionItem', 'regionItem names an item of type region_code.');
  if (input.personItem != null && typeOf(input.personItem) !== 'id_number') return p('catalogue.invalid_person_item', 'personItem', 'personItem names an item of type id_number.');
  if (new Set(input.relatedCodes ?? []).size !== (input.relatedCodes ?? []).length) return p('catalogue.invalid_related', 'relatedCodes', 'A related resource is named twice.');
  if (input.code !== undefined && (input.relatedCodes ?? []).includes(input.code)) return p('catalogue.invalid_related', 'relatedCodes', 'A resource is not related to itself.');
  return null;
}

/** What a version keeps: the metadata as it stood (status and provider included). */
export interface Snapshot {
  code: string;
  name: string;
  class: ResourceClass;
  classCode: string;
  theme: string | null;
  providerDepartmentId: string;
  summary: string;
  format: string;
  updateCycle: UpdateCycle;
  publishedAt: string | null;
  relatedCodes: string[];
  openAttr: OpenAttr;
  shareModes: ShareMode[];
  regionItem: string | null;
  personItem: string | null;
  upstreamUrl: string | null;
  status: 'draft' | 'published' | 'withdrawn';
  items: Required<ItemInput>[];
}

/** One field-level change between two snapshots: `items/<code>/<field>` for an item's field; null = absent. */
export interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The field-level changes from `before` to `after` (an item added or removed is one change on `items/<code>`). */
export function diffSnapshots(before: Snapshot | null, after: Snapshot): Change[] {
  const changes: Change[] = [];
  const fields = Object.keys(after).filter((k) => k !== 'items') as (keyof Snapshot)[];
  for (const f of fields) if (!same(before?.[f] ?? null, after[f])) changes.push({ field: f, from: before?.[f] ?? null, to: after[f] });
  const old = new Map((before?.items ?? []).map((i, ord) => [i.code, { ...i, ord }]));
  const now = new Map(after.items.map((i, ord) => [i.code, { ...i, ord }]));
  for (const [code, item] of now) {
    const prev = old.get(code);
    if (!prev) {
      changes.push({ field: `items/${code}`, from: null, to: item });
      continue;
    }
    for (const f of Object.keys(item) as (keyof typeof item)[]) if (!same(prev[f], item[f])) changes.push({ field: `items/${code}/${f}`, from: prev[f], to: item[f] });
  }
  for (const [code, item] of old) if (!now.has(code)) changes.push({ field: `items/${code}`, from: item, to: null });
  return changes;
}

/** Items with every optional field spelled out, as stored and snapshotted. */
export function normaliseItems(items: ItemInput[]): Required<ItemInput>[] {
  return items.map((i) => ({
    code: i.code,
    name: i.name.trim(),
    type: i.type,
    maxLength: i.maxLength ?? null,
    required: i.required ?? false,
    isKey: i.isKey ?? false,
    sensitivity: i.sensitivity ?? 1,
    shareType: i.shareType,
    legalBasis: trimmed(i.legalBasis) || null,
    mask: i.mask ?? null,
    description: trimmed(i.description) || null,
  }));
}

/**
 * Synonyms and abbreviations of Chinese catalogue search: each key also searches for its expansions (both ways), so
 * 社保 finds 社会保险… and 社会保险 finds texts that only say 社保.
 */
export const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  社保: ['社会保险', '社会保障'],
  医保: ['医疗保险', '医疗保障'],
  计生: ['计划生育'],
  低保: ['最低生活保障'],
  党员: ['中共党员', '党组织'],
  户籍: ['户口', '常住人口'],
  审批: ['行政许可', '政务服务'],
  城管: ['城市管理'],
  应急: ['应急管理', '突发事件'],
  地理: ['空间地理', '地理信息'],
  公积金: ['住房公积金'],
  残疾人: ['残联'],
};

/** The query and what it stands for: synonyms in both directions, lower-cased, without whitespace. */
export function searchVariants(query: string): string[] {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const out = new Set<string>(q.length > 0 ? [q] : []);
  for (const [short, longs] of Object.entries(SYNONYMS)) {
    if (q.includes(short)) for (const long of longs) out.add(q.replace(short, long));
    for (const long of longs) if (q.includes(long)) out.add(q.replace(long, short));
  }
  return [...out].slice(0, 8);
}

const escapeLikeChar = (c: string) => (c === '\\' || c === '%' || c === '_' ? `\\${c}` : c);

/** `%社%保%`: the query's characters in order, anything between (an abbreviation matches its full name). */
export function subsequencePattern(variant: string): string {
  return `%${[...variant].map(escapeLikeChar).join('%')}%`;
}

export function substringPattern(variant: string): string {
  return `%${[...variant].map(escapeLikeChar).join('')}%`;
}

/** The text search runs over: name, code, summary, item names and codes, provider name (lower-cased). */
export function searchTextOf(input: { name: string; code: string; summary: string; items: { name: string; code: string }[] }, providerName: string): string {
  return [input.name, input.code, input.summary, ...input.items.map((i) => `${i.name} ${i.code}`), providerName].join(' ').toLowerCase();
}

/** EU frequency authority URIs for DCAT-AP dct:accrualPeriodicity. */
export const EU_FREQUENCY: Readonly<Record<UpdateCycle, string>> = {
  daily: 'http://publications.europa.eu/resource/authority/frequency/DAILY',
  weekly: 'http://publications.europa.eu/resource/authority/frequency/WEEKLY',
  monthly: 'http://publications.europa.eu/resource/authority/frequency/MONTHLY',
  quarterly: 'http://publications.europa.eu/resource/authority/frequency/QUARTERLY',
  half_yearly: 'http://publications.europa.eu/resource/authority/frequency/ANNUAL_2',
  yearly: 'http://publications.europa.eu/resource/authority/frequency/ANNUAL',
  realtime: 'http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT',
};

/** A CSV cell safe to open in a spreadsheet: text starting with = + - @ tab or CR is prefixed with ' (formula injection). */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(';') : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
