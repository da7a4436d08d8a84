// Factories for the data sharing modules (issue 7): a catalogue resource with items, loaded rows, a client
// application and a data grant. They write rows directly, as the modules' services land they should go through them.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { ItemMask, ItemType, ShareType } from '../../src/modules/catalogue/index.ts';
import { hashClientSecret } from '../../src/modules/sharing/index.ts';
import { newDepartment, uniq } from './factories.ts';

export interface ItemSpec {
  code: string;
  name?: string;
  type?: ItemType;
  required?: boolean;
  isKey?: boolean;
  sensitivity?: number;
  shareType?: ShareType;
  legalBasis?: string;
  mask?: ItemMask;
}

/** A resource with a person key: id_number (key), name, phone, region, plus the given extra items. */
export const PERSON_ITEMS: ItemSpec[] = [
  { code: 'id_number', name: '公民身份号码', type: 'id_number', required: true, isKey: true, sensitivity: 3, shareType: 'conditional', legalBasis: '《中华人民共和国个人信息保护法》第十三条' },
  { code: 'name', name: '姓名', type: 'string', required: true, sensitivity: 2, shareType: 'unconditional', mask: 'name' },
  { code: 'phone', name: '联系电话', type: 'mobile', sensitivity: 3, shareType: 'conditional', legalBasis: '《中华人民共和国个人信息保护法》第十三条' },
  { code: 'region', name: '所在区划', type: 'region_code', required: true, shareType: 'unconditional' },
  { code: 'note', name: '备注', type: 'string', shareType: 'none', legalBasis: '内部工作信息' },
];

export async function newResource(
  db: Kysely<Database>,
  input: { providerDepartmentId?: string; regionCode?: string; code?: string; name?: string; items?: ItemSpec[]; theme?: string; upstreamUrl?: string } = {},
) {
  const provider = input.providerDepartmentId ? { id: input.providerDepartmentId, region_code: input.regionCode ?? '6505' } : await newDepartment(db, { regionCode: input.regionCode ?? '6505' });
  const items = input.items ?? PERSON_ITEMS;
  const code = input.code ?? uniq('T-');
  const resource = await db
    .insertInto('data_resource')
    .values({
      code,
      name: input.name ?? `测试资源${code}`,
      class: 'base',
      class_code: '1-01',
      theme: input.theme ?? null,
      provider_department_id: provider.id,
      region_code: provider.region_code,
      format: 'database',
      update_cycle: 'daily',
      open_attr: 'conditional',
      share_modes: ['api', 'subscription'],
      region_item: items.some((i) => i.code === 'region') ? 'region' : null,
      person_item: items.some((i) => i.code === 'id_number') ? 'id_number' : null,
      upstream_url: input.upstreamUrl ?? null,
      search_text: `${input.name ?? code}`,
      updated_at: new Date(),
    })
    .returning(['id', 'code'])
    .executeTakeFirstOrThrow();
  await db
    .insertInto('data_item')
    .values(
      items.map((i, ord) => ({
        resource_id: resource.id,
        code: i.code,
        ord,
        name: i.name ?? i.code,
        type: i.type ?? 'string',
        max_length: null,
        required: i.required ?? false,
        is_key: i.isKey ?? false,
        sensitivity: i.sensitivity ?? 1,
        share_type: i.shareType ?? 'unconditional',
        legal_basis: i.legalBasis ?? null,
        mask: i.mask ?? null,
        description: null,
      })),
    )
    .execute();
  return { id: resource.id, code: resource.code, providerDepartmentId: provider.id };
}

/** Rows written as one committed load (keys from the key items joined by U+001F). */
export async function newRows(db: Kysely<Database>, resource: { id: string; providerDepartmentId: string }, rows: Record<string, unknown>[], keyItems: string[] = ['id_number']) {
  const load = await db
    .insertInto('data_load')
    .values({ resource_id: resource.id, department_id: resource.providerDepartmentId, source: 'api', status: 'committed', total_rows: rows.length, accepted_rows: rows.length, inserted_rows: rows.length, finished_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (rows.length > 0) {
    await db
      .insertInto('data_row')
      .values(
        rows.map((data) => ({
          resource_id: resource.id,
          key: keyItems.map((k) => String(data[k] ?? '')).join('\u001f'),
          data: JSON.stringify(data),
          region_code: typeof data.region === 'string' ? data.region : null,
          person_id: typeof data.id_number === 'string' ? data.id_number : null,
          load_id: load.id,
        })),
      )
      .onConflict((oc) => oc.columns(['resource_id', 'key']).doUpdateSet({ data: sql`excluded.data`, load_id: sql`excluded.load_id`, seq: sql`nextval('data_row_seq')`, updated_at: sql`now()` }))
      .execute();
  }
  return { loadId: load.id };
}

/** A client application of a department, with its one-time secret. */
export async function newClientApp(db: Kysely<Database>, input: { departmentId?: string; ratePerMinute?: number; expiresAt?: Date } = {}) {
  const departmentId = input.departmentId ?? (await newDepartment(db)).id;
  const secret = randomBytes(32).toString('base64url');
  const clientId = `gc_${randomBytes(8).toString('hex')}`;
  const app = await db
    .insertInto('client_app')
    .values({
      department_id: departmentId,
      name: uniq('系统'),
      client_id: clientId,
      secret_hash: hashClientSecret(secret),
      secret_expires_at: input.expiresAt ?? new Date(Date.now() + 90 * 86_400_000),
      rate_per_minute: input.ratePerMinute ?? 600,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: app.id, clientId, secret, departmentId };
}

/** A share grant on 'data:<code>' with its data grant side. */
export async function newDataGrant(
  db: Kysely<Database>,
  input: {
    resource: { id: string; code: string; providerDepartmentId: string };
    consumerDepartmentId: string;
    items: string[];
    clientAppId?: string | null;
    regionPrefix?: string | null;
    masks?: Record<string, ItemMask>;
    purpose?: string;
    expiresAt?: Date;
    covert?: boolean;
  },
) {
  const share = await db
    .insertInto('share_grant')
    .values({
      resource: `data:${input.resource.code}`,
      fields: input.items,
      purpose: input.purpose ?? '测试用途',
      owner_department_id: input.resource.providerDepartmentId,
      grantee_department_id: input.consumerDepartmentId,
      grantee_token_id: null,
      expires_at: input.expiresAt ?? new Date(Date.now() + 30 * 86_400_000),
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('data_grant')
    .values({
      share_id: share.id,
      resource_id: input.resource.id,
      provider_department_id: input.resource.providerDepartmentId,
      consumer_department_id: input.consumerDepartmentId,
      client_app_id: input.clientAppId ?? null,
      region_prefix: input.regionPrefix ?? null,
      masks: JSON.stringify(input.masks ?? {}),
      covert: input.covert ?? false,
    })
    .execute();
  return { shareId: share.id };
}
