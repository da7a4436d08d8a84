// The exchange module's service: access tokens for consuming systems, the gateway's calls, and exchange statistics.
import type { Kysely } from 'kysely';
import { inScope, inTenant } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authorize } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { invalid } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { checkClientCredentials, clientActor, issueToken, parseBasic, TOKEN_TTL_SECONDS } from './auth.ts';
import { Gateway, type CallInput, type RowsAnswer, type SearchInput } from './gateway.ts';
import { beijingDay, StatsBuffer } from './stats.ts';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

export interface TokenRequest {
  grant_type?: string;
  client_id?: string;
  client_secret?: string;
}

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface StatsQuery {
  from?: string;
  to?: string;
  resourceId?: string;
  clientAppId?: string;
}

export interface StatsRow {
  day: string;
  clientAppId: string;
  clientName: string;
  consumerDepartmentId: string;
  consumerDepartmentName: string;
  resourceId: string;
  resourceCode: string;
  resourceName: string;
  providerDepartmentId: string;
  providerDepartmentName: string;
  calls: number;
  rows: number;
  refusals: number;
}

export interface StatsAnswer {
  from: string;
  to: string;
  rows: StatsRow[];
  totals: { calls: number; rows: number; refusals: number };
}

const MAX_STATS_ROWS = 5_000;
const MAX_RANGE_DAYS = 366;

export interface ExchangeOptions {
  upstreamTimeoutMs?: number;
  statsIntervalMs?: number;
}

export class ExchangeService {
  readonly stats: StatsBuffer;
  private readonly gateway: Gateway;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    options: ExchangeOptions = {},
  ) {
    this.stats = new StatsBuffer(db, clock, options.statsIntervalMs);
    this.gateway = new Gateway(db, audit, clock, this.stats, options.upstreamTimeoutMs);
  }

  /**
   * POST /api/exchange/token (OAuth 2.0 client_credentials): client_id and client_secret in HTTP Basic or the body.
   * The token is issued and audited in one transaction.
   */
  async issueToken(ctx: RequestContext, headers: Headers, body: TokenRequest): Promise<TokenAnswer> {
    if (body.grant_type !== 'client_credentials') throw invalid('exchange.unsupported_grant_type', 'grant_type', 'grant_type must be client_credentials.', { error: 'unsupported_grant_type' });
    const basic = typeof headers.authorization === 'string' ? parseBasic(headers.authorization) : null;
    const clientId = basic?.clientId ?? body.client_id ?? '';
    const secret = basic?.secret ?? body.client_secret ?? '';
    const client = await checkClientCredentials(this.db, clientId, secret, this.clock);
    ctx.actor = clientActor(client);
    const issued = await this.db.transaction().execute(async (trx) => {
      const token = await issueToken(trx, client, this.clock);
      await this.audit.record(trx, ctx, {
        action: 'exchange.token_issued',
        objectType: 'client_app',
        objectId: client.id,
        role: null,
        detail: { clientId: client.clientId, clientName: client.name, expiresAt: token.expiresAt.toISOString() },
      });
      return token;
    });
    return { access_token: issued.token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS };
  }

  lookup(ctx: RequestContext, headers: Headers, input: CallInput & { key: string }): Promise<RowsAnswer> {
    return this.gateway.lookup(ctx, headers, input);
  }

  search(ctx: RequestContext, headers: Headers, input: SearchInput): Promise<RowsAnswer> {
    return this.gateway.search(ctx, headers, input);
  }

  /**
   * Calls, rows and refusals per day × client application × resource: a provider's resources and a consumer's
   * applications (own department tree), or everything whose provider or consumer lies in the caller's region.
   */
  async listStats(ctx: RequestContext, query: StatsQuery): Promise<StatsAnswer> {
    const { scope } = authorize(ctx, 'exchange.stats', this.clock);
    const today = beijingDay(this.clock.now());
    const to = query.to ?? today;
    const from = query.from ?? beijingDay(new Date(new Date(`${to}T00:00:00Z`).getTime() - 29 * 86_400_000));
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
    if (!(days >= 0)) throw invalid('exchange.invalid_range', 'from', 'from must not be after to.');
    if (days > MAX_RANGE_DAYS) throw invalid('exchange.invalid_range', 'from', `The range spans at most ${MAX_RANGE_DAYS} days.`);
    // this node's counts so far are included (other nodes flush every few seconds)
    await this.stats.flush();
    const rows = await this.db
      .selectFrom('exchange_stat as x')
      .innerJoin('client_app as c', 'c.id', 'x.client_app_id')
      .innerJoin('data_resource as r', 'r.id', 'x.resource_id')
      .innerJoin('department as p', 'p.id', 'x.provider_department_id')
      .innerJoin('department as q', 'q.id', 'x.consumer_department_id')
      .select([
        'x.day',
        'x.client_app_id',
        'c.name as client_name',
        'x.consumer_department_id',
        'q.name as consumer_name',
        'x.resource_id',
        'r.code as resource_code',
        'r.name as resource_name',
        'x.provider_department_id',
        'p.name as provider_name',
        'x.calls',
        'x.rows',
        'x.refusals',
      ])
      .where('x.day', '>=', from)
      .where('x.day', '<=', to)
      .$if(query.resourceId !== undefined, (qb) => qb.where('x.resource_id', '=', query.resourceId!))
      .$if(query.clientAppId !== undefined, (qb) => qb.where('x.client_app_id', '=', query.clientAppId!))
      .where((eb) => {
        const parts = [inTenant(eb.ref('x.provider_department_id'), scope), inTenant(eb.ref('x.consumer_department_id'), scope)];
        if (scope.paths.length > 0) parts.push(inScope(eb, eb.ref('p.region_code'), scope), inScope(eb, eb.ref('q.region_code'), scope));
        return eb.or(parts);
      })
      .orderBy('x.day')
      .orderBy('r.code')
      .orderBy('c.name')
      .limit(MAX_STATS_ROWS)
      .execute();
    const out: StatsRow[] = rows.map((r) => ({
      day: r.day,
      clientAppId: r.client_app_id,
      clientName: r.client_name,
      consumerDepartmentId: r.consumer_department_id,
      consumerDepartmentName: r.consumer_name,
      resourceId: r.resource_id,
      resourceCode: r.resource_code,
      resourceName: r.resource_name,
      providerDepartmentId: r.provider_department_id,
      providerDepartmentName: r.provider_name,
      calls: Number(r.calls),
      rows: Number(r.rows),
      refusals: Number(r.refusals),
    }));
    const totals = out.reduce((t, r) => ({ calls: t.calls + r.calls, rows: t.rows + r.rows, refusals: t.refusals + r.refusals }), { calls: 0, rows: 0, refusals: 0 });
    return { from, to, rows: out, totals };
  }

  /** Removes expired access tokens (daily). */
  async purgeTokens(): Promise<number> {
    const result = await this.db.deleteFrom('exchange_token').where('expires_at', '<', this.clock.now()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Writes the buffered statistics (shutdown). */
  close(): Promise<void> {
    return this.stats.close();
  }
}
