// Where file contents live, by SHA-256. The local store keeps them under <dir>/ab/cd/<hash>; an S3-compatible
// store implements the same interface (put = upload the staged file under its hash, get = a ranged GET stream).
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

export interface BlobStore {
  /** A local directory where uploads are staged while they are hashed (same file system as the store, if local). */
  readonly stagingDir: string;
  /** Moves a staged file in under its hash; when the store already holds that content, the staged copy is dropped. */
  put(sha256: string, stagedPath: string): Promise<{ deduplicated: boolean }>;
  /** The content as a stream; undefined when the store does not hold it. */
  get(sha256: string): Promise<Readable | undefined>;
  has(sha256: string): Promise<boolean>;
  /** Removes a blob no record names any more (the garbage collector's call). */
  delete(sha256: string): Promise<void>;
  /** Every blob held, with when it was stored (the garbage collector's walk). */
  list(): AsyncIterable<{ sha256: string; storedAt: Date }>;
}

const HASH = /^[0-9a-f]{64}$/;

export class LocalBlobStore implements BlobStore {
  readonly stagingDir: string;

  constructor(private readonly dir: string) {
    this.stagingDir = path.join(dir, 'tmp');
  }

  /** <dir>/ab/cd/abcd…: two levels of 256 folders keep directories small. */
  pathOf(sha256: string): string {
    if (!HASH.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return path.join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(sha256: string, stagedPath: string): Promise<{ deduplicated: boolean }> {
    const target = this.pathOf(sha256);
    if (await this.has(sha256)) {
      await fs.promises.rm(stagedPath, { force: true });
      return { deduplicated: true };
    }
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    // rename is atomic on one file system: a reader sees no blob or the whole blob, never part of one; two uploads
    // of the same content racing both rename onto the same name with the same bytes
    await fs.promises.chmod(stagedPath, 0o444);
    await fs.promises.rename(stagedPath, target);
    return { deduplicated: false };
  }

  async get(sha256: string): Promise<Readable | undefined> {
    const file = this.pathOf(sha256);
    try {
      const handle = await fs.promises.open(file, 'r');
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return fs.promises.access(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }

  async delete(sha256: string): Promise<void> {
    await fs.promises.rm(this.pathOf(sha256), { force: true });
  }

  async *list(): AsyncIterable<{ sha256: string; storedAt: Date }> {
    const dirs = async (dir: string) => (await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory() && /^[0-9a-f]{2}$/.test(d.name));
    for (const first of await dirs(this.dir)) {
      for (const second of await dirs(path.join(this.dir, first.name))) {
        const folder = path.join(this.dir, first.name, second.name);
        for (const name of await fs.promises.readdir(folder)) {
          if (!HASH.test(name)) continue;
          const stat = await fs.promises.stat(path.join(folder, name)).catch(() => undefined);
          if (stat) yield { sha256: name, storedAt: stat.mtime };
        }
      }
    }
  }
}
