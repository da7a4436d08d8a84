// The hash chain: each record's hash is SM3(prev_hash || canonical JSON of its content).
import { createHash, getHashes } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);
const ALGORITHM = getHashes().includes('sm3') ? 'sm3' : 'sha256';

export interface ChainedContent {
  seq: string;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  role: string | null;
  departmentId: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  regionCode: string | null;
  outcome: string;
  clientAddr: string | null;
  requestId: string | null;
  detail: unknown;
}

/** JSON with object keys sorted at every depth, so jsonb's key reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  // plain loops, not entries/filter/sort/map: this runs over every access-log row of every batch (D71)
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // the default sort orders by UTF-16 code units, as < does
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(item);
  }
  return `${out}}`;
}

const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A string the database can store and give back unchanged: lone surrogates become U+FFFD (what UTF-8 encoding does
 * anyway) and NUL, which PostgreSQL text and jsonb refuse, becomes the visible U+2400 SYMBOL FOR NULL.
 */
export function storableText(value: string): string {
  // most text has neither: skip the replacing (this runs over every field of every access-log entry)
  if (!SURROGATE.test(value) && !value.includes('\u0000')) return value;
  return value.replace(LONE_SURROGATE, '\ufffd').replaceAll('\u0000', '\u2400');
}

/** A JSON value made storable at every depth (keys too); bigints become strings, non-JSON values null. */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : storableJson(item)));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (item !== undefined && typeof item !== 'function' && typeof item !== 'symbol') out[storableText(key)] = storableJson(item);
    }
    return out;
  }
  return null;
}

export function chainHash(prevHash: string, content: ChainedContent): string {
  return createHash(ALGORITHM).update(prevHash).update(canonicalJson(content)).digest('hex');
}

export const hashAlgorithm = ALGORITHM;
