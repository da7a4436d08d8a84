// Client application credentials as the gateway checks them: a high-entropy secret stored as its SHA-256 digest.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** The stored form of a client secret (secrets are ≥ 256 random bits, so a fast digest suffices; see decisions). */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export interface ClientAppAuth {
  id: string;
  departmentId: string;
  name: string;
  clientId: string;
  ratePerMinute: number;
}

/**
 * The client application whose current (or, during the rotation grace, previous) unexpired secret this is, if it is
 * active; null otherwise. Comparison is constant-time.
 */
export async function verifyClientSecret(db: Kysely<Database>, clientId: string, secret: string, now: Date): Promise<ClientAppAuth | null> {
  const app = await db.selectFrom('client_app').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  if (!app || app.status !== 'active') return null;
  const digest = Buffer.from(hashClientSecret(secret), 'hex');
  const matches = (stored: string | null, expires: Date | null) =>
    stored !== null && expires !== null && expires > now && stored.length === 64 && timingSafeEqual(Buffer.from(stored, 'hex'), digest);
  if (!matches(app.secret_hash, app.secret_expires_at) && !matches(app.previous_secret_hash, app.previous_expires_at)) return null;
  return { id: app.id, departmentId: app.department_id, name: app.name, clientId: app.client_id, ratePerMinute: app.rate_per_minute };
}
