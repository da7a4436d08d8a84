// Targeting a notice at 100,000 residents (issue 8 §5): the filter evaluated, the text rendered per resident, the
// recipients frozen and every SMS queued with its outbox events (send, D123), then the dispatch job (站内信; here it
// only marks the notice dispatched), on PostgreSQL and on PGlite, with the process's RSS growth. Run alone with `npx tsx bench/notices.ts`.
// PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (default postgres://root@127.0.0.1:5432/test); a fresh database
// is created beside it and dropped afterwards. BENCH_NOTICES_RESIDENTS / BENCH_NOTICES_PGLITE_RESIDENTS (0: skip) change the sizes.
import { randomBytes } from 'node:crypto';
import { sql, Kysely } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openPglite, postgresDialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import { importRegions } from '../src/modules/regions/index.ts';
import { createServices } from '../src/services.ts';
import { systemActorContext } from '../src/shared/context.ts';
import { fillResidents } from './community-fixture.ts';

export interface NoticesRow {
  figure: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
}

async function measure(db: Kysely<Database>, residents: number, label: string): Promise<NoticesRow[]> {
  await migrateToLatest(db);
  await importRegions(db, '6505');
  await fillResidents(db, residents);
  // a registry in use has statistics (autovacuum analyzes after a load)
  await sql`ANALYZE`.execute(db);
  const { notices } = createServices(db, loadConfig({}));
  const ctx = systemActorContext();
  global.gc?.();
  const baseRss = process.memoryUsage().rss;
  let peak = baseRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  const started = performance.now();
  const draft = await notices.create(ctx, {
    title: '全市居民医保缴费提醒',
    filter: { regionCode: '6505' },
    text: '【哈密市政务云】{姓名}{称呼}您好：{社区}提醒您，城乡居民医保缴费将于{时间}截止，请及时缴费。',
    fields: { 时间: '12月31日' },
    channels: ['sms'],
  });
  const sent = await notices.send(ctx, draft.id);
  const frozenMs = performance.now() - started;
  const dispatched = await notices.dispatch(draft.id);
  const totalMs = performance.now() - started;
  clearInterval(sampler);
  const queued = Number((await db.selectFrom('sms_message').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  if (sent.recipientCount !== residents || dispatched !== residents || queued !== residents) {
    throw new Error(`bench notice reached ${sent.recipientCount} / dispatched ${dispatched} / queued ${queued} of ${residents}`);
  }
  const n = residents.toLocaleString('en');
  return [
    { figure: `notices: send to ${n} residents (filter, render, freeze, queue SMS), ${label}`, value: Math.round(frozenMs), unit: 'ms' },
    // baseline: before the set-wise queue (1,000-row arrays through the client; PostgreSQL, session 5); before D112 it was
    // 22,270 ms on the same loaded machine (load average ~12 on 2 cores)
    { figure: `notices: target + enqueue ${n} SMS, ${label}`, value: Math.round(totalMs), unit: 'ms', baseline: label === 'PostgreSQL' && residents === 100_000 ? 122_000 : undefined, target: '≤ 5,000 ms' },
    // the figure over the issue's 5 s, from this run's own measurement (a loaded machine inflates both alike)
    { figure: `notices: target + enqueue ${n} SMS against the 5 s target (baseline), ${label}`, value: Math.round(totalMs), unit: 'ms', baseline: 5000, target: 'ratio ≤ 1' },
    { figure: `notices: RSS growth while targeting ${n}, ${label}`, value: Math.round((peak - baseRss) / 2 ** 20), unit: 'MB' },
  ];
}

export async function noticesFigures(): Promise<NoticesRow[]> {
  const residents = Number(process.env.BENCH_NOTICES_RESIDENTS ?? 100_000);
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const out: NoticesRow[] = [];
  const name = `govcloud_bench_notices_${randomBytes(4).toString('hex')}`;
  const admin = new Kysely<Database>({ dialect: postgresDialect(url, 1) });
  await sql.raw(`CREATE DATABASE ${name}`).execute(admin);
  const db = new Kysely<Database>({ dialect: postgresDialect(url.replace(/\/[^/]*$/, `/${name}`), 5) });
  try {
    out.push(...(await measure(db, residents, 'PostgreSQL')));
  } finally {
    await db.destroy();
    await sql.raw(`DROP DATABASE IF EXISTS ${name}`).execute(admin);
    await admin.destroy();
  }
  const pgliteResidents = Number(process.env.BENCH_NOTICES_PGLITE_RESIDENTS ?? residents);
  if (pgliteResidents > 0) {
    const handle = openPglite(undefined);
    try {
      out.push(...(await measure(handle.db, pgliteResidents, 'PGlite')));
    } finally {
      await handle.close();
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await noticesFigures()) {
    console.log(`${row.figure.padEnd(70)} ${String(row.value).padStart(10)} ${row.unit}${row.baseline === undefined ? '' : `   baseline ${row.baseline}`}${row.target ? `   target ${row.target}` : ''}`);
  }
}
