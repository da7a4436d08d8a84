// The three-role migration keeps an existing installation working: every platform_admin grant is matched by a
// security_admin and an audit_admin grant over the same region (run inside a transaction that is rolled back).
import { describe, expect, it } from 'vitest';
import { testDb } from '../../../test/support/db.ts';
import { newUser } from '../../../test/support/factories.ts';
import { up } from './migrations/20261127T1001_access_three_roles.ts';

describe('20261127T1001_access_three_roles', () => {
  it('adds the security and audit administrator beside each platform administrator grant, once', async () => {
    const { db } = await testDb();
    const admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '650502' }] });
    const staff = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '650502' }] });
    const rollback = new Error('rollback');
    const seen = await db
      .transaction()
      .execute(async (trx) => {
        const migrating = trx as unknown as Parameters<typeof up>[0];
        await up(migrating);
        await up(migrating); // idempotent
        const rows = await trx.selectFrom('role_grant').select(['user_id', 'role', 'region_code']).where('user_id', 'in', [admin.id, staff.id]).orderBy('role').execute();
        throw Object.assign(rollback, { rows });
      })
      .catch((error: Error & { rows?: unknown }) => (error === rollback ? error.rows : Promise.reject(error)));
    expect(seen).toEqual([
      { user_id: admin.id, role: 'audit_admin', region_code: '650502' },
      { user_id: staff.id, role: 'department_staff', region_code: '650502' },
      { user_id: admin.id, role: 'platform_admin', region_code: '650502' },
      { user_id: admin.id, role: 'security_admin', region_code: '650502' },
    ]);
    expect(await db.selectFrom('role_grant').select('role').where('user_id', '=', admin.id).execute()).toEqual([{ role: 'platform_admin' }]);
  });
});
