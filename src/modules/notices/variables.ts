// Template variables of notices: each has a Chinese and an English name ({姓名} = {name}). Resident variables are
// filled per recipient (in SQL, at freeze); sender fields ({时间}, {地点} …) are filled once from the notice's fields.
import { invalid } from '../../shared/errors.ts';
import type { Fact, ResidenceStatus } from '../community/index.ts';
import { segmentCount } from '../sms/index.ts';

/** The target filter as the API takes it: the community filter with a region code instead of a path. */
export interface ResidentFilterInput {
  regionCode?: string;
  gridId?: string;
  sex?: 'M' | 'F';
  ageMin?: number;
  ageMax?: number;
  ethnicity?: string[];
  residenceStatus?: ResidenceStatus[];
  labels?: string[];
  facts?: Partial<Record<Fact, boolean>>;
}

export interface VariableDef {
  /** The canonical (English) name, kept in stored notice bodies. */
  name: string;
  zh: string;
  kind: 'resident' | 'sender';
  description: string;
}

export const VARIABLES: readonly VariableDef[] = [
  { name: 'name', zh: '姓名', kind: 'resident', description: '居民姓名 / the resident’s name' },
  { name: 'salutation', zh: '称呼', kind: 'resident', description: '先生 / 女士 (from sex)' },
  { name: 'community', zh: '社区', kind: 'resident', description: '所在社区 / the resident’s community' },
  { name: 'grid', zh: '网格', kind: 'resident', description: '所在网格 / the resident’s grid (empty when none)' },
  { name: 'age', zh: '年龄', kind: 'resident', description: '周岁 / age in whole years on the day of sending' },
  { name: 'time', zh: '时间', kind: 'sender', description: '时间 (given by the sender)' },
  { name: 'place', zh: '地点', kind: 'sender', description: '地点 (given by the sender)' },
  { name: 'item', zh: '事项', kind: 'sender', description: '事项 (given by the sender)' },
  { name: 'contact', zh: '联系人', kind: 'sender', description: '联系人 (given by the sender)' },
  { name: 'contactPhone', zh: '联系电话', kind: 'sender', description: '联系电话 (given by the sender)' },
];

const BY_ALIAS = new Map<string, VariableDef>(VARIABLES.flatMap((v) => [[v.name, v] as const, [v.zh, v] as const]));
const ALLOWED = VARIABLES.flatMap((v) => [`{${v.zh}}`, `{${v.name}}`]);
const PLACEHOLDER = /\{([^{}]*)\}/g;
export const MAX_BODY = 670;
export const MAX_FIELD = 100;

export interface ParsedBody {
  /** The body with every placeholder in its canonical name. */
  body: string;
  resident: string[];
  sender: string[];
}

/** Checks a body's placeholders and rewrites them to canonical names; an unknown one is a 400 listing the allowed. */
export function parseBody(body: string, field = 'body'): ParsedBody {
  const resident: string[] = [];
  const sender: string[] = [];
  const canonical = body.replace(PLACEHOLDER, (_all, raw: string) => {
    const def = BY_ALIAS.get(raw.trim());
    if (!def) {
      throw invalid('notices.unknown_variable', field, `{${raw}} is not a variable. Allowed: ${ALLOWED.join(' ')}.`, { variable: raw, allowed: ALLOWED });
    }
    const list = def.kind === 'resident' ? resident : sender;
    if (!list.includes(def.name)) list.push(def.name);
    return `{${def.name}}`;
  });
  const stray = canonical.replace(PLACEHOLDER, '').match(/[{}]/);
  if (stray) throw invalid('notices.unmatched_brace', field, `The text has an unmatched "${stray[0]}".`);
  return { body: canonical, resident, sender };
}

/** Fills the sender fields a parsed body uses; each must be given (under either name), nothing unknown may be. */
export function fillSenderFields(parsed: ParsedBody, fields: Readonly<Record<string, string>>): { body: string; fields: Record<string, string> } {
  const given: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    const def = BY_ALIAS.get(key);
    if (!def || def.kind !== 'sender') {
      const allowed = VARIABLES.filter((v) => v.kind === 'sender').flatMap((v) => [v.zh, v.name]);
      throw invalid('notices.unknown_field', `fields/${key}`, `"${key}" is not a sender field. Allowed: ${allowed.join(', ')}.`, { allowed });
    }
    const text = value.trim();
    if (text.length > MAX_FIELD || /[{}\p{Cc}]/u.test(text)) throw invalid('notices.invalid_field', `fields/${key}`, `A field value has at most ${MAX_FIELD} characters, without braces or control characters.`);
    given[def.name] = text;
  }
  for (const name of parsed.sender) {
    if (!given[name]) {
      const def = BY_ALIAS.get(name)!;
      throw invalid('notices.missing_field', `fields/${def.zh}`, `The text uses {${def.zh}}: give its value in fields.`);
    }
  }
  const used = Object.fromEntries(parsed.sender.map((n) => [n, given[n]!]));
  return { body: parsed.body.replace(PLACEHOLDER, (all, name: string) => used[name] ?? all), fields: used };
}

/** Fills the resident variables in JS (the SQL render's twin, for samples and tests). */
export function renderResident(body: string, values: Readonly<Record<string, string>>): string {
  return body.replace(PLACEHOLDER, (all, name: string) => values[name] ?? all);
}

/** Characters and SMS segments of a text (70 UCS-2 characters in one segment, 67 per part beyond). */
export function measure(text: string): { chars: number; segments: number } {
  return { chars: text.length, segments: segmentCount(text) };
}
