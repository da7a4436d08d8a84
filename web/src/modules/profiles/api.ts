// Calls of the resident profile (/api/profiles/…) over the generated client.
import { call, client } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';

export type Profile = ResponseOf<'/api/profiles/{residentId}', 'get'>;
export type ProfileSource = Profile['sources'][number];
export type ProfileLabel = Profile['labels'][number];
export type LabelCounts = ResponseOf<'/api/profiles/labels', 'get'>;

export const profilesApi = {
  get: (residentId: string, signal?: AbortSignal) => call(client.GET('/api/profiles/{residentId}', { params: { path: { residentId } }, signal })),
  labels: (signal?: AbortSignal) => call(client.GET('/api/profiles/labels', { signal })),
  attach: (residentId: string, label: string, note: string) => call(client.POST('/api/profiles/{residentId}/labels', { params: { path: { residentId } }, body: { label, note } })),
  detach: (residentId: string, label: string, note: string) =>
    call(client.DELETE('/api/profiles/{residentId}/labels/{label}', { params: { path: { residentId, label }, query: note ? { note } : {} } })),
};
