// Factories: a fresh department and user per test, so tests isolate by data rather than by wiping.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { hashPassword, insertGrant, insertUser } from '../../src/modules/accounts/index.ts';
import type { Role } from '../../src/shared/access.ts';

export const TEST_PASSWORD = 'Test-Passw0rd!';
let hashed: Promise<string> | undefined;

export function uniq(prefix = ''): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

export async function newDepartment(db: Kysely<Database>, input: { regionCode?: string; name?: string; kind?: string } = {}) {
  const code = uniq('T');
  return db
    .insertInto('department')
    .values({ code, name: input.name ?? `测试部门${code}`, kind: input.kind ?? 'government', region_code: input.regionCode ?? '6505' })
    .returning(['id', 'code', 'name', 'region_code'])
    .executeTakeFirstOrThrow();
}

export async function newUser(
  db: Kysely<Database>,
  input: { departmentId?: string; regionCode?: string; grants?: { role: Role; regionCode: string }[]; password?: string | null; phone?: string } = {},
) {
  const departmentId = input.departmentId ?? (await newDepartment(db, { regionCode: input.regionCode ?? '6505' })).id;
  const username = uniq('u');
  hashed ??= hashPassword(TEST_PASSWORD);
  const passwordHash = input.password === null ? null : input.password ? await hashPassword(input.password) : await hashed;
  const dept = await db.selectFrom('department').select('region_code').where('id', '=', departmentId).executeTakeFirstOrThrow();
  const created = await insertUser(db, {
    username,
    displayName: `测试用户${username}`,
    kind: 'staff',
    departmentId,
    regionCode: dept.region_code,
    phone: input.phone ?? null,
    email: null,
    passwordHash,
  });
  for (const grant of input.grants ?? []) await insertGrant(db, created!.id, grant.role, grant.regionCode, null);
  return { id: created!.id, username, password: input.password ?? TEST_PASSWORD, departmentId };
}
