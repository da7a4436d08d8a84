// Change feeds (issue 7 §5): subscriptions of client applications to a resource through a data grant; changes pulled
// by cursor or pushed by signed webhooks through the outbox, the cursor advancing only on a 2xx answer.
import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize, hasPermission, isSystemActor, type Actor, type Scope } from '../../shared/access.ts';
import { systemActorContext, type RequestContext } from '../../shared/context.ts';
import { conflict, forbidden, invalid, notFound } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { AuditService } from '../audit/index.ts';
import { loadResourceMeta, shareResourceOf, type ResourceMeta } from '../catalogue/index.ts';
import type { OutboxService } from '../jobs/index.ts';
import { findDataGrant, usable, type ClientAppAuth, type DataGrant } from '../sharing/index.ts';
import { MAX_BATCH, readChanges, type Change, type ChangeBatch } from './changes.ts';
import { clientFromHeaders } from './client-auth.ts';
import * as repo from './repository.ts';
import { newSigningSecret, signWebhook } from './signature.ts';
import type { GrantOption, Subscription, SubscriptionAbility, TestResult } from './schema.ts';
import type { SubscriptionStatus, WebhookAlgorithm } from './tables.ts';

/** The outbox topic datasets enqueues when a load (or a pushed batch) commits. */
export const COMMITTED_TOPIC = 'datasets.committed';
/** One webhook delivery run of a subscription (key `<subscriptionId>:<seq>`). */
export const DELIVER_TOPIC = 'feeds.deliver';

/** How often subscriptions left behind are given another delivery (schedule feeds.catch_up). */
export const CATCH_UP_PERIOD_MS = 15 * 60_000;

export interface CommittedEvent {
  resourceId: string;
  resourceCode?: string;
  loadId?: string;
  version?: number;
  maxSeq: number | string;
}

export interface FeedsOptions {
  /** Timeout of one webhook POST. */
  deliveryTimeoutMs?: number;
  /** Consecutive failed deliveries after which a subscription shows as failing. */
  failingAfter?: number;
  /** Batches one delivery run sends before it hands over to a new outbox event (so a backlog never holds a worker). */
  batchesPerRun?: number;
  /** Changes per webhook request (≤ 500). */
  batchSize?: number;
}

export type { GrantOption, Subscription, SubscriptionAbility, TestResult };

export interface NewSubscription {
  clientAppId?: string;
  shareId: string;
  webhookUrl?: string | null;
  algorithm?: WebhookAlgorithm | null;
}

export interface PullResult {
  subscriptionId: string;
  resource: string;
  changes: Change[];
  nextCursor: number;
  hasMore: boolean;
}

/** Who acts on a subscription: a signed-in user (feeds.manage) or the client application itself. */
export type Subscriber = { ctx: RequestContext; client?: ClientAppAuth };

const MAX_URL = 2000;

/** http(s) URL without credentials; anything else is refused naming the field. */
export function checkWebhookUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('feeds.invalid_url', 'webhookUrl', 'The webhook URL is not a URL.');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '' || value.length > MAX_URL) {
    throw invalid('feeds.invalid_url', 'webhookUrl', 'The webhook URL must be http or https, without user name or password.');
  }
  return url.toString();
}

/** The actor a client application acts as (contract of issue 7: the access log names the system and its department). */
export function clientActor(client: ClientAppAuth): Actor {
  return { userId: client.id, username: client.clientId, displayName: client.name, kind: 'staff', departmentId: client.departmentId, grants: [], via: 'token' };
}

function toIso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

export class FeedsService {
  private readonly timeoutMs: number;
  private readonly failingAfter: number;
  private readonly batchesPerRun: number;
  private readonly batchSize: number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    options: FeedsOptions = {},
  ) {
    this.timeoutMs = options.deliveryTimeoutMs ?? 10_000;
    this.failingAfter = options.failingAfter ?? 5;
    this.batchesPerRun = options.batchesPerRun ?? 20;
    this.batchSize = Math.min(options.batchSize ?? MAX_BATCH, MAX_BATCH);
  }

  /** The consuming system behind a request to /api/exchange/v1/feeds (HTTP Basic); 401 otherwise. */
  authenticateClient(headers: Record<string, string | string[] | undefined>): Promise<ClientAppAuth> {
    return clientFromHeaders(this.db, headers, this.clock);
  }

  // ---- subscriptions ------------------------------------------------------------------------------------------

  /** What a signed-in caller manages: the own department tree; platform-wide administrators also their region. */
  private managed(actor: Actor, scope: Scope): repo.Managed {
    const platformWide = isSystemActor(actor) || hasPermission(actor, 'departments.manage');
    return { departmentId: actor.departmentId, scope: platformWide ? scope : null };
  }

  /** Creates a subscription; a webhook's signing secret is returned this once. */
  async create(who: Subscriber, input: NewSubscription): Promise<{ subscription: Subscription; signingSecret: string | null }> {
    const staff = who.client ? null : authorize(who.ctx, 'feeds.manage');
    const clientAppId = who.client?.id ?? input.clientAppId;
    if (!clientAppId) throw invalid('request.invalid', 'clientAppId', 'Name the client application that subscribes.');
    const webhookUrl = input.webhookUrl ? checkWebhookUrl(input.webhookUrl) : null;
    if (webhookUrl !== null && !input.algorithm) throw invalid('feeds.algorithm_required', 'algorithm', 'Choose hmac-sha256 or sm3-hmac for the webhook.');
    const app = await this.db.selectFrom('client_app').select(['id', 'department_id', 'status']).where('id', '=', clientAppId).executeTakeFirst();
    if (!app || app.status !== 'active') throw notFound('feeds.client_not_found', 'No such client application.', 'clientAppId');
    if (staff && !(await this.manages(staff.actor, staff.scope, app.department_id))) throw notFound('feeds.client_not_found', 'No such client application.', 'clientAppId');
    const grant = await findDataGrant(this.db, input.shareId);
    if (!grant || grant.consumerDepartmentId !== app.department_id) throw notFound('feeds.grant_not_found', 'No such data grant for this client application.', 'shareId');
    if (grant.clientAppId !== null && grant.clientAppId !== app.id) throw invalid('feeds.client_mismatch', 'shareId', 'The grant names another client application.');
    if (!usable(grant, this.clock.now())) throw forbidden('feeds.grant_unusable', 'The data grant was revoked or has expired.');
    const secret = webhookUrl === null ? null : newSigningSecret();
    const algorithm = webhookUrl === null ? null : (input.algorithm ?? null);
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('feed_subscription')
        .values({
          client_app_id: app.id,
          share_id: grant.shareId,
          resource_id: grant.resourceId,
          provider_department_id: grant.providerDepartmentId,
          consumer_department_id: grant.consumerDepartmentId,
          webhook_url: webhookUrl,
          algorithm,
          signing_secret: secret,
          created_by: staff && !isSystemActor(staff.actor) ? staff.actor.userId : null,
          created_at: this.clock.now(),
          updated_at: this.clock.now(),
        })
        .onConflict((oc) => oc.columns(['client_app_id', 'share_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) throw conflict('feeds.duplicate', 'This client application already subscribes through this grant.', 'shareId');
      await this.audit.record(trx, this.auditCtx(who), {
        action: 'feeds.subscribe',
        objectType: 'feed_subscription',
        objectId: row.id,
        detail: { shareId: grant.shareId, clientAppId: app.id, resourceId: grant.resourceId, mode: webhookUrl === null ? 'pull' : 'webhook', webhookUrl, algorithm },
      });
      return row.id;
    });
    return { subscription: await this.present(who, id), signingSecret: secret };
  }

  /** Subscriptions of the caller's department tree's client applications and on its resources, newest first. */
  async list(ctx: RequestContext, query: { side?: 'consumer' | 'provider'; status?: SubscriptionStatus; cursor?: string; limit?: number }): Promise<{ items: Subscription[]; total: number; nextCursor: string | null }> {
    const { actor, scope } = authorize(ctx, 'feeds.manage');
    const managed = this.managed(actor, scope);
    const limit = query.limit ?? 50;
    const consumer = repo.managedDepartment(sql.ref('f.consumer_department_id'), managed);
    const provider = repo.managedDepartment(sql.ref('f.provider_department_id'), managed);
    const side = query.side === 'consumer' ? consumer : query.side === 'provider' ? provider : sql<SqlBool>`(${consumer} OR ${provider})`;
    const total = await this.db
      .selectFrom('feed_subscription as f')
      .where(() => side)
      .$if(query.status !== undefined, (qb) => qb.where('f.status', '=', query.status!))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const filtered = repo
      .withLag(repo.selectSubscriptions(this.db))
      .where(() => side)
      .$if(query.status !== undefined, (qb) => qb.where('f.status', '=', query.status!))
      .select(consumer.as('consumer_managed'));
    let page = filtered.orderBy('f.created_at', 'desc').orderBy('f.id', 'desc').limit(limit + 1);
    if (query.cursor) {
      const [at, id] = decodeKeyset(query.cursor, ['string', 'string'] as const);
      if (Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) throw invalid('request.invalid', 'cursor', 'The cursor is not one this list gave.');
      page = page.where((eb) => eb.or([eb('f.created_at', '<', new Date(at)), eb.and([eb('f.created_at', '=', new Date(at)), eb('f.id', '<', id)])]));
    }
    const rows = await page.execute();
    const more = rows.length > limit;
    const items = rows.slice(0, limit).map((row) => this.toSubscription(row, Boolean(row.consumer_managed)));
    const last = rows[limit - 1];
    return { items, total: Number(total.n), nextCursor: more && last ? encodeKeyset([last.created_at.toISOString(), last.id]) : null };
  }

  /** Usable data grants of the caller's departments, with the client applications that may subscribe through each. */
  async grantOptions(ctx: RequestContext): Promise<GrantOption[]> {
    const { actor, scope } = authorize(ctx, 'feeds.manage');
    const managed = this.managed(actor, scope);
    const now = this.clock.now();
    const grants = await this.db
      .selectFrom('data_grant as g')
      .innerJoin('share_grant as s', 's.id', 'g.share_id')
      .innerJoin('data_resource as r', 'r.id', 'g.resource_id')
      .innerJoin('department as d', 'd.id', 'g.consumer_department_id')
      .select(['g.share_id', 'g.consumer_department_id', 'g.client_app_id', 'r.code', 'r.name', 'd.name as consumer_name', 's.fields', 's.expires_at'])
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', now)
      .where(() => repo.managedDepartment(sql.ref('g.consumer_department_id'), managed))
      .orderBy('s.expires_at', 'desc')
      .limit(200)
      .execute();
    const departments = [...new Set(grants.map((g) => g.consumer_department_id))];
    const apps =
      departments.length === 0
        ? []
        : await this.db.selectFrom('client_app').select(['id', 'name', 'client_id', 'department_id']).where('department_id', 'in', departments).where('status', '=', 'active').orderBy('name').execute();
    return grants.map((g) => ({
      shareId: g.share_id,
      resourceCode: g.code,
      resourceName: g.name,
      consumerDepartmentName: g.consumer_name,
      items: g.fields,
      expiresAt: g.expires_at.toISOString(),
      clientApps: apps.filter((a) => a.department_id === g.consumer_department_id && (g.client_app_id === null || g.client_app_id === a.id)).map((a) => ({ id: a.id, name: a.name, clientId: a.client_id })),
    }));
  }

  /** Subscriptions of one client application (the client itself asking). */
  async listOwn(client: ClientAppAuth): Promise<Subscription[]> {
    const rows = await repo.withLag(repo.selectSubscriptions(this.db)).where('f.client_app_id', '=', client.id).orderBy('f.created_at', 'desc').limit(200).execute();
    return rows.map((row) => this.toSubscription(row, true));
  }

  async get(who: Subscriber, id: string): Promise<Subscription> {
    return this.present(who, id);
  }

  /** Pauses (active/failing → paused) or resumes (paused/failing/suspended → active, if the grant is usable). */
  async setPaused(who: Subscriber, id: string, paused: boolean): Promise<Subscription> {
    const row = await this.owned(who, id, true);
    const from: SubscriptionStatus[] = paused ? ['active', 'failing'] : ['paused', 'failing', 'suspended'];
    if (!from.includes(row.status)) throw conflict('feeds.invalid_transition', `A ${row.status} subscription cannot be ${paused ? 'paused' : 'resumed'}.`, 'status');
    if (!paused) {
      const grant = await findDataGrant(this.db, row.share_id);
      if (!grant || !usable(grant, this.clock.now())) throw forbidden('feeds.grant_unusable', 'The data grant was revoked or has expired.');
    }
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('feed_subscription')
        .set({ status: paused ? 'paused' : 'active', ...(paused ? {} : { failure_count: 0 }), updated_at: now })
        .where('id', '=', id)
        .where('status', 'in', from)
        .returning(['cursor'])
        .executeTakeFirst();
      if (!updated) throw conflict('feeds.invalid_transition', 'The subscription changed meanwhile; reload it.', 'status');
      await this.audit.record(trx, this.auditCtx(who), { action: paused ? 'feeds.pause' : 'feeds.resume', objectType: 'feed_subscription', objectId: id, detail: { from: row.status } });
      // a resumed webhook catches up on what it missed
      if (!paused && row.webhook_url !== null) await this.enqueueDelivery(trx, id, `${id}:resume:${now.getTime()}`);
    });
    return this.present(who, id);
  }

  async remove(who: Subscriber, id: string): Promise<void> {
    const row = await this.owned(who, id, true);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('feed_subscription').where('id', '=', id).execute();
      await this.audit.record(trx, this.auditCtx(who), {
        action: 'feeds.unsubscribe',
        objectType: 'feed_subscription',
        objectId: id,
        detail: { shareId: row.share_id, clientAppId: row.client_app_id, cursor: Number(row.cursor) },
      });
    });
  }

  /** Sends a signed ping with no changes to the webhook now and reports the answer (the cursor does not move). */
  async testDelivery(who: Subscriber, id: string): Promise<TestResult> {
    const row = await this.owned(who, id, true);
    const secret = await this.db.selectFrom('feed_subscription').select('signing_secret').where('id', '=', id).executeTakeFirstOrThrow();
    if (row.webhook_url === null || row.algorithm === null || secret.signing_secret === null) throw conflict('feeds.no_webhook', 'This subscription has no webhook URL.', 'webhookUrl');
    const cursor = Number(row.cursor);
    const body = JSON.stringify({ subscriptionId: id, resource: row.resource_code, fromSeq: cursor, toSeq: cursor, changes: [], test: true });
    const started = performance.now();
    const outcome = await this.post(row.webhook_url, body, { algorithm: row.algorithm, secret: secret.signing_secret }, `${id}:test:${this.clock.now().getTime()}`);
    const result: TestResult = { ok: outcome.ok, status: outcome.status, error: outcome.error, ms: Math.round(performance.now() - started) };
    await this.audit.recordNow(this.auditCtx(who), { action: 'feeds.test', objectType: 'feed_subscription', objectId: id, outcome: result.ok ? 'success' : 'failure', detail: { status: result.status, error: result.error } });
    return result;
  }

  // ---- pull ---------------------------------------------------------------------------------------------------

  /**
   * The changes after `cursor` (default: the subscription's own), at most `limit`. Asking from a cursor acknowledges
   * everything up to it: the stored cursor moves forward to it (never back), which is what the lag counts from.
   */
  async pull(client: ClientAppAuth, ctx: RequestContext, id: string, options: { cursor?: string; limit?: number }): Promise<PullResult> {
    const row = await repo.selectSubscriptions(this.db).where('f.id', '=', id).where('f.client_app_id', '=', client.id).executeTakeFirst();
    if (!row) throw notFound('feeds.not_found', 'No such subscription for this client application.');
    if (options.cursor !== undefined && !/^\d{1,15}$/.test(options.cursor)) throw invalid('feeds.invalid_cursor', 'cursor', 'The cursor is a non-negative integer.');
    const cursor = options.cursor === undefined ? Number(row.cursor) : Number(options.cursor);
    const { grant, meta } = await this.usableGrant(row.id, row.share_id);
    const limit = Math.min(options.limit ?? 100, MAX_BATCH);
    const batch = await readChanges(this.db, meta, grant, cursor, limit);
    const now = this.clock.now();
    await this.db
      .updateTable('feed_subscription')
      .set((eb) => ({ cursor: eb.fn('greatest', [eb.ref('cursor'), eb.val(String(cursor))]), last_pulled_at: now }))
      .where('id', '=', id)
      .execute();
    if (batch.changes.length > 0) await this.recordHandOut({ ...ctx, actor: clientActor(client) }, 'feed', row, grant, meta, batch);
    return { subscriptionId: id, resource: meta.code, changes: batch.changes, nextCursor: batch.nextCursor, hasMore: batch.hasMore };
  }

  // ---- webhooks -----------------------------------------------------------------------------------------------

  /** datasets.committed: one delivery event per active webhook subscription of the resource. */
  async onCommitted(event: CommittedEvent): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const subs = await trx
        .selectFrom('feed_subscription')
        .select('id')
        .where('resource_id', '=', event.resourceId)
        .where('webhook_url', 'is not', null)
        .where('status', 'in', ['active', 'failing'])
        .execute();
      for (const s of subs) await this.enqueueDelivery(trx, s.id, `${s.id}:${String(event.maxSeq)}`);
      return subs.length;
    });
  }

  /**
   * The safety net behind the outbox's retries: webhook subscriptions (active or failing) that are behind and have not
   * failed within the last period get a delivery event — e.g. after a receiver was down longer than the retries last
   * and nothing has been committed since. One event per subscription and period.
   */
  async catchUp(periodMs = CATCH_UP_PERIOD_MS): Promise<number> {
    const now = this.clock.now();
    const slot = Math.floor(now.getTime() / periodMs);
    return this.db.transaction().execute(async (trx) => {
      const behind = await trx
        .selectFrom('feed_subscription as f')
        .select('f.id')
        .where('f.webhook_url', 'is not', null)
        .where('f.status', 'in', ['active', 'failing'])
        .where((eb) => eb.or([eb('f.last_error_at', 'is', null), eb('f.last_error_at', '<', new Date(now.getTime() - periodMs))]))
        .where(({ exists, selectFrom }) => exists(selectFrom('data_row as d').select('d.seq').whereRef('d.resource_id', '=', 'f.resource_id').where(sql<boolean>`d.seq > f.cursor`)))
        .limit(1000)
        .execute();
      for (const s of behind) await this.enqueueDelivery(trx, s.id, `${s.id}:catchup:${slot}`);
      return behind.length;
    });
  }

  /**
   * One delivery run: POSTs the changes after the delivered cursor in batches until caught up (or `batchesPerRun`,
   * then hands over to a new event). A failure throws, so the outbox retries with its backoff; the cursor stays.
   */
  async deliver(subscriptionId: string): Promise<void> {
    for (let run = 0; run < this.batchesPerRun; run++) {
      const row = await repo.selectSubscriptions(this.db).select('f.signing_secret').where('f.id', '=', subscriptionId).executeTakeFirst();
      if (!row || row.webhook_url === null || row.algorithm === null || row.signing_secret === null) return;
      if (row.status === 'paused' || row.status === 'suspended') return;
      let grant: DataGrant;
      let meta: ResourceMeta;
      try {
        ({ grant, meta } = await this.usableGrant(row.id, row.share_id));
      } catch {
        return; // suspended: nothing more leaves until the subscriber resumes under a usable grant
      }
      const fromSeq = Number(row.cursor);
      const batch = await readChanges(this.db, meta, grant, fromSeq, this.batchSize);
      if (batch.changes.length === 0) return;
      const toSeq = batch.nextCursor;
      const body = JSON.stringify({ subscriptionId, resource: meta.code, fromSeq, toSeq, changes: batch.changes });
      const outcome = await this.post(row.webhook_url, body, { algorithm: row.algorithm, secret: row.signing_secret }, `${subscriptionId}:${toSeq}`);
      if (!outcome.ok) {
        const error = outcome.status === null ? (outcome.error ?? 'failed') : `HTTP ${outcome.status}`;
        await repo.recordFailure(this.db, subscriptionId, error, this.clock.now(), this.failingAfter);
        throw new Error(`Webhook delivery of ${subscriptionId} failed: ${error}`);
      }
      await this.advance(subscriptionId, toSeq);
      await this.recordHandOut({ actor: undefined, clientAddr: null, requestId: null, audited: false }, 'feed', row, grant, meta, batch);
      if (!batch.hasMore) return;
    }
    // a long backlog: the rest goes in a new event, so other subscriptions' deliveries are not held up
    const cursor = await this.db.selectFrom('feed_subscription').select('cursor').where('id', '=', subscriptionId).executeTakeFirst();
    if (cursor) await this.db.transaction().execute((trx) => this.enqueueDelivery(trx, subscriptionId, `${subscriptionId}:${cursor.cursor}:next`));
  }

  /**
   * Moves the delivered cursor to `toSeq` under the row lock, never backwards: two deliveries of the same batch at
   * once advance it once; a failing subscription that delivered turns active again.
   */
  private async advance(subscriptionId: string, toSeq: number): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const locked = await trx.selectFrom('feed_subscription').select(['cursor', 'status']).where('id', '=', subscriptionId).forUpdate().executeTakeFirst();
      if (!locked || Number(locked.cursor) >= toSeq) return;
      await trx
        .updateTable('feed_subscription')
        .set({ cursor: String(toSeq), failure_count: 0, status: locked.status === 'failing' ? 'active' : locked.status, last_delivered_at: now, updated_at: now })
        .where('id', '=', subscriptionId)
        .execute();
    });
  }

  private async post(url: string, body: string, signing: { algorithm: WebhookAlgorithm; secret: string }, idempotencyKey: string): Promise<{ ok: boolean; status: number | null; error: string | null }> {
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    try {
      const response = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'GovCloud-Feeds/1',
          'x-govcloud-timestamp': String(timestamp),
          'x-govcloud-signature': signWebhook({ body, timestamp, secret: signing.secret, algorithm: signing.algorithm }),
          'idempotency-key': idempotencyKey,
        },
        body,
      });
      await response.arrayBuffer().catch(() => undefined);
      return { ok: response.status >= 200 && response.status < 300, status: response.status, error: null };
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      const text = name === 'TimeoutError' || name === 'AbortError' ? `timeout after ${this.timeoutMs} ms` : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return { ok: false, status: null, error: text };
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  private async enqueueDelivery(trx: Transaction<Database>, subscriptionId: string, key: string): Promise<void> {
    await this.outbox.enqueue(trx, { topic: DELIVER_TOPIC, key, payload: { subscriptionId }, maxAttempts: 12 });
  }

  /** The grant and resource of a subscription if the grant is usable; otherwise the subscription is suspended and 403. */
  private async usableGrant(subscriptionId: string, shareId: string): Promise<{ grant: DataGrant; meta: ResourceMeta }> {
    const grant = await findDataGrant(this.db, shareId);
    const meta = grant ? await loadResourceMeta(this.db, grant.resourceId) : null;
    if (!grant || !meta || !usable(grant, this.clock.now())) {
      const now = this.clock.now();
      await this.db.transaction().execute(async (trx) => {
        const changed = await trx
          .updateTable('feed_subscription')
          .set({ status: 'suspended', last_error: 'grant revoked or expired', last_error_at: now, updated_at: now })
          .where('id', '=', subscriptionId)
          .where('status', '!=', 'suspended')
          .returning('status')
          .executeTakeFirst();
        // the platform stopped the feed: on record once, whoever noticed first (a pull or a delivery)
        if (changed) await this.audit.record(trx, systemActorContext(), { action: 'feeds.suspend', objectType: 'feed_subscription', objectId: subscriptionId, detail: { shareId, reason: grant ? (grant.revokedAt ? 'revoked' : 'expired') : 'missing' } });
      });
      throw forbidden('feeds.grant_unusable', 'The data grant was revoked or has expired: the feed has stopped.');
    }
    return { grant, meta };
  }

  /** The access-log entry for changes handed out (issue 7 contract: via 'feed'). */
  private async recordHandOut(ctx: RequestContext, via: 'feed', row: repo.SubscriptionRow, grant: DataGrant, meta: ResourceMeta, batch: ChangeBatch): Promise<void> {
    const actorCtx: RequestContext = ctx.actor
      ? ctx
      : { ...ctx, actor: clientActor({ id: row.client_app_id, clientId: row.client_id, name: row.client_name, departmentId: row.consumer_department_id, ratePerMinute: 0 }) };
    const returned = meta.items.filter((i) => grant.items.includes(i.code)).map((i) => i.code);
    await this.audit.recordAccess(actorCtx, {
      resource: shareResourceOf(meta.code),
      subjectIds: batch.subjectIds,
      fields: returned,
      permission: 'exchange.call',
      scope: { permission: 'exchange.call', paths: [], departments: [grant.consumerDepartmentId], shares: [] },
      regionCode: meta.regionCode,
      detail: {
        via,
        grantId: grant.shareId,
        resourceCode: meta.code,
        resourceName: meta.name,
        clientAppId: row.client_app_id,
        clientName: row.client_name,
        consumerDepartmentId: grant.consumerDepartmentId,
        consumerDepartmentName: row.consumer_name,
        purpose: grant.purpose,
        rows: batch.changes.length,
        subscriptionId: row.id,
        fromSeq: batch.changes[0]?.seq ?? null,
        toSeq: batch.nextCursor,
      },
    });
  }

  private auditCtx(who: Subscriber): RequestContext {
    return who.client ? { ...who.ctx, actor: clientActor(who.client) } : who.ctx;
  }

  private async manages(actor: Actor, scope: Scope, departmentId: string): Promise<boolean> {
    const managed = this.managed(actor, scope);
    const row = await this.db
      .selectNoFrom((eb) => repo.managedDepartment(eb.val(departmentId), managed).as('ok'))
      .executeTakeFirstOrThrow();
    return Boolean(row.ok);
  }

  /** A subscription the caller may act on (manage: consumer side) or see (provider side too); 404 otherwise. */
  private async owned(who: Subscriber, id: string, manage: boolean): Promise<repo.SubscriptionRow> {
    if (who.client) {
      const row = await repo.selectSubscriptions(this.db).where('f.id', '=', id).where('f.client_app_id', '=', who.client.id).executeTakeFirst();
      if (!row) throw notFound('feeds.not_found', 'No such subscription for this client application.');
      return row;
    }
    const { actor, scope } = authorize(who.ctx, 'feeds.manage');
    const managed = this.managed(actor, scope);
    const row = await repo
      .selectSubscriptions(this.db)
      .where('f.id', '=', id)
      .where((eb) =>
        manage
          ? repo.managedDepartment(eb.ref('f.consumer_department_id'), managed)
          : eb.or([repo.managedDepartment(eb.ref('f.consumer_department_id'), managed), repo.managedDepartment(eb.ref('f.provider_department_id'), managed)]),
      )
      .executeTakeFirst();
    if (!row) throw notFound('feeds.not_found', 'No such subscription.');
    return row;
  }

  private async present(who: Subscriber, id: string): Promise<Subscription> {
    await this.owned(who, id, false);
    const row = await repo.withLag(repo.selectSubscriptions(this.db)).where('f.id', '=', id).executeTakeFirstOrThrow();
    let manage = true;
    if (!who.client) {
      const { actor, scope } = authorize(who.ctx, 'feeds.manage');
      manage = await this.manages(actor, scope, row.consumer_department_id);
    }
    return this.toSubscription(row, manage);
  }

  private toSubscription(row: repo.SubscriptionWithLag, manage: boolean): Subscription {
    const abilities: SubscriptionAbility[] = [];
    if (manage) {
      if (row.status === 'active' || row.status === 'failing') abilities.push('pause');
      if (row.status !== 'active') abilities.push('resume');
      if (row.webhook_url !== null) abilities.push('test');
      abilities.push('delete');
    }
    const oldest = row.lag_oldest === null ? null : new Date(row.lag_oldest);
    const now = this.clock.now().getTime();
    return {
      id: row.id,
      clientAppId: row.client_app_id,
      clientId: row.client_id,
      clientName: row.client_name,
      shareId: row.share_id,
      resourceId: row.resource_id,
      resourceCode: row.resource_code,
      resourceName: row.resource_name,
      consumerDepartmentId: row.consumer_department_id,
      consumerDepartmentName: row.consumer_name,
      providerDepartmentId: row.provider_department_id,
      providerDepartmentName: row.provider_name,
      mode: row.webhook_url === null ? 'pull' : 'webhook',
      webhookUrl: row.webhook_url,
      algorithm: row.algorithm,
      cursor: Number(row.cursor),
      status: row.status,
      failureCount: row.failure_count,
      lastError: row.last_error,
      lastErrorAt: toIso(row.last_error_at),
      lastDeliveredAt: toIso(row.last_delivered_at),
      lastPulledAt: toIso(row.last_pulled_at),
      createdAt: row.created_at.toISOString(),
      lag: { behind: Number(row.lag_behind), oldestAgeSeconds: oldest === null ? null : Math.max(0, Math.round((now - oldest.getTime()) / 1000)), latestSeq: Number(row.lag_latest ?? 0) },
      abilities,
    };
  }
}
