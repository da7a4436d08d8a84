// Change feeds against a real HTTP receiver started by the test: signatures, retries, restarts, concurrent deliveries,
// pull paging with tombstones, revoked grants, masking, bad input and who sees which subscription.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { login, testApp } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser, uniq } from '../../../test/support/factories.ts';
import { newClientApp, newDataGrant, newResource, newRows } from '../../../test/support/data-factories.ts';
import type { Database } from '../../db/schema.ts';
import { systemClock } from '../../platform/clock.ts';
import { systemActorContext } from '../../shared/context.ts';
import type { AuditService } from '../audit/index.ts';
import { JobsService, OutboxService, outboxJobHandlers, type JobWorker } from '../jobs/index.ts';
import { COMMITTED_TOPIC, DELIVER_TOPIC, FeedsService, type FeedsOptions } from './service.ts';
import { signWebhook, verifyWebhookSignature } from './signature.ts';
import type { WebhookAlgorithm } from './tables.ts';

let db: Kysely<Database>;
let app: Awaited<ReturnType<typeof testApp>>['app'];
let audit: AuditService;

beforeAll(async () => {
  ({ db } = await testDb());
  const built = await testApp();
  app = built.app;
  audit = built.services.audit;
});

// ---- a real webhook receiver ------------------------------------------------------------------------------------

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { subscriptionId: string; resource: string; fromSeq: number; toSeq: number; changes: { seq: number; op: string; data: Record<string, unknown> }[] };
}

class Receiver {
  readonly received: Received[] = [];
  /** Answer for the n-th request (0-based): a status, or 'hang' (answer after `hangMs`). */
  respond: (n: number, r: Received) => number | 'hang' = () => 200;
  hangMs = 1500;
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const r: Received = { headers: req.headers, body, json: JSON.parse(body) as Received['json'] };
        const n = this.received.length;
        this.received.push(r);
        const answer = this.respond(n, r);
        if (answer === 'hang') setTimeout(() => res.writeHead(200).end('late'), this.hangMs);
        else res.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Every seq received, with the idempotency keys it came under. */
  seqKeys(): Map<number, Set<string>> {
    const map = new Map<number, Set<string>>();
    for (const r of this.received) for (const c of r.json.changes) map.set(c.seq, (map.get(c.seq) ?? new Set()).add(String(r.headers['idempotency-key'])));
    return map;
  }
}

const receivers: Receiver[] = [];
const workers: JobWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.stop()));
});

async function receiver(): Promise<Receiver> {
  const r = await new Receiver().start();
  receivers.push(r);
  return r;
}

// ---- fixtures ---------------------------------------------------------------------------------------------------

const ID = (n: number) => {
  // valid GB 11643 numbers: 17 digits + check digit
  const body = `65050219900101${String(n).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
};
const person = (n: number, region = '650502') => ({ id_number: ID(n), name: `张三${n}`, phone: `138000${String(n).padStart(5, '0')}`, region, note: '内部' });

function feeds(options: FeedsOptions = {}) {
  const outbox = new OutboxService(systemClock);
  const service = new FeedsService(db, audit, outbox, systemClock, { deliveryTimeoutMs: 400, ...options });
  const jobs = new JobsService(db, audit, systemClock);
  const worker = () => {
    const w = jobs.createWorker({
      handlers: outboxJobHandlers({
        [COMMITTED_TOPIC]: async (m) => void (await service.onCommitted(m.payload as { resourceId: string; maxSeq: number })),
        [DELIVER_TOPIC]: (m) => service.deliver((m.payload as { subscriptionId: string }).subscriptionId),
      }),
      backoff: { baseMs: 30, maxMs: 120 },
      pollMs: 20,
      leaseMs: 3000,
    });
    workers.push(w);
    return w;
  };
  return { service, outbox, jobs, worker };
}

async function setup(input: { items?: string[]; regionPrefix?: string | null } = {}) {
  const resource = await newResource(db);
  const consumer = await newDepartment(db);
  const client = await newClientApp(db, { departmentId: consumer.id });
  const { shareId } = await newDataGrant(db, {
    resource,
    consumerDepartmentId: consumer.id,
    clientAppId: client.id,
    items: input.items ?? ['id_number', 'name', 'region'],
    regionPrefix: input.regionPrefix ?? null,
  });
  return { resource, consumer, client, shareId };
}

async function committed(outbox: OutboxService, resourceId: string) {
  const max = await db.selectFrom('data_row').select(sql<string>`max(seq)`.as('m')).where('resource_id', '=', resourceId).executeTakeFirstOrThrow();
  await db.transaction().execute((trx) => outbox.enqueue(trx, { topic: COMMITTED_TOPIC, key: uniq('load-'), payload: { resourceId, maxSeq: Number(max.m) } }));
  return Number(max.m);
}

async function cursorOf(id: string) {
  return Number((await db.selectFrom('feed_subscription').select('cursor').where('id', '=', id).executeTakeFirstOrThrow()).cursor);
}

/** Runs the worker until no job of ours is due, waiting out retries. */
async function drain(worker: JobWorker, until: () => Promise<boolean>, timeoutMs = 8000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    await worker.runOnce();
    if (await until()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out waiting for deliveries');
}

const basic = (client: { clientId: string; secret: string }) => ({ authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}` });

// ---- signatures -------------------------------------------------------------------------------------------------

describe('verifyWebhookSignature', () => {
  const secret = 'whsec_test';
  const body = '{"a":1}';
  const now = new Date('2026-11-27T08:00:00Z');
  const timestamp = Math.floor(now.getTime() / 1000);
  for (const algorithm of ['hmac-sha256', 'sm3-hmac'] as WebhookAlgorithm[]) {
    it(`accepts a genuine ${algorithm} signature and refuses forged, re-algorithmed and stale ones`, () => {
      const signature = signWebhook({ body, timestamp, secret, algorithm });
      expect(signature.startsWith(`${algorithm}=`)).toBe(true);
      expect(verifyWebhookSignature({ body, timestamp: String(timestamp), signature, secret, algorithm, now })).toEqual({ ok: true });
      expect(verifyWebhookSignature({ body: '{"a":2}', timestamp, signature, secret, algorithm, now })).toEqual({ ok: false, reason: 'mismatch' });
      expect(verifyWebhookSignature({ body, timestamp, signature, secret: 'whsec_other', algorithm, now })).toEqual({ ok: false, reason: 'mismatch' });
      const other: WebhookAlgorithm = algorithm === 'sm3-hmac' ? 'hmac-sha256' : 'sm3-hmac';
      expect(verifyWebhookSignature({ body, timestamp, signature, secret, algorithm: other, now })).toEqual({ ok: false, reason: 'algorithm' });
      const old = new Date(now.getTime() + 301_000);
      expect(verifyWebhookSignature({ body, timestamp, signature, secret, algorithm, now: old })).toEqual({ ok: false, reason: 'stale' });
      expect(verifyWebhookSignature({ body, timestamp, signature, secret, algorithm, now: old, toleranceSeconds: 600 })).toEqual({ ok: true });
      // a replayed body under a fresh timestamp does not verify: the timestamp is signed
      expect(verifyWebhookSignature({ body, timestamp: timestamp + 10, signature, secret, algorithm, now })).toEqual({ ok: false, reason: 'mismatch' });
      expect(verifyWebhookSignature({ body, timestamp: 'x', signature, secret, algorithm, now })).toEqual({ ok: false, reason: 'malformed' });
      expect(verifyWebhookSignature({ body, timestamp, signature: 'garbage', secret, algorithm, now })).toEqual({ ok: false, reason: 'malformed' });
    });
  }
});

// ---- webhooks ---------------------------------------------------------------------------------------------------

describe('webhook delivery', () => {
  for (const algorithm of ['hmac-sha256', 'sm3-hmac'] as WebhookAlgorithm[]) {
    it(`delivers signed (${algorithm}), masked, granted items only, advances the cursor and logs the hand-out`, async () => {
      const hook = await receiver();
      const { service, outbox, worker } = feeds();
      const { resource, client, shareId, consumer } = await setup();
      const { subscription, signingSecret } = await service.create({ ctx: systemActorContext() }, { clientAppId: client.id, shareId, webhookUrl: hook.url, algorithm });
      expect(signingSecret).toMatch(/^whsec_/);
      await newRows(db, resource, [person(1), person(2)]);
      const maxSeq = await committed(outbox, resource.id);
      const w = worker();
      await drain(w, async () => (await cursorOf(subscription.id)) === maxSeq);
      expect(hook.received).toHaveLength(1);
      const [r] = hook.received;
      expect(verifyWebhookSignature({ body: r!.body, timestamp: String(r!.headers['x-govcloud-timestamp']), signature: String(r!.headers['x-govcloud-signature']), secret: signingSecret!, algorithm })).toEqual({ ok: true });
      expect(verifyWebhookSignature({ body: r!.body, timestamp: String(r!.headers['x-govcloud-timestamp']), signature: String(r!.headers['x-govcloud-signature']), secret: 'whsec_forged', algorithm }).ok).toBe(false);
      expect(r!.headers['idempotency-key']).toBe(`${subscription.id}:${maxSeq}`);
      expect(r!.json).toMatchObject({ subscriptionId: subscription.id, resource: resource.code, fromSeq: 0, toSeq: maxSeq });
      expect(r!.json.changes.map((c) => c.data)).toEqual([
        { id_number: `${ID(1).slice(0, 6)}********${ID(1).slice(-4)}`, name: '张**', region: '650502' },
        { id_number: `${ID(2).slice(0, 6)}********${ID(2).slice(-4)}`, name: '张**', region: '650502' },
      ]);
      await audit.drainAccessLog();
      const logged = await db.selectFrom('audit_access').select(['actor_id', 'permission', 'resource', 'subject_ids', 'fields', 'detail']).where('actor_id', '=', client.id).execute();
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ permission: 'exchange.call', resource: `data:${resource.code}`, fields: ['id_number', 'name', 'region'] });
      expect([...(logged[0]!.subject_ids as string[])].sort()).toEqual([ID(1), ID(2)]);
      expect(logged[0]!.detail).toMatchObject({ via: 'feed', grantId: shareId, clientAppId: client.id, consumerDepartmentId: consumer.id, rows: 2 });
      const after = await service.get({ ctx: systemActorContext() }, subscription.id);
      expect(after).toMatchObject({ status: 'active', cursor: maxSeq, failureCount: 0, lag: { behind: 0, oldestAgeSeconds: null } });
    });
  }

  it('retries a 500 with backoff: delivered once after the retry, cursor correct, the failure visible meanwhile', async () => {
    const hook = await receiver();
    hook.respond = (n) => (n === 0 ? 500 : 200);
    const { service, outbox, worker } = feeds();
    const { resource, client, shareId } = await setup();
    const { subscription } = await service.create({ ctx: systemActorContext() }, { clientAppId: client.id, shareId, webhookUrl: hook.url, algorithm: 'hmac-sha256' });
    await newRows(db, resource, [person(3)]);
    const maxSeq = await committed(outbox, resource.id);
    const w = worker();
    await drain(w, async () => hook.received.length >= 1);
    const failed = await service.get({ ctx: systemActorContext() }, subscription.id);
    expect(failed).toMatchObject({ cursor: 0, failureCount: 1, lastError: 'HTTP 500', lag: { behind: 1 } });
    await drain(w, async () => (await cursorOf(subscription.id)) === maxSeq);
    expect(hook.received).toHaveLength(2);
    expect(hook.received[0]!.body).toBe(hook.received[1]!.body);
    expect(new Set(hook.received.map((r) => r.headers['idempotency-key']))).toEqual(new Set([`${subscription.id}:${maxSeq}`]));
    expect(await service.get({ ctx: systemActorContext() }, subscription.id)).toMatchObject({ status: 'active', failureCount: 0 });
  });

  it('marks a subscription failing after repeated failures, keeps its cursor, and recovers without loss', async () => {
    const hook = await receiver();
    let healthy = false;
    hook.respond = () => (healthy ? 200 : 503);
    const { service, outbox, worker } = feeds({ failingAfter: 2 });
    const { resource, client, shareId } = await setup();
    const { subscription } = await service.create({ ctx: systemActorContext() }, { clientAppId: client.id, shareId, webhookUrl: hook.url, algorithm: 'sm3-hmac' });
    await newRows(db, resource, [person(4), person(5)]);
    const maxSeq = await committed(outbox, resource.id);
    const w = worker();
    await drain(w, async () => (await service.get({ ctx: systemActorContext() }, subscription.id)).status === 'failing');
    expect(await cursorOf(subscription.id)).toBe(0);
    healthy = true;
    await drain(w, async () => (await cursorOf(subscription.id)) === maxSeq);
    expect(await service.get({ ctx: systemActorContext() }, subscription.id)).toMatchObject({ status: 'active', failureCount: 0 });
    expect([...hook.seqKeys().keys()].length).toBe(2);
  });

  it('loses nothing across a restart: all changes arrive up to the end, duplicates only under the same Idempotency-Key', async () => {
    const hook = await receiver();
    // the second request is taken but answered too late (the sender times out): it must come again, same key
    hook.respond = (n) => (n === 1 ? 'hang' : 200);
    hook.hangMs = 700;
    const first = feeds({ batchSize: 40, batchesPerRun: 1, deliveryTimeoutMs: 300 });
    const { resource, client, shareId } = await setup();
    const { subscription } = await first.service.create({ ctx: systemActorContext() }, { clientAppId: client.id, shareId, webhookUrl: hook.url, algorithm: 'hmac-sha256' });
    await newRows(db, resource, Array.from({ length: 150 }, (_, i) => person(100 + i)));
    const maxSeq = await committed(first.outbox, resource.id);
    const w1 = first.worker();
    await drain(w1, async () => hook.received.length >= 2);
    await w1.stop(); // the process stops mid-way
    expect(await cursorOf(subscription.id)).toBeLessThan(maxSeq);
    const second = feeds({ batchSize: 40, batchesPerRun: 1 }); // and starts again
    const w2 = second.worker();
    await drain(w2, async () => (await cursorOf(subscription.id)) === maxSeq, 15_000);
    const seqs = hook.seqKeys();
    const expected = (await db.selectFrom('data_row').select('seq').where('resource_id', '=', resource.id).orderBy('seq').execute()).map((r) => Number(r.seq));
    expect([...seqs.keys()].sort((a, b) => a - b)).toEqual(expected);
    for (const keys of seqs.values()) expect(keys.size).toBe(1);
    expect(hook.received.length).toBeGreaterThan(4); // 150 rows in batches of 40, one batch sent twice
    expect(Math.max(...hook.received.map((r) => r.json.toSeq))).toBe(maxSeq);
  });

  it('catches up a subscription left behind with no event pending (e.g. its retries ran out)', async () => {
    const hook = await receiver();
    const { service, worker } = feeds();
    const { resource, client, shareId } = await setup();
    const { subscription } = await service.create({ ctx: systemActorContext() }, { clientAppId: client.id, shareId, webhookUrl: hook.url, algorithm: 'hmac-sha256' });
    await newRows(db, resource, [person(41), person(42)]); // committed without an event reaching us
    expect(await service.catchUp()).toBeGreaterThanOrEqual(1);
    expect(await service.catchUp()).toBeGreaterThanOrEqual(0); // the same period adds no second event for it
    const w = worker();
    await drain(w, async () => (await cursorOf(subscription.id)) > 0);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.json.changes).toHaveLength(2);
  });

  it('two deliveries at once never skip or double-advance', async () => {
    const hook = await receiver();
    hook.respond = () => 200;
    const { service, outbox } = feeds({ batchSize: 25 });
    const { resource, client, shareId } = await setup();
    const { subscription } = await service.create({ ctx: systemActorContext() }, { clientAppId: client.id, shareId, webhookUrl: hook.url, algorithm: 'hmac-sha256' });
    await newRows(db, resource, Array.from({ length: 60 }, (_, i) => person(300 + i)));
    const maxSeq = await committed(outbox, resource.id);
    await Promise.all([service.deliver(subscription.id), service.deliver(subscription.id), service.deliver(subscription.id)]);
    expect(await cursorOf(subscription.id)).toBe(maxSeq);
    const seqs = hook.seqKeys();
    expect(seqs.size).toBe(60);
    for (const keys of seqs.values()) expect(keys.size).toBe(1);
  });

  it('stops on a revoked grant: no delivery, the subscription suspended, resume refused until a usable grant', async () => {
    const hook = await receiver();
    const { service, outbox, worker } = feeds();
    const { resource, client, shareId } = await setup();
    const { subscription } = await service.create({ ctx: systemActorContext() }, { clientAppId: client.id, shareId, webhookUrl: hook.url, algorithm: 'hmac-sha256' });
    await db.updateTable('share_grant').set({ revoked_at: new Date() }).where('id', '=', shareId).execute();
    await newRows(db, resource, [person(7)]);
    await committed(outbox, resource.id);
    await service.deliver(subscription.id);
    const w = worker();
    await w.runOnce();
    await w.runOnce();
    expect(hook.received).toHaveLength(0);
    expect(await service.get({ ctx: systemActorContext() }, subscription.id)).toMatchObject({ status: 'suspended', cursor: 0 });
    await expect(service.setPaused({ ctx: systemActorContext() }, subscription.id, false)).rejects.toMatchObject({ code: 'feeds.grant_unusable' });
  });

  it('sends a signed test delivery without moving the cursor', async () => {
    const hook = await receiver();
    const { service } = feeds();
    const { client, shareId } = await setup();
    const { subscription, signingSecret } = await service.create({ ctx: systemActorContext() }, { clientAppId: client.id, shareId, webhookUrl: hook.url, algorithm: 'sm3-hmac' });
    const result = await service.testDelivery({ ctx: systemActorContext() }, subscription.id);
    expect(result).toMatchObject({ ok: true, status: 200, error: null });
    const r = hook.received[0]!;
    expect(r.json).toMatchObject({ subscriptionId: subscription.id, changes: [], test: true });
    expect(verifyWebhookSignature({ body: r.body, timestamp: String(r.headers['x-govcloud-timestamp']), signature: String(r.headers['x-govcloud-signature']), secret: signingSecret!, algorithm: 'sm3-hmac' }).ok).toBe(true);
    hook.respond = () => 410;
    expect(await service.testDelivery({ ctx: systemActorContext() }, subscription.id)).toMatchObject({ ok: false, status: 410 });
  });
});

// ---- pull over HTTP ---------------------------------------------------------------------------------------------

describe('pull', () => {
  it('pages changes by cursor, with tombstones, the grant’s items, masks and region filter, and logs each page', async () => {
    const { service } = feeds();
    const { resource, client, shareId } = await setup({ items: ['id_number', 'name', 'phone', 'region'], regionPrefix: '650502' });
    await db.updateTable('data_grant').set({ masks: JSON.stringify({ phone: 'none' }) }).where('share_id', '=', shareId).execute();
    const { subscription } = await service.create({ ctx: systemActorContext() }, { clientAppId: client.id, shareId });
    await newRows(db, resource, [person(11), person(12), person(13, '650521'), person(14), person(15)]);
    // a tombstone: key 12 deleted by a later write
    await db.updateTable('data_row').set({ deleted: true, seq: sql`nextval('data_row_seq')` }).where('resource_id', '=', resource.id).where('person_id', '=', ID(12)).execute();
    const url = `/api/exchange/v1/feeds/${subscription.id}/changes`;
    const page1 = await app.inject({ method: 'GET', url: `${url}?limit=2`, headers: basic(client) });
    expect(page1.statusCode).toBe(200);
    const p1 = page1.json();
    expect(p1.hasMore).toBe(true);
    expect(p1.changes.map((c: { data: { name: string } }) => c.data.name)).toEqual(['张***', '张***']);
    expect(p1.changes[0].data).toEqual({ id_number: `${ID(11).slice(0, 6)}********${ID(11).slice(-4)}`, name: '张***', phone: '13800000011', region: '650502' });
    expect(p1.changes[0].data).not.toHaveProperty('note');
    const page2 = (await app.inject({ method: 'GET', url: `${url}?limit=2&cursor=${p1.nextCursor}`, headers: basic(client) })).json();
    const page3 = (await app.inject({ method: 'GET', url: `${url}?limit=2&cursor=${page2.nextCursor}`, headers: basic(client) })).json();
    const all = [...p1.changes, ...page2.changes, ...page3.changes];
    // 650521 is outside the grant's region filter; the deleted key comes last, as a tombstone with only its key
    expect(all.map((c: { op: string }) => c.op)).toEqual(['upsert', 'upsert', 'upsert', 'delete']);
    expect(all.at(-1).data).toEqual({ id_number: `${ID(12).slice(0, 6)}********${ID(12).slice(-4)}` });
    expect(page2.hasMore).toBe(false);
    expect(page3).toMatchObject({ changes: [], nextCursor: page2.nextCursor, hasMore: false });
    const seqs = all.map((c: { seq: number }) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // asking from a cursor acknowledges it: the lag counts from there
    expect(await cursorOf(subscription.id)).toBe(page2.nextCursor);
    await audit.drainAccessLog();
    const logged = await db.selectFrom('audit_access').select(['subject_ids', 'detail']).where('actor_id', '=', client.id).execute();
    expect(logged).toHaveLength(2); // the empty page hands nothing out
    expect(logged.flatMap((l) => l.subject_ids as string[]).sort()).toEqual([ID(11), ID(12), ID(14), ID(15)]);
  });

  it('refuses a revoked grant with 403 feeds.grant_unusable on the next pull', async () => {
    const { service } = feeds();
    const { resource, client, shareId } = await setup();
    const { subscription } = await service.create({ ctx: systemActorContext() }, { clientAppId: client.id, shareId });
    await newRows(db, resource, [person(21)]);
    const url = `/api/exchange/v1/feeds/${subscription.id}/changes`;
    expect((await app.inject({ method: 'GET', url, headers: basic(client) })).statusCode).toBe(200);
    await db.updateTable('share_grant').set({ revoked_at: new Date() }).where('id', '=', shareId).execute();
    const refused = await app.inject({ method: 'GET', url, headers: basic(client) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('feeds.grant_unusable');
    expect((await db.selectFrom('feed_subscription').select('status').where('id', '=', subscription.id).executeTakeFirstOrThrow()).status).toBe('suspended');
    expect((await app.inject({ method: 'GET', url, headers: basic(client) })).statusCode).toBe(403);
    const audited = await db.selectFrom('audit_log').select(['action', 'detail']).where('object_id', '=', subscription.id).where('action', '=', 'feeds.suspend').execute();
    expect(audited).toEqual([{ action: 'feeds.suspend', detail: expect.objectContaining({ reason: 'revoked' }) }]);
  });

  it('authenticates the client: 401 without or with wrong credentials, 404 for another client’s feed, 400 for a bad cursor', async () => {
    const { service } = feeds();
    const { client, shareId } = await setup();
    const other = await setup();
    const { subscription } = await service.create({ ctx: systemActorContext() }, { clientAppId: client.id, shareId });
    const url = `/api/exchange/v1/feeds/${subscription.id}/changes`;
    const none = await app.inject({ method: 'GET', url });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('exchange.token_required');
    // a Bearer access token from the exchange's token endpoint works as well as Basic
    const token = await app.inject({ method: 'POST', url: '/api/exchange/token', payload: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret } });
    expect(token.statusCode).toBe(200);
    const bearer = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token.json().access_token}` } });
    expect(bearer.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url, headers: basic({ clientId: client.clientId, secret: 'wrong' }) })).statusCode).toBe(401);
    const foreign = await app.inject({ method: 'GET', url, headers: basic(other.client) });
    expect(foreign.statusCode).toBe(404);
    const bad = await app.inject({ method: 'GET', url: `${url}?cursor=-1`, headers: basic(client) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toContain('cursor');
  });

  it('lets the client subscribe itself, list, pause and delete', async () => {
    const { client, shareId } = await setup();
    const created = await app.inject({ method: 'POST', url: '/api/exchange/v1/feeds', headers: basic(client), payload: { shareId } });
    expect(created.statusCode).toBe(201);
    const id = created.json().subscription.id as string;
    expect(created.json().signingSecret).toBeNull();
    expect((await app.inject({ method: 'GET', url: '/api/exchange/v1/feeds', headers: basic(client) })).json().map((s: { id: string }) => s.id)).toEqual([id]);
    expect((await app.inject({ method: 'POST', url: `/api/exchange/v1/feeds/${id}/pause`, headers: basic(client) })).json().status).toBe('paused');
    expect((await app.inject({ method: 'POST', url: `/api/exchange/v1/feeds/${id}/pause`, headers: basic(client) })).json().code).toBe('feeds.invalid_transition');
    expect((await app.inject({ method: 'DELETE', url: `/api/exchange/v1/feeds/${id}`, headers: basic(client) })).statusCode).toBe(204);
    const audited = await db.selectFrom('audit_log').select('action').where('object_id', '=', id).orderBy('seq').execute();
    expect(audited.map((a) => a.action)).toEqual(['feeds.subscribe', 'feeds.pause', 'feeds.unsubscribe']);
  });
});

// ---- staff ------------------------------------------------------------------------------------------------------

describe('subscriptions in the console', () => {
  async function admins() {
    const s = await setup();
    const consumerAdmin = await newUser(db, { departmentId: s.consumer.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
    const providerAdmin = await newUser(db, { departmentId: s.resource.providerDepartmentId, grants: [{ role: 'department_admin', regionCode: '650502' }] });
    const stranger = await newUser(db, { grants: [{ role: 'department_admin', regionCode: '650502' }] });
    return { ...s, consumer: await login(app, consumerAdmin.username, consumerAdmin.password), provider: await login(app, providerAdmin.username, providerAdmin.password), stranger: await login(app, stranger.username, stranger.password) };
  }

  it('creates a webhook subscription (secret shown once), lists it to both sides, and hides it from others', async () => {
    const hook = await receiver();
    const s = await admins();
    const options = (await s.consumer.get('/api/feeds/grants')).json();
    expect(options).toEqual([expect.objectContaining({ shareId: s.shareId, clientApps: [expect.objectContaining({ id: s.client.id })] })]);
    const created = await s.consumer.post('/api/feeds/subscriptions', { clientAppId: s.client.id, shareId: s.shareId, webhookUrl: hook.url, algorithm: 'sm3-hmac' });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body.signingSecret).toMatch(/^whsec_/);
    expect(JSON.stringify((await s.consumer.get(`/api/feeds/subscriptions/${body.subscription.id}`)).json())).not.toContain(body.signingSecret);
    const mine = (await s.consumer.get('/api/feeds/subscriptions')).json();
    expect(mine).toMatchObject({ total: 1, items: [{ id: body.subscription.id, mode: 'webhook', abilities: ['pause', 'test', 'delete'] }] });
    const theirs = (await s.provider.get('/api/feeds/subscriptions?side=provider')).json();
    expect(theirs).toMatchObject({ total: 1, items: [{ id: body.subscription.id, abilities: [] }] });
    expect((await s.provider.post(`/api/feeds/subscriptions/${body.subscription.id}/pause`)).statusCode).toBe(404);
    expect((await s.stranger.get('/api/feeds/subscriptions')).json()).toMatchObject({ total: 0, items: [] });
    expect((await s.stranger.get(`/api/feeds/subscriptions/${body.subscription.id}`)).statusCode).toBe(404);
    expect((await s.consumer.post(`/api/feeds/subscriptions/${body.subscription.id}/test`)).json()).toMatchObject({ ok: true, status: 200 });
    expect((await s.consumer.post(`/api/feeds/subscriptions/${body.subscription.id}/pause`)).json().status).toBe('paused');
    expect((await s.consumer.post(`/api/feeds/subscriptions/${body.subscription.id}/resume`)).json().status).toBe('active');
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const s = await admins();
    const before = await db.selectFrom('feed_subscription').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ webhookUrl: 'ftp://example.org/hook', algorithm: 'hmac-sha256' }, 400, 'feeds.invalid_url', 'webhookUrl'],
      [{ webhookUrl: 'https://user:pw@example.org/hook', algorithm: 'hmac-sha256' }, 400, 'feeds.invalid_url', 'webhookUrl'],
      [{ webhookUrl: 'javascript:alert(1)', algorithm: 'hmac-sha256' }, 400, 'feeds.invalid_url', 'webhookUrl'],
      [{ webhookUrl: 'https://example.org/hook' }, 400, 'feeds.algorithm_required', 'algorithm'],
      [{ webhookUrl: 'https://example.org/hook', algorithm: 'md5' }, 400, 'request.invalid', 'algorithm'],
    ];
    for (const [extra, status, code, field] of cases) {
      const res = await s.consumer.post('/api/feeds/subscriptions', { clientAppId: s.client.id, shareId: s.shareId, ...extra });
      expect(res.statusCode, JSON.stringify(extra)).toBe(status);
      expect(res.json().code).toBe(code);
      expect(res.json().field).toContain(field);
    }
    // another department's client application, and a grant of another consumer
    const other = await setup();
    expect((await s.consumer.post('/api/feeds/subscriptions', { clientAppId: other.client.id, shareId: s.shareId })).json().code).toBe('feeds.client_not_found');
    expect((await s.consumer.post('/api/feeds/subscriptions', { clientAppId: s.client.id, shareId: other.shareId })).json().code).toBe('feeds.grant_not_found');
    expect((await s.stranger.post('/api/feeds/subscriptions', { clientAppId: s.client.id, shareId: s.shareId })).statusCode).toBe(404);
    const after = await db.selectFrom('feed_subscription').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect((await s.consumer.post('/api/feeds/subscriptions', { clientAppId: s.client.id, shareId: s.shareId })).statusCode).toBe(201);
    const twice = await s.consumer.post('/api/feeds/subscriptions', { clientAppId: s.client.id, shareId: s.shareId });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('feeds.duplicate');
    // a revoked grant cannot be subscribed to
    const revoked = await setup();
    await db.updateTable('share_grant').set({ revoked_at: new Date() }).where('id', '=', revoked.shareId).execute();
    const { service } = feeds();
    await expect(service.create({ ctx: systemActorContext() }, { clientAppId: revoked.client.id, shareId: revoked.shareId })).rejects.toMatchObject({ code: 'feeds.grant_unusable' });
  });

  it('shows the lag: changes behind the cursor and the age of the oldest', async () => {
    const s = await admins();
    const { service } = feeds();
    const { subscription } = await service.create({ ctx: systemActorContext() }, { clientAppId: s.client.id, shareId: s.shareId });
    await newRows(db, s.resource, [person(31), person(32), person(33)]);
    await db.updateTable('data_row').set({ updated_at: new Date(Date.now() - 120_000) }).where('resource_id', '=', s.resource.id).where('person_id', '=', ID(31)).execute();
    const shown = (await s.consumer.get(`/api/feeds/subscriptions/${subscription.id}`)).json();
    expect(shown.lag.behind).toBe(3);
    expect(shown.lag.oldestAgeSeconds).toBeGreaterThanOrEqual(119);
    expect(shown.lag.latestSeq).toBeGreaterThan(0);
  });

  it('pages the list by cursor with the total, and refuses a forged cursor', async () => {
    const s = await admins();
    const { service } = feeds();
    for (let i = 0; i < 2; i++) {
      const resource = await newResource(db);
      const grant = await newDataGrant(db, { resource, consumerDepartmentId: s.client.departmentId, clientAppId: s.client.id, items: ['name'] });
      await service.create({ ctx: systemActorContext() }, { clientAppId: s.client.id, shareId: grant.shareId });
    }
    await service.create({ ctx: systemActorContext() }, { clientAppId: s.client.id, shareId: s.shareId });
    const first = (await s.consumer.get('/api/feeds/subscriptions?limit=2')).json();
    expect(first.total).toBe(3);
    expect(first.items).toHaveLength(2);
    const second = (await s.consumer.get(`/api/feeds/subscriptions?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((i: { id: string }) => i.id)).size).toBe(3);
    const forged = await s.consumer.get(`/api/feeds/subscriptions?cursor=${Buffer.from('["x","y"]').toString('base64url')}`);
    expect(forged.statusCode).toBe(400);
    expect(forged.json().field).toBe('cursor');
  });

  it('a client or department without a grant cannot use the resource through feeds (403 for roles without feeds.manage)', async () => {
    const user = await newUser(db, { grants: [{ role: 'department_staff', regionCode: '650502' }] });
    const staff = await login(app, user.username, user.password);
    expect((await staff.get('/api/feeds/subscriptions')).statusCode).toBe(403);
  });
});

// ---- demo -------------------------------------------------------------------------------------------------------

describe('demo', () => {
  it('subscribes a consuming system with a usable grant to pull, once however often it runs', async () => {
    const { service } = feeds();
    await setup(); // at least one usable grant with a client application exists
    const { feedsModule } = await import('./module.ts');
    const built = await testApp();
    const deps = { db, config: built.config, clock: systemClock, services: built.services as unknown as Record<string, unknown>, service };
    await feedsModule.demo!(deps, { prefecture: '6505' });
    const count = async () => Number((await db.selectFrom('feed_subscription').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const after = await count();
    await feedsModule.demo!(deps, { prefecture: '6505' });
    expect(await count()).toBe(after);
    const demo = await db.selectFrom('feed_subscription').select(['webhook_url']).where('created_by', 'is', null).execute();
    expect(demo.length).toBeGreaterThan(0);
  });

  it('wires its outbox topics and catch-up schedule into the manifest', async () => {
    const { feedsModule } = await import('./module.ts');
    const built = await testApp();
    const deps = { db, config: built.config, clock: systemClock, services: built.services as unknown as Record<string, unknown>, service: feeds().service };
    expect(Object.keys(feedsModule.outboxHandlers!(deps)).sort()).toEqual([COMMITTED_TOPIC, DELIVER_TOPIC]);
    expect(feedsModule.schedules!(deps).map((s) => s.name)).toEqual(['feeds.catch_up']);
    expect(built.services.feeds).toBeInstanceOf(FeedsService);
  });
});
