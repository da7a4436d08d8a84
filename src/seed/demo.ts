// Demo data for a prefecture: ~250 departments with credit codes, ~9,500 staff (not activated) and a handful of
// sign-in accounts, one per role, sharing a documented password. Deterministic and idempotent, in one transaction.
import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { sql, type Kysely, type Transaction } from 'kysely';
import { likePrefix } from '../db/jurisdiction.ts';
import type { Database } from '../db/schema.ts';
import { hashPassword, insertGrant, insertUser } from '../modules/accounts/index.ts';
import { AuditService } from '../modules/audit/index.ts';
import { creditCodeFor, insertDepartments, organisationCodeFor } from '../modules/departments/index.ts';
import { findRegion } from '../modules/regions/index.ts';
import type { Role } from '../shared/access.ts';
import { systemContext } from '../shared/context.ts';
import { planDepartments, type PlannedDepartment, type Tier } from './catalog.ts';
import { DEFAULT_MIX, KAZAKH_COUNTY_MIX, UsernamePool, personName } from './names.ts';
import { MobilePool } from './phones.ts';
import { prng } from './prng.ts';

/** The one password of every demo sign-in account. Documented, so never seed a production database. */
export const DEMO_PASSWORD = 'Hami@2026??';

export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  displayName: string;
  /** Where the role applies, e.g. 哈密市（6505）. */
  scope: string;
}

export interface SeedOptions {
  /** 4-digit prefecture code whose regions are already imported, e.g. '6505'. */
  prefecture: string;
  /** Overall progress: the step under way and rows written of all rows to write. */
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface SeedResult {
  /** Departments created by this run (0 when the demo was already there). */
  departments: number;
  /** Accounts created by this run: staff plus sign-in accounts. */
  users: number;
  /** The demo sign-in accounts, created now or earlier. */
  accounts: DemoAccount[];
}

/** Staff per department, by tier: [min, max]. */
const STAFF_PER_DEPARTMENT: Record<Tier, [number, number]> = { prefecture: [30, 70], county: [25, 45], township: [15, 30], community: [6, 14] };
/** Share of departments that get a credit code; the rest show how the console treats a missing one. */
const CREDIT_CODE_SHARE = 0.92;
/** Every n-th department's first staff member gets a department_staff grant, so the user directory shows grants. */
const GRANT_EVERY = 8;
const INSERT_CHUNK = 500;

interface DemoAccountPlan {
  username: string;
  role: Role;
  displayName: string;
  regionCode: string;
  departmentCode: string;
}

const ALL_DEMO_USERNAMES = ['admin', 'yizhou.admin', 'county.admin', 'secadmin', 'auditadmin', 'jiwei', 'shenji', 'leader', 'rsj.staff', 'grid.worker'];

/** Seeds the demo for `prefecture`; a second run finds the departments there and creates nothing. */
export async function seedDemo(db: Kysely<Database>, options: SeedOptions): Promise<SeedResult> {
  const { prefecture } = options;
  const root = await findRegion(db, prefecture);
  if (!root) throw new Error(`Region ${prefecture} is not in the database: import the prefecture's regions before seeding the demo.`);

  const counties = await db
    .selectFrom('region')
    .select(['code', 'name', 'path'])
    .where('parent_code', '=', prefecture)
    .where('valid_to', 'is', null)
    .orderBy('code')
    .execute();
  const townships =
    counties.length === 0
      ? []
      : await db
          .selectFrom('region')
          .select(['code', 'name', 'parent_code as countyCode'])
          .where(
            'parent_code',
            'in',
            counties.map((c) => c.code),
          )
          .where('valid_to', 'is', null)
          .orderBy('code')
          .execute();
  // The grid worker's community: the first one in the first county. Its street gets a committee per community.
  const firstCounty = counties[0];
  const community = firstCounty
    ? await db
        .selectFrom('region')
        .select(['code', 'name', 'parent_code'])
        .where('path', 'like', likePrefix(firstCounty.path))
        .where('level', '=', 4)
        .where('valid_to', 'is', null)
        .orderBy('code')
        .limit(1)
        .executeTakeFirst()
    : undefined;
  const communities = community?.parent_code
    ? await db
        .selectFrom('region')
        .select(['code', 'name', 'parent_code as townshipCode'])
        .where('parent_code', '=', community.parent_code)
        .where('valid_to', 'is', null)
        .orderBy('code')
        .execute()
    : [];

  const plan = planDepartments({
    prefecture: { code: root.code, name: root.name },
    counties,
    townships: townships.map((t) => ({ code: t.code, name: t.name, countyCode: t.countyCode! })),
    communities: communities.map((c) => ({ code: c.code, name: c.name, townshipCode: c.townshipCode! })),
  });

  // Already seeded (detected by department codes): skip the slow password hashing too.
  if (await anyPlannedExists(db, plan)) return { departments: 0, users: 0, accounts: await listDemoAccounts(db) };
  const accountPlans = planDemoAccounts(plan, prefecture, firstCounty, community);
  // Hash outside the transaction: argon2 is deliberately slow and the transaction holds locks.
  const hashes = await Promise.all(accountPlans.map(() => hashPassword(DEMO_PASSWORD)));

  const rng = prng(`govcloud-demo-${prefecture}`);
  const departments = withIdsAndCreditCodes(plan, rng);
  // Phones come from a stream of their own, so adding them left the names and codes of earlier demos unchanged.
  const phones = new MobilePool(prng(`govcloud-demo-phones-${prefecture}`));
  const staff = planStaff(departments, rng, counties, phones);
  const total = departments.length + staff.length + accountPlans.length;
  const report = (step: string, done: number): void => options.onProgress?.(step, done, total);

  const created = await db.transaction().execute(async (trx) => {
    // Two nodes starting together: the second waits here, then sees the first one's departments.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`govcloud.seed.demo.${prefecture}`}))`.execute(trx);
    if (await anyPlannedExists(trx, plan)) return null;
    await avoidTakenCreditCodes(trx, departments, rng);

    let done = 0;
    for (let i = 0; i < departments.length; i += INSERT_CHUNK) {
      const chunk = departments.slice(i, i + INSERT_CHUNK);
      await insertDepartments(trx, chunk);
      done += chunk.length;
      report('departments', done);
    }

    const staffIds = new Map<number, string>();
    for (let i = 0; i < staff.length; i += INSERT_CHUNK) {
      const chunk = staff.slice(i, i + INSERT_CHUNK);
      const rows = await trx
        .insertInto('app_user')
        .values(
          chunk.map((s) => ({
            id: s.id,
            username: s.username,
            display_name: s.displayName,
            kind: 'staff' as const,
            department_id: s.departmentId,
            region_code: s.regionCode,
            phone: s.phone,
            password_hash: null,
          })),
        )
        .onConflict((oc) => oc.column('username').doNothing())
        .returning('id')
        .execute();
      const inserted = new Set(rows.map((r) => r.id));
      chunk.forEach((s, j) => {
        if (inserted.has(s.id)) staffIds.set(i + j, s.id);
      });
      done += chunk.length;
      report('staff', done);
    }

    let grants = 0;
    for (const [index, member] of staff.entries()) {
      if (!member.granted || !staffIds.has(index)) continue;
      await insertGrant(trx, member.id, 'department_staff', member.regionCode, null);
      grants++;
    }

    const byCode = new Map(departments.map((d) => [d.code, d]));
    let accounts = 0;
    for (const [i, account] of accountPlans.entries()) {
      const department = byCode.get(account.departmentCode)!;
      const user = await insertUser(trx, {
        username: account.username,
        displayName: account.displayName,
        kind: 'staff',
        departmentId: department.id,
        regionCode: department.regionCode,
        phone: phones.take(),
        email: null,
        passwordHash: hashes[i]!,
      });
      done++;
      report('accounts', done);
      if (!user) continue; // a real account already has that name: leave it alone
      await insertGrant(trx, user.id, account.role, account.regionCode, null);
      accounts++;
    }

    const summary = { departments: departments.length, staff: staffIds.size, staffGrants: grants, accounts };
    await new AuditService(db).record(trx, systemContext(), {
      action: 'seed.demo',
      actorName: 'system',
      objectType: 'region',
      objectId: prefecture,
      regionCode: prefecture,
      detail: { ...summary, usernames: accountPlans.map((a) => a.username) },
    });
    return summary;
  });

  // Fresh statistics for the planner: PGlite has no autovacuum, and without them the directory lists sort every
  // account instead of walking their order index (measured: 40 ms instead of 0.3 ms at 9,500 accounts).
  if (created) await sql`ANALYZE region, department, app_user, role_grant`.execute(db);

  return {
    departments: created?.departments ?? 0,
    users: created ? created.staff + created.accounts : 0,
    accounts: await listDemoAccounts(db),
  };
}

/**
 * The demo sign-in accounts present in the database that still accept the demo password, with their first grant.
 * Checking the hash (≈30 ms each) keeps a changed password from being advertised.
 */
export async function listDemoAccounts(db: Kysely<Database>): Promise<DemoAccount[]> {
  const rows = await db
    .selectFrom('app_user as u')
    .innerJoin('role_grant as g', 'g.user_id', 'u.id')
    .innerJoin('region as r', 'r.code', 'g.region_code')
    .select(['u.username', 'u.display_name', 'u.password_hash', 'g.role', 'g.region_code', 'r.name as region_name'])
    .where('u.username', 'in', ALL_DEMO_USERNAMES)
    .where('u.status', '=', 'active')
    .where('u.password_hash', 'is not', null)
    .orderBy('g.granted_at')
    .execute();
  const accounts: DemoAccount[] = [];
  for (const username of ALL_DEMO_USERNAMES) {
    const row = rows.find((r) => r.username === username);
    if (!row || !(await argon2.verify(row.password_hash!, DEMO_PASSWORD).catch(() => false))) continue;
    accounts.push({
      username,
      password: DEMO_PASSWORD,
      role: row.role as Role,
      displayName: row.display_name,
      scope: `${row.region_name}（${row.region_code}）`,
    });
  }
  return accounts;
}

function planDemoAccounts(
  plan: PlannedDepartment[],
  prefecture: string,
  firstCounty: { code: string; name: string } | undefined,
  community: { code: string; name: string; parent_code: string | null } | undefined,
): DemoAccountPlan[] {
  const accounts: DemoAccountPlan[] = [
    { username: 'admin', role: 'platform_admin', displayName: '系统管理员（演示）', regionCode: prefecture, departmentCode: `${prefecture}-SJB` },
    // three-role separation (D41): the security and audit duties are other people's
    { username: 'secadmin', role: 'security_admin', displayName: '安全管理员（演示）', regionCode: prefecture, departmentCode: `${prefecture}-SJB` },
    { username: 'auditadmin', role: 'audit_admin', displayName: '审计管理员（演示）', regionCode: prefecture, departmentCode: `${prefecture}-SJB` },
    { username: 'jiwei', role: 'supervisor', displayName: '纪检监察员（演示）', regionCode: prefecture, departmentCode: `${prefecture}-JW` },
    { username: 'shenji', role: 'auditor', displayName: '审计员（演示）', regionCode: prefecture, departmentCode: `${prefecture}-SJJ` },
    { username: 'leader', role: 'leader', displayName: '市领导（演示）', regionCode: prefecture, departmentCode: `${prefecture}-SZF` },
    { username: 'rsj.staff', role: 'department_staff', displayName: '人社局工作人员（演示）', regionCode: prefecture, departmentCode: `${prefecture}-RSJ` },
  ];
  if (firstCounty) {
    accounts.splice(1, 0, {
      username: firstCounty.code === '650502' ? 'yizhou.admin' : 'county.admin',
      role: 'department_admin',
      displayName: `${firstCounty.name}部门管理员（演示）`,
      regionCode: firstCounty.code,
      departmentCode: `${firstCounty.code}-ZFB`,
    });
  }
  if (firstCounty && community) {
    const committee = plan.find((p) => p.regionCode === community.code) ?? plan.find((p) => p.regionCode === community.parent_code);
    accounts.push({
      username: 'grid.worker',
      role: 'community_worker',
      displayName: `${community.name.replace(/(居委会|居民委员会|村委会|村民委员会)$/u, '')}网格员（演示）`,
      regionCode: community.code,
      departmentCode: committee?.code ?? `${firstCounty.code}-ZFB`,
    });
  }
  return accounts;
}

async function anyPlannedExists(db: Kysely<Database> | Transaction<Database>, plan: PlannedDepartment[]): Promise<boolean> {
  if (plan.length === 0) return false;
  const found = await db
    .selectFrom('department')
    .select('code')
    .where(
      'code',
      'in',
      plan.map((p) => p.code),
    )
    .limit(1)
    .executeTakeFirst();
  return found !== undefined;
}

type SeededDepartment = PlannedDepartment & { id: string; parentId: string | null; creditCode: string | null; sortOrder: number };

function withIdsAndCreditCodes(plan: PlannedDepartment[], rng: ReturnType<typeof prng>): SeededDepartment[] {
  const ids = new Map(plan.map((p) => [p.code, randomUUID()]));
  const taken = new Set<string>();
  return plan.map((p, index) => {
    let creditCode: string | null = null;
    if (rng.next() < CREDIT_CODE_SHARE) {
      do {
        creditCode = creditCodeFor({ registration: p.registration, division: p.regionCode, body: organisationCodeFor(String(rng.int(10_000_000, 99_999_999))) });
      } while (taken.has(creditCode));
      taken.add(creditCode);
    }
    // The catalogue is written in customary order: its position is the department's sort number within its kind.
    return { ...p, id: ids.get(p.code)!, parentId: p.parentCode === null ? null : ids.get(p.parentCode)!, creditCode, sortOrder: index + 1 };
  });
}

/** Re-draws any generated credit code another department in the database already has (they are unique). */
async function avoidTakenCreditCodes(trx: Transaction<Database>, departments: SeededDepartment[], rng: ReturnType<typeof prng>): Promise<void> {
  const codes = departments.flatMap((d) => (d.creditCode ? [d.creditCode] : []));
  if (codes.length === 0) return;
  const taken = new Set((await trx.selectFrom('department').select('credit_code').where('credit_code', 'in', codes).execute()).map((r) => r.credit_code));
  const used = new Set(codes);
  for (const department of departments) {
    while (department.creditCode && taken.has(department.creditCode)) {
      const next = creditCodeFor({ registration: department.registration, division: department.regionCode, body: organisationCodeFor(String(rng.int(10_000_000, 99_999_999))) });
      if (!used.has(next)) {
        used.add(next);
        department.creditCode = next;
      }
    }
  }
}

interface StaffMember {
  id: string;
  username: string;
  displayName: string;
  departmentId: string;
  regionCode: string;
  phone: string;
  granted: boolean;
}

function planStaff(departments: SeededDepartment[], rng: ReturnType<typeof prng>, counties: { code: string; name: string }[], phones: MobilePool): StaffMember[] {
  const kazakhCounties = new Set(counties.filter((c) => c.name.includes('哈萨克')).map((c) => c.code));
  const usernames = new UsernamePool(ALL_DEMO_USERNAMES);
  const staff: StaffMember[] = [];
  departments.forEach((department, index) => {
    const [min, max] = STAFF_PER_DEPARTMENT[department.tier];
    const mix = kazakhCounties.has(department.regionCode.slice(0, 6)) || department.name.includes('哈萨克') ? KAZAKH_COUNTY_MIX : DEFAULT_MIX;
    const count = rng.int(min, max);
    for (let n = 0; n < count; n++) {
      const person = personName(rng, mix);
      staff.push({
        id: randomUUID(),
        username: usernames.take(person.usernameStem),
        displayName: person.displayName,
        departmentId: department.id,
        regionCode: department.regionCode,
        phone: phones.take(),
        granted: n === 0 && index % GRANT_EVERY === 0,
      });
    }
  });
  return staff;
}
