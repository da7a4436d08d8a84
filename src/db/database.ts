// Opens the database: PGlite in GOVCLOUD_DATA_DIR by default, PostgreSQL when DATABASE_URL is set.
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresAdapter, PostgresDialect, PostgresIntrospector, PostgresQueryCompiler, sql, type DatabaseConnection, type Dialect, type Driver, type TransactionSettings } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Config } from '../config.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { initdbTemplate, isNewDataDir, UNPACKING_MARKER, unpackTemplate } from './pglite-template.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  /** 'pglite' or 'postgres' */
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages (a directory or a URL without its password). */
  location: string;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  constructor(location: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Cannot reach the database at ${location}: ${reason}. Check DATABASE_URL (or GOVCLOUD_DATA_DIR for the embedded database).`);
    this.name = 'DatabaseUnavailableError';
  }
}

// int8 as string (exact), date as 'YYYY-MM-DD': the same values whichever engine answers.
const INT8 = 20;
const DATE = 1082;
const keepText = (value: string): string => value;

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

export function postgresDialect(connectionString: string, max: number): PostgresDialect {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: 5000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 || oid === DATE ? keepText : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server ends (restart, failover, pg_terminate_backend) is an 'error' on the pool: the pool
  // drops that client and opens another when needed. Unhandled, the event would end the process.
  pool.on('error', () => undefined);
  // Kysely calls connect() without a callback; inside withPgClient the first client it acquires is handed over
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  Object.assign(pool, {
    connect: async () => {
      const client = await connect();
      preparing(client);
      const slot = clientSlot.getStore();
      if (slot && !slot.client) Object.assign(slot, { client, poolSize: max });
      return client;
    },
  });
  return new PoolDialect(pool);
}

/** The text → name of each statement run as a named prepared statement (see `preparedStatement`). */
const namedStatements = new Map<string, string>();
const preparingClients = new WeakSet<pg.PoolClient>();

/**
 * Makes `text`, whenever it is run with parameters on a connection of postgresDialect — by Kysely on a pooled
 * connection or in a transaction alike — a named prepared statement: parsed and planned once per connection, then only
 * bound and executed (PGlite runs it as a plain parameterised query). A name stands for one text only.
 */
export function preparedStatement(name: string, text: string): void {
  if (namedStatements.get(text) === name) return; // the common case: runPrepared on every call
  for (const [known, n] of namedStatements) if (n === name && known !== text) throw new Error(`Prepared statement ${name} already stands for another text.`);
  namedStatements.set(text, name);
}

/** Routes a registered statement's text to its name on this client (once per client; one Map lookup per query). */
function preparing(client: pg.PoolClient): void {
  if (preparingClients.has(client)) return;
  preparingClients.add(client);
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  Object.assign(client, {
    query: (...args: unknown[]) => {
      const [text, values] = args;
      const name = typeof text === 'string' && Array.isArray(values) ? namedStatements.get(text) : undefined;
      return name === undefined ? query(...args) : query({ name, text, values }, ...args.slice(2));
    },
  });
}

/** PostgresDialect whose adapter carries the pool, so that code needing node-postgres itself can find it. */
class PoolDialect extends PostgresDialect {
  constructor(private readonly pgPool: pg.Pool) {
    super({ pool: pgPool });
  }
  override createAdapter(): PostgresAdapter {
    return Object.assign(new PostgresAdapter(), { pgPool: this.pgPool });
  }
}

/**
 * The node-postgres pool under `db` (a Kysely made with postgresDialect, or a transaction of one), or undefined (PGlite).
 * Unlike withPgClient it costs nothing per call (no AsyncLocalStorage, whose hooks would slow every promise after).
 */
export function pgPoolOf(db: Kysely<Database>): pg.Pool | undefined {
  return (db.getExecutor().adapter as { pgPool?: pg.Pool }).pgPool;
}

const clientSlot = new AsyncLocalStorage<{ client?: pg.PoolClient; poolSize?: number }>();

/**
 * Runs `fn` on one connection of `db` with the node-postgres client under it (for what Kysely cannot say, such as
 * COPY FROM STDIN), or with null on PGlite, and the pool's size. The connection is held until `fn` settles.
 */
export function withPgClient<T>(db: Kysely<Database>, fn: (client: pg.PoolClient | null, connection: Kysely<Database>, poolSize: number) => Promise<T>): Promise<T> {
  const slot: { client?: pg.PoolClient; poolSize?: number } = {};
  return clientSlot.run(slot, () => db.connection().execute((connection) => fn(slot.client ?? null, connection, slot.poolSize ?? 1)));
}

/** Creates the handle without connecting; the first query opens the connection. */
export function createDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolSize'>): DatabaseHandle {
  if (config.databaseUrl) {
    const db = new Kysely<Database>({ dialect: postgresDialect(config.databaseUrl, config.dbPoolSize) });
    return { db, kind: 'postgres', location: redactUrl(config.databaseUrl), close: () => db.destroy() };
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  return openPglite(config.dataDir);
}

/** Pings the database; closes the handle and throws DatabaseUnavailableError when it does not answer. */
export async function assertReachable(handle: DatabaseHandle): Promise<void> {
  try {
    await sql`select 1`.execute(handle.db);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw new DatabaseUnavailableError(handle.location, error);
  }
}

export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolSize'>): Promise<DatabaseHandle> {
  const handle = createDatabase(config);
  await assertReachable(handle);
  return handle;
}

/**
 * kysely-pglite-dialect's driver, created on first use: PGlite (WebAssembly) loads while the caller does other work,
 * and commands that never query (`--help`) never load it.
 */
class DeferredPgliteDriver implements Driver {
  #driver: Driver | undefined;
  #destroyed = false;
  constructor(private readonly create: () => Promise<PGlite>) {}

  async init(): Promise<void> {
    const pglite = await this.create();
    if (this.#destroyed) {
      await pglite.close();
      throw new Error('The database was closed while it was opening.');
    }
    this.#driver = new PGliteDialect(pglite).createDriver();
    await this.#driver.init();
  }
  #inner(): Driver {
    if (!this.#driver) throw new Error('The database is closed.');
    return this.#driver;
  }
  acquireConnection(): Promise<DatabaseConnection> {
    return this.#inner().acquireConnection();
  }
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner().beginTransaction(connection, settings);
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner().commitTransaction(connection);
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner().rollbackTransaction(connection);
  }
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner().releaseConnection(connection);
  }
  async destroy(): Promise<void> {
    this.#destroyed = true;
    await this.#driver?.destroy();
    this.#driver = undefined;
  }
}

function pgliteDialect(create: () => Promise<PGlite>): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DeferredPgliteDriver(create),
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createIntrospector: (db) => new PostgresIntrospector(db),
  };
}

/**
 * PGlite's start parameters plus `wal_init_zero = off` (D153): a new 16 MB WAL segment is created by writing its last
 * byte instead of 16 MB of zeros (PGlite runs with fsync off, so the zero fill bought no safety); a first start with the
 * demo writes about 350 MB of WAL.
 */
const PGLITE_START_PARAMS = (defaults: readonly string[]) => [...defaults, '-c', 'wal_init_zero=off'];

/**
 * An embedded PGlite database with the pg_trgm extension; dataDir undefined means in memory (tests). A data
 * directory is locked for this process until close (DataDirLockedError when another live process holds it). A new
 * data directory starts from the initdb template kept in `templateDir` (default TEMPLATE_DIR; D131).
 */
export function openPglite(dataDir: string | undefined, options: { templateDir?: string } = {}): DatabaseHandle {
  const lock = dataDir === undefined ? undefined : lockDataDir(dataDir);
  const db = new Kysely<Database>({
    dialect: pgliteDialect(async () => {
      const [{ PGlite }, { pg_trgm }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/pg_trgm')]);
      // a new data directory is unpacked from the initialised cluster instead of running initdb (D131), by `tar` in a
      // child process where it can (D153), else by PGlite
      const unpack = dataDir !== undefined && isNewDataDir(dataDir);
      const loadDataDir = unpack && !(await unpackTemplate(dataDir, options.templateDir)) ? await initdbTemplate(options.templateDir) : undefined;
      const pglite = new PGlite({ dataDir, loadDataDir, startParams: PGLITE_START_PARAMS(PGlite.defaultStartParams), extensions: { pg_trgm }, parsers: { [INT8]: keepText, [DATE]: keepText } });
      if (unpack && loadDataDir) {
        // PGlite has written the whole cluster: what a cut-short `tar` left is overwritten, the directory is complete
        await pglite.waitReady;
        fs.rmSync(path.join(dataDir, UNPACKING_MARKER), { force: true });
      }
      return pglite;
    }),
  });
  return {
    db,
    kind: 'pglite',
    location: dataDir ?? 'memory://',
    async close() {
      try {
        await db.destroy();
      } finally {
        lock?.release();
      }
    },
  };
}
