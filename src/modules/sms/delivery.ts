// Delivery of queued messages in batches. The outbox worker hands over many events at once; their reads and writes
// are gathered, so a batch costs a handful of statements instead of a handful per message (on PGlite's one
// connection that is the difference between ~100 and well over 500 messages a second).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { SmsGateway } from './gateway.ts';
import { quietHoursEnd } from './quiet-hours.ts';
import * as repo from './repository.ts';
import { concatReference, segmentText } from './segments.ts';
import { SmsError } from './types.ts';

export interface DeliveryDeps {
  db: Kysely<Database>;
  clock: Clock;
  gateway(): SmsGateway | null;
  /** Re-queues a message for the end of quiet hours, in `trx`. */
  hold(trx: Transaction<Database>, id: string, until: Date): Promise<void>;
  /** Matches stored receipts to segments (after the batch committed). */
  reconcile(): Promise<void>;
}

interface Waiting {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/** Most messages handled in one batch. */
const BATCH = 200;

export class DeliveryBatcher {
  private waiting = new Map<string, Waiting>();
  private scheduled = false;

  constructor(private readonly deps: DeliveryDeps) {}

  /** Resolves once the message is with the centre (or settled otherwise); rejects with a temporary failure. */
  deliver(id: string): Promise<void> {
    const known = this.waiting.get(id);
    if (known) return known.promise;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.waiting.set(id, { promise, resolve, reject });
    if (this.waiting.size >= BATCH) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return promise;
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    if (batch.size === 0) return;
    this.waiting = new Map();
    this.run([...batch.keys()]).then(
      (outcomes) => {
        for (const [id, w] of batch) {
          const error = outcomes.get(id);
          if (error === undefined || error === null) w.resolve();
          else w.reject(error);
        }
      },
      (error: unknown) => {
        for (const w of batch.values()) w.reject(error);
      },
    );
  }

  /** Each id's outcome: null when done with, or the temporary error the outbox should retry after. */
  private async run(ids: string[]): Promise<Map<string, unknown>> {
    const { db, clock } = this.deps;
    const found = await repo.findForDelivery(db, ids);
    const now = clock.now();
    const outcomes = new Map<string, unknown>();
    const optedOut: string[] = [];
    const held: { id: string; until: Date }[] = [];
    const sending: { id: string; row: repo.DeliveryRow }[] = [];
    const gateway = this.deps.gateway();
    for (const id of ids) {
      const row = found.get(id);
      outcomes.set(id, null);
      if (!row || row.message.status !== 'queued') continue;
      const until = row.message.urgent ? null : quietHoursEnd(now);
      if (!row.message.urgent && row.optedOut) optedOut.push(id);
      else if (until) held.push({ id, until });
      else if (!gateway) outcomes.set(id, new SmsError('sms.no_gateway', 'The SMS gateway is not connected yet.', true));
      else sending.push({ id, row });
    }
    const writes: repo.SegmentWrite[] = [];
    const sent: string[] = [];
    const refused: { id: string; error: string }[] = [];
    await Promise.all(
      sending.map(async ({ id, row }) => {
        const pending = segmentText(row.message.body, concatReference(id)).filter((s) => !row.sentSeqs.includes(s.seq));
        const results = await Promise.allSettled(pending.map((segment) => gateway!.submit({ to: row.message.to_number, segment, ref: `${id}:${segment.seq}` })));
        let temporary: unknown = null;
        let refusal: string | null = null;
        results.forEach((result, i) => {
          const seq = pending[i]!.seq;
          if (result.status === 'fulfilled') writes.push({ messageId: id, seq, smscId: result.value.smscId, status: 'sent', error: null });
          else if (result.reason instanceof SmsError && !result.reason.temporary) {
            refusal ??= result.reason.message;
            writes.push({ messageId: id, seq, smscId: null, status: 'failed', error: result.reason.message });
          } else temporary ??= result.reason;
        });
        if (refusal !== null) refused.push({ id, error: refusal });
        else if (temporary !== null) outcomes.set(id, temporary);
        else sent.push(id);
      }),
    );
    const done = clock.now();
    await db.transaction().execute(async (trx) => {
      await repo.insertSegments(trx, writes, done);
      await repo.setMessageState(trx, sent, { status: 'sent', sentAt: done });
      await repo.setMessageState(trx, optedOut, { status: 'opted_out', doneAt: done });
      for (const { id, error } of refused) await repo.setMessageState(trx, id, { status: 'failed', error, doneAt: done });
      for (const { id, until } of held) await this.deps.hold(trx, id, until);
    });
    if (writes.length > 0) await this.deps.reconcile();
    return outcomes;
  }
}
