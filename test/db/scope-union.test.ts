// The scope filters in SQL (db/jurisdiction.ts): region subtrees ∪ department trees ∪ share grants, each index- or
// walk-served, on the real database.
import { beforeAll, describe, expect, it } from 'vitest';
import { inAccessScope, inRoleScope } from '../../src/db/jurisdiction.ts';
import type { Scope, ShareAccess } from '../../src/shared/access.ts';
import { testDb } from '../support/db.ts';
import { newDepartment } from '../support/factories.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
/** A tree parent → child → grandchild in 650521, a sibling there, and a department in 650502. */
let parent: { id: string };
let child: { id: string };
let grandchild: { id: string };
let sibling: { id: string };
let elsewhere: { id: string };
let ours: string[];

beforeAll(async () => {
  ({ db } = await testDb());
  [parent, child, grandchild, sibling, elsewhere] = await Promise.all([
    newDepartment(db, { regionCode: '650521' }),
    newDepartment(db, { regionCode: '650521' }),
    newDepartment(db, { regionCode: '650521' }),
    newDepartment(db, { regionCode: '650521' }),
    newDepartment(db, { regionCode: '650502' }),
  ]);
  await db.updateTable('department').set({ parent_id: parent.id }).where('id', '=', child.id).execute();
  await db.updateTable('department').set({ parent_id: child.id }).where('id', '=', grandchild.id).execute();
  ours = [parent.id, child.id, grandchild.id, sibling.id, elsewhere.id];
});

const scope = (over: Partial<Scope>): Scope => ({ permission: 'users.read', paths: [], departments: [], shares: [], ...over });
const share = (id: string, owner: string): ShareAccess => ({ id, resource: 'users', fields: ['displayName'], ownerDepartmentId: owner, purpose: 't', expiresAt: '2999-01-01T00:00:00Z', grantee: 'department' });

async function visible(s: Scope, filter: typeof inRoleScope = inAccessScope): Promise<Set<string>> {
  const rows = await db
    .selectFrom('department as d')
    .select('d.id')
    .where('d.id', 'in', ours)
    .where((eb) => filter(eb, { region: eb.ref('d.region_code'), department: eb.ref('d.id') }, s))
    .execute();
  return new Set(rows.map((r) => r.id));
}

describe('scope filters', () => {
  it('a region subtree', async () => {
    expect(await visible(scope({ paths: ['/6505/650502/'] }))).toEqual(new Set([elsewhere.id]));
  });

  it('a department tree: the department and every level below it, not its siblings', async () => {
    expect(await visible(scope({ departments: [child.id] }))).toEqual(new Set([child.id, grandchild.id]));
    expect(await visible(scope({ departments: [parent.id] }))).toEqual(new Set([parent.id, child.id, grandchild.id]));
  });

  it('the union of a region subtree, a department tree and a share grant', async () => {
    const [row] = await db
      .insertInto('share_grant')
      .values({ resource: 'users', fields: ['displayName'], purpose: 't', owner_department_id: sibling.id, grantee_department_id: elsewhere.id, expires_at: new Date(Date.now() + 86_400_000) })
      .returning('id')
      .execute();
    const union = scope({ paths: ['/6505/650502/'], departments: [grandchild.id], shares: [share(row!.id, sibling.id)] });
    expect(await visible(union)).toEqual(new Set([elsewhere.id, grandchild.id, sibling.id]));
    // the role part alone (whole rows) leaves the shared department out
    expect(await visible(union, inRoleScope)).toEqual(new Set([elsewhere.id, grandchild.id]));
    // a revoked grant opens nothing, whatever the caller still carries
    await db.updateTable('share_grant').set({ revoked_at: new Date() }).where('id', '=', row!.id).execute();
    expect(await visible(union)).toEqual(new Set([elsewhere.id, grandchild.id]));
  });

  it('an empty scope part opens nothing', async () => {
    expect(await visible(scope({}))).toEqual(new Set());
    expect(await visible(scope({ shares: [share('00000000-0000-4000-8000-000000000000', parent.id)] }))).toEqual(new Set());
  });
});
