// Cron-like schedules: every node ticks, and each due slot becomes one job cluster-wide (unique key per slot).
import { CronExpressionParser } from 'cron-parser';
import type { Clock } from '../../platform/clock.ts';
import type { Schedule } from '../../platform/module.ts';
import type { JobHandler } from './worker.ts';

/** The server's time zone: schedules read '0 2 * * *' as 02:00 Beijing time. */
export const SCHEDULE_TIME_ZONE = 'Asia/Shanghai';
export const SCHEDULE_JOB_PREFIX = 'schedule:';

export type EnqueueSlot = (name: string, slot: Date) => Promise<unknown>;

/** The latest slot of `cron` at or before `now`. Throws on an expression the parser refuses. */
export function latestSlot(cron: string, now: Date): Date {
  const expression = CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: SCHEDULE_TIME_ZONE });
  return expression.prev().toDate();
}

/** Throws a message naming the schedule when its expression is not a valid five-field cron expression. */
export function assertValidSchedule(schedule: Schedule): void {
  if (schedule.cron.trim().split(/\s+/).length !== 5) throw new Error(`Schedule ${schedule.name}: "${schedule.cron}" is not a five-field cron expression.`);
  try {
    latestSlot(schedule.cron, new Date());
  } catch (error) {
    throw new Error(`Schedule ${schedule.name}: "${schedule.cron}" is not a valid cron expression (${(error as Error).message}).`, { cause: error });
  }
}

/** The job handlers that run each schedule's work, by job name. */
export function scheduleHandlers(schedules: readonly Schedule[]): Record<string, JobHandler> {
  return Object.fromEntries(schedules.map((s) => [`${SCHEDULE_JOB_PREFIX}${s.name}`, () => s.run()]));
}

export class Scheduler {
  private readonly since: Date;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly schedules: readonly Schedule[],
    private readonly enqueue: EnqueueSlot,
    private readonly clock: Clock,
    private readonly options: { tickMs?: number; onError?: (error: unknown) => void } = {},
  ) {
    const names = new Set<string>();
    for (const s of schedules) {
      assertValidSchedule(s);
      if (names.has(s.name)) throw new Error(`Schedule ${s.name} is defined twice.`);
      names.add(s.name);
    }
    // Slots before this node started are left to the nodes that were up then: a cold start does not replay the past.
    this.since = new Date(clock.now().getTime() - (options.tickMs ?? 15_000));
  }

  /** Enqueues each schedule's latest slot (a no-op for slots already enqueued by any node). */
  async tick(): Promise<void> {
    const now = this.clock.now();
    for (const schedule of this.schedules) {
      const slot = latestSlot(schedule.cron, now);
      if (slot < this.since) continue;
      await this.enqueue(`${SCHEDULE_JOB_PREFIX}${schedule.name}`, slot);
    }
  }

  start(): this {
    const run = () => {
      this.ticking = this.tick().catch((error: unknown) => this.options.onError?.(error));
    };
    run();
    this.timer = setInterval(run, this.options.tickMs ?? 15_000);
    this.timer.unref();
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }
}
