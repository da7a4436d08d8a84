// Client authentication for consuming systems: OAuth2-style client_credentials tokens (opaque, ≥ 256 bits, stored as
// SHA-256 with an expiry) and HTTP Basic client_id:client_secret, with a short per-node cache of token → client.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../../shared/access.ts';
import { DomainError, unauthenticated } from '../../shared/errors.ts';
import { verifyClientSecret, type ClientAppAuth } from '../sharing/index.ts';

/** A client application as the gateway knows it after authentication. */
export interface ExchangeClient extends ClientAppAuth {
  departmentName: string;
}

/** Lifetime of an access token. */
export const TOKEN_TTL_SECONDS = 3600;
/** How long this node trusts a token → client lookup (a disabled client is refused by every call's own query anyway). */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 10_000;
const TOKEN_PREFIX = 'gcx_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

interface Cached {
  client: ExchangeClient;
  /** The token's (or, for Basic, the secret's) own expiry. */
  expiresAt: number;
  cachedUntil: number;
}
const cache = new Map<string, Cached>();

function remember(key: string, client: ExchangeClient, expiresAt: number, now: number): void {
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, { client, expiresAt, cachedUntil: now + CACHE_TTL_MS });
}

/** Forgets every cached lookup of a client application (disable, rotation on this node). */
export function forgetClient(clientAppId: string): void {
  for (const [key, entry] of cache) if (entry.client.id === clientAppId) cache.delete(key);
}

const invalidClient = () =>
  new DomainError('exchange.invalid_client', 'unauthenticated', 'The client credentials are unknown, wrong or expired, or the application is disabled.', undefined, { error: 'invalid_client' });

async function departmentName(db: Kysely<Database>, departmentId: string): Promise<string> {
  const row = await db.selectFrom('department').select('name').where('id', '=', departmentId).executeTakeFirst();
  return row?.name ?? '';
}

/**
 * The client application whose credentials these are. One answer for an unknown client and a wrong secret (no
 * probing for client ids); disabled applications and expired secrets are refused like wrong ones.
 */
export async function checkClientCredentials(db: Kysely<Database>, clientId: string, secret: string, clock: Clock): Promise<ExchangeClient> {
  if (clientId.length === 0 || clientId.length > 40 || secret.length === 0 || secret.length > 200) throw invalidClient();
  const app = await verifyClientSecret(db, clientId, secret, clock.now());
  if (!app) throw invalidClient();
  return { ...app, departmentName: await departmentName(db, app.departmentId) };
}

/** Issues an access token for a client application: returns the token once; only its digest is stored. */
export async function issueToken(db: Kysely<Database>, client: ExchangeClient, clock: Clock): Promise<{ token: string; expiresAt: Date }> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const issuedAt = clock.now();
  const expiresAt = new Date(issuedAt.getTime() + TOKEN_TTL_SECONDS * 1000);
  await db.insertInto('exchange_token').values({ token_hash: hashToken(token), client_app_id: client.id, issued_at: issuedAt, expires_at: expiresAt }).execute();
  return { token, expiresAt };
}

/** `Basic base64(client_id:client_secret)` → the pair, or null when the header is not Basic or malformed. */
export function parseBasic(authorization: string): { clientId: string; secret: string } | null {
  if (!/^basic /i.test(authorization)) return null;
  const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before base64
  try {
    return { clientId: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

/**
 * Authenticates a consuming system from its request headers: `Authorization: Bearer <access token>` (from
 * POST /api/exchange/token) or `Authorization: Basic base64(client_id:client_secret)`. Throws 401 problems
 * (`exchange.token_required`, `exchange.invalid_token`, `exchange.invalid_client`). Lookups are cached on this node
 * for a few seconds; callers that must see a disablement at once check client_app.status in their own query.
 */
export async function authenticateClient(db: Kysely<Database>, headers: Readonly<Record<string, string | string[] | undefined>>, clock: Clock): Promise<ExchangeClient> {
  const authorization = headers.authorization;
  if (typeof authorization !== 'string' || authorization.length === 0) throw unauthenticated('exchange.token_required', 'Send Authorization: Bearer <access token> or Basic client credentials.');
  const now = clock.now().getTime();
  if (/^bearer /i.test(authorization)) {
    const token = authorization.slice(7).trim();
    const key = token.length > 0 && token.length <= 100 ? hashToken(token) : '';
    const hit = cache.get(key);
    if (hit && hit.cachedUntil > now && hit.expiresAt > now) return hit.client;
    const row =
      key === ''
        ? undefined
        : await db
            .selectFrom('exchange_token as t')
            .innerJoin('client_app as c', 'c.id', 't.client_app_id')
            .innerJoin('department as d', 'd.id', 'c.department_id')
            .select(['t.expires_at', 'c.id', 'c.department_id', 'c.name', 'c.client_id', 'c.rate_per_minute', 'c.status', 'd.name as department_name'])
            .where('t.token_hash', '=', key)
            .executeTakeFirst();
    if (!row || row.expires_at.getTime() <= now || row.status !== 'active') {
      cache.delete(key);
      throw unauthenticated('exchange.invalid_token', 'The access token is unknown or expired, or its application is disabled; ask POST /api/exchange/token for a new one.');
    }
    const client: ExchangeClient = { id: row.id, departmentId: row.department_id, name: row.name, clientId: row.client_id, ratePerMinute: row.rate_per_minute, departmentName: row.department_name };
    remember(key, client, row.expires_at.getTime(), now);
    return client;
  }
  const basic = parseBasic(authorization);
  if (!basic) throw unauthenticated('exchange.token_required', 'Send Authorization: Bearer <access token> or Basic client credentials.');
  // the cache key covers the secret, so a wrong secret never hits a right one's entry
  const key = `basic:${hashToken(`${basic.clientId}\u0000${basic.secret}`)}`;
  const hit = cache.get(key);
  if (hit && hit.cachedUntil > now) return hit.client;
  const client = await checkClientCredentials(db, basic.clientId, basic.secret, clock);
  remember(key, client, now + CACHE_TTL_MS, now);
  return client;
}

/** The actor a client application's calls are recorded under (the common brief's contract). */
export function clientActor(client: ExchangeClient): Actor {
  return { userId: client.id, username: client.clientId, displayName: client.name, kind: 'staff', departmentId: client.departmentId, grants: [], via: 'token' };
}
