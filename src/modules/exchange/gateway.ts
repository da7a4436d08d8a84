// The gateway consuming systems call: authenticate, rate-limit, check the grant on every call (in the same SELECT as
// the rows), return only granted items, masked, and record every hand-out in the access log.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { runPrepared } from '../../db/prepared.ts';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Scope } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { DomainError, forbidden, invalid, notFound, unauthenticated } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { AuditService } from '../audit/index.ts';
import { loadResourceMeta, shareResourceOf, type ResourceMeta } from '../catalogue/index.ts';
import { maskRow } from '../sharing/index.ts';
import type { ItemMask } from '../catalogue/index.ts';
import { authenticateClient, clientActor, type ExchangeClient } from './auth.ts';
import { RateLimiter } from './rate-limit.ts';
import type { StatsBuffer } from './stats.ts';
import { callUpstream, UPSTREAM_TIMEOUT_MS } from './upstream.ts';

export const MAX_PURPOSE = 200;
const META_TTL_MS = 5_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Headers = Readonly<Record<string, string | string[] | undefined>>;

export interface CallInput {
  code: string;
  /** Comma-separated item codes to return (default: every granted item). */
  fields?: string;
}

export interface SearchInput extends CallInput {
  filters: Record<string, string>;
  cursor?: string;
  limit?: number;
}

export interface RowsAnswer {
  resource: string;
  grantId: string;
  items: string[];
  rows: Record<string, unknown>[];
  nextCursor: string | null;
}

/** The grant as the call's query reads it, with the rows it lets out (none unless the grant is good for this client). */
interface GrantRow {
  share_id: string;
  resource_id: string;
  consumer_department_id: string;
  client_app_id: string | null;
  region_prefix: string | null;
  masks: unknown;
  fields: string[];
  grant_purpose: string;
  expires_at: Date;
  revoked_at: Date | null;
  client_status: string;
  key: string | null;
  data: unknown;
  person_id: string | null;
}

/** A header value as text: percent-encoded UTF-8 is decoded; raw bytes are read as UTF-8 (Node hands them as latin1). */
export function headerText(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  if (/%[0-9a-f]{2}/i.test(raw)) {
    try {
      return decodeURIComponent(raw).trim();
    } catch {
      return raw.trim();
    }
  }
  return Buffer.from(raw, 'latin1').toString('utf8').trim();
}

export class Gateway {
  private readonly limiter = new RateLimiter();
  private readonly metas = new Map<string, { meta: ResourceMeta | null; until: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly stats: StatsBuffer,
    readonly upstreamTimeoutMs = UPSTREAM_TIMEOUT_MS,
  ) {}

  /** GET …/resources/{code}/rows/{key}: one row by its key. */
  async lookup(ctx: RequestContext, headers: Headers, input: CallInput & { key: string }): Promise<RowsAnswer> {
    return this.call(ctx, headers, input, { key: input.key });
  }

  /** GET …/resources/{code}/rows?item=value…: rows by equality on granted items, paged by key. */
  async search(ctx: RequestContext, headers: Headers, input: SearchInput): Promise<RowsAnswer> {
    return this.call(ctx, headers, input, { filters: input.filters, cursor: input.cursor, limit: input.limit ?? 50 });
  }

  private async call(ctx: RequestContext, headers: Headers, input: CallInput, query: { key?: string; filters?: Record<string, string>; cursor?: string; limit?: number }): Promise<RowsAnswer> {
    const client = await authenticateClient(this.db, headers, this.clock);
    ctx.actor = clientActor(client);
    const meta = await this.meta(input.code);
    if (!meta || meta.status === 'withdrawn') throw notFound('exchange.resource_not_found', `There is no resource ${input.code}.`, 'code');
    try {
      return await this.serve(ctx, headers, client, meta, input, query);
    } catch (error) {
      // a refusal (or failure) still counts as a call of this client on this resource
      this.stats.count({ clientAppId: client.id, resourceId: meta.id, providerDepartmentId: meta.providerDepartmentId, consumerDepartmentId: client.departmentId, rows: 0, refused: true });
      throw error;
    }
  }

  private async serve(
    ctx: RequestContext,
    headers: Headers,
    client: ExchangeClient,
    meta: ResourceMeta,
    input: CallInput,
    query: { key?: string; filters?: Record<string, string>; cursor?: string; limit?: number },
  ): Promise<RowsAnswer> {
    const wait = this.limiter.take(client.id, client.ratePerMinute, this.clock.now().getTime());
    if (wait > 0) {
      throw new DomainError('exchange.rate_limited', 'rate_limited', `This client application may call ${client.ratePerMinute} times a minute; retry in ${wait} s.`, undefined, {
        retryAfterSeconds: wait,
      });
    }
    const grantId = headerText(headers['x-grant-id']);
    if (!grantId) throw invalid('exchange.grant_required', 'X-Grant-Id', 'Send the grant id in the X-Grant-Id header.');
    if (!UUID.test(grantId)) throw invalid('exchange.grant_required', 'X-Grant-Id', 'X-Grant-Id is a grant id (a UUID).');
    const purpose = headerText(headers['x-purpose']);
    if (!purpose) throw invalid('exchange.purpose_required', 'X-Purpose', 'State the purpose of the call in the X-Purpose header.');
    if ([...purpose].length > MAX_PURPOSE) throw invalid('exchange.purpose_required', 'X-Purpose', `X-Purpose has at most ${MAX_PURPOSE} characters.`);

    const itemCodes = new Set(meta.items.map((i) => i.code));
    const requested = input.fields === undefined || input.fields.trim() === '' ? null : [...new Set(input.fields.split(',').map((f) => f.trim()).filter(Boolean))];
    for (const code of requested ?? []) if (!itemCodes.has(code)) throw invalid('exchange.unknown_item', 'fields', `The resource has no item ${code}.`);
    for (const code of Object.keys(query.filters ?? {})) if (!itemCodes.has(code)) throw invalid('exchange.unknown_item', code, `The resource has no item ${code} to filter by.`);
    const upstream = meta.upstreamUrl;
    // an upstream's cursor is its own (passed through); ours is the last key of the page
    const after = query.cursor === undefined || upstream ? undefined : decodeKeyset(query.cursor, ['string'])[0];
    const limit = query.limit ?? 1;

    const rows = await this.grantAndRows(client, meta, grantId, upstream ? null : { key: query.key, filters: query.filters ?? {}, after, limit: query.key === undefined ? limit + 1 : 1 });
    const grant = rows[0];
    const now = this.clock.now();
    if (!grant) throw notFound('exchange.grant_not_found', 'There is no such grant.', 'X-Grant-Id');
    if (grant.client_status !== 'active') throw unauthenticated('exchange.client_disabled', 'This client application is disabled.');
    if (grant.consumer_department_id !== client.departmentId || (grant.client_app_id !== null && grant.client_app_id !== client.id)) {
      throw forbidden('exchange.grant_not_yours', 'The grant is not made to this client application or its department.');
    }
    if (grant.resource_id !== meta.id) throw forbidden('exchange.grant_resource_mismatch', `Grant ${grantId} is not for resource ${meta.code}.`);
    if (grant.revoked_at !== null) throw forbidden('exchange.grant_revoked', 'The grant has been revoked.');
    if (grant.expires_at <= now) throw forbidden('exchange.grant_expired', 'The grant has expired.');
    const granted = new Set(grant.fields);
    for (const code of requested ?? []) if (!granted.has(code)) throw new DomainError('exchange.item_not_granted', 'forbidden', `Item ${code} is outside the grant.`, 'fields', { item: code });
    for (const code of Object.keys(query.filters ?? {})) if (!granted.has(code)) throw new DomainError('exchange.item_not_granted', 'forbidden', `Item ${code} is outside the grant.`, code, { item: code });

    const items = meta.items.filter((i) => granted.has(i.code) && (requested === null || requested.includes(i.code))).map((i) => i.code);
    const masks = (grant.masks ?? {}) as Record<string, ItemMask>;
    let data: Record<string, unknown>[];
    let nextCursor: string | null = null;
    if (upstream) {
      const answer = await callUpstream(upstreamUrlFor(upstream, query, limit), itemCodes, this.upstreamTimeoutMs);
      if (answer === null && query.key !== undefined) throw notFound('exchange.row_not_found', 'There is no such record.', 'key');
      const prefix = grant.region_prefix;
      data = (answer?.rows ?? []).filter((r) => prefix === null || meta.regionItem === null || String(r[meta.regionItem] ?? '').startsWith(prefix));
      if (query.key !== undefined) {
        data = data.filter((r) => meta.keyItems.map((k) => String(r[k] ?? '')).join('\u001f') === query.key).slice(0, 1);
        if (data.length === 0) throw notFound('exchange.row_not_found', 'There is no such record.', 'key');
      } else {
        data = data.slice(0, limit);
        nextCursor = answer?.nextCursor ?? null;
      }
    } else {
      const found = rows.filter((r) => r.key !== null);
      if (query.key !== undefined && found.length === 0) throw notFound('exchange.row_not_found', 'There is no such record.', 'key');
      const page = query.key === undefined ? found.slice(0, limit) : found;
      if (query.key === undefined && found.length > limit) nextCursor = encodeKeyset([page[page.length - 1]!.key!]);
      data = page.map((r) => r.data as Record<string, unknown>);
    }

    const out = data.map((d) => maskRow(meta.items, { items, masks }, d));
    const persons = meta.personItem === null ? [] : [...new Set(data.map((d) => d[meta.personItem!]).filter((v): v is string => typeof v === 'string' && v.length > 0))];
    const scope: Scope = {
      permission: 'exchange.call',
      paths: [],
      departments: [],
      shares: [
        {
          id: grant.share_id,
          resource: shareResourceOf(meta.code),
          fields: grant.fields,
          ownerDepartmentId: meta.providerDepartmentId,
          purpose: grant.grant_purpose,
          expiresAt: grant.expires_at.toISOString(),
          grantee: grant.client_app_id === null ? 'department' : 'client',
        },
      ],
    };
    await this.audit.recordAccess(ctx, {
      resource: shareResourceOf(meta.code),
      subjectIds: persons,
      fields: items,
      permission: 'exchange.call',
      scope,
      regionCode: meta.regionCode,
      detail: {
        via: upstream ? 'proxy' : 'exchange',
        grantId: grant.share_id,
        resourceCode: meta.code,
        resourceName: meta.name,
        clientAppId: client.id,
        clientName: client.name,
        consumerDepartmentId: client.departmentId,
        consumerDepartmentName: client.departmentName,
        purpose,
        rows: out.length,
        ...(query.key === undefined ? { filters: Object.keys(query.filters ?? {}) } : {}),
      },
    });
    this.stats.count({ clientAppId: client.id, resourceId: meta.id, providerDepartmentId: meta.providerDepartmentId, consumerDepartmentId: client.departmentId, rows: out.length, refused: false });
    return { resource: meta.code, grantId: grant.share_id, items, rows: out, nextCursor };
  }

  /** The resource's metadata, kept a few seconds per node (items and masks change rarely; grants are read per call). */
  private async meta(code: string): Promise<ResourceMeta | null> {
    const now = this.clock.now().getTime();
    const hit = this.metas.get(code);
    if (hit && hit.until > now) return hit.meta;
    if (code.length > 64) return null;
    const meta = await loadResourceMeta(this.db, code);
    if (this.metas.size > 10_000) this.metas.clear();
    this.metas.set(code, { meta, until: now + META_TTL_MS });
    return meta;
  }

  /**
   * One round trip: the grant with its share grant and the client's status, and (when `rows` is given) the rows it
   * lets this client read — only when the grant is usable by this client now, filtered by its region prefix in SQL.
   */
  private async grantAndRows(
    client: ExchangeClient,
    meta: ResourceMeta,
    grantId: string,
    rows: { key?: string; filters: Record<string, string>; after?: string; limit: number } | null,
  ): Promise<GrantRow[]> {
    const now = this.clock.now();
    if (rows !== null && rows.key !== undefined && rows.after === undefined && Object.keys(rows.filters).length === 0) {
      // the lookup by key, the gateway's commonest call: fixed text, prepared once per connection on PostgreSQL (D71)
      const values = [client.id, meta.id, now, rows.key, grantId];
      return runPrepared<GrantRow>(this.db, 'exchange.lookup', LOOKUP_SQL, values);
    }
    const grantColumns = sql`g.share_id, g.resource_id, g.consumer_department_id, g.client_app_id, g.region_prefix, g.masks,
      s.fields, s.purpose AS grant_purpose, s.expires_at, s.revoked_at, c.status AS client_status`;
    const from = sql`FROM data_grant g JOIN share_grant s ON s.id = g.share_id JOIN client_app c ON c.id = ${client.id}`;
    if (rows === null) {
      const result = await sql<GrantRow>`SELECT ${grantColumns}, NULL::text AS key, NULL::jsonb AS data, NULL::text AS person_id ${from} WHERE g.share_id = ${grantId}`.execute(this.db);
      return result.rows;
    }
    const conditions: RawBuilder<unknown>[] = [
      sql`d.resource_id = ${meta.id}`,
      sql`d.resource_id = g.resource_id`,
      sql`NOT d.deleted`,
      sql`(g.region_prefix IS NULL OR d.region_code LIKE g.region_prefix || '%')`,
      sql`c.status = 'active'`,
      sql`s.revoked_at IS NULL`,
      sql`s.expires_at > ${now}`,
      sql`g.consumer_department_id = c.department_id`,
      sql`(g.client_app_id IS NULL OR g.client_app_id = c.id)`,
    ];
    if (rows.key !== undefined) conditions.push(sql`d.key = ${rows.key}`);
    if (rows.after !== undefined) conditions.push(sql`d.key > ${rows.after}`);
    // equality on granted items (checked against the grant before anything is returned)
    for (const [item, value] of Object.entries(rows.filters)) conditions.push(sql`d.data ->> ${item} = ${value} AND ${item} = ANY(s.fields)`);
    const result = await sql<GrantRow>`
      SELECT ${grantColumns}, r.key, r.data, r.person_id
      ${from}
      LEFT JOIN LATERAL (
        SELECT d.key, d.data, d.person_id FROM data_row d
        WHERE ${sql.join(conditions, sql` AND `)}
        ORDER BY d.key
        LIMIT ${rows.limit}
      ) r ON true
      WHERE g.share_id = ${grantId}
      ORDER BY r.key`.execute(this.db);
    return result.rows;
  }
}

/** grantAndRows for one key (no filters, no cursor), as one fixed statement: the same conditions, the same columns. */
const LOOKUP_SQL = `
  SELECT g.share_id, g.resource_id, g.consumer_department_id, g.client_app_id, g.region_prefix, g.masks,
    s.fields, s.purpose AS grant_purpose, s.expires_at, s.revoked_at, c.status AS client_status, r.key, r.data, r.person_id
  FROM data_grant g JOIN share_grant s ON s.id = g.share_id JOIN client_app c ON c.id = $1
  LEFT JOIN LATERAL (
    SELECT d.key, d.data, d.person_id FROM data_row d
    WHERE d.resource_id = $2 AND d.resource_id = g.resource_id AND NOT d.deleted
      AND (g.region_prefix IS NULL OR d.region_code LIKE g.region_prefix || '%')
      AND c.status = 'active' AND s.revoked_at IS NULL AND s.expires_at > $3
      AND g.consumer_department_id = c.department_id AND (g.client_app_id IS NULL OR g.client_app_id = c.id)
      AND d.key = $4
    ORDER BY d.key
    LIMIT 1
  ) r ON true
  WHERE g.share_id = $5`;

/** The upstream URL of a call: <url>/rows/<key>, or <url>/rows?<filters>&cursor=&limit=. */
function upstreamUrlFor(base: string, query: { key?: string; filters?: Record<string, string>; cursor?: string }, limit: number): string {
  const root = base.replace(/\/+$/, '');
  if (query.key !== undefined) return `${root}/rows/${encodeURIComponent(query.key)}`;
  const params = new URLSearchParams(query.filters ?? {});
  if (query.cursor !== undefined) params.set('cursor', query.cursor);
  params.set('limit', String(limit));
  return `${root}/rows?${params.toString()}`;
}
