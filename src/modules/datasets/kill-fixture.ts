// Test fixture run as a child process (datasets-kill.test.ts): starts a load into a PGlite data directory (or a
// PostgreSQL database, given its URL) from an endless file and says so once rows are staged (on PostgreSQL, once
// thousands of rows went down the load's COPY, which shows none before it ends), then waits to be killed mid-load.
import { Readable } from 'node:stream';
import { loadConfig } from '../../config.ts';
import { Kysely } from 'kysely';
import { openPglite, postgresDialect } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { createServices } from '../../services.ts';
import { systemActorContext } from '../../shared/context.ts';
import { idNumberCheckCharacter } from '../../shared/id-number.ts';
import type { DatasetsService } from './service.ts';

const [dataDir, resourceId] = process.argv.slice(2) as [string, string];
const postgres = /^postgres(ql)?:/.test(dataDir);
const db = postgres ? new Kysely<Database>({ dialect: postgresDialect(dataDir, 4) }) : openPglite(dataDir).db;
const datasets = createServices(db, loadConfig({})).datasets as DatasetsService;
let n = 0;
const body = new Readable({
  read() {
    if (n === 0) this.push('id_number,name,region\n');
    const lines: string[] = [];
    for (let i = 0; i < 500; i++, n++) {
      const first17 = `650502${19500101 + (n % 28)}${String(n % 1000).padStart(3, '0')}`;
      lines.push(`${first17}${idNumberCheckCharacter(first17)},名${n},650502`);
    }
    setTimeout(() => this.push(`${lines.join('\n')}\n`), 5);
  },
});
void datasets.upload(systemActorContext(), { resource: resourceId, fileName: 'endless.csv', body }).catch(() => undefined);
const timer = setInterval(() => {
  const staged = postgres
    ? db.selectFrom('data_load').select('total_rows as n').where('resource_id', '=', resourceId).where('total_rows', '>', 5000).executeTakeFirst()
    : db
        .selectFrom('data_load_staging')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirst();
  void staged.then((row) => {
    if (Number(row?.n ?? 0) > 0) {
      clearInterval(timer);
      process.stdout.write('staged\n');
    }
  });
}, 200);
