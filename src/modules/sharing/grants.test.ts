// A data grant read back as the gateway sees it, and a row as the grant lets it out.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment } from '../../../test/support/factories.ts';
import { newDataGrant, newResource, newRows } from '../../../test/support/data-factories.ts';
import { loadResourceMeta } from '../catalogue/index.ts';
import { findDataGrant, maskRow, usable } from './index.ts';

let db: Kysely<Database>;
beforeAll(async () => {
  db = (await testDb()).db;
});

describe('data grants', () => {
  it('reads the grant and masks a row by the item masks and the grant overrides', async () => {
    const resource = await newResource(db);
    await newRows(db, resource, [{ id_number: '650502199001011234', name: '张三丰', phone: '13812345678', region: '650502', note: 'x' }]);
    const consumer = await newDepartment(db);
    const { shareId } = await newDataGrant(db, { resource, consumerDepartmentId: consumer.id, items: ['id_number', 'name', 'phone'], masks: { phone: 'none' } });
    const grant = (await findDataGrant(db, shareId))!;
    expect(grant.items).toEqual(['id_number', 'name', 'phone']);
    expect(usable(grant, new Date())).toBe(true);
    expect(usable(grant, new Date(Date.now() + 365 * 86_400_000))).toBe(false);
    const meta = (await loadResourceMeta(db, resource.code))!;
    expect(meta.keyItems).toEqual(['id_number']);
    const row = await db.selectFrom('data_row').select('data').where('resource_id', '=', resource.id).executeTakeFirstOrThrow();
    expect(maskRow(meta.items, grant, row.data as Record<string, unknown>)).toEqual({ id_number: '650502********1234', name: '张**', phone: '13812345678' });
  });
});
