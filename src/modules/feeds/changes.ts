// Reading a resource's changes after a cursor, as a grant lets them out: rows in seq order (each row's latest state;
// a tombstone for a deleted key), only the granted items, masked, inside the grant's region filter.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { likePrefix } from '../../db/jurisdiction.ts';
import type { ResourceMeta } from '../catalogue/index.ts';
import { maskRow, type DataGrant } from '../sharing/index.ts';

/** Most changes one pull or one webhook request carries. */
export const MAX_BATCH = 500;

export interface Change {
  seq: number;
  op: 'upsert' | 'delete';
  /** The granted items, masked; for a tombstone only the granted key items. */
  data: Record<string, unknown>;
  updatedAt: string;
}

export interface ChangeBatch {
  changes: Change[];
  /** Pass as the next cursor: the seq of the last change (the given cursor when there is none). */
  nextCursor: number;
  /** Whether more changes follow right now. */
  hasMore: boolean;
  /** 身份证号 of the persons whose rows are in the batch (for the access log). */
  subjectIds: string[];
}

/** The grant's region filter in SQL (none: every row). */
function regionFilter(grant: Pick<DataGrant, 'regionPrefix'>) {
  return grant.regionPrefix === null ? sql<boolean>`true` : sql<boolean>`region_code LIKE ${likePrefix(grant.regionPrefix)}`;
}

export async function readChanges(db: Kysely<Database>, meta: ResourceMeta, grant: DataGrant, cursor: number, limit: number): Promise<ChangeBatch> {
  const rows = await db
    .selectFrom('data_row')
    .select(['seq', 'data', 'deleted', 'person_id', 'updated_at'])
    .where('resource_id', '=', meta.id)
    .where(sql<string>`seq`, '>', String(cursor))
    .where(() => regionFilter(grant))
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  const keyItems = new Set(meta.keyItems);
  const keyGrant = { items: grant.items.filter((i) => keyItems.has(i)), masks: grant.masks };
  const changes: Change[] = page.map((row) => {
    const data = row.data as Record<string, unknown>;
    return {
      seq: Number(row.seq),
      op: row.deleted ? 'delete' : 'upsert',
      data: maskRow(meta.items, row.deleted ? keyGrant : grant, data),
      updatedAt: row.updated_at.toISOString(),
    };
  });
  const subjectIds = [...new Set(page.map((r) => r.person_id).filter((p): p is string => p !== null))];
  return { changes, nextCursor: changes.at(-1)?.seq ?? cursor, hasMore, subjectIds };
}
