// A real SMS worker process for the kill-and-restart scenario (bench/sms.ts): opens the database, queues COUNT
// messages (MODE=enqueue) through services.sms.send and the outbox, then delivers through the SMPP gateway to the
// parent's SMS centre until killed. MODE=resume only delivers. Prints ENQUEUED and STATUS lines on stdout.
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { systemClock } from '../src/platform/clock.ts';
import { AuditService } from '../src/modules/audit/index.ts';
import { JobsService, OUTBOX_BATCH, OutboxService } from '../src/modules/jobs/index.ts';
import { outboxJobHandlers } from '../src/modules/jobs/outbox.ts';
import { DELIVER_TOPIC, SmppGateway, SmsService } from '../src/modules/sms/index.ts';

const env = process.env;
const count = Number(env.SMS_COUNT ?? 1000);
const marker = env.SMS_MARKER ?? 'run';
const config = loadConfig({ GOVCLOUD_DATA_DIR: env.SMS_DATA_DIR ?? './data-sms', DATABASE_URL: env.SMS_DATABASE_URL ?? '' });
const handle = await openDatabase(config);
const { db } = handle;
await migrateToLatest(db);
const audit = new AuditService(db);
const sms = new SmsService(db, audit, systemClock, new OutboxService(systemClock));
const gateway = new SmppGateway({ host: '127.0.0.1', port: Number(env.SMSC_PORT), systemId: 'govcloud', password: 'bench', sourceAddr: '10690000', window: 10, ratePerSecond: 100_000 });
sms.attach(gateway, null);

/** One number per message (the parent counts what each received). */
const benchNumber = (i: number) => `139${String(i).padStart(8, '0')}`;

if (env.SMS_MODE === 'enqueue') {
  for (let from = 0; from < count; from += 200) {
    await db.transaction().execute(async (trx) => {
      for (let i = from; i < Math.min(count, from + 200); i++) {
        // urgent, so the scenario does not depend on the hour it runs at (quiet hours)
        await sms.send(trx, { to: benchNumber(i), text: `【政务云】${marker} #${i}`, purpose: 'bench.kill', urgent: true });
      }
    });
  }
  process.stdout.write(`ENQUEUED ${count}\n`);
}

const jobs = new JobsService(db, audit, systemClock);
const worker = jobs
  .createWorker({ handlers: outboxJobHandlers({ [DELIVER_TOPIC]: (m) => sms.deliver((m.payload as { id: string }).id) }), batchSize: OUTBOX_BATCH, leaseMs: 2_000, pollMs: 100 })
  .start();

const report = setInterval(() => {
  void db
    .selectFrom('sms_message')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('purpose', '=', 'bench.kill')
    .groupBy('status')
    .execute()
    .then((rows) => process.stdout.write(`STATUS ${JSON.stringify(Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])))}\n`))
    .catch(() => undefined);
}, 200);

process.once('SIGTERM', () => {
  clearInterval(report);
  void worker
    .stop()
    .then(() => gateway.close())
    .then(() => handle.close())
    .then(() => process.exit(0));
});
