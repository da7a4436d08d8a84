// Start-up: open the database, migrate, import regions and seed the demo on first start, then listen.
import { sql } from 'kysely';
import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { buildApp } from './http/app.ts';
import type { App } from './http/types.ts';
import { importRegions } from './modules/regions/index.ts';
import { listDemoAccounts, seedDemo, type DemoAccount } from './seed/index.ts';

export interface StartupReporter {
  step(message: string): void;
  progress(label: string): { update(done: number, total: number): void; stop(): void };
}

export const silentReporter: StartupReporter = {
  step: () => undefined,
  progress: () => ({ update: () => undefined, stop: () => undefined }),
};

export interface Bootstrapped {
  handle: DatabaseHandle;
  migrated: string[];
  regionsImported: boolean;
  demoSeeded: boolean;
  demoAccounts: DemoAccount[];
}

/** Brings a database to a servable state; cheap when it already is (warm start). */
export async function bootstrap(config: Config, reporter: StartupReporter = silentReporter): Promise<Bootstrapped> {
  reporter.step(`Opening ${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite database in ${config.dataDir}`} …`);
  const handle = await openDatabase(config);
  try {
    const migrated = await migrateToLatest(handle.db);
    if (migrated.length > 0) reporter.step(`Applied migrations: ${migrated.join(', ')}`);

    const { count } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM region`.execute(handle.db).then((r) => r.rows[0]!);
    let regionsImported = false;
    if (count === 0) {
      const bar = reporter.progress(`Importing regions ${config.prefecture}`);
      const result = await importRegions(handle.db, config.prefecture, { onProgress: (d, t) => bar.update(d, t) });
      bar.stop();
      reporter.step(`Imported ${result.total} regions of ${result.prefecture.name} (${result.prefecture.code}).`);
      regionsImported = true;
    }

    let demoSeeded = false;
    let demoAccounts: DemoAccount[] = [];
    if (config.seedDemo) {
      const { departments } = await sql<{ departments: number }>`SELECT count(*)::int AS departments FROM department`.execute(handle.db).then((r) => r.rows[0]!);
      if (departments === 0) {
        const bar = reporter.progress('Seeding demo data');
        const result = await seedDemo(handle.db, { prefecture: config.prefecture, onProgress: (_step, d, t) => bar.update(d, t) });
        bar.stop();
        reporter.step(`Seeded ${result.departments} departments and ${result.users} accounts.`);
        demoSeeded = true;
        demoAccounts = result.accounts;
      } else {
        demoAccounts = await listDemoAccounts(handle.db);
      }
    }
    return { handle, migrated, regionsImported, demoSeeded, demoAccounts };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

export interface RunningServer {
  app: App;
  url: string;
  boot: Bootstrapped;
  close(): Promise<void>;
}

export async function startServer(config: Config, reporter: StartupReporter = silentReporter, logger = false): Promise<RunningServer> {
  const boot = await bootstrap(config, reporter);
  const { app, services } = await buildApp({ db: boot.handle.db, config, logger: logger ? { level: config.logLevel } : false });
  const address = await app.listen({ port: config.port, host: config.host });
  const sweep = setInterval(() => void services.auth.purgeSessions().catch(() => undefined), 10 * 60_000);
  sweep.unref();
  const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  return {
    app,
    url,
    boot,
    async close() {
      clearInterval(sweep);
      await app.close();
      await boot.handle.close();
    },
  };
}
