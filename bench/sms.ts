// SMS figures for `npm run bench`: messages per second through services.sms → outbox → SMPP gateway → the local SMS
// centre, beside raw submit_sm over one bind; and kill -9 of a real worker process mid-batch, restarted: every
// message must reach the centre exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import smpp from 'smpp';
import { openPglite } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { systemClock } from '../src/platform/clock.ts';
import { AuditService } from '../src/modules/audit/index.ts';
import { JobsService, OUTBOX_BATCH, OutboxService } from '../src/modules/jobs/index.ts';
import { outboxJobHandlers } from '../src/modules/jobs/outbox.ts';
import { DELIVER_TOPIC, LocalSmsc, SmppGateway, SmsService } from '../src/modules/sms/index.ts';
import { encodeUcs2 } from '../src/modules/sms/ucs2.ts';

const root = path.resolve(import.meta.dirname, '..');
const WINDOW = 10;

async function waitFor(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Baseline: pre-encoded submit_sm over one transceiver bind, `WINDOW` in flight, no database. */
export async function rawSubmitRate(count: number): Promise<number> {
  const smsc = await LocalSmsc.start();
  const session = smpp.connect({ host: '127.0.0.1', port: smsc.port });
  await new Promise<void>((resolve) => session.on('connect', () => session.bind_transceiver({ system_id: 'raw', password: 'raw' }, () => resolve())));
  session.on('deliver_sm', (pdu: smpp.PDU) => session.send(pdu.response()));
  const octets = encodeUcs2('【政务云】基准短信');
  const started = performance.now();
  let sent = 0;
  let done = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (sent < count && sent - done < WINDOW) {
        sent += 1;
        session.submit_sm({ source_addr: '10690000', destination_addr: `139${String(sent).padStart(8, '0')}`, data_coding: 8, registered_delivery: 1, short_message: octets }, () => {
          done += 1;
          if (done === count) resolve();
          else pump();
        });
      }
    };
    pump();
  });
  const rate = count / ((performance.now() - started) / 1000);
  session.destroy();
  await smsc.close();
  return rate;
}

/** The outbox batch before D46's measurement moved it to OUTBOX_BATCH: kept as the same-run comparison. */
const FORMER_OUTBOX_BATCH = 50;

/** Messages queued through services.sms.send (500 per transaction), then delivered by an outbox worker claiming `batchSize`. */
export async function serviceRate(count: number, batchSize = OUTBOX_BATCH): Promise<{ toSmsc: number; toDelivered: number }> {
  const smsc = await LocalSmsc.start();
  const handle = openPglite(undefined);
  const { db } = handle;
  await migrateToLatest(db);
  const audit = new AuditService(db);
  const sms = new SmsService(db, audit, systemClock, new OutboxService(systemClock));
  const gateway = new SmppGateway({ host: '127.0.0.1', port: smsc.port, systemId: 'g', password: 'p', sourceAddr: '10690000', window: WINDOW, ratePerSecond: 100_000 });
  sms.attach(gateway, null);
  for (let from = 0; from < count; from += 500) {
    await db.transaction().execute(async (trx) => {
      for (let i = from; i < Math.min(count, from + 500); i++) await sms.send(trx, { to: `139${String(i).padStart(8, '0')}`, text: `【政务云】通知 #${i}`, purpose: 'bench.rate', urgent: true });
    });
  }
  const worker = new JobsService(db, audit, systemClock)
    .createWorker({ handlers: outboxJobHandlers({ [DELIVER_TOPIC]: (m) => sms.deliver((m.payload as { id: string }).id) }), batchSize, pollMs: 50 })
    .start();
  const started = performance.now();
  await waitFor('the centre to accept every message', () => smsc.stats.accepted >= count, 120_000);
  const toSmsc = count / ((performance.now() - started) / 1000);
  const delivered = async () => Number((await db.selectFrom('sms_message').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'delivered').executeTakeFirstOrThrow()).n);
  while ((await delivered()) < count) await new Promise((r) => setTimeout(r, 20));
  const toDelivered = count / ((performance.now() - started) / 1000);
  await worker.stop();
  await gateway.close();
  await handle.close();
  await smsc.close();
  return { toSmsc, toDelivered };
}

export interface KillResult {
  messages: number;
  /** Distinct messages the centre delivered to a handset. */
  received: number;
  lost: number;
  /** Messages a handset got more than once. */
  duplicates: number;
  /** Segments submitted again after the restart whose idempotency key the centre had seen (not delivered twice). */
  resubmitted: number;
  /** Messages that reached `delivered` in the database (receipts applied). */
  delivered: number;
  /** How many had reached the centre when the worker was killed. */
  atKill: number;
}

function startChild(env: Record<string, string>): { child: ChildProcess; lines: string[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/sms-child.ts')], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop()!;
    lines.push(...parts);
  });
  return { child, lines };
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

/**
 * Queues `count` messages in a real child process and kills it with SIGKILL once about a third reached the centre;
 * a second process resumes. On PostgreSQL when `databaseUrl` is given (the caller provides an empty database).
 */
export async function killScenario(count: number, databaseUrl?: string): Promise<KillResult> {
  const marker = randomBytes(4).toString('hex');
  const seen = new Map<string, number>();
  const smsc = await LocalSmsc.start({ systemId: 'govcloud', password: 'bench', onMessage: (m) => seen.set(m.text, (seen.get(m.text) ?? 0) + 1) });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-sms-kill-'));
  const env = { SMSC_PORT: String(smsc.port), SMS_COUNT: String(count), SMS_MARKER: marker, ...(databaseUrl ? { SMS_DATABASE_URL: databaseUrl } : { SMS_DATA_DIR: dataDir }) };
  const children: ChildProcess[] = [];
  try {
    const first = startChild({ ...env, SMS_MODE: 'enqueue' });
    children.push(first.child);
    await waitFor('the first worker to queue every message', () => first.lines.includes(`ENQUEUED ${count}`), 120_000);
    await waitFor('a third of the messages to reach the centre', () => seen.size >= count / 3 || first.child.exitCode !== null, 120_000);
    first.child.kill('SIGKILL');
    await exited(first.child);
    const atKill = seen.size;
    const second = startChild({ ...env, SMS_MODE: 'resume' });
    children.push(second.child);
    let delivered = 0;
    await waitFor(
      'every message to be delivered',
      () => {
        const last = second.lines.findLast((l) => l.startsWith('STATUS '));
        delivered = last ? ((JSON.parse(last.slice(7)) as Record<string, number>).delivered ?? 0) : 0;
        return delivered >= count;
      },
      180_000,
    );
    await new Promise((r) => setTimeout(r, 300)); // anything sent twice would arrive by now
    const received = [...seen.keys()].filter((text) => text.includes(marker)).length;
    const duplicates = [...seen.entries()].filter(([text, n]) => text.includes(marker) && n > 1).length;
    return { messages: count, received, lost: count - received, duplicates, resubmitted: smsc.stats.duplicates, delivered, atKill };
  } finally {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited(child), new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }
    await smsc.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The rows bench/run.ts prints. */
export async function smsFigures(): Promise<{ figure: string; value: number; unit: string; baseline?: number; target?: string }[]> {
  const raw = await rawSubmitRate(5_000);
  const former = await serviceRate(5_000, FORMER_OUTBOX_BATCH);
  const service = await serviceRate(5_000);
  const kill = await killScenario(2_000);
  return [
    { figure: `raw submit_sm over one bind (window ${WINDOW})`, value: raw, unit: 'msg/s' },
    { figure: `SMS service → outbox → SMPP, to the SMS centre (PGlite, former outbox batch ${FORMER_OUTBOX_BATCH})`, value: former.toSmsc, unit: 'msg/s', baseline: raw },
    { figure: `SMS service → outbox → SMPP, to the SMS centre (PGlite, outbox batch ${OUTBOX_BATCH})`, value: service.toSmsc, unit: 'msg/s', baseline: raw, target: '≥ 500 msg/s' },
    { figure: 'SMS service, to delivered (receipts applied)', value: service.toDelivered, unit: 'msg/s', baseline: raw },
    { figure: `SMS kill -9 mid-batch (${kill.atKill}/${kill.messages} sent): lost`, value: kill.lost, unit: '', target: '0' },
    { figure: 'SMS kill -9 mid-batch: delivered twice', value: kill.duplicates, unit: '', target: '0' },
    { figure: 'SMS kill -9 mid-batch: resubmits the centre recognised', value: kill.resubmitted, unit: '' },
  ];
}
