// Many accounts in one transaction (the demo seed, imports, test factories): each item is checked as a single create
// checks it, passwords are hashed before the transaction opens, rows go in with multi-row INSERTs, and the audit trail
// gets one record per region and batch (D40) — or the ordinary user.create record when the batch holds one account.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { authorOf, isSystemActor, requireScope, scopeCovers, type Role } from '../../shared/access.ts';
import { forItem, groupsOf, inTransaction } from '../../shared/batch.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, forbidden, invalid } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { findDepartments } from '../departments/index.ts';
import { currentRegions } from '../regions/index.ts';
import { assertPasswordPolicy, hashPassword } from './password.ts';
import { USERNAME_PATTERN } from '../../shared/validators/text.ts';
import * as repo from './repository.ts';

/** One account of a batch. `passwordHash` (an argon2id hash) carries a password over from elsewhere unchanged. */
export interface UserRecord {
  id?: string;
  username: string;
  displayName: string;
  departmentId: string;
  phone?: string | null;
  email?: string | null;
  password?: string;
  passwordHash?: string;
  grants?: readonly { role: Role; regionCode: string }[];
}

export interface UserBatchOptions {
  /** Run in the caller's transaction (a seed writing several batches atomically). */
  trx?: Transaction<Database>;
  /** Leave out items whose user name is taken instead of refusing the batch (a re-run of an import). */
  skipTaken?: boolean;
}

export interface UserBatchResult {
  created: { id: string; username: string }[];
  /** User names left out because they were taken (with skipTaken). */
  skipped: string[];
}

const USERNAME = new RegExp(USERNAME_PATTERN);
/** An item that passed its checks, with its id and its department's region. */
type Checked = UserRecord & { id: string; regionCode: string; grants: readonly { role: Role; regionCode: string }[] };

const PER_RECORD = 500;
const PER_INSERT = 500;

export async function createUsers(db: Kysely<Database>, audit: AuditService, ctx: RequestContext, items: readonly UserRecord[], options: UserBatchOptions = {}): Promise<UserBatchResult> {
  const scope = requireScope(ctx.actor, 'users.manage');
  if (!isSystemActor(ctx.actor)) throw forbidden('auth.system_only', 'Accounts are created in bulk by the platform itself (seed, import), not over the API.');
  if (items.length === 0) return { created: [], skipped: [] };
  const departments = new Map((await findDepartments(options.trx ?? db, [...new Set(items.map((i) => i.departmentId))])).map((d) => [d.id, d]));
  const regions = new Map((await currentRegions(options.trx ?? db, [...new Set(items.flatMap((i) => (i.grants ?? []).map((g) => g.regionCode)))])).map((r) => [r.code, r.path]));
  const seen = new Map<string, number>();
  const rows: Checked[] = [];
  for (const [i, item] of items.entries()) {
    rows.push(
      await forItem(i, async () => {
        const displayName = item.displayName.trim();
        if (displayName.length === 0) throw invalid('user.invalid_display_name', 'displayName', 'displayName must not be blank.');
        if (item.username.length < 2 || item.username.length > 64 || !USERNAME.test(item.username)) throw invalid('user.invalid_username', 'username', 'A user name is 2–64 letters, digits and . _ @ -, starting with a letter or digit.');
        const name = item.username.toLowerCase();
        if (seen.has(name)) throw conflict('user.username_taken', `Item ${seen.get(name)} has the same user name "${item.username}".`, 'username');
        seen.set(name, i);
        const department = departments.get(item.departmentId);
        if (!department || !scopeCovers(scope, department.region_path)) throw invalid('user.unknown_department', 'departmentId', 'No department with that id in your jurisdiction.');
        for (const [g, grant] of (item.grants ?? []).entries()) {
          if (!regions.has(grant.regionCode)) throw invalid('region.unknown', `grants/${g}/regionCode`, `No current region has code "${grant.regionCode}".`);
        }
        if (item.password !== undefined && item.passwordHash !== undefined) throw invalid('user.two_passwords', 'passwordHash', 'Give a password or a password hash, not both.');
        if (item.password !== undefined) assertPasswordPolicy(item.password, 'password', item.username, displayName);
        if (item.passwordHash !== undefined && !item.passwordHash.startsWith('$argon2id$')) throw invalid('user.invalid_password_hash', 'passwordHash', 'A password hash must be an argon2id hash.');
        return { ...item, id: item.id ?? randomUUID(), displayName, regionCode: department.region_code, grants: item.grants ?? [] };
      }),
    );
  }
  // argon2 is slow on purpose: hash before the transaction takes its locks
  const hashes = await Promise.all(rows.map((r) => (r.password === undefined ? (r.passwordHash ?? null) : hashPassword(r.password))));

  return inTransaction(db, options.trx, async (trx) => {
    const inserted = new Set<string>();
    for (let i = 0; i < rows.length; i += PER_INSERT) {
      const chunk = rows.slice(i, i + PER_INSERT).map((r, j) => ({ ...r, passwordHash: hashes[i + j]!, kind: 'staff' as const, phone: r.phone ?? null, email: r.email ?? null }));
      for (const id of await repo.insertUsers(trx, chunk)) inserted.add(id);
    }
    const created = rows.filter((r) => inserted.has(r.id));
    const skipped = rows.filter((r) => !inserted.has(r.id)).map((r) => r.username);
    if (skipped.length > 0 && !options.skipTaken) {
      const at = rows.findIndex((r) => !inserted.has(r.id));
      throw conflict('user.username_taken', `The user name "${skipped[0]}" is taken.`, `${at}/username`);
    }
    const grants = created.flatMap((r) => r.grants.map((g) => ({ userId: r.id, role: g.role, regionCode: g.regionCode, grantedBy: authorOf(ctx.actor!) })));
    for (let i = 0; i < grants.length; i += PER_INSERT) await repo.insertGrants(trx, grants.slice(i, i + PER_INSERT));
    if (items.length === 1 && created.length === 1) {
      const [user] = created as [(typeof created)[number]];
      const detail = { username: user.username, departmentId: user.departmentId, grants: user.grants };
      await audit.record(trx, ctx, { action: 'user.create', objectType: 'user', objectId: user.id, regionCode: user.regionCode, detail });
    } else {
      for (const group of groupsOf(created, (r) => r.regionCode, PER_RECORD)) {
        const detail = { created: group.items.length, ids: group.items.map((r) => r.id), usernames: group.items.map((r) => r.username), grants: group.items.reduce((n, r) => n + r.grants.length, 0) };
        await audit.record(trx, ctx, { action: 'user.create_many', objectType: 'user', regionCode: group.key, detail });
      }
    }
    return { created: created.map((r) => ({ id: r.id, username: r.username })), skipped };
  });
}
