// SQL of the job queue: enqueue, claim under a lease (FOR UPDATE SKIP LOCKED), settle, take over expired leases.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { JobState } from './schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface NewJobRow {
  name: string;
  payload: unknown;
  runAt: Date;
  maxAttempts: number;
  uniqueKey: string | null;
}

/** Inserts a job; returns its id, or null when (name, uniqueKey) is already queued or was already run. */
export async function insertJob(db: Executor, job: NewJobRow, now: Date): Promise<string | null> {
  const row = await db
    .insertInto('job')
    .values({
      name: job.name,
      unique_key: job.uniqueKey,
      payload: JSON.stringify(job.payload ?? null),
      run_at: job.runAt,
      max_attempts: job.maxAttempts,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['name', 'unique_key']).where('unique_key', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * An INSERT of the jobs `rows` selects — (key, payload jsonb) — all named `name`, to embed in a caller's statement;
 * a (name, key) already queued or run is skipped. The name and attempts are literals, so that the times are its only
 * parameters (a caller's fixed statement makes them inputs: D149).
 */
export function insertJobsFrom(name: string, rows: RawBuilder<{ key: string; payload: unknown }>, runAt: Date, maxAttempts: number, now: Date): RawBuilder<{ id: string }> {
  return sql<{ id: string }>`
    INSERT INTO job (name, unique_key, payload, run_at, max_attempts, created_at, updated_at)
    SELECT ${sql.lit(name)}, e.key, e.payload, ${runAt}::timestamptz, ${sql.lit(Math.trunc(maxAttempts))}::int, ${now}::timestamptz, ${now}::timestamptz FROM (${rows}) e
    ON CONFLICT (name, unique_key) WHERE unique_key IS NOT NULL DO NOTHING
    RETURNING id
  `;
}

export interface ClaimedRow {
  id: string;
  name: string;
  unique_key: string | null;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

/**
 * Claims up to `limit` due jobs among `names` for `workerId` until `leaseUntil`, in one statement: rows another
 * worker is claiming at the same moment are skipped, never waited for or taken twice.
 */
export async function claimJobs(db: Executor, names: readonly string[], limit: number, workerId: string, now: Date, leaseUntil: Date): Promise<ClaimedRow[]> {
  if (names.length === 0) return [];
  // a materialised CTE runs the locking SELECT exactly once, so a batch never exceeds `limit`
  return db
    .with(
      (cte) => cte('next').materialized(),
      (qb) =>
        qb
          .selectFrom('job')
          .select('id')
          .where('state', '=', 'queued')
          .where('run_at', '<=', now)
          .where('name', 'in', names)
          .orderBy('run_at')
          .orderBy('id')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
    )
    .updateTable('job')
    .from('next')
    .set((eb) => ({ state: 'running', locked_by: workerId, locked_until: leaseUntil, attempts: eb('job.attempts', '+', 1), updated_at: now }))
    .whereRef('job.id', '=', 'next.id')
    .returning(['job.id', 'job.name', 'job.unique_key', 'job.payload', 'job.attempts', 'job.max_attempts'])
    .execute();
}

/**
 * Returns jobs among `names` whose lease expired (their worker died or stalled) to the queue, or fails them when that
 * was their last attempt. Safe on several nodes at once: a row already returned no longer matches.
 */
export async function releaseExpiredLeases(db: Executor, names: readonly string[], now: Date): Promise<number> {
  if (names.length === 0) return 0;
  const result = await db
    .updateTable('job')
    .set({
      state: sql<JobState>`CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END`,
      last_error: sql<string>`'lease expired: worker ' || coalesce(locked_by, '?') || ' stopped before finishing'`,
      finished_at: sql<Date | null>`CASE WHEN attempts >= max_attempts THEN ${now}::timestamptz ELSE NULL END`,
      locked_by: null,
      locked_until: null,
      updated_at: now,
    })
    .where('state', '=', 'running')
    .where('locked_until', '<', now)
    .where('name', 'in', names)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Marks finished jobs done, only where this worker still holds the lease. */
export async function completeJobs(db: Executor, ids: readonly string[], workerId: string, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('job')
    .set({ state: 'done', locked_by: null, locked_until: null, finished_at: now, updated_at: now })
    .where('id', 'in', ids)
    .where('state', '=', 'running')
    .where('locked_by', '=', workerId)
    .execute();
}

/** Records a failed attempt: queued again at `retryAt`, or failed when it was the last. */
export async function failJob(db: Executor, id: string, workerId: string, error: string, now: Date, retryAt: Date): Promise<void> {
  await db
    .updateTable('job')
    .set({
      state: sql<JobState>`CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END`,
      run_at: sql<Date>`CASE WHEN attempts >= max_attempts THEN run_at ELSE ${retryAt}::timestamptz END`,
      finished_at: sql<Date | null>`CASE WHEN attempts >= max_attempts THEN ${now}::timestamptz ELSE NULL END`,
      last_error: error,
      locked_by: null,
      locked_until: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .where('locked_by', '=', workerId)
    .execute();
}

/** Extends this worker's leases on jobs still running. */
export async function extendLeases(db: Executor, ids: readonly string[], workerId: string, leaseUntil: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('job').set({ locked_until: leaseUntil }).where('id', 'in', ids).where('state', '=', 'running').where('locked_by', '=', workerId).execute();
}

export interface JobRow {
  id: string;
  name: string;
  unique_key: string | null;
  payload: unknown;
  state: JobState;
  run_at: Date;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: Date | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export interface JobFilter {
  state?: JobState;
  /** Exact name, or a prefix ending in ':' or '.' (`outbox:`, `schedule:`). */
  name?: string;
  /** Only ids below this (keyset). */
  beforeId?: string;
}

export async function listJobs(db: Executor, filter: JobFilter, limit: number): Promise<JobRow[]> {
  return db
    .selectFrom('job')
    .selectAll()
    .$if(filter.state !== undefined, (qb) => qb.where('state', '=', filter.state!))
    .$if(filter.name !== undefined, (qb) => (/[:.]$/.test(filter.name!) ? qb.where('name', 'like', `${filter.name!.replace(/[\\%_]/g, '\\$&')}%`) : qb.where('name', '=', filter.name!)))
    .$if(filter.beforeId !== undefined, (qb) => qb.where('id', '<', filter.beforeId!))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute() as Promise<JobRow[]>;
}

export async function countJobsByState(db: Executor, name: string | undefined): Promise<Record<JobState, number>> {
  const rows = await db
    .selectFrom('job')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .$if(name !== undefined, (qb) => (/[:.]$/.test(name!) ? qb.where('name', 'like', `${name!.replace(/[\\%_]/g, '\\$&')}%`) : qb.where('name', '=', name!)))
    .groupBy('state')
    .execute();
  const counts: Record<JobState, number> = { queued: 0, running: 0, failed: 0, done: 0 };
  for (const row of rows) counts[row.state] = Number(row.n);
  return counts;
}

/** Puts a failed job back in the queue with fresh attempts; null when it is not failed. */
export async function requeueFailed(trx: Transaction<Database>, id: string, now: Date): Promise<JobRow | null> {
  const row = await trx
    .updateTable('job')
    .set({ state: 'queued', attempts: 0, run_at: now, finished_at: null, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .returningAll()
    .executeTakeFirst();
  return (row as JobRow | undefined) ?? null;
}

export async function findJob(db: Executor, id: string): Promise<JobRow | null> {
  return ((await db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirst()) as JobRow | undefined) ?? null;
}

/** Deletes finished (done) jobs older than `before`; failed jobs stay until retried or seen. */
export async function purgeDoneJobs(db: Executor, before: Date): Promise<number> {
  const result = await db.deleteFrom('job').where('state', '=', 'done').where('finished_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
