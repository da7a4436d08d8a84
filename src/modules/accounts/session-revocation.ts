// Cross-node session revocation (D61). Every write that ends sessions announces it with pg_notify in its own
// transaction, so the notice leaves exactly when the deletion commits; each PostgreSQL node listens on a dedicated
// connection and drops its cached copies at once. While that connection is down (and until it is back and listening)
// the node does not trust its cache at all, so a missed notice can never keep a revoked session alive. On PGlite one
// process holds the data directory (its lock), so the node that revokes is the only one and forgets in-process.
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../../db/schema.ts';

export const SESSIONS_ENDED_CHANNEL = 'govcloud_sessions_ended';
/** How the listener's connection shows in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'govcloud-session-revocation';

/** What ended: every session of a user, or one session (by the hash of its id). */
export type SessionsEnded = { userId: string } | { idHash: string };

/** Announces, inside the caller's transaction, that sessions ended; delivered to listeners when it commits. */
export async function announceSessionsEnded(db: Kysely<Database>, ended: SessionsEnded): Promise<void> {
  const payload = 'userId' in ended ? `u:${ended.userId}` : `s:${ended.idHash}`;
  await sql`SELECT pg_notify(${SESSIONS_ENDED_CHANNEL}, ${payload})`.execute(db);
}

export function parseSessionsEnded(payload: string | undefined): SessionsEnded | null {
  if (payload?.startsWith('u:')) return { userId: payload.slice(2) };
  if (payload?.startsWith('s:')) return { idHash: payload.slice(2) };
  return null;
}

export interface RevocationHandlers {
  ended(ended: SessionsEnded): void;
  /** false: notices may be missed from now on (drop everything cached, trust nothing); true: listening again. */
  listening(on: boolean): void;
  error?(error: unknown): void;
}

/** One dedicated connection LISTENing for ended sessions; reconnects with backoff (100 ms doubling to 5 s). */
export class SessionRevocationListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryMs = 100;
  private timer: NodeJS.Timeout | undefined;
  private readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor(
    private readonly connectionString: string,
    private readonly handlers: RevocationHandlers,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  /** Connects (retrying in the background on failure); resolves once listening or after `waitMs`. */
  async start(waitMs = 5_000): Promise<this> {
    this.handlers.listening(false);
    void this.connect();
    await Promise.race([this.ready, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
    return this;
  }

  get isListening(): boolean {
    return this.client !== undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: LISTENER_APPLICATION_NAME, keepAlive: true });
    client.on('notification', (message) => {
      if (message.channel !== SESSIONS_ENDED_CHANNEL) return;
      const ended = parseSessionsEnded(message.payload);
      if (ended) this.handlers.ended(ended);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${SESSIONS_ENDED_CHANNEL}`);
    } catch (error) {
      this.handlers.error?.(error);
      await client.end().catch(() => undefined);
      this.schedule();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = 100;
    // anything cached before LISTEN took effect may have missed a notice: start from empty
    this.handlers.listening(true);
    this.markReady();
  }

  private lost(client: pg.Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.handlers.listening(false);
    if (error) this.handlers.error?.(error);
    void client.end().catch(() => undefined);
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 5_000);
  }
}
