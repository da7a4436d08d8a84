// Helpers for services' batch writes (createMany): item-indexed errors, grouping, chunking, the caller's transaction.
import type { Kysely, Transaction } from 'kysely';
import { DomainError } from './errors.ts';

/** Runs a check of item `index`, so that a failure names the field as `<index>/<field>` (e.g. `12/creditCode`). */
export async function forItem<T>(index: number, check: () => T | Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new DomainError(error.code, error.kind, `Item ${index}: ${error.message}`, `${index}${error.field ? `/${error.field}` : ''}`, error.details);
  }
}

/** Items grouped by a key, each group in input order, split into groups of at most `size`. */
export function groupsOf<T>(items: readonly T[], keyOf: (item: T) => string, size: number): { key: string; items: T[] }[] {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = byKey.get(key) ?? [];
    if (group.length === 0) byKey.set(key, group);
    group.push(item);
  }
  return [...byKey].flatMap(([key, all]) => chunksOf(all, size).map((chunk) => ({ key, items: chunk })));
}

export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Runs `fn` in the caller's transaction when there is one (a seed doing several batches atomically), else in a new one. */
export function inTransaction<DB, T>(db: Kysely<DB>, trx: Transaction<DB> | undefined, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return trx ? fn(trx) : db.transaction().execute(fn);
}
