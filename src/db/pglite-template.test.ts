import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from './database.ts';
import { initdbTemplate, isNewDataDir, pgliteVersion, templateFile, UNPACKING_MARKER, unpackTemplate } from './pglite-template.ts';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-template-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('PGlite initdb template', () => {
  it('is made once per PGlite version and read back afterwards', async () => {
    const dir = path.join(scratch, 'made');
    expect(templateFile(dir)).toBe(path.join(dir, `pglite-${pgliteVersion()}-initdb.tar`));
    expect(pgliteVersion()).toMatch(/^\d+\.\d+\.\d+/);
    const made = await initdbTemplate(dir);
    expect(made?.size).toBeGreaterThan(1_000_000);
    expect(fs.readdirSync(dir)).toEqual([path.basename(templateFile(dir))]);
    const again = await initdbTemplate(dir);
    expect(again?.size).toBe(made?.size);
  }, 120_000);

  it('is what a new data directory starts from, and a directory with a cluster is opened as it is', async () => {
    // a template with a table in it: a data directory that has the table was unpacked from it, not made by initdb
    const templateDir = path.join(scratch, 'marked');
    fs.mkdirSync(templateDir);
    const source = await PGlite.create();
    await source.exec(`CREATE TABLE template_marker (note text); INSERT INTO template_marker VALUES ('from the template')`);
    fs.writeFileSync(templateFile(templateDir), Buffer.from(await (await source.dumpDataDir('none')).arrayBuffer()));
    await source.close();

    const dataDir = path.join(scratch, 'data');
    fs.mkdirSync(dataDir);
    expect(isNewDataDir(dataDir)).toBe(true);
    let handle = openPglite(dataDir, { templateDir });
    try {
      expect((await sql<{ note: string }>`SELECT note FROM template_marker`.execute(handle.db)).rows).toEqual([{ note: 'from the template' }]);
      await sql`INSERT INTO template_marker VALUES ('written here')`.execute(handle.db);
    } finally {
      await handle.close();
    }
    expect(isNewDataDir(dataDir)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, UNPACKING_MARKER))).toBe(false);
    // the second open resumes the directory (the template is not unpacked over it)
    handle = openPglite(dataDir, { templateDir });
    try {
      expect((await sql<{ note: string }>`SELECT note FROM template_marker ORDER BY note`.execute(handle.db)).rows.map((r) => r.note)).toEqual(['from the template', 'written here']);
    } finally {
      await handle.close();
    }
  }, 120_000);

  it('is unpacked by tar in a child process; an unpacking cut short leaves a directory that counts as new', async () => {
    const templateDir = path.join(scratch, 'made');
    await initdbTemplate(templateDir);
    const dataDir = path.join(scratch, 'unpacked');
    expect(await unpackTemplate(dataDir, templateDir)).toBe(true);
    expect(isNewDataDir(dataDir)).toBe(false);
    expect(fs.readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8').trim()).toMatch(/^\d+$/);
    // a process killed while tar ran: PG_VERSION may be there, the marker too
    fs.writeFileSync(path.join(dataDir, UNPACKING_MARKER), '');
    expect(isNewDataDir(dataDir)).toBe(true);
    const handle = openPglite(dataDir, { templateDir });
    try {
      expect((await sql<{ n: number }>`SELECT 1 AS n`.execute(handle.db)).rows).toEqual([{ n: 1 }]);
    } finally {
      await handle.close();
    }
    expect(isNewDataDir(dataDir)).toBe(false);
    // no template file: nothing unpacked, the caller falls back to PGlite's own loading
    expect(await unpackTemplate(path.join(scratch, 'none'), path.join(scratch, 'no-template'))).toBe(false);
  }, 120_000);
});
