// `govcloud user add`: creates a staff account from the command line (an operator's tool; the system actor, audited as 'system').
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { createServices } from '../services.ts';
import { ROLES, isRole, type Role } from '../shared/access.ts';
import { systemActorContext } from '../shared/context.ts';
import { invalid } from '../shared/errors.ts';
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
  config: Config,
  input: { username: string; name: string; department: string; grants: { role: Role; regionCode: string }[]; phone?: string },
) {
  const department = await db.selectFrom('department').select(['id', 'name']).where('code', '=', input.department).executeTakeFirst();
  if (!department) throw invalid('user.unknown_department', 'department', `No department has code "${input.department}".`);
  const password = await readPassword();
  // through the user service as the platform itself: checked like any create and audited as 'system'
  const { users } = createServices(db, config);
  const user = await users.create(systemActorContext(), {
    username: input.username,
    displayName: input.name,
    departmentId: department.id,
    password,
    grants: input.grants,
    ...(input.phone === undefined ? {} : { phone: input.phone }),
  });
  return { id: user.id, username: user.username, departmentName: department.name };
}
