// The consuming system behind an exchange request: HTTP Basic with its client credentials. The exchange module's
// authenticateClient (Bearer access tokens too) replaces this once it lands (see docs/decisions.md D57).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { unauthenticated } from '../../shared/errors.ts';
import { verifyClientSecret, type ClientAppAuth } from '../sharing/index.ts';

export async function clientFromHeaders(db: Kysely<Database>, headers: Record<string, string | string[] | undefined>, clock: Clock): Promise<ClientAppAuth> {
  const header = headers.authorization;
  const match = typeof header === 'string' ? /^Basic\s+([A-Za-z0-9+/=]{1,400})$/i.exec(header.trim()) : null;
  if (match) {
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      const client = await verifyClientSecret(db, decoded.slice(0, colon), decoded.slice(colon + 1), clock.now());
      if (client) return client;
    }
  }
  throw unauthenticated('feeds.unauthenticated', 'Authenticate with HTTP Basic: client_id and client_secret of an active client application.');
}
