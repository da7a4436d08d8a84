// HTTP routes of the job queue: the list for administrators and the retry of a failed job.
import { Type } from 'typebox';
import { PageQuery, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { JOB_STATES, type JobState } from './schema.ts';
import type { JobsService } from './service.ts';

const JobStateSchema = Type.Unsafe<JobState>({ type: 'string', enum: [...JOB_STATES], description: 'queued · running · failed (after its last attempt) · done' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const JobId = Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'Job id' });

const JobSchema = Type.Object({
  id: Type.String(),
  name: Type.String({ description: 'Job name; `schedule:<name>` for a scheduled run, `outbox:<topic>` for an outbox event' }),
  uniqueKey: Nullable(Type.String()),
  state: JobStateSchema,
  runAt: Instant,
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  lockedBy: Nullable(Type.String()),
  lockedUntil: Nullable(Instant),
  lastError: Nullable(Type.String()),
  createdAt: Instant,
  updatedAt: Instant,
  finishedAt: Nullable(Instant),
  abilities: Type.Array(Type.String(), { description: "What you may do to this job: 'retry'" }),
});

const Counts = Type.Object(Object.fromEntries(JOB_STATES.map((s) => [s, Type.Integer({ minimum: 0 })])) as Record<JobState, ReturnType<typeof Type.Integer>>);

export function jobRoutes(app: App, jobs: JobsService): void {
  app.get(
    '/api/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Background jobs, newest first, with the count in each state (jobs.manage)',
        querystring: Type.Object(
          {
            state: Type.Optional(JobStateSchema),
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[a-z][a-z0-9_.:-]*$', description: "A job name, or a prefix ending in ':' or '.'" })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(JobSchema), nextCursor: Nullable(Type.String()), counts: Counts }), ...errorResponses },
      },
    },
    async (request) => jobs.list(request.ctx, request.query),
  );

  app.post(
    '/api/jobs/:id/retry',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Queue a failed job again with fresh attempts (jobs.manage; audited)',
        params: Type.Object({ id: JobId }),
        response: { 200: JobSchema, ...errorResponses },
      },
    },
    async (request) => jobs.retry(request.ctx, request.params.id),
  );
}
