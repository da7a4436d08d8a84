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

/**
 * The sort key inside a cursor. Only what encodeCursor can have produced is accepted: canonical base64url of valid
 * UTF-8 without NUL bytes (`AA` decodes to a NUL, which PostgreSQL refuses in text; stray bytes decode to U+FFFD).
 */
export function decodeCursor(cursor: string, field = 'cursor'): string {
  const key = /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (key === '' || key.includes('\0') || encodeCursor(key) !== cursor) throw invalid('request.invalid_cursor', field, 'The cursor is not one this API issued.');
  return key;
}
