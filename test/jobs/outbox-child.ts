// A dispatcher process for the kill-and-restart tests: delivers one topic's outbox events, recording each delivery
// and a side effect deduplicated by the event's key; optionally hangs mid-batch (to be killed), exits when idle.
// Env: JOBS_DB (postgres URL or pglite:<dir>), JOBS_TOPIC, JOBS_WORKER, JOBS_LEASE_MS, JOBS_HANG_AT, JOBS_BATCH,
// JOBS_WAIT_GO (print 'ready', start on a line from stdin).
import { Kysely, sql } from 'kysely';
import { openPglite, postgresDialect, type DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { AuditService } from '../../src/modules/audit/index.ts';
import { JobsService, OUTBOX_JOB_PREFIX, outboxJobHandlers } from '../../src/modules/jobs/index.ts';

const env = (name: string): string => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();
const target = env('JOBS_DB');
const topic = env('JOBS_TOPIC');
const workerId = env('JOBS_WORKER');
const hangAt = Number(process.env.JOBS_HANG_AT ?? 0);

function open(): DatabaseHandle {
  if (target.startsWith('pglite:')) return openPglite(target.slice('pglite:'.length));
  const db = new Kysely<Database>({ dialect: postgresDialect(target, 4) });
  return { db, kind: 'postgres', location: target, close: () => db.destroy() };
}

const handle = open();
const db = handle.db;
const jobs = new JobsService(db, new AuditService(db), systemClock);
let delivered = 0;
const worker = jobs.createWorker({
  workerId,
  leaseMs: Number(process.env.JOBS_LEASE_MS ?? 1000),
  batchSize: Number(process.env.JOBS_BATCH ?? 20),
  handlers: outboxJobHandlers({
    [topic]: async (message) => {
      await sql`INSERT INTO outbox_probe_delivery (topic, key, worker) VALUES (${topic}, ${message.key}, ${workerId})`.execute(db);
      // the side effect, deduplicated by the event's idempotency key (as an SMS gateway adapter would)
      await sql`INSERT INTO outbox_probe_effect (topic, key) VALUES (${topic}, ${message.key}) ON CONFLICT DO NOTHING`.execute(db);
      delivered++;
      process.stdout.write(`delivered ${delivered}\n`);
      if (hangAt > 0 && delivered >= hangAt) {
        process.stdout.write('hang\n');
        await new Promise(() => undefined);
      }
    },
  }),
});

if (process.env.JOBS_WAIT_GO) {
  // start together with the other dispatcher: announce readiness, wait for a line on stdin
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.pause();
}

for (;;) {
  const ran = await worker.runOnce();
  if (ran > 0) continue;
  const left = await db
    .selectFrom('job')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('name', '=', `${OUTBOX_JOB_PREFIX}${topic}`)
    .where('state', 'in', ['queued', 'running'])
    .executeTakeFirstOrThrow();
  if (Number(left.n) === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
process.stdout.write('idle\n');
await handle.close();
