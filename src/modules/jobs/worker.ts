// A worker: claims due jobs in batches under a lease, runs their handlers, settles them; polls while idle.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { DEFAULT_BACKOFF, retryDelayMs, type Backoff } from './backoff.ts';
import { claimJobs, completeJobs, extendLeases, failJob, releaseExpiredLeases, type ClaimedRow } from './repository.ts';

/** A job as its handler sees it. */
export interface ClaimedJob {
  id: string;
  name: string;
  uniqueKey: string | null;
  payload: unknown;
  /** 1 on the first attempt. */
  attempt: number;
  maxAttempts: number;
}

export type JobHandler = (job: ClaimedJob) => Promise<void>;

export interface WorkerOptions {
  db: Kysely<Database>;
  clock: Clock;
  /** Handlers by job name; the worker claims only these names. */
  handlers: Readonly<Record<string, JobHandler>>;
  /** Defaults to host:pid:random. */
  workerId?: string;
  /** Jobs claimed and run together. */
  batchSize?: number;
  /** Wait between polls while the queue is empty. */
  pollMs?: number;
  /** How long a claim holds before another worker may take the job over; extended while the handler runs. */
  leaseMs?: number;
  backoff?: Backoff;
  /** Told of errors the loop survives (database unreachable …). */
  onError?: (error: unknown) => void;
}

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 2000);
}

export class JobWorker {
  readonly workerId: string;
  private readonly names: string[];
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly backoff: Backoff;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: WorkerOptions) {
    this.workerId = options.workerId ?? newWorkerId();
    this.names = Object.keys(options.handlers);
    this.batchSize = options.batchSize ?? 20;
    this.pollMs = options.pollMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** Claims one batch, runs it and settles it; returns how many jobs it ran. */
  async runOnce(): Promise<number> {
    const { db, clock } = this.options;
    const now = clock.now();
    await releaseExpiredLeases(db, this.names, now);
    const claimed = await claimJobs(db, this.names, this.batchSize, this.workerId, now, new Date(now.getTime() + this.leaseMs));
    if (claimed.length === 0) return 0;
    const ids = claimed.map((c) => c.id);
    // keep the leases while the handlers run, so a slow batch is not taken over
    const heartbeat = setInterval(() => {
      void extendLeases(db, ids, this.workerId, new Date(clock.now().getTime() + this.leaseMs)).catch((e: unknown) => this.options.onError?.(e));
    }, Math.max(10, Math.floor(this.leaseMs / 3)));
    try {
      const outcomes = await Promise.all(claimed.map((row) => this.execute(row)));
      const done = claimed.filter((_, i) => outcomes[i] === undefined).map((c) => c.id);
      const settledAt = clock.now();
      await completeJobs(db, done, this.workerId, settledAt);
      for (const [i, row] of claimed.entries()) {
        const error = outcomes[i];
        if (error === undefined) continue;
        const retryAt = new Date(settledAt.getTime() + retryDelayMs(row.attempts, this.backoff));
        await failJob(db, row.id, this.workerId, error, settledAt, retryAt);
      }
    } finally {
      clearInterval(heartbeat);
    }
    return claimed.length;
  }

  /** Runs one handler; returns the error text, or undefined on success. */
  private async execute(row: ClaimedRow): Promise<string | undefined> {
    const handler = this.options.handlers[row.name];
    if (!handler) return `no handler for ${row.name}`;
    try {
      await handler({ id: row.id, name: row.name, uniqueKey: row.unique_key, payload: row.payload, attempt: row.attempts, maxAttempts: row.max_attempts });
      return undefined;
    } catch (error) {
      return errorText(error);
    }
  }

  /** Starts polling in the background. */
  start(): this {
    if (this.running) return this;
    this.running = true;
    this.loop = this.poll();
    return this;
  }

  /** Polls now instead of at the end of the current wait (e.g. after enqueueing). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops after the batch in hand is settled. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = undefined;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      let ran = 0;
      try {
        ran = await this.runOnce();
      } catch (error) {
        this.options.onError?.(error);
      }
      if (!this.running) break;
      if (ran > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }
}
