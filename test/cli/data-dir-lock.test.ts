// The data directory lock between real processes: a stale lock is taken over by exactly one of many newcomers.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../src/db/data-dir-lock.ts';

const fixture = path.join(import.meta.dirname, 'fixtures/take-lock.ts');
let dir: string;

function takeLock(holdMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', fixture, dir, String(holdMs)], { timeout: 120_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
  });
}

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['-e', '']);
    child.once('exit', () => resolve(child.pid!));
  });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-lock-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('data directory lock', { timeout: 180_000 }, () => {
  it('lets exactly one of 8 simultaneous processes take over a stale lock; the others name the winner', async () => {
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: await deadPid(), command: 'serve', since: '2026-01-01T00:00:00Z' }));
    const results = await Promise.all(Array.from({ length: 8 }, () => takeLock(15_000)));
    const winners = results.filter((r) => r === 'won');
    expect(winners).toHaveLength(1);
    const refusedBy = new Set(results.filter((r) => r !== 'won').map((r) => r.replace('refused ', '')));
    expect(refusedBy.size).toBe(1);
  });

  it('takes over a lock file with unreadable content (a holder killed while writing it)', async () => {
    fs.writeFileSync(path.join(dir, LOCK_FILE), '{"pid":');
    expect(await takeLock(0)).toBe('won');
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses while held and is free again after release, in one process too', () => {
    const first = lockDataDir(dir);
    const holder = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number };
    expect(holder.pid).toBe(process.pid);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    first.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir).release();
  });
});
