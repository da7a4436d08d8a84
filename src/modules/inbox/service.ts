// 站内信 — in-app messages: other services send them inside their own transaction; each user reads only their own.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { requireActor } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { invalid, notFound } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { CountedPage } from '../../shared/pagination.ts';
import type { AuditService } from '../audit/index.ts';
import * as repo from './repository.ts';
import type { InboxMessage } from './schema.ts';

export type { InboxMessage };

export interface NewMessage {
  /** One recipient's user id, or several. */
  to: string | readonly string[];
  /** The sending module, e.g. 'calendar'. */
  module: string;
  kind: string;
  title: string;
  body?: string;
  /** Console path to act on it, e.g. '/calendar'. */
  link?: string | null;
  /** Idempotency key: the same key to the same recipient is stored once (outbox handlers may run twice). */
  key?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const MAX_TITLE = 200;
export const MAX_BODY = 4000;

function toMessage(row: Awaited<ReturnType<typeof repo.listMessages>>[number]): InboxMessage {
  return {
    id: row.id,
    module: row.module,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
  };
}

export class InboxService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Queues a message to each recipient in the caller's transaction, so it exists exactly when the business write
   * does. Returns how many were stored (repeats of a key are not). The caller's own audit record covers it.
   */
  async send(trx: Transaction<Database>, message: NewMessage): Promise<number> {
    const title = message.title.trim();
    if (title.length === 0 || title.length > MAX_TITLE) throw invalid('inbox.invalid_title', 'title', `A message title has 1–${MAX_TITLE} characters.`);
    if ((message.body ?? '').length > MAX_BODY) throw invalid('inbox.invalid_body', 'body', `A message body has at most ${MAX_BODY} characters.`);
    if (message.link && !/^\/(?!\/)/.test(message.link)) throw invalid('inbox.invalid_link', 'link', 'A message link is a console path starting with a single /.');
    const ids = [...new Set(typeof message.to === 'string' ? [message.to] : message.to)];
    const recipients = await repo.existingUsers(trx, ids);
    const at = this.clock.now();
    return repo.insertMessages(
      trx,
      recipients.map((id) => ({
        recipient_id: id,
        module: message.module,
        kind: message.kind,
        title,
        body: message.body ?? '',
        link: message.link ?? null,
        dedupe_key: message.key ?? null,
        created_at: at,
      })),
    );
  }

  /** The caller's messages, newest first, with the total (of unread ones when unreadOnly). */
  async list(ctx: RequestContext, query: { unread?: boolean; cursor?: string; limit?: number }): Promise<CountedPage<InboxMessage> & { unread: number }> {
    const actor = requireActor(ctx.actor);
    const limit = query.limit ?? 20;
    const after = query.cursor === undefined ? undefined : decodeKeyset(query.cursor, ['string', 'string']);
    if (after && (Number.isNaN(Date.parse(after[0])) || !UUID.test(after[1]))) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not one this API issued.');
    const unreadOnly = query.unread === true;
    const [rows, total, unread] = await Promise.all([
      repo.listMessages(this.db, actor.userId, { unreadOnly, after, limit }),
      repo.countMessages(this.db, actor.userId, unreadOnly),
      repo.countMessages(this.db, actor.userId, true),
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toMessage), total, unread, nextCursor: rows.length > limit && last ? encodeKeyset([last.created_at.toISOString(), last.id]) : null };
  }

  async unreadCount(ctx: RequestContext): Promise<number> {
    const actor = requireActor(ctx.actor);
    return repo.countMessages(this.db, actor.userId, true);
  }

  async markRead(ctx: RequestContext, id: string): Promise<InboxMessage> {
    const actor = requireActor(ctx.actor);
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.markRead(trx, actor.userId, id, this.clock.now());
      if (!row) throw notFound('inbox.not_found', 'You have no message with that id.', 'id');
      await this.audit.record(trx, ctx, { action: 'inbox.mark_read', objectType: 'inbox_message', objectId: id });
      return toMessage(row);
    });
  }

  async markAllRead(ctx: RequestContext): Promise<number> {
    const actor = requireActor(ctx.actor);
    return this.db.transaction().execute(async (trx) => {
      const marked = await repo.markAllRead(trx, actor.userId, this.clock.now());
      await this.audit.record(trx, ctx, { action: 'inbox.mark_all_read', objectType: 'inbox_message', detail: { marked } });
      return marked;
    });
  }
}
