// The public pages' calls (/api/public/…): no session, no CSRF; shapes read off docs/openapi.json.
import { call, client } from '../../api/client.ts';
import type { QueryOf, ResponseOf } from '../../api/types.ts';

export type Progress = ResponseOf<'/api/public/progress', 'get'>;
export type ProgressQuery = QueryOf<'/api/public/progress'>;
export type DisclosurePage = ResponseOf<'/api/public/approvals', 'get'>;
export type Disclosure = DisclosurePage['items'][number];
export type ScreenSnapshot = ResponseOf<'/api/public/bigscreen', 'get'>;

const quiet = { quiet401: true };

export const publicApi = {
  progress: (query: ProgressQuery, signal?: AbortSignal) => call(client.GET('/api/public/progress', { params: { query }, signal }), quiet),
  approvals: (query: QueryOf<'/api/public/approvals'>, signal?: AbortSignal) => call(client.GET('/api/public/approvals', { params: { query }, signal }), quiet),
  snapshot: (signal?: AbortSignal) => call(client.GET('/api/public/bigscreen', { signal }), quiet),
};

/** The big screen's live stream; EventSource reconnects by itself (the server sends `retry: 2000`). */
export function openScreenStream(onSnapshot: (s: ScreenSnapshot) => void, onState: (live: boolean) => void): () => void {
  const source = new EventSource('/api/public/bigscreen/stream');
  source.addEventListener('snapshot', (e) => onSnapshot(JSON.parse((e as MessageEvent<string>).data) as ScreenSnapshot));
  source.onopen = () => onState(true);
  source.onerror = () => onState(false);
  return () => source.close();
}
