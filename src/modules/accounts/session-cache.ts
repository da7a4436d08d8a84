// Session rows kept per node for at most a second, for reads only: a write always re-reads its session, and this node
// forgets a user's sessions the moment it ends them (sign-out, disable, reset, role change, lock), so revocation is
// immediate on the node that revoked and for every write, and takes at most `maxAgeMs` for reads on other nodes.
import type { findSession } from './repository.ts';

export type SessionRow = NonNullable<Awaited<ReturnType<typeof findSession>>>;

export class SessionRowCache {
  private readonly rows = new Map<string, { row: SessionRow; checkedAt: number }>();
  /** Off while cross-node revocation notices may be missed (PostgreSQL listener down): every read re-reads its row. */
  private trusted = true;

  constructor(
    readonly maxAgeMs = 1_000,
    private readonly maxEntries = 20_000,
  ) {}

  /** The row read at most maxAgeMs ago, if any. */
  get(idHash: string, nowMs: number): SessionRow | undefined {
    if (!this.trusted) return undefined;
    const entry = this.rows.get(idHash);
    return entry && nowMs >= entry.checkedAt && nowMs - entry.checkedAt < this.maxAgeMs ? entry.row : undefined;
  }

  set(idHash: string, row: SessionRow, nowMs: number): void {
    if (!this.rows.has(idHash) && this.rows.size >= this.maxEntries) this.rows.clear();
    this.rows.set(idHash, { row, checkedAt: nowMs });
  }

  clear(): void {
    this.rows.clear();
  }

  /** Empties the cache and uses it again only while `on` (the node hears every revocation notice). */
  trust(on: boolean): void {
    this.rows.clear();
    this.trusted = on;
  }

  delete(idHash: string): void {
    this.rows.delete(idHash);
  }

  /** Forgets every session of the user (except one kept, e.g. the session that changed its own password). */
  deleteUser(userId: string, keep?: string): void {
    for (const [idHash, entry] of this.rows) if (entry.row.user_id === userId && idHash !== keep) this.rows.delete(idHash);
  }
}
