// A new PGlite data directory starts from a tarball of a freshly initialised cluster instead of running initdb, which
// costs about 5 s of CPU (bootstrap, system views, collations) and is the same for every database of one PGlite
// version. The tarball is made once per PGlite version and kept in node_modules/.cache (D131).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../paths.ts';

/** Where the templates are kept: beside the installed packages they depend on, like other tools' caches. */
export const TEMPLATE_DIR = path.join(PROJECT_ROOT, 'node_modules/.cache/govcloud');

/** The installed PGlite's version (its package.json is not exported, so it is found from the entry point). */
export function pgliteVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) throw new Error('Cannot find the version of @electric-sql/pglite.');
    dir = path.dirname(dir);
  }
}

/** The template file of the installed PGlite. */
export function templateFile(dir = TEMPLATE_DIR): string {
  return path.join(dir, `pglite-${pgliteVersion()}-initdb.tar`);
}

/** Present in a data directory while unpackTemplate writes it: a directory still holding it is unpacked again. */
export const UNPACKING_MARKER = '.govcloud-unpacking';

/** True when `dataDir` holds no cluster yet (PGlite would run initdb), or one whose unpacking did not finish. */
export function isNewDataDir(dataDir: string): boolean {
  return !fs.existsSync(path.join(dataDir, 'PG_VERSION')) || fs.existsSync(path.join(dataDir, UNPACKING_MARKER));
}

/**
 * Unpacks this PGlite version's template into `dataDir` with the system's `tar`, in a child process (D153): PGlite's
 * own `loadDataDir` untars in JavaScript on the thread that then runs the migrations (about 1.4 s of its CPU against
 * 0.5 s for opening an unpacked directory), while a child runs on the machine's other core as the HTTP application is
 * being built. The marker file makes a directory whose unpacking was cut short count as new. Returns false when there
 * is no template file yet or no usable `tar` (the caller hands PGlite the tarball, as before).
 */
export async function unpackTemplate(dataDir: string, dir = TEMPLATE_DIR): Promise<boolean> {
  const file = templateFile(dir);
  if (!fs.existsSync(file)) return false;
  const marker = path.join(dataDir, UNPACKING_MARKER);
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(marker, '');
    // members are stored as absolute paths (/base/1/…); tar strips the leading slash and writes under -C
    await promisify(execFile)('tar', ['-xf', file, '-C', dataDir], { windowsHide: true });
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return false;
    fs.rmSync(marker);
    return true;
  } catch {
    return false;
  }
}

/**
 * The initialised cluster to load into a new data directory, made now (in memory, then written atomically) when
 * this PGlite version has none yet; undefined when it cannot be kept (a read-only install), so that the caller runs
 * initdb in place as before rather than paying for the tarball without keeping it.
 */
export async function initdbTemplate(dir = TEMPLATE_DIR): Promise<Blob | undefined> {
  const file = templateFile(dir);
  try {
    return new Blob([fs.readFileSync(file)]);
  } catch {
    // not made yet
  }
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    return undefined;
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = await PGlite.create();
  let tarball: Blob;
  try {
    tarball = await pg.dumpDataDir('none');
  } finally {
    await pg.close();
  }
  const bytes = Buffer.from(await tarball.arrayBuffer());
  // another process making the same file at the same time renames an identical one over it
  const partial = `${file}.${process.pid}.partial`;
  try {
    fs.writeFileSync(partial, bytes);
    fs.renameSync(partial, file);
  } catch {
    fs.rmSync(partial, { force: true });
  }
  return tarball;
}
