// A resource's metadata as other modules need it (loads, grants, the gateway, feeds): the resource and its items.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ItemMask, ItemType, ShareType, UpdateCycle } from './tables.ts';

export interface ItemMeta {
  code: string;
  name: string;
  type: ItemType;
  maxLength: number | null;
  required: boolean;
  isKey: boolean;
  sensitivity: number;
  shareType: ShareType;
  legalBasis: string | null;
  /** The effective mask (the item's own, or the default for its type and sensitivity). */
  mask: ItemMask;
}

export interface ResourceMeta {
  id: string;
  code: string;
  name: string;
  theme: string | null;
  providerDepartmentId: string;
  regionCode: string;
  updateCycle: UpdateCycle;
  regionItem: string | null;
  personItem: string | null;
  upstreamUrl: string | null;
  status: 'draft' | 'published' | 'withdrawn';
  version: number;
  /** Items in catalogue order. */
  items: ItemMeta[];
  /** Codes of the key items, in catalogue order (a row's key joins their values). */
  keyItems: string[];
}

/** The mask an item gets when it names none: by type (身份证号, mobile), else everything for sensitive grades. */
export function defaultMask(type: ItemType, sensitivity: number): ItemMask {
  if (type === 'id_number') return 'id_number';
  if (type === 'mobile') return 'phone';
  return sensitivity >= 3 ? 'all' : 'none';
}

/** A resource with its items, by id or code; null when there is none. */
export async function loadResourceMeta(db: Kysely<Database>, idOrCode: string): Promise<ResourceMeta | null> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrCode);
  const resource = await db
    .selectFrom('data_resource')
    .selectAll()
    .where(isUuid ? 'id' : 'code', '=', idOrCode)
    .executeTakeFirst();
  if (!resource) return null;
  const items = await db.selectFrom('data_item').selectAll().where('resource_id', '=', resource.id).orderBy('ord').execute();
  const metas: ItemMeta[] = items.map((i) => ({
    code: i.code,
    name: i.name,
    type: i.type,
    maxLength: i.max_length,
    required: i.required,
    isKey: i.is_key,
    sensitivity: i.sensitivity,
    shareType: i.share_type,
    legalBasis: i.legal_basis,
    mask: i.mask ?? defaultMask(i.type, i.sensitivity),
  }));
  return {
    id: resource.id,
    code: resource.code,
    name: resource.name,
    theme: resource.theme,
    providerDepartmentId: resource.provider_department_id,
    regionCode: resource.region_code,
    updateCycle: resource.update_cycle,
    regionItem: resource.region_item,
    personItem: resource.person_item,
    upstreamUrl: resource.upstream_url,
    status: resource.status,
    version: resource.version,
    items: metas,
    keyItems: metas.filter((i) => i.isKey).map((i) => i.code),
  };
}

/** The share grant resource name of a catalogue resource ('data:<code>'), as share_grant.resource holds it. */
export function shareResourceOf(code: string): string {
  return `data:${code}`;
}
