// Composite keyset cursors: the last row's sort key as a JSON tuple inside the opaque base64url cursor.
import { decodeCursor, encodeCursor } from './pagination.ts';
import { invalid } from './errors.ts';
import { isStorableText } from './validators/text.ts';

export type KeyPart = 'string' | 'integer';
type KeyValue<P extends KeyPart> = P extends 'string' ? string : number;
export type KeyTuple<S extends readonly KeyPart[]> = { [I in keyof S]: KeyValue<S[I]> };

export function encodeKeyset(values: readonly (string | number)[]): string {
  return encodeCursor(JSON.stringify(values));
}

/** Decodes a cursor issued by encodeKeyset for a key of this shape; anything else is request.invalid_cursor. */
export function decodeKeyset<const S extends readonly KeyPart[]>(cursor: string, shape: S, field = 'cursor'): KeyTuple<S> {
  const text = decodeCursor(cursor, field);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const ok =
    Array.isArray(parsed) &&
    parsed.length === shape.length &&
    shape.every((part, i) => {
      const value: unknown = parsed[i];
      return part === 'integer' ? Number.isSafeInteger(value) : typeof value === 'string' && value.length <= 200 && isStorableText(value); // NUL or a lone surrogate: an invalid cursor, not a 500
    });
  if (!ok) throw invalid('request.invalid_cursor', field, 'The cursor is not one this API issued.');
  return parsed as KeyTuple<S>;
}
