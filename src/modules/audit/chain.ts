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
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A string the database can store and give back unchanged: lone surrogates become U+FFFD (what UTF-8 encoding does
 * anyway) and NUL, which PostgreSQL text and jsonb refuse, becomes the visible U+2400 SYMBOL FOR NULL.
 */
export function storableText(value: string): string {
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
