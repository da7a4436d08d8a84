// Opaque cursors for keyset pagination: the last row's sort key, base64url-encoded.
import { invalid } from './errors.ts';

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/** A page of a list that also reports how many rows match under the same filter and jurisdiction. */
export interface CountedPage<T> extends Page<T> {
  total: number;
}

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, field = 'cursor'): string {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw invalid('request.invalid_cursor', field, 'The cursor is not one this API issued.');
  return Buffer.from(cursor, 'base64url').toString('utf8');
}
