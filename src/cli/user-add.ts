// `govcloud user add`: creates a staff account from the command line (an operator's tool; no actor, audited as system).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { assertPasswordPolicy, hashPassword, insertGrant, insertUser } from '../modules/accounts/index.ts';
import { AuditService } from '../modules/audit/index.ts';
import { findRegion } from '../modules/regions/index.ts';
import { ROLES, isRole, type Role } from '../shared/access.ts';
import { systemContext } from '../shared/context.ts';
import { conflict, invalid } from '../shared/errors.ts';
import { UsageError, readFirstLine, readHidden } from './prompt.ts';

export function parseGrant(text: string): { role: Role; regionCode: string } {
  const [role, regionCode, ...rest] = text.split('@');
  if (!role || !regionCode || rest.length > 0) throw new UsageError(`grant "${text}" must look like role@regionCode, e.g. platform_admin@6505`);
  if (!isRole(role)) throw new UsageError(`"${role}" is not a role. Roles: ${ROLES.join(', ')}`);
  if (!/^\d{2,12}$/.test(regionCode)) throw new UsageError(`"${regionCode}" is not a region code (2 to 12 digits, e.g. 6505)`);
  return { role, regionCode };
}

/** GOVCLOUD_NEW_PASSWORD, else typed at the terminal without echo (twice), else the first line of piped stdin. */
async function readPassword(): Promise<string> {
  if (process.env.GOVCLOUD_NEW_PASSWORD) return process.env.GOVCLOUD_NEW_PASSWORD;
  if (!process.stdin.isTTY) return readFirstLine();
  const password = await readHidden('Password: ');
  if ((await readHidden('Repeat the password: ')) !== password) throw new UsageError('The two passwords differ; nothing was created.');
  return password;
}

export async function addUser(
  db: Kysely<Database>,
  input: { username: string; name: string; department: string; grants: { role: Role; regionCode: string }[]; phone?: string },
) {
  const department = await db.selectFrom('department').select(['id', 'name', 'region_code']).where('code', '=', input.department).executeTakeFirst();
  if (!department) throw invalid('user.unknown_department', 'department', `No department has code "${input.department}".`);
  for (const grant of input.grants) {
    const region = await findRegion(db, grant.regionCode);
    if (!region || region.valid_to !== null) throw invalid('region.unknown', 'grant', `No current region has code "${grant.regionCode}".`);
  }
  const password = await readPassword();
  assertPasswordPolicy(password, 'password', input.username);
  const passwordHash = await hashPassword(password);
  const audit = new AuditService(db);
  return db.transaction().execute(async (trx) => {
    const created = await insertUser(trx, {
      username: input.username,
      displayName: input.name,
      kind: 'staff',
      departmentId: department.id,
      regionCode: department.region_code,
      phone: input.phone ?? null,
      email: null,
      passwordHash,
    });
    if (!created) throw conflict('user.username_taken', `The user name "${input.username}" is taken.`, 'username');
    for (const grant of input.grants) await insertGrant(trx, created.id, grant.role, grant.regionCode, null);
    await audit.record(trx, systemContext(), {
      action: 'user.create',
      objectType: 'user',
      objectId: created.id,
      regionCode: department.region_code,
      actorName: 'cli',
      detail: { username: input.username, grants: input.grants, via: 'cli' },
    });
    return { id: created.id, username: input.username, departmentName: department.name };
  });
}
