// Jobs: enqueue durable work, list it for administrators and retry what failed; builds the workers.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { requireScope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { conflict, invalid, notFound } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { Page } from '../../shared/pagination.ts';
import type { AuditService } from '../audit/index.ts';
import * as repo from './repository.ts';
import type { JobState } from './schema.ts';
import { JobWorker, type JobHandler, type WorkerOptions } from './worker.ts';

export interface EnqueueOptions {
  /** Not before this instant (default: now). */
  runAt?: Date;
  /** Attempts before the job is failed (default 5). */
  maxAttempts?: number;
  /** Idempotency key: a second enqueue with the same name and key is ignored (while the first is kept). */
  uniqueKey?: string;
  /** Enqueue inside the caller's transaction, so the job exists only if the caller's write commits. */
  trx?: Transaction<Database>;
}

export interface Job {
  id: string;
  name: string;
  uniqueKey: string | null;
  state: JobState;
  runAt: string;
  attempts: number;
  maxAttempts: number;
  lockedBy: string | null;
  lockedUntil: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** What the caller may do to this job: 'retry' when it failed. */
  abilities: string[];
}

export interface JobQuery {
  state?: JobState;
  name?: string;
  cursor?: string;
  limit?: number;
}

export interface JobPage extends Page<Job> {
  /** How many jobs are in each state (under the name filter). */
  counts: Record<JobState, number>;
}

export const JOB_NAME_PATTERN = '^[a-z][a-z0-9_.:-]{0,199}$';
const JOB_NAME = new RegExp(JOB_NAME_PATTERN);

function toJob(row: repo.JobRow): Job {
  return {
    id: row.id,
    name: row.name,
    uniqueKey: row.unique_key,
    state: row.state,
    runAt: row.run_at.toISOString(),
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until?.toISOString() ?? null,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    abilities: row.state === 'failed' ? ['retry'] : [],
  };
}

export class JobsService {
  private readonly defined: Record<string, JobHandler> = {};

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    /** The time source of due times and leases. */
    readonly clock: Clock,
  ) {}

  /** Registers the handler of one-off jobs named `name` (call while building services, before workers start). */
  define(name: string, handler: JobHandler): void {
    if (!JOB_NAME.test(name) || name.includes(':')) throw new Error(`Job name ${name} must match ${JOB_NAME_PATTERN} without ':'.`);
    if (this.defined[name]) throw new Error(`Job ${name} is defined twice.`);
    this.defined[name] = handler;
  }

  /** The handlers registered with define(). */
  definedHandlers(): Readonly<Record<string, JobHandler>> {
    return { ...this.defined };
  }

  /** Enqueues a job; returns its id, or null when a job with the same name and unique key exists. */
  async enqueue(name: string, payload: unknown, options: EnqueueOptions = {}): Promise<string | null> {
    if (!JOB_NAME.test(name)) throw invalid('job.invalid_name', 'name', `A job name matches ${JOB_NAME_PATTERN}.`);
    const maxAttempts = options.maxAttempts ?? 5;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) throw invalid('job.invalid_max_attempts', 'maxAttempts', 'maxAttempts is 1 to 100.');
    if (options.uniqueKey !== undefined && (options.uniqueKey.length < 1 || options.uniqueKey.length > 400)) {
      throw invalid('job.invalid_unique_key', 'uniqueKey', 'A unique key has 1 to 400 characters.');
    }
    const now = this.clock.now();
    return repo.insertJob(options.trx ?? this.db, { name, payload, runAt: options.runAt ?? now, maxAttempts, uniqueKey: options.uniqueKey ?? null }, now);
  }

  /** Jobs newest first, for administrators (jobs.manage); jobs are the platform's, not a region's. */
  async list(ctx: RequestContext, query: JobQuery): Promise<JobPage> {
    requireScope(ctx.actor, 'jobs.manage');
    const limit = query.limit ?? 50;
    const [beforeId] = query.cursor === undefined ? [undefined] : decodeKeyset(query.cursor, ['string'] as const);
    if (beforeId !== undefined && !/^[0-9]{1,19}$/.test(beforeId)) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not one this API issued.');
    const [rows, counts] = await Promise.all([
      repo.listJobs(this.db, { ...(query.state ? { state: query.state } : {}), ...(query.name ? { name: query.name } : {}), ...(beforeId ? { beforeId } : {}) }, limit + 1),
      repo.countJobsByState(this.db, query.name),
    ]);
    const items = rows.slice(0, limit).map(toJob);
    return { items, nextCursor: rows.length > limit ? encodeKeyset([items[items.length - 1]!.id]) : null, counts };
  }

  /** Puts a failed job back in the queue with fresh attempts (audited). */
  async retry(ctx: RequestContext, id: string): Promise<Job> {
    requireScope(ctx.actor, 'jobs.manage');
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.requeueFailed(trx, id, this.clock.now());
      if (!row) {
        const existing = await repo.findJob(trx, id);
        if (!existing) throw notFound('job.not_found', `No job ${id}.`, 'id');
        throw conflict('job.not_retryable', `Job ${id} is ${existing.state}; only a failed job can be retried.`, 'id');
      }
      await this.audit.record(trx, ctx, { action: 'job.retry', objectType: 'job', objectId: id, detail: { name: row.name, lastError: row.last_error } });
      return toJob(row);
    });
  }

  /** A worker on this service's database and clock (started by the module at server start, or by a test). */
  createWorker(options: Omit<WorkerOptions, 'db' | 'clock'>): JobWorker {
    return new JobWorker({ db: this.db, clock: this.clock, ...options });
  }

  /** Deletes done jobs finished more than `days` ago (their unique keys may then be used again). */
  async purgeDone(days: number): Promise<number> {
    return repo.purgeDoneJobs(this.db, new Date(this.clock.now().getTime() - days * 86_400_000));
  }
}
