// Memory stays flat while a file streams in: the JS heap (after a forced GC) is sampled as ~30 MB of CSV arrive.
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../../test/support/app.ts';
import { newResource, PERSON_ITEMS } from '../../../test/support/data-factories.ts';
import { testDb } from '../../../test/support/db.ts';
import { systemActorContext } from '../../shared/context.ts';
import { idNumberCheckCharacter } from '../../shared/id-number.ts';
import type { DatasetsService } from './service.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('a large file', () => {
  it('streams through with a flat heap', { timeout: 300_000 }, async () => {
    const [{ services }, { db }] = await Promise.all([testApp(), testDb()]);
    const resource = await newResource(db, { items: PERSON_ITEMS });
    const ROWS = 100_000;
    const note = '哈密市伊州区数据归集压力测试备注'.repeat(12);
    const samples: { rows: number; heapMb: number; rssMb: number }[] = [];
    let bytes = 0;
    const sample = (rows: number) => {
      gc();
      const m = process.memoryUsage();
      samples.push({ rows, heapMb: Math.round(m.heapUsed / 2 ** 20), rssMb: Math.round(m.rss / 2 ** 20) });
    };
    async function* file() {
      yield 'id_number,name,phone,region,note\n';
      for (let n = 0; n < ROWS; n += 1000) {
        if (n % 20_000 === 0) sample(n);
        let chunk = '';
        for (let i = n; i < n + 1000; i++) {
          const birth = new Date(Date.UTC(1950, 0, 1) + (i % 20_000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
          const first17 = `650502${birth}${String(Math.floor(i / 20_000)).padStart(3, '0')}`;
          chunk += `${first17}${idNumberCheckCharacter(first17)},名${i},139${String(i).padStart(8, '0')},650502,${note}\n`;
        }
        bytes += Buffer.byteLength(chunk);
        yield chunk;
      }
      sample(ROWS);
    }
    const load = await (services.datasets as DatasetsService).upload(systemActorContext(), { resource: resource.id, fileName: 'big.csv', body: Readable.from(file()) });
    expect(load.status).toBe('committed');
    expect(load.totalRows).toBe(ROWS);
    expect(bytes).toBeGreaterThan(25 * 2 ** 20);
    const heaps = samples.slice(1).map((s) => s.heapMb);
    // the largest rise above an earlier low: memory other tests leave behind may be freed during the load, and a drop
    // is not growth
    const growth = Math.max(...heaps.map((h, i) => h - Math.min(...heaps.slice(0, i + 1))));
    console.log(`datasets memory: ${(bytes / 2 ** 20).toFixed(0)} MB streamed; heap after GC ${heaps.join(' → ')} MB (largest rise ${growth} MB); RSS ${samples.map((s) => s.rssMb).join(' → ')} MB`);
    expect(growth).toBeLessThan(48);
  });
});
