// Reading a data grant as the gateway, feeds and the resident view need it: the share grant (items, purpose, expiry,
// revocation) joined with its sharing side (consumer, system, jurisdiction filter, masks, covert).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { maskAll, maskIdNumber, maskName, maskPhone, type Masker } from '../../shared/sensitive.ts';
import type { ItemMask, ItemMeta } from '../catalogue/index.ts';

export interface DataGrant {
  shareId: string;
  resourceId: string;
  requestId: string | null;
  providerDepartmentId: string;
  consumerDepartmentId: string;
  clientAppId: string | null;
  regionPrefix: string | null;
  /** The items the grant opens. */
  items: string[];
  purpose: string;
  expiresAt: Date;
  revokedAt: Date | null;
  masks: Record<string, ItemMask>;
  covert: boolean;
}

/** A data grant by its share grant id, usable or not (callers check `usable`). */
export async function findDataGrant(db: Kysely<Database>, shareId: string): Promise<DataGrant | null> {
  const row = await db
    .selectFrom('data_grant as g')
    .innerJoin('share_grant as s', 's.id', 'g.share_id')
    .select([
      'g.share_id',
      'g.resource_id',
      'g.request_id',
      'g.provider_department_id',
      'g.consumer_department_id',
      'g.client_app_id',
      'g.region_prefix',
      'g.masks',
      'g.covert',
      's.fields',
      's.purpose',
      's.expires_at',
      's.revoked_at',
    ])
    .where('g.share_id', '=', shareId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    shareId: row.share_id,
    resourceId: row.resource_id,
    requestId: row.request_id,
    providerDepartmentId: row.provider_department_id,
    consumerDepartmentId: row.consumer_department_id,
    clientAppId: row.client_app_id,
    regionPrefix: row.region_prefix,
    items: row.fields,
    purpose: row.purpose,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    masks: (row.masks ?? {}) as Record<string, ItemMask>,
    covert: row.covert,
  };
}

/** Whether a grant may be used now: neither revoked nor expired. */
export function usable(grant: DataGrant, now: Date): boolean {
  return grant.revokedAt === null && grant.expiresAt > now;
}

const MASKERS: Readonly<Record<Exclude<ItemMask, 'none'>, Masker>> = { id_number: maskIdNumber, phone: maskPhone, name: maskName, all: maskAll };

/**
 * A row as a grant lets it out: only the granted items, each masked by the grant's override or the item's own mask.
 * Non-string values of masked items are masked as their text.
 */
export function maskRow(items: readonly ItemMeta[], grant: Pick<DataGrant, 'items' | 'masks'>, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const granted = new Set(grant.items);
  for (const item of items) {
    if (!granted.has(item.code)) continue;
    const value = data[item.code];
    const mask = grant.masks[item.code] ?? item.mask;
    out[item.code] = value === null || value === undefined || mask === 'none' ? (value ?? null) : MASKERS[mask](String(value));
  }
  return out;
}
