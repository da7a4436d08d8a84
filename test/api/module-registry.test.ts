// Adding a module is a folder plus one registry line: a module defined only here gets its migration run, its routes
// mounted and its permission granted through the same code paths as the registered modules.
import { sql, type Kysely, type Migration } from 'kysely';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator, migrateToLatest } from '../../src/db/migrate.ts';
import { migrationsOf, ownedMigrations } from '../../src/db/migrations/index.ts';
import type { Database } from '../../src/db/schema.ts';
import { buildApp } from '../../src/http/app.ts';
import { errorResponses } from '../../src/http/schemas.ts';
import type { App } from '../../src/http/types.ts';
import { modules, type ModuleList } from '../../src/modules/registry.ts';
import { defineModule, serviceOf } from '../../src/platform/module.ts';
import { PERMISSIONS, permissionsOf, requireScope, ROLES } from '../../src/shared/access.ts';
import type { RequestContext } from '../../src/shared/context.ts';
import type { AuditService } from '../../src/modules/audit/index.ts';
import { testConfig, login } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newUser } from '../support/factories.ts';

declare module '../../src/shared/access.ts' {
  interface PermissionRegistry {
    'probe.read': true;
  }
}

/** Sorts after every real key, so migrating it down afterwards undoes only this test's migration. */
const PROBE_KEY = '29991231T2359_probe_widget';

class ProbeService {
  constructor(
    private readonly db: Kysely<Database>,
    readonly audit: AuditService,
  ) {}

  async count(ctx: RequestContext): Promise<number> {
    requireScope(ctx.actor, 'probe.read');
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM probe_widget`.execute(this.db);
    return rows[0]!.n;
  }
}

const probeMigration: Migration = {
  up: async (db) => void (await sql`CREATE TABLE probe_widget (id serial PRIMARY KEY, name text NOT NULL)`.execute(db)),
  down: async (db) => void (await sql`DROP TABLE probe_widget`.execute(db)),
};

const probeModule = defineModule({
  name: 'probe',
  permissions: [{ name: 'probe.read', roles: ['leader'] }],
  migrations: { [PROBE_KEY]: probeMigration },
  createService: (deps): ProbeService => new ProbeService(deps.db, serviceOf<AuditService>(deps, 'audit')),
  routes: (app, services) => {
    const probe = services.probe as ProbeService;
    app.get(
      '/api/probe/widgets/count',
      { schema: { tags: ['probe'], response: { 200: Type.Object({ count: Type.Integer() }), ...errorResponses } } },
      async (request) => ({ count: await probe.count(request.ctx) }),
    );
  },
});

const withProbe: ModuleList = [...modules, probeModule];
let db: Kysely<Database>;
let app: App;

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app } = await buildApp({ db, config: testConfig(), serveWeb: false, modules: withProbe }));
});

afterAll(async () => {
  await app?.close();
  // leave the run's database as the registry knows it: later migrations refuse unknown keys
  const { error } = await createMigrator(db, withProbe).migrateDown();
  if (error) throw error;
});

describe('a module defined only in a test', () => {
  it('has its migration applied: its table exists', async () => {
    const applied = await migrateToLatest(db, withProbe);
    expect(applied).toEqual([PROBE_KEY]);
    await sql`INSERT INTO probe_widget (name) VALUES ('a'), ('b')`.execute(db);
    expect(await migrateToLatest(db, withProbe)).toEqual([]);
  });

  it('registers its permission for the roles it names and platform administrators, no others', () => {
    expect(PERMISSIONS).toContain('probe.read');
    expect(permissionsOf('leader')).toContain('probe.read');
    expect(permissionsOf('platform_admin')).toContain('probe.read');
    for (const role of ROLES.filter((r) => r !== 'leader' && r !== 'platform_admin')) expect(permissionsOf(role)).not.toContain('probe.read');
  });

  it('is, with the registered modules, the whole permission list: every permission is declared by a manifest', () => {
    const declared = withProbe.flatMap((m) => (m.permissions ?? []).map((p) => p.name));
    expect(new Set(declared).size).toBe(declared.length);
    // the suite shares one worker: src/shared/separation.test.ts registers its own 'zztest' permissions
    expect(PERMISSIONS.filter((p) => !p.includes('zztest')).sort()).toEqual([...declared].sort());
  });

  it('mounts its routes, which check the permission in the caller’s grants', async () => {
    const leader = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const staff = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '6505' }] });
    const granted = await (await login(app, leader.username, leader.password)).get('/api/probe/widgets/count');
    expect(granted.statusCode, granted.body).toBe(200);
    expect(granted.json()).toEqual({ count: 2 });
    const refused = await (await login(app, staff.username, staff.password)).get('/api/probe/widgets/count');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('auth.forbidden');
    expect((await app.inject({ method: 'GET', url: '/api/probe/widgets/count' })).statusCode).toBe(401);
  });

  it('is a scope an API token can be limited to, and the limit is checked', async () => {
    const leader = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    const session = await login(app, leader.username, leader.password);
    const scoped = await session.post('/api/tokens', { name: 'probe reader', scopes: ['probe.read'] });
    expect(scoped.statusCode, scoped.body).toBe(201);
    const other = await session.post('/api/tokens', { name: 'dashboard reader', scopes: ['dashboard.read'] });
    const read = (token: string) => app.inject({ method: 'GET', url: '/api/probe/widgets/count', headers: { authorization: `Bearer ${token}` } });
    expect((await read(scoped.json().token)).statusCode).toBe(200);
    const refused = await read(other.json().token);
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'auth.token_scope']);
  });

  it('appears in the OpenAPI document of the app that mounted it', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toContain('/api/probe/widgets/count');
  });
});

describe('the assembled migration list', () => {
  const all = ownedMigrations(withProbe);

  it('has unique keys in sorted order, the core 0001…0007 first', () => {
    const keys = all.map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(keys);
    expect(keys.slice(0, 7)).toEqual(['0001_core', '0002_sign_in_guard', '0003_audit_head_guard', '0004_user_search', '0005_case_insensitive_names', '0006_second_factor', '0007_directory_order']);
    expect(Object.keys(migrationsOf(withProbe))).toEqual(keys);
  });

  it('names each module migration YYYYMMDDTHHMM_<owning module>_<change>', () => {
    for (const { key, owner } of all.filter((m) => m.owner !== 'core')) {
      expect(key, `${key} of module ${owner}`).toMatch(new RegExp(`^\\d{8}T\\d{4}_${owner}_[a-z0-9_]+$`));
    }
  });

  it('refuses two modules claiming one key', () => {
    const copy = defineModule({ name: 'probe_copy', migrations: { [PROBE_KEY]: probeMigration } });
    expect(() => migrationsOf([...withProbe, copy])).toThrow(/29991231T2359_probe_widget is used twice/);
  });
});
