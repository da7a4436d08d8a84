// Job queue and outbox throughput on PGlite (in memory), beside a plain single-row INSERT rate as the baseline:
// what the queue costs on top of writing the row at all. Run alone with `tsx bench/jobs.ts`.
import { sql } from 'kysely';
import { openPglite } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { AuditService } from '../src/modules/audit/index.ts';
import { JobsService, OutboxService, outboxJobHandlers } from '../src/modules/jobs/index.ts';
import { systemClock } from '../src/platform/clock.ts';

export interface JobFigures {
  /** Single-row INSERT statements per second (autocommit). */
  plainInsertsPerS: number;
  /** One-row transactions (BEGIN, INSERT, COMMIT) per second. */
  plainTransactionsPerS: number;
  /** Jobs claimed, run (empty handler) and settled per second, batches of 50. */
  jobsPerS: number;
  /** Outbox events enqueued, each in its own transaction, per second. */
  outboxEnqueuesPerS: number;
  /** Outbox events delivered to their handler and settled per second. */
  outboxDeliveriesPerS: number;
}

const N = Number(process.env.BENCH_JOBS ?? 3000);

async function rate(count: number, fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return count / ((performance.now() - started) / 1000);
}

export async function jobFigures(): Promise<JobFigures> {
  const handle = openPglite(undefined);
  try {
    const { db } = handle;
    await migrateToLatest(db);
    await sql`CREATE TABLE bench_plain (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, payload jsonb NOT NULL)`.execute(db);
    const jobs = new JobsService(db, new AuditService(db), systemClock);
    const outbox = new OutboxService(systemClock);

    const plainInsertsPerS = await rate(N, async () => {
      for (let i = 0; i < N; i++) await sql`INSERT INTO bench_plain (name, payload) VALUES ('plain', ${JSON.stringify({ i })})`.execute(db);
    });
    const plainTransactionsPerS = await rate(N, async () => {
      for (let i = 0; i < N; i++) await db.transaction().execute((trx) => sql`INSERT INTO bench_plain (name, payload) VALUES ('trx', ${JSON.stringify({ i })})`.execute(trx));
    });

    for (let i = 0; i < N; i++) await jobs.enqueue('bench.noop', { i });
    const worker = jobs.createWorker({ handlers: { 'bench.noop': async () => undefined }, batchSize: 50 });
    const jobsPerS = await rate(N, async () => {
      while ((await worker.runOnce()) > 0);
    });

    const outboxEnqueuesPerS = await rate(N, async () => {
      for (let i = 0; i < N; i++) await db.transaction().execute((trx) => outbox.enqueue(trx, { topic: 'bench.event', key: `e${i}`, payload: { i } }));
    });
    let delivered = 0;
    const dispatcher = jobs.createWorker({ handlers: outboxJobHandlers({ 'bench.event': async () => void delivered++ }), batchSize: 50 });
    const outboxDeliveriesPerS = await rate(N, async () => {
      while ((await dispatcher.runOnce()) > 0);
    });
    if (delivered !== N) throw new Error(`delivered ${delivered} of ${N} outbox events`);
    return { plainInsertsPerS, plainTransactionsPerS, jobsPerS, outboxEnqueuesPerS, outboxDeliveriesPerS };
  } finally {
    await handle.close();
  }
}

/** The bench table's rows for these figures. */
export function jobRows(f: JobFigures): { figure: string; value: number; unit: string; baseline?: number }[] {
  return [
    { figure: 'PGlite plain single-row INSERT', value: f.plainInsertsPerS, unit: 'rows/s' },
    { figure: 'jobs claimed, run and settled (batches of 50)', value: f.jobsPerS, unit: 'jobs/s', baseline: f.plainInsertsPerS },
    { figure: 'outbox enqueue, one transaction per event', value: f.outboxEnqueuesPerS, unit: 'events/s', baseline: f.plainTransactionsPerS },
    { figure: 'outbox events delivered and settled', value: f.outboxDeliveriesPerS, unit: 'events/s', baseline: f.plainInsertsPerS },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await jobFigures();
  for (const row of jobRows(figures)) console.log(`${row.figure.padEnd(50)} ${row.value.toFixed(0).padStart(8)} ${row.unit}${row.baseline ? `   baseline ${row.baseline.toFixed(0)} (${(row.value / row.baseline).toFixed(2)}×)` : ''}`);
}
