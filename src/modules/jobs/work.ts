// Background work of the whole process: the outbox dispatcher, the job worker and the scheduler, built from every
// registered module's manifest (outboxHandlers, schedules) and the jobs defined with JobsService.define.
import type { ModuleDeps, ModuleManifest, OutboxHandler, RunningWork, Schedule } from '../../platform/module.ts';
import { outboxJobHandlers } from './outbox.ts';
import { Scheduler, scheduleHandlers } from './scheduler.ts';
import type { JobsService } from './service.ts';

/**
 * Outbox events claimed and delivered together. Each batch costs a fixed handful of statements (claim, the handlers'
 * gathered reads and writes, settle), so on PGlite's one connection the batch size sets the throughput: SMS went from
 * ~640 to ~1,000 msg/s going from 50 to 200 (D46). Handlers of one batch run concurrently.
 */
export const OUTBOX_BATCH = 200;

export interface WorkTuning {
  pollMs?: number;
  leaseMs?: number;
  /** Outbox events delivered together. */
  outboxBatch?: number;
  /** Jobs run together. */
  jobBatch?: number;
  tickMs?: number;
  onError?: (error: unknown) => void;
}

/** The outbox handlers and schedules every module contributes, checked for topics or names defined twice. */
export function collectWork(modules: readonly ModuleManifest<string, unknown>[], deps: ModuleDeps): { outbox: Record<string, OutboxHandler>; schedules: Schedule[] } {
  // a topic several modules consume (datasets.committed: feeds and profiles) runs each module's handler; a failure
  // of one retries the event for all, so handlers of a shared topic must be idempotent (they are: at-least-once anyway)
  const handlers: Record<string, { module: string; handler: OutboxHandler }[]> = {};
  const schedules: Schedule[] = [];
  for (const m of modules) {
    const withService = { ...deps, service: deps.services[m.name] };
    for (const [topic, handler] of Object.entries(m.outboxHandlers?.(withService) ?? {})) {
      const list = (handlers[topic] ??= []);
      if (list.some((h) => h.module === m.name)) throw new Error(`Outbox topic ${topic} is handled twice (module ${m.name}).`);
      list.push({ module: m.name, handler });
    }
    schedules.push(...(m.schedules?.(withService) ?? []));
  }
  const outbox: Record<string, OutboxHandler> = {};
  for (const [topic, list] of Object.entries(handlers)) {
    outbox[topic] =
      list.length === 1
        ? list[0]!.handler
        : async (message) => {
            const results = await Promise.allSettled(list.map((h) => h.handler(message)));
            const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
            if (failed) throw failed.reason;
          };
  }
  return { outbox, schedules };
}

/** Starts the workers and the scheduler; stop() lets the batches in hand settle. */
export function startWork(jobs: JobsService, work: { outbox: Record<string, OutboxHandler>; schedules: readonly Schedule[] }, tuning: WorkTuning = {}): RunningWork {
  // a handler's failure is kept on its job; this is for the loop's own (database unreachable …), on stderr (D39)
  const onError = tuning.onError ?? ((error: unknown) => void process.stderr.write(`Background work: ${error instanceof Error ? error.message : String(error)}\n`));
  const common = {
    ...(tuning.pollMs !== undefined ? { pollMs: tuning.pollMs } : {}),
    ...(tuning.leaseMs !== undefined ? { leaseMs: tuning.leaseMs } : {}),
    onError,
  };
  const scheduler = new Scheduler(work.schedules, (name, slot) => jobs.enqueue(name, {}, { runAt: slot, uniqueKey: slot.toISOString(), maxAttempts: 3 }), jobs.clock, {
    ...(tuning.tickMs !== undefined ? { tickMs: tuning.tickMs } : {}),
    onError,
  });
  // Two workers, so that a slow job never holds up event delivery.
  const dispatcher = jobs.createWorker({ ...common, handlers: outboxJobHandlers(work.outbox), batchSize: tuning.outboxBatch ?? OUTBOX_BATCH }).start();
  const worker = jobs.createWorker({ ...common, handlers: { ...jobs.definedHandlers(), ...scheduleHandlers(work.schedules) }, batchSize: tuning.jobBatch ?? 5 }).start();
  scheduler.start();
  return {
    async stop() {
      await scheduler.stop();
      await Promise.all([dispatcher.stop(), worker.stop()]);
    },
  };
}
