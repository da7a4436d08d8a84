// A keyset page and the total of its filter read by one statement, so both see one snapshot of the table.
import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';

/** The output column a page is ordered by (as the page's rows name it) and its direction. */
export type PageOrder = readonly (readonly [column: string, direction: 'asc' | 'desc'])[];

/**
 * Runs `SELECT t.total, pg.* FROM (SELECT count(*) … filtered) t LEFT JOIN LATERAL (page of filtered) pg ON true`.
 * Two statements (page, then count, or both at once on two pooled connections) could straddle a commit and report a
 * total that disagrees with the page under concurrent writes; one statement cannot. The count's row is always there,
 * so an empty page still carries its total. `filtered` holds the jurisdiction and the filters with the page's columns
 * selected; `page` adds the keyset condition, the order and the limit; `order` repeats that order by output column
 * names for the outer query (a join does not promise to keep the lateral side's order).
 */
export async function countedPage<Schema, DB, TB extends keyof DB, O extends { id: unknown }>(
  db: Kysely<Schema> | Transaction<Schema>,
  filtered: SelectQueryBuilder<DB, TB, O>,
  page: (q: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, O>,
  order: PageOrder,
): Promise<{ rows: O[]; total: number }> {
  const count = filtered.clearSelect().select(sql<string>`count(*)`.as('total'));
  const orderBy = sql.join(order.map(([column, direction]) => sql`${sql.ref(`pg.${column}`)} ${sql.raw(direction === 'desc' ? 'DESC' : 'ASC')}`));
  const result = await sql<O & { total: string | number }>`SELECT t.total, pg.* FROM ${count} AS t LEFT JOIN LATERAL ${page(filtered)} AS pg ON true ORDER BY ${orderBy}`.execute(db);
  const first = result.rows[0];
  const rows = result.rows.filter((r) => r.id !== null).map(({ total: _total, ...row }) => row as unknown as O);
  return { rows, total: first ? Number(first.total) : 0 };
}
