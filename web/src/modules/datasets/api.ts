// Client of /api/datasets over the generated client; the upload goes through XMLHttpRequest for its progress.
import { ApiError, call, client, csrfHeaders, toProblem } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';

export type DatasetResource = ResponseOf<'/api/datasets/resources', 'get'>['items'][number];
export type Load = ResponseOf<'/api/datasets/loads/{id}', 'get'>;
export type Rejection = ResponseOf<'/api/datasets/loads/{id}/rejections', 'get'>['items'][number];

export interface UploadOptions {
  mode: 'upsert' | 'replace';
  allOrNothing: boolean;
  encoding: 'auto' | 'utf-8' | 'gb18030';
}

/**
 * POSTs a file as the raw request body through XMLHttpRequest (fetch reports no upload progress); onProgress gets the
 * share sent (0–1). Shared by every console upload that the server streams (datasets loads, resident imports).
 */
export function sendFile<T>(url: string, file: File, onProgress: (sent: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    for (const [k, v] of Object.entries(csrfHeaders())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new ApiError(xhr.status, { ...toProblem(body), status: xhr.status }));
    };
    xhr.onerror = () => reject(new ApiError(0, { title: 'Network error' }));
    xhr.send(file);
  });
}

export const datasetsApi = {
  resources: (signal?: AbortSignal) => call(client.GET('/api/datasets/resources', { signal })),
  loads: (resource: string, cursor: string | null, limit: number, signal?: AbortSignal) =>
    call(client.GET('/api/datasets/resources/{resource}/loads', { params: { path: { resource }, query: { cursor: cursor ?? undefined, limit } }, signal })),
  rejections: (id: string, cursor: string | null, limit: number, signal?: AbortSignal) =>
    call(client.GET('/api/datasets/loads/{id}/rejections', { params: { path: { id }, query: { cursor: cursor ?? undefined, limit } }, signal })),
  reportUrl: (id: string, format: 'csv' | 'xlsx') => `/api/datasets/loads/${encodeURIComponent(id)}/rejections.${format}`,

  /** Streams the file as the request body; onProgress gets the share sent (0–1). */
  upload(resource: string, file: File, options: UploadOptions, onProgress: (sent: number) => void): Promise<Load> {
    const query = new URLSearchParams({ name: file.name, mode: options.mode, allOrNothing: String(options.allOrNothing), encoding: options.encoding });
    return sendFile<Load>(`/api/datasets/resources/${encodeURIComponent(resource)}/uploads?${query.toString()}`, file, onProgress);
  },
};
