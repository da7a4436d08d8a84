// Demo data for a prefecture: ~250 departments with credit codes, ~9,500 staff (not activated) and a handful of
// sign-in accounts, one per role, sharing a documented password. Deterministic and idempotent, in one transaction.
import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { sql, type Kysely, type Transaction } from 'kysely';
import { likePrefix } from '../db/jurisdiction.ts';
import type { Database } from '../db/schema.ts';
import { UserService, hashPassword } from '../modules/accounts/index.ts';
import { AuditService } from '../modules/audit/index.ts';
import { DepartmentService, creditCodeFor, organisationCodeFor } from '../modules/departments/index.ts';
import { findRegion } from '../modules/regions/index.ts';
import { dropSecondaryIndexes, rebuildIndexes } from '../db/bulk-indexes.ts';
import type { Role } from '../shared/access.ts';
import { systemActorContext } from '../shared/context.ts';
import { planDepartments, type PlannedDepartment, type Tier } from './catalog.ts';
import { DEFAULT_MIX, KAZAKH_COUNTY_MIX, UsernamePool, personName } from './names.ts';
import { MobilePool } from './phones.ts';
import { prng } from './prng.ts';
import { flushTableCounters } from '../db/analyse.ts';

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

interface DemoAccountPlan {
  username: string;
  role: Role;
  displayName: string;
  regionCode: string;
  departmentCode: string;
}

const ALL_DEMO_USERNAMES = ['admin', 'yizhou.admin', 'county.admin', 'secadmin', 'auditadmin', 'jiwei', 'shenji', 'leader', 'rsj.staff', 'grid.worker', 'street.staff'];

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
  // Hash outside the transaction: argon2 is deliberately slow and the transaction holds locks. Once: every demo
  // account has the one documented password, so distinct salts would hide nothing (D114).
  const hash = await hashPassword(DEMO_PASSWORD);

  const rng = prng(`govcloud-demo-${prefecture}`);
  const departments = withIdsAndCreditCodes(plan, rng);
  // Phones come from a stream of their own, so adding them left the names and codes of earlier demos unchanged.
  const phones = new MobilePool(prng(`govcloud-demo-phones-${prefecture}`));
  const staff = planStaff(departments, rng, counties, phones);
  const total = departments.length + staff.length + accountPlans.length;
  const report = (step: string, done: number): void => options.onProgress?.(step, done, total);

  const audit = new AuditService(db);
  const departmentService = new DepartmentService(db, audit);
  const userService = new UserService(db, audit);
  const ctx = systemActorContext();
  const seeded = await db.transaction().execute(async (trx) => {
    // Two nodes starting together: the second waits here, then sees the first one's departments.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`govcloud.seed.demo.${prefecture}`}))`.execute(trx);
    if (await anyPlannedExists(trx, plan)) return null;
    await avoidTakenCreditCodes(trx, departments, rng);

    // Through the services as the platform itself: every object is checked, and audited per region (D40).
    await departmentService.createMany(
      ctx,
      departments.map((d) => ({ id: d.id, code: d.code, name: d.name, shortName: d.shortName, kind: d.kind, regionCode: d.regionCode, parentId: d.parentId, creditCode: d.creditCode, sortOrder: d.sortOrder })),
      trx,
    );
    let done = departments.length;
    report('departments', done);

    // a first seed fills an empty accounts table: its trigram and ordering indexes are built once after the inserts,
    // not entry by entry for ~9,500 accounts (unique indexes stay and check the names as they arrive; D142)
    const firstAccounts = (await trx.selectFrom('app_user').select('id').limit(1).executeTakeFirst()) === undefined;
    const savedIndexes = firstAccounts ? await dropSecondaryIndexes(trx, ['app_user'], { keepUnique: true }) : [];

    const grantOf = (s: StaffMember) => (s.granted ? [{ role: 'department_staff' as const, regionCode: s.regionCode }] : []);
    const staffResult = await userService.createMany(
      ctx,
      staff.map((s) => ({ id: s.id, username: s.username, displayName: s.displayName, departmentId: s.departmentId, phone: s.phone, grants: grantOf(s) })),
      { trx, skipTaken: true },
    );
    const created = new Set(staffResult.created.map((c) => c.id));
    const grants = staff.filter((s) => created.has(s.id) && s.granted).length;
    done += staff.length;
    report('staff', done);

    const byCode = new Map(departments.map((d) => [d.code, d]));
    // a real account that already has one of these names is left alone (skipTaken)
    const signIns = await userService.createMany(
      ctx,
      accountPlans.map((account) => ({
        username: account.username,
        displayName: account.displayName,
        departmentId: byCode.get(account.departmentCode)!.id,
        phone: phones.take(),
        passwordHash: hash,
        grants: [{ role: account.role, regionCode: account.regionCode }],
      })),
      { trx, skipTaken: true },
    );
    await rebuildIndexes(trx, savedIndexes);
    const accounts = signIns.created.length;
    report('accounts', done + accountPlans.length);

    const summary = { departments: departments.length, staff: created.size, staffGrants: grants, accounts };
    await audit.record(trx, ctx, {
      action: 'seed.demo',
      objectType: 'region',
      objectId: prefecture,
      regionCode: prefecture,
      detail: { ...summary, usernames: accountPlans.map((a) => a.username) },
    });
    return summary;
  });

  // Fresh statistics for the planner: PGlite has no autovacuum, and without them the directory lists sort every
  // account instead of walking their order index (measured: 40 ms instead of 0.3 ms at 9,500 accounts).
  // (the inserts' counters flushed first: the start-up ANALYZE then skips these tables, D154)
  if (seeded) {
    await flushTableCounters(db);
    await sql`ANALYZE region, department, app_user, role_grant`.execute(db);
  }

  return {
    departments: seeded?.departments ?? 0,
    users: seeded ? seeded.staff + seeded.accounts : 0,
    accounts: await listDemoAccounts(db),
  };
}

/**
 * The demo sign-in accounts present in the database that still accept the demo password, with their first grant.
 * Checking the hash (≈30 ms each distinct one) keeps a changed password from being advertised.
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
  // the seed writes one hash for all of them: each distinct hash is checked once
  const verified = new Map<string, Promise<boolean>>();
  const acceptsDemoPassword = (hash: string) => verified.get(hash) ?? verified.set(hash, argon2.verify(hash, DEMO_PASSWORD).catch(() => false)).get(hash)!;
  for (const username of ALL_DEMO_USERNAMES) {
    const row = rows.find((r) => r.username === username);
    if (!row || !(await acceptsDemoPassword(row.password_hash!))) continue;
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
    // staff of the grid worker's street office (东河街道 in Hami): sees the street's residents, masked
    const street = community.parent_code ? plan.find((p) => p.regionCode === community.parent_code && p.tier === 'township') : undefined;
    if (street) {
      accounts.push({ username: 'street.staff', role: 'department_staff', displayName: `${street.shortName ?? street.name}工作人员（演示）`, regionCode: street.regionCode, departmentCode: street.code });
    }
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
