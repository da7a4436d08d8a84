// Calls of the tracker routes over the generated client; the shapes are read off docs/openapi.json.
import { call, client } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';

export type DataUse = ResponseOf<'/api/citizen/data-uses', 'get'>['items'][number];
export type AuditedDataUse = ResponseOf<'/api/tracker/persons/{idNumber}/data-uses', 'get'>['items'][number];
export type TrackedGrant = ResponseOf<'/api/tracker/grants', 'get'>['items'][number];

const page = (cursor: string | null, limit: number) => ({ ...(cursor ? { cursor } : {}), limit });

export const trackerApi = {
  /** The signed-in citizen's own record (the portal: a 401 is an answer, not a session that ended). */
  own: (cursor: string | null, limit: number, signal?: AbortSignal) => call(client.GET('/api/citizen/data-uses', { params: { query: page(cursor, limit) }, signal }), { quiet401: true }),
  lookup: (idNumber: string, cursor: string | null, limit: number, signal?: AbortSignal) =>
    call(client.GET('/api/tracker/persons/{idNumber}/data-uses', { params: { path: { idNumber }, query: page(cursor, limit) }, signal })),
  grants: (covert: boolean | undefined, cursor: string | null, limit: number, signal?: AbortSignal) =>
    call(client.GET('/api/tracker/grants', { params: { query: { ...page(cursor, limit), ...(covert === undefined ? {} : { covert }) } }, signal })),
  markCovert: (shareId: string, covert: boolean, reason: string) => call(client.PUT('/api/tracker/grants/{shareId}/covert', { params: { path: { shareId } }, body: { covert, reason } })),
};
