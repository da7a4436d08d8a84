import { Session } from 'node:inspector/promises';
import fs from 'node:fs';
import { sql, Kysely } from 'kysely';
import { newResource } from '/work/wt/h8/test/support/data-factories.ts';
import { loadConfig } from '/work/wt/h8/src/config.ts';
import { postgresDialect } from '/work/wt/h8/src/db/database.ts';
import { migrateToLatest } from '/work/wt/h8/src/db/migrate.ts';
import { importRegions } from '/work/wt/h8/src/modules/regions/index.ts';
import { createServices } from '/work/wt/h8/src/services.ts';
import { systemActorContext } from '/work/wt/h8/src/shared/context.ts';
const ITEMS = [
  { code: 'id_number', name: '公民身份号码', type: 'id_number', isKey: true, required: true },
  { code: 'name', name: '姓名', type: 'string', required: true },
  { code: 'phone', name: '联系电话', type: 'mobile' },
  { code: 'region', name: '所在区划', type: 'region_code' },
  { code: 'born', name: '出生日期', type: 'date' },
  { code: 'household', name: '户号', type: 'integer' },
  { code: 'income', name: '年收入', type: 'decimal' },
  { code: 'address', name: '住址', type: 'string' },
  { code: 'employer', name: '工作单位', type: 'string' },
  { code: 'note', name: '备注', type: 'string' },
] as any;
const admin = new Kysely<any>({ dialect: postgresDialect('postgres://root@127.0.0.1:5432/test', 1) });
await sql.raw('DROP DATABASE IF EXISTS h8prof').execute(admin);
await sql.raw('CREATE DATABASE h8prof').execute(admin);
const db = new Kysely<any>({ dialect: postgresDialect('postgres://root@127.0.0.1:5432/h8prof', 5) });
await migrateToLatest(db); await importRegions(db, '6505');
const r = await newResource(db, { items: ITEMS });
const datasets = createServices(db, loadConfig({})).datasets as any;
const session = new Session(); session.connect(); await session.post('Profiler.enable'); await session.post('Profiler.start');
const t = performance.now(); const cpu = process.cpuUsage();
const load = await datasets.upload(systemActorContext(), { resource: r.id, fileName: 'p.csv', body: fs.createReadStream('/tmp/h8/p.csv', { highWaterMark: 256 * 1024 }) });
const { profile } = await session.post('Profiler.stop');
fs.writeFileSync('/tmp/h8/up.cpuprofile', JSON.stringify(profile));
const c = process.cpuUsage(cpu);
console.log(load.status, load.acceptedRows, Math.round(performance.now() - t), 'ms', Math.round((c.user + c.system) / 1000), 'ms cpu');
await db.destroy(); await sql.raw('DROP DATABASE h8prof').execute(admin); await admin.destroy();
