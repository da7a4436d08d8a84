// Factories: a fresh department and user per test, so tests isolate by data rather than by wiping. They write through
// the services as the platform itself (the system actor), so every object they make is checked and audited.
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/schema.ts';
import { hashPassword } from '../../src/modules/accounts/index.ts';
import type { DepartmentKind } from '../../src/modules/departments/index.ts';
import { createServices, type Services } from '../../src/services.ts';
import type { Role } from '../../src/shared/access.ts';
import { systemActorContext } from '../../src/shared/context.ts';

export const TEST_PASSWORD = 'Test-Passw0rd!';
let hashed: Promise<string> | undefined;
const servicesOf = new WeakMap<Kysely<Database>, Services>();

export function uniq(prefix = ''): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/** The services over `db`; a transaction gets its own, and the batch writes run in it. */
function services(db: Kysely<Database>): Services {
  let built = servicesOf.get(db);
  if (!built) servicesOf.set(db, (built = createServices(db, loadConfig({}))));
  return built;
}

const callerTransaction = (db: Kysely<Database>) => (db.isTransaction ? (db as Transaction<Database>) : undefined);

export async function newDepartment(db: Kysely<Database>, input: { regionCode?: string; name?: string; kind?: string } = {}) {
  const code = uniq('T');
  const name = input.name ?? `测试部门${code}`;
  const regionCode = input.regionCode ?? '6505';
  const [id] = await services(db).departments.createMany(systemActorContext(), [{ code, name, kind: (input.kind ?? 'government') as DepartmentKind, regionCode }], callerTransaction(db));
  return { id: id!, code, name, region_code: regionCode };
}

export async function newUser(
  db: Kysely<Database>,
  input: { departmentId?: string; regionCode?: string; grants?: { role: Role; regionCode: string }[]; password?: string | null; phone?: string; username?: string; displayName?: string } = {},
) {
  const departmentId = input.departmentId ?? (await newDepartment(db, { regionCode: input.regionCode ?? '6505' })).id;
  const username = input.username ?? uniq('u');
  // the default password is hashed once per run: argon2 per user would cost the suite seconds
  hashed ??= hashPassword(TEST_PASSWORD);
  const passwordHash = input.password === null ? undefined : input.password ? await hashPassword(input.password) : await hashed;
  const { created } = await services(db).users.createMany(
    systemActorContext(),
    [{ username, displayName: input.displayName ?? `测试用户${username}`, departmentId, phone: input.phone ?? null, passwordHash, grants: input.grants ?? [] }],
    { trx: callerTransaction(db) },
  );
  return { id: created[0]!.id, username, password: input.password ?? TEST_PASSWORD, departmentId };
}
