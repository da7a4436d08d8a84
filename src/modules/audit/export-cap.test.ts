// The audit export at size: 50,010 matching records (one INSERT … SELECT generate_series, in a transaction that is
// rolled back, with the chain's insert guard disabled inside it only). The workbook streams, stops at the
// 50,000-row cap and says so (headers and a note row), memory stays bounded, and a reader that stops reading holds
// the export back instead of letting it buffer.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDb } from '../../../test/support/db.ts';
import { inRolledBackTransaction } from '../../../test/support/rollback.ts';
import type { Actor } from '../../shared/access.ts';
import { EXPORT_ROW_CAP } from './export.ts';
import { AuditService } from './service.ts';

const MATCHING = EXPORT_ROW_CAP + 10;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const ACTION = 'zz_export_at_size.read';

const auditor: Actor = {
  userId: '00000000-0000-4000-8000-00000000a0d1',
  username: 'export.auditor',
  displayName: '导出审计员',
  kind: 'staff',
  departmentId: null,
  grants: [{ role: 'auditor', regionCode: '6505', regionPath: '/6505/' }],
  via: 'session',
};
const ctx = () => ({ actor: auditor, clientAddr: '127.0.0.1', requestId: 'export-at-size', audited: false });

describe('audit XLSX export at size', () => {
  it(`streams ${EXPORT_ROW_CAP.toLocaleString('en')} of ${MATCHING.toLocaleString('en')} matching records, says it stopped, and keeps memory bounded`, async () => {
    const { db } = await testDb();
    await inRolledBackTransaction(db, async (trx) => {
      // only inside this transaction: the rows bypass the chain (they are never committed)
      const t0 = performance.now();
      await sql`SET CONSTRAINTS ALL IMMEDIATE`.execute(trx);
      await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(trx);
      const inserted = await sql`
        INSERT INTO audit_log (seq, at, actor_name, role, action, object_type, object_id, region_code, outcome, client_addr, request_id, detail, prev_hash, hash)
        SELECT 9000000000 + g, now() - g * interval '1 second', 'bulk.' || (g % 97), 'auditor', ${ACTION}, 'user', 'obj-' || g, '6505', 'success',
               '10.0.0.' || (g % 250), 'req-' || g, jsonb_build_object('count', g % 50, 'q', '张' || (g % 13)), repeat('0', 64), repeat('0', 64)
        FROM generate_series(1, ${MATCHING}) AS g`.execute(trx);
      expect(Number(inserted.numAffectedRows)).toBe(MATCHING);
      await sql`ALTER TABLE audit_log ENABLE TRIGGER USER`.execute(trx);
      await sql`SET CONSTRAINTS ALL DEFERRED`.execute(trx);

      console.log(`inserted ${MATCHING} audit records in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const service = new AuditService(trx);
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      const exported = await service.exportXlsx(ctx(), { action: ACTION });
      console.log(`export started at ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      expect(exported).toMatchObject({ total: MATCHING, rows: EXPORT_ROW_CAP, truncated: true });

      // a reader that stops: the export waits rather than buffering the rest
      const t1 = performance.now();
      const firstChunk = await new Promise<Buffer>((resolve) => exported.stream.once('data', (chunk: Buffer) => resolve(chunk)));
      console.log(`first chunk after ${(performance.now() - t1).toFixed(0)} ms`);
      exported.stream.pause();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const bufferedWhilePaused = exported.stream.readableLength;
      expect(bufferedWhilePaused).toBeLessThan(4 * 1024 * 1024);

      // then read it all, sampling the heap as it goes
      let bytes = firstChunk.length;
      // retained heap (after a full collection) sampled every 40 chunks: what the export holds, not its garbage
      let peakHeap = process.memoryUsage().heapUsed;
      let chunkCount = 0;
      const chunks: Buffer[] = [firstChunk];
      const started = performance.now();
      await pipeline(
        exported.stream,
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            bytes += chunk.length;
            chunks.push(chunk);
            if (++chunkCount % 40 === 0) {
              gc();
              peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
            }
            done();
          },
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      console.log(`export read at ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const growthMb = (peakHeap - heapBefore) / 1024 / 1024;
      console.log(
        `audit export: ${EXPORT_ROW_CAP} of ${MATCHING} rows, ${(bytes / 1024 / 1024).toFixed(1)} MB in ${seconds.toFixed(1)} s; retained heap growth at most ${growthMb.toFixed(0)} MB (including the ${(bytes / 1024 / 1024).toFixed(1)} MB the test keeps); buffered while paused ${(bufferedWhilePaused / 1024).toFixed(0)} KiB`,
      );
      // the workbook itself is kept by the test; beyond it the export holds a page of rows and the zip's window
      expect(growthMb).toBeLessThan(bytes / 1024 / 1024 + 40);

      // read back with the streaming reader: header, 50,000 rows newest first, then the note
      const t2 = performance.now();
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.concat(chunks)]), { sharedStrings: 'cache', worksheets: 'emit' });
      let rowCount = 0;
      let second: unknown[] = [];
      let last: unknown[] = [];
      for await (const sheet of reader) {
        for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
          rowCount++;
          if (rowCount === 2) second = (row.values as unknown[]).slice(1);
          last = (row.values as unknown[]).slice(1);
        }
      }
      expect(rowCount).toBe(1 + EXPORT_ROW_CAP + 1);
      expect(second[0]).toBe(9000000000 + MATCHING);
      console.log(`read back in ${((performance.now() - t2) / 1000).toFixed(1)} s`);
      expect(String(last[0])).toContain(`共匹配 ${MATCHING} 条，仅导出最新的 ${EXPORT_ROW_CAP} 条`);
      // the export itself is recorded, with the total and the cap
      const record = await trx.selectFrom('audit_log').select('detail').where('action', '=', 'audit.export').where('request_id', '=', 'export-at-size').executeTakeFirstOrThrow();
      expect(record.detail).toMatchObject({ total: MATCHING, cap: EXPORT_ROW_CAP });
    });
  }, 300_000);
});
