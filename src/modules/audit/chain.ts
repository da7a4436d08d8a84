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

export function chainHash(prevHash: string, content: ChainedContent): string {
  return createHash(ALGORITHM).update(prevHash).update(canonicalJson(content)).digest('hex');
}

export const hashAlgorithm = ALGORITHM;
