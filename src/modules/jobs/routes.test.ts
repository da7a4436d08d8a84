// GET /api/jobs and POST /api/jobs/:id/retry through the real app: filters, counts, abilities, audit, refusals.
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInWith, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { uniq } from '../../../test/support/factories.ts';
import type { Services } from '../../services.ts';

let admin: Client;
let services: Services;
let name: string;
let failedId: string;
let doneId: string;

beforeAll(async () => {
  ({ services } = await testApp());
  admin = await signedInWith([{ role: 'platform_admin', regionCode: '6505' }]);
  name = uniq('api');
  doneId = (await services.jobs.enqueue(name, { ok: true }))!;
  const worker = services.jobs.createWorker({ handlers: { [name]: async () => undefined }, batchSize: 1 });
  await worker.runOnce();
  failedId = (await services.jobs.enqueue(name, { ok: false }, { maxAttempts: 1 }))!;
  await services.jobs.createWorker({ handlers: { [name]: async () => Promise.reject(new Error('smsc refused')) } }).runOnce();
  for (let i = 0; i < 3; i++) await services.jobs.enqueue(name, { i }, { runAt: new Date(Date.now() + 3600_000) });
});

describe('GET /api/jobs', () => {
  it('lists jobs newest first with counts per state and abilities per row', async () => {
    const res = await admin.get(`/api/jobs?name=${name}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.counts).toEqual({ queued: 3, running: 0, failed: 1, done: 1 });
    expect(body.items.map((j: { state: string }) => j.state)).toEqual(['queued', 'queued', 'queued', 'failed', 'done']);
    const failed = body.items.find((j: { id: string }) => j.id === failedId);
    expect(failed).toMatchObject({ name, state: 'failed', attempts: 1, maxAttempts: 1, lastError: 'Error: smsc refused', abilities: ['retry'] });
    expect(body.items.find((j: { id: string }) => j.id === doneId).abilities).toEqual([]);
    expect(JSON.stringify(body)).not.toContain('"payload"');
  });

  it('filters by state and pages with a cursor', async () => {
    const failed = (await admin.get(`/api/jobs?name=${name}&state=failed`)).json();
    expect(failed.items.map((j: { id: string }) => j.id)).toEqual([failedId]);
    const first = (await admin.get(`/api/jobs?name=${name}&limit=2`)).json();
    expect(first.items).toHaveLength(2);
    const second = (await admin.get(`/api/jobs?name=${name}&limit=2&cursor=${first.nextCursor}`)).json();
    const third = (await admin.get(`/api/jobs?name=${name}&limit=2&cursor=${second.nextCursor}`)).json();
    expect(third.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items, ...third.items].map((j: { id: string }) => j.id);
    expect(new Set(ids).size).toBe(5);
  });

  it('refuses bad filters naming the field, and callers without jobs.manage', async () => {
    const badState = await admin.get('/api/jobs?state=dead');
    expect(badState.statusCode).toBe(400);
    expect(badState.json()).toMatchObject({ code: 'request.invalid', field: 'state' });
    expect((await admin.get('/api/jobs?name=Has%20Space')).json()).toMatchObject({ code: 'request.invalid', field: 'name' });
    expect((await admin.get('/api/jobs?cursor=AA')).json().code).toBe('request.invalid_cursor');
    const worker = await signedInWith([{ role: 'community_worker', regionCode: '6505' }]);
    expect((await worker.get('/api/jobs')).statusCode).toBe(403);
    expect((await (await testApp()).app.inject({ method: 'GET', url: '/api/jobs' })).statusCode).toBe(401);
  });
});

describe('POST /api/jobs/:id/retry', () => {
  it('queues a failed job again with fresh attempts, audited in the same transaction', async () => {
    const res = await admin.post(`/api/jobs/${failedId}/retry`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: failedId, state: 'queued', attempts: 0, abilities: [] });
    const { db } = await testDb();
    const record = await db.selectFrom('audit_log').select(['action', 'object_id', 'detail']).where('object_type', '=', 'job').where('object_id', '=', failedId).executeTakeFirstOrThrow();
    expect(record).toMatchObject({ action: 'job.retry', detail: { name, lastError: 'Error: smsc refused' } });
    // now it runs again
    const ran: string[] = [];
    await services.jobs.createWorker({ handlers: { [name]: async (job) => void ran.push(job.id) } }).runOnce();
    expect(ran).toContain(failedId);
  });

  it('retries once when two administrators press retry at the same moment', async () => {
    const id = (await services.jobs.enqueue(name, {}, { maxAttempts: 1 }))!;
    await services.jobs.createWorker({ handlers: { [name]: async () => Promise.reject(new Error('again')) }, batchSize: 10 }).runOnce();
    const other = await signedInWith([{ role: 'platform_admin', regionCode: '6505' }]);
    const answers = await Promise.all([admin.post(`/api/jobs/${id}/retry`), other.post(`/api/jobs/${id}/retry`)]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const { db } = await testDb();
    const records = await db.selectFrom('audit_log').select('action').where('object_type', '=', 'job').where('object_id', '=', id).execute();
    expect(records).toEqual([{ action: 'job.retry' }]);
  });

  it('refuses a job that is not failed, an unknown or malformed id, and callers without jobs.manage', async () => {
    const notFailed = await admin.post(`/api/jobs/${doneId}/retry`);
    expect(notFailed.statusCode).toBe(409);
    expect(notFailed.json().code).toBe('job.not_retryable');
    expect((await admin.post('/api/jobs/999999999999/retry')).json().code).toBe('job.not_found');
    expect((await admin.post('/api/jobs/abc/retry')).json()).toMatchObject({ status: 400, field: 'id' });
    expect((await admin.post('/api/jobs/99999999999999999999999/retry')).statusCode).toBe(400);
    const leader = await signedInWith([{ role: 'leader', regionCode: '6505' }]);
    expect((await leader.post(`/api/jobs/${doneId}/retry`)).statusCode).toBe(403);
  });
});
