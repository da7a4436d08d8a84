// One writer per PGlite data directory: an exclusively created pid file, released on close or exit, taken over when
// its holder is dead. PGlite is an in-process PostgreSQL without a postmaster, so two processes on one directory
// each keep their own buffers and one silently loses the other's writes.
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'govcloud.pid';
/** A takeover marker older than this was left by a process killed mid-takeover. */
const TAKEOVER_STALE_MS = 10_000;

export interface LockHolder {
  pid: number;
  /** The govcloud command that holds the lock, e.g. "serve" or "user add". */
  command: string;
  since: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const who = holder.command === 'serve' ? 'the server' : `"govcloud ${holder.command}"`;
    super(
      `${who} (pid ${holder.pid}, since ${holder.since}) is using ${dataDir}; stop it, or use the API / run against DATABASE_URL. ` +
        'The embedded database takes one process at a time.',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  release(): void;
}

/** The command line as the lock names it: the govcloud subcommand words, without options. */
function currentCommand(): string {
  const words: string[] = [];
  for (const arg of process.argv.slice(2)) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  return words.length > 0 ? words.slice(0, 2).join(' ') : path.basename(process.argv[1] ?? 'node');
}

/** Lock files this process holds (absolute paths). */
const heldHere = new Set<string>();

function isAlive(pid: number, file: string): boolean {
  // Our own pid: held by this process (a second open), or left by a previous incarnation (containers reuse pids).
  if (pid === process.pid) return heldHere.has(file);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): { holder: LockHolder | null; raw: string } | null {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0) {
      return { holder: { pid: parsed.pid, command: String(parsed.command ?? '?'), since: String(parsed.since ?? '?') }, raw };
    }
  } catch {
    // unreadable content: a holder killed while writing it
  }
  return { holder: null, raw };
}

function tryCreate(file: string, content: string): boolean {
  try {
    fs.writeFileSync(file, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Takes the data directory's lock or throws DataDirLockedError naming the live holder. A lock whose holder is dead
 * (kill -9, power loss) is taken over; a separate exclusive marker makes sure only one process takes it over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = path.resolve(dataDir, LOCK_FILE);
  const takeover = `${file}.takeover`;
  const content = JSON.stringify({ pid: process.pid, command: currentCommand(), since: new Date().toISOString() } satisfies LockHolder);
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(file, content)) break;
    const current = readHolder(file);
    if (current === null) continue; // released between our two calls
    if (current.holder && isAlive(current.holder.pid, file)) throw new DataDirLockedError(dataDir, current.holder);
    if (tryCreate(takeover, String(process.pid))) {
      try {
        // Still the same dead holder's file (not one a faster process just created)? Then replace it.
        if (readHolder(file)?.raw === current.raw) fs.rmSync(file, { force: true });
      } finally {
        fs.rmSync(takeover, { force: true });
      }
      continue;
    }
    const marker = fs.statSync(takeover, { throwIfNoEntry: false });
    if (marker && Date.now() - marker.mtimeMs > TAKEOVER_STALE_MS) fs.rmSync(takeover, { force: true });
    if (attempt > 200) throw new Error(`Cannot take over the stale lock ${file}: another process keeps taking it over.`);
    sleepSync(25);
  }

  let held = true;
  heldHere.add(file);
  const release = () => {
    if (!held) return;
    held = false;
    heldHere.delete(file);
    process.off('exit', release);
    // Remove only our own file: after a forced takeover (should not happen) it may be someone else's.
    if (readHolder(file)?.raw === content) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { release };
}
