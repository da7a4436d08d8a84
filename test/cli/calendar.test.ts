// `govcloud calendar add` and `govcloud calendar load` as an operator runs them: real processes, a real data directory.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
let dataDir: string;

function govcloud(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'bin/govcloud.js'), ...args],
      { cwd: root, env: { ...process.env, GOVCLOUD_DATA_DIR: dataDir, DATABASE_URL: '' }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-calendar-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('govcloud calendar', { timeout: 180_000 }, () => {
  it('adds working days, says provisional past the loaded years, and loads a year from a file', async () => {
    expect(await govcloud(['calendar', 'add', '2026-09-24', '4'])).toMatchObject({ code: 0, stdout: '2026-10-08\n' });
    expect((await govcloud(['calendar', 'add', '2026-10-08', '-1'])).stdout).toBe('2026-09-30\n');
    const provisional = await govcloud(['calendar', 'add', '2026-12-24', '10']);
    expect(provisional.stdout).toBe('2027-01-07 provisional\n');
    expect(provisional.stderr).toMatch(/reached 2027.*provisional/);

    const bad = path.join(dataDir, 'bad.csv');
    fs.writeFileSync(bad, 'date,kind,name\n2027-01-01,holiday,元旦\n2027-01-01,workday,元旦\n');
    const refused = await govcloud(['calendar', 'load', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/2027-01-01 is listed at holidays\/0\/date already[\s\S]*code: calendar.holiday_and_workday/);

    const loaded = await govcloud(['calendar', 'load', path.join(root, 'docs/calendar/2027.example.json')]);
    expect(loaded).toMatchObject({ code: 0, stdout: 'Loaded 2027: 10 holidays and 1 make-up workdays.\n' });
    expect((await govcloud(['calendar', 'add', '2026-12-24', '10'])).stdout).toBe('2027-01-08\n');
  });
});
