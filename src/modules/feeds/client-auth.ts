// The consuming system behind an exchange request: the exchange module's client authentication (a Bearer access
// token from POST /api/exchange/token, or HTTP Basic with the client credentials).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { authenticateClient } from '../exchange/index.ts';
import type { ClientAppAuth } from '../sharing/index.ts';

export async function clientFromHeaders(db: Kysely<Database>, headers: Record<string, string | string[] | undefined>, clock: Clock): Promise<ClientAppAuth> {
  return authenticateClient(db, headers, clock);
}
