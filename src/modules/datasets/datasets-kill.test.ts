// A process killed in the middle of a load leaves no row in data_row; the next start fails the load and cleans up.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { newResource } from '../../../test/support/data-factories.ts';
import { testDb } from '../../../test/support/db.ts';
import { loadConfig } from '../../config.ts';
import { openPglite } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { ManualClock } from '../../platform/clock.ts';
import { createServices } from '../../services.ts';
import { importRegions } from '../regions/index.ts';
import { datasetsModule } from './module.ts';
import { STALE_AFTER_MS, type DatasetsService } from './service.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Starts the fixture on `target` (a data directory or a database URL) and kills it once it has staged rows. */
async function killMidLoad(target: string, resourceId: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'kill-fixture.ts'), target, resourceId], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the child never staged rows')), 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('staged')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the child exited early (${code})`)));
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
}

describe('a load killed mid-way', () => {
  it('writes no row, and the next start marks it failed and empties its staging', { timeout: 180_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-datasets-kill-'));
    try {
      let handle = openPglite(dir);
      await migrateToLatest(handle.db);
      await importRegions(handle.db, '6505');
      const resource = await newResource(handle.db, {
        items: [
          { code: 'id_number', type: 'id_number', isKey: true, required: true },
          { code: 'name', type: 'string' },
          { code: 'region', type: 'region_code' },
        ],
      });
      await handle.close();

      await killMidLoad(dir, resource.id);

      handle = openPglite(dir);
      const db = handle.db;
      try {
        const before = await db.selectFrom('data_load').selectAll().where('resource_id', '=', resource.id).executeTakeFirstOrThrow();
        expect(before.status).toBe('receiving');
        expect(await db.selectFrom('data_row').select('key').where('resource_id', '=', resource.id).execute()).toEqual([]);
        // the next start, later than the load's last heartbeat by more than the stale window
        const clock = new ManualClock(new Date(Date.now() + STALE_AFTER_MS + 60_000));
        const services = createServices(db, loadConfig({}), undefined, clock);
        const work = await datasetsModule.start!({ db, config: loadConfig({}), clock, services, service: services.datasets as DatasetsService });
        await work.stop();
        const after = await db.selectFrom('data_load').selectAll().where('id', '=', before.id).executeTakeFirstOrThrow();
        expect(after.status).toBe('failed');
        expect(after.error).toContain('interrupted');
        expect(await db.selectFrom('data_load_staging').select('row_no').where('load_id', '=', before.id).execute()).toEqual([]);
        expect(await db.selectFrom('data_row').select('key').where('resource_id', '=', resource.id).execute()).toEqual([]);
      } finally {
        await handle.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(inject('testDatabaseUrl'))('on PostgreSQL: the killed COPY leaves no staging row and no data row; the sweeper fails the load', { timeout: 180_000 }, async () => {
    const { db } = await testDb();
    const resource = await newResource(db, {
      items: [
        { code: 'id_number', type: 'id_number', isKey: true, required: true },
        { code: 'name', type: 'string' },
        { code: 'region', type: 'region_code' },
      ],
    });
    await killMidLoad(inject('testDatabaseUrl')!, resource.id);
    const before = await db.selectFrom('data_load').selectAll().where('resource_id', '=', resource.id).executeTakeFirstOrThrow();
    expect(before.status).toBe('receiving');
    expect(before.total_rows).toBeGreaterThan(5000);
    // the server ends the dead connection's COPY: none of its rows is visible, now or later
    expect(await db.selectFrom('data_load_staging').select('row_no').where('load_id', '=', before.id).execute()).toEqual([]);
    expect(await db.selectFrom('data_row').select('key').where('resource_id', '=', resource.id).execute()).toEqual([]);
    // the sweeper at a time when only this load is stale: loads of other test files sharing the database beat every
    // second, so after a pause their last beat is later than this one's
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const clock = new ManualClock(new Date(before.heartbeat_at!.getTime() + STALE_AFTER_MS + 1));
    const services = createServices(db, loadConfig({}), undefined, clock);
    expect(await (services.datasets as DatasetsService).failStaleLoads()).toContain(before.id);
    const after = await db.selectFrom('data_load').selectAll().where('id', '=', before.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'failed', version: null });
    expect(await db.selectFrom('data_load_staging').select('row_no').where('load_id', '=', before.id).execute()).toEqual([]);
  });
});
