// Public face of the jobs module: the job queue, schedules and the transactional outbox.
export { jobsModule, outboxModule, DONE_JOB_RETENTION_DAYS } from './module.ts';
export { JobsService, type Job, type JobPage, type JobQuery, type EnqueueOptions } from './service.ts';
export { OutboxService, OUTBOX_JOB_PREFIX, outboxJobHandlers, type OutboxEvent } from './outbox.ts';
export { JobWorker, type ClaimedJob, type JobHandler, type WorkerOptions } from './worker.ts';
export { Scheduler, latestSlot, SCHEDULE_JOB_PREFIX, SCHEDULE_TIME_ZONE } from './scheduler.ts';
export { collectWork, startWork, OUTBOX_BATCH, type WorkTuning } from './work.ts';
export { retryDelayMs, type Backoff } from './backoff.ts';
export { JOB_STATES, type JobState } from './schema.ts';
