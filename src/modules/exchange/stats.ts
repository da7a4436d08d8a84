// Exchange statistics kept in memory per day × client application × resource and added to exchange_stat in one
// upsert every few seconds (and at close), so counting a call costs no database write of its own.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';

export interface CallFacts {
  clientAppId: string;
  resourceId: string;
  providerDepartmentId: string;
  consumerDepartmentId: string;
  rows: number;
  refused: boolean;
}

interface Tally {
  day: string;
  clientAppId: string;
  resourceId: string;
  providerDepartmentId: string;
  consumerDepartmentId: string;
  calls: number;
  rows: number;
  refusals: number;
  /** Flushes this tally failed in (a database that is down fails them all: they are kept, up to MAX_FAILURES). */
  failures: number;
}

const MAX_FAILURES = 5;

/** The calendar day in Beijing time (the statistics' day). */
export function beijingDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export class StatsBuffer {
  private tallies = new Map<string, Tally>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly intervalMs = 5_000,
  ) {}

  count(facts: CallFacts): void {
    const day = beijingDay(this.clock.now());
    const key = `${day}|${facts.clientAppId}|${facts.resourceId}`;
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = { day, clientAppId: facts.clientAppId, resourceId: facts.resourceId, providerDepartmentId: facts.providerDepartmentId, consumerDepartmentId: facts.consumerDepartmentId, calls: 0, rows: 0, refusals: 0, failures: 0 };
      this.tallies.set(key, tally);
    }
    tally.calls += 1;
    tally.rows += facts.rows;
    if (facts.refused) tally.refusals += 1;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => undefined);
    }, this.intervalMs).unref();
  }

  /** Writes what has been counted (one upsert); counts that fail to write are kept for the next flush. */
  flush(): Promise<void> {
    // one write at a time; a failed one (counts put back) does not stop the next
    this.flushing = this.flushing.catch(() => undefined).then(() => this.write());
    return this.flushing;
  }

  /** Stops the timer and writes the rest (shutdown). */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.tallies.size === 0) return;
    const batch = [...this.tallies.values()];
    this.tallies = new Map();
    try {
      await this.upsert(batch);
    } catch {
      // one row the database refuses (its client application deleted meanwhile) must not hold back the others:
      // write each on its own, and keep a failing one for a few more flushes before it is dropped
      for (const tally of batch) {
        await this.upsert([tally]).catch(() => {
          tally.failures += 1;
          if (tally.failures < MAX_FAILURES) this.putBack(tally);
        });
      }
    }
  }

  private putBack(t: Tally): void {
    const key = `${t.day}|${t.clientAppId}|${t.resourceId}`;
    const now = this.tallies.get(key);
    if (!now) return void this.tallies.set(key, t);
    now.calls += t.calls;
    now.rows += t.rows;
    now.refusals += t.refusals;
  }

  private async upsert(batch: readonly Tally[]): Promise<void> {
    await this.db
      .insertInto('exchange_stat')
      .values(
        batch.map((t) => ({
          day: t.day,
          client_app_id: t.clientAppId,
          resource_id: t.resourceId,
          provider_department_id: t.providerDepartmentId,
          consumer_department_id: t.consumerDepartmentId,
          calls: t.calls,
          rows: t.rows,
          refusals: t.refusals,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['day', 'client_app_id', 'resource_id']).doUpdateSet({
          calls: sql`exchange_stat.calls + excluded.calls`,
          rows: sql`exchange_stat.rows + excluded.rows`,
          refusals: sql`exchange_stat.refusals + excluded.refusals`,
        }),
      )
      .execute();
  }
}
