// The transactional outbox: events written in the caller's transaction, delivered at least once by a worker.
import type { RawBuilder, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { OutboxHandler } from '../../platform/module.ts';
import { invalid } from '../../shared/errors.ts';
import { insertJob, insertJobsFrom } from './repository.ts';
import type { JobHandler } from './worker.ts';

/** Outbox events are jobs named `outbox:<topic>` whose unique key is the event's idempotency key. */
export const OUTBOX_JOB_PREFIX = 'outbox:';
const TOPIC = /^[a-z][a-z0-9_.-]{0,99}$/;

export interface OutboxEvent {
  /** What happened or what to do, e.g. 'sms.send'; handlers are registered by topic. */
  topic: string;
  /** Idempotency key, unique within the topic: a second enqueue with the same key is ignored. */
  key: string;
  payload: unknown;
  /** Deliver no earlier than this (e.g. quiet hours). */
  notBefore?: Date;
  /** Delivery attempts before the event is failed and shown as such (default 10). */
  maxAttempts?: number;
}

export class OutboxService {
  constructor(private readonly clock: Clock) {}

  /**
   * Writes the event in `trx`, so it commits or rolls back with the business write and its audit record.
   * Returns false when an event with this topic and key was already enqueued (it is not enqueued again).
   */
  async enqueue(trx: Transaction<Database>, event: OutboxEvent): Promise<boolean> {
    checkEvent(event);
    const now = this.clock.now();
    const id = await insertJob(
      trx,
      { name: `${OUTBOX_JOB_PREFIX}${event.topic}`, payload: event.payload, runAt: event.notBefore ?? now, maxAttempts: event.maxAttempts ?? 10, uniqueKey: event.key },
      now,
    );
    return id !== null;
  }

  /**
   * The SQL that writes as events of `topic` the rows `events` selects — (key text, payload jsonb) — for a caller to
   * embed as a CTE of its own statement (a bulk send's batches, their payloads built where their ids are: no id
   * travels to the client and back, D146). Deduplicated by key as by `enqueue`; RETURNING the new jobs' ids. `now`
   * (the clock's by default) is the creation time, and the delivery time unless `notBefore` says later.
   */
  eventsFrom(topic: string, events: RawBuilder<{ key: string; payload: unknown }>, options: { notBefore?: Date | null; maxAttempts?: number; now?: Date } = {}): RawBuilder<{ id: string }> {
    checkTopic(topic);
    const now = options.now ?? this.clock.now();
    return insertJobsFrom(`${OUTBOX_JOB_PREFIX}${topic}`, events, options.notBefore ?? now, options.maxAttempts ?? 10, now);
  }
}

function checkTopic(topic: string): void {
  if (!TOPIC.test(topic)) throw invalid('outbox.invalid_topic', 'topic', `An outbox topic matches ${TOPIC.source}.`);
}

function checkEvent(event: OutboxEvent): void {
  checkTopic(event.topic);
  if (event.key.length < 1 || event.key.length > 400) throw invalid('outbox.invalid_key', 'key', 'An outbox key has 1 to 400 characters.');
}

/** Job handlers that deliver outbox events to the topic handlers. */
export function outboxJobHandlers(handlers: Readonly<Record<string, OutboxHandler>>): Record<string, JobHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([topic, handler]) => [
      `${OUTBOX_JOB_PREFIX}${topic}`,
      (job) => handler({ id: job.id, topic, key: job.uniqueKey ?? job.id, payload: job.payload, attempt: job.attempt }),
    ]),
  );
}
