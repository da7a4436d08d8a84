// Schema pieces every route uses: problem responses, pages, cursors.
import { Type, type TSchema } from 'typebox';
import { ProblemSchema } from './problem.ts';

const problemRef = Type.Ref('Problem');

/** The error responses a route can give, for OpenAPI and serialisation. */
export const errorResponses = {
  400: problemRef,
  401: problemRef,
  403: problemRef,
  404: problemRef,
  409: problemRef,
  413: problemRef,
  415: problemRef,
  423: problemRef,
  429: problemRef,
  500: problemRef,
} as const;

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page; null on the last page' }),
  });

/** A page that also carries `total`: the rows matching the same filter inside the caller's jurisdiction. */
export const CountedPage = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer({ minimum: 0, description: 'Rows matching the same filter in your jurisdiction, over all pages' }),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page; null on the last page' }),
  });

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 400, pattern: '^[A-Za-z0-9_-]+$', description: 'Opaque cursor from a previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
};

/** A free-text search term: bounded, no control characters. */
export const SearchTerm = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\x00-\\x1f]*$' });

export const Uuid = Type.String({ format: 'uuid' });

export { ProblemSchema };
