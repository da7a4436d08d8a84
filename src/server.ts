// Start-up: open the database, migrate, import regions and seed the demo on first start, then listen.
// The database opens while the HTTP application is built, so a warm start pays for the slower of the two, not both.
import { sql } from 'kysely';
import type { Config } from './config.ts';
import { assertReachable, createDatabase, type DatabaseHandle } from './db/database.ts';
import { analyseChanged } from './db/analyse.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { App } from './http/types.ts';
import type { DemoAccount } from './seed/index.ts';
import { openSmsChannel, type SmsChannel } from './modules/sms/channel.ts';
import { modules } from './modules/registry.ts';
import type { RunningWork } from './platform/module.ts';
import { systemClock } from './platform/clock.ts';

/** On a start that changed nothing, the planner statistics are refreshed this long after the server is ready. */
const LATE_ANALYSE_MS = 5 * 60_000;

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
  /** Demo sign-in accounts created by this start (empty on later starts; see listDemoAccounts). */
  seededAccounts: DemoAccount[];
  /** This start migrated, imported regions or seeded the core demo: the planner's statistics are out of date. */
  changed: boolean;
}

/** Brings a database to a servable state; cheap when it already is (warm start). */
export async function bootstrap(config: Config, reporter: StartupReporter = silentReporter, handle = createDatabase(config)): Promise<Bootstrapped> {
  reporter.step(`Opening ${config.databaseUrl ? `PostgreSQL at ${handle.location}` : `embedded PGlite database in ${config.dataDir}`} …`);
  await assertReachable(handle);
  try {
    const migrated = await migrateToLatest(handle.db);
    if (migrated.length > 0) reporter.step(`Applied migrations: ${migrated.join(', ')}`);
    let changed = migrated.length > 0;

    const { count } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM region`.execute(handle.db).then((r) => r.rows[0]!);
    if (count === 0) {
      const { importRegions } = await import('./modules/regions/index.ts');
      const bar = reporter.progress(`Importing regions ${config.prefecture}`);
      const result = await importRegions(handle.db, config.prefecture, { onProgress: (d, t) => bar.update(d, t) });
      bar.stop();
      reporter.step(`Imported ${result.total} regions of ${result.prefecture.name} (${result.prefecture.code}).`);
      changed = true;
    }

    let seededAccounts: DemoAccount[] = [];
    if (config.seedDemo) {
      const { departments } = await sql<{ departments: number }>`SELECT count(*)::int AS departments FROM department`.execute(handle.db).then((r) => r.rows[0]!);
      if (departments === 0) {
        const { seedDemo } = await import('./seed/index.ts');
        const bar = reporter.progress('Seeding demo data');
        const result = await seedDemo(handle.db, { prefecture: config.prefecture, onProgress: (_step, d, t) => bar.update(d, t) });
        bar.stop();
        reporter.step(`Seeded ${result.departments} departments and ${result.users} accounts.`);
        seededAccounts = result.accounts;
        changed = true;
      }
    }
    return { handle, seededAccounts, changed };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

export interface RunningServer {
  app: App;
  url: string;
  boot: Bootstrapped;
  /** Where administrators' sign-in codes go (an in-process SMS centre when GOVCLOUD_SMPP_HOST is unset). */
  sms: SmsChannel;
  close(): Promise<void>;
}

export async function startServer(config: Config, reporter: StartupReporter = silentReporter, logger = false): Promise<RunningServer> {
  const handle = createDatabase(config);
  let announce: (text: string) => void = () => undefined;
  const sms = await openSmsChannel(config.smpp, (m) => announce(`Local SMS centre received for ${m.to}: ${m.text}`));
  if (sms.local) reporter.step(`No GOVCLOUD_SMPP_HOST: sign-in codes go to the local SMS centre at 127.0.0.1:${sms.local.port} and are logged here.`);
  let booted = false;
  const booting = bootstrap(config, reporter, handle).then((boot) => {
    booted = true;
    return boot;
  });
  const building = import('./http/app.ts').then(({ buildApp }) =>
    buildApp({ db: handle.db, config, logger: logger ? { level: config.logLevel } : false, isReady: () => booted, sms: sms.sender, lazySchemas: true }),
  );
  const [boot, { app, services }] = await Promise.all([booting, building.catch(async (error) => {
    await booting.then((b) => b.handle.close()).catch(() => undefined);
    throw error;
  })]).catch(async (error: unknown) => {
    await sms.close();
    throw error;
  });
  announce = (text) => app.log.info(text);
  // the chain head, signed into a file outside the database: at start, when it has grown, and at shutdown
  const checkpoint = () => services.audit.checkpoint(true).catch((error: unknown) => app.log.error({ err: error }, 'audit checkpoint failed'));
  await checkpoint();
  // each module's demo data (idempotent: cheap when it is there), written through the services just built
  if (config.seedDemo) {
    const { seedModuleDemos } = await import('./seed/modules.ts');
    await seedModuleDemos({ db: handle.db, config, services: services as unknown as Record<string, unknown> }, { prefecture: config.prefecture, residents: config.demoResidents, onStep: (text) => reporter.step(text) }).catch(
      async (error: unknown) => {
        await app.close().catch(() => undefined);
        await sms.close().catch(() => undefined);
        throw error;
      },
    );
  }
  // each module's background work (workers, schedules), started before the server is ready and stopped in reverse
  // order on close
  const work: RunningWork[] = [];
  for (const m of modules) {
    if (!m.start) continue;
    const service = (services as unknown as Record<string, unknown>)[m.name];
    work.push(await m.start({ db: handle.db, config, clock: systemClock, services: services as unknown as Record<string, unknown>, sms: sms.sender, smsChannel: sms, service: service as never }));
  }
  const stopWork = async () => {
    for (const w of work.reverse()) await w.stop().catch(() => undefined);
  };
  const address = await app.listen({ port: config.port, host: config.host }).catch(async (error: unknown) => {
    await stopWork();
    throw error;
  });
  // PGlite has no autovacuum, so nothing else gathers planner statistics: without them the planner repeated the
  // user search once per region (minutes at 100,000 accounts). Analyse right after a start that seeded or migrated;
  // otherwise the statistics kept in the data directory serve, and a later refresh must not queue /readyz and the
  // first requests behind it on PGlite's one connection (D114). The jobs module's schedules repeat it every six hours
  // and purge expired sessions and sign-in state every ten minutes.
  // After a first start, the tables the demos analysed themselves and left alone since are skipped (D154).
  let analyse: NodeJS.Timeout | undefined;
  if (handle.kind === 'pglite') analyse = setTimeout(() => void analyseChanged(handle.db).catch(() => undefined), boot.changed ? 0 : LATE_ANALYSE_MS).unref();
  const port = new URL(address).port;
  const url = config.host === '0.0.0.0' || config.host === '::' ? `http://localhost:${port}` : `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  return {
    app,
    url,
    boot,
    sms,
    async close() {
      clearTimeout(analyse);
      await stopWork();
      await app.close();
      await services.audit.drainAccessLog();
      await checkpoint();
      await sms.close();
      await boot.handle.close();
    },
  };
}
