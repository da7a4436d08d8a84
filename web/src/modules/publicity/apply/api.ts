// The citizen portal's approval calls (/api/citizen/approval/…): item reads need no session; the rest use the citizen
// session (CSRF header on writes). Shapes read off docs/openapi.json.
import { ApiError, call, cleanQuery, client, csrfHeaders, toProblem } from '../../../api/client.ts';
import type { BodyOf, QueryOf, ResponseOf } from '../../../api/types.ts';

export type CitizenItem = ResponseOf<'/api/citizen/approval/items/{id}', 'get'>;
export type CitizenItemList = ResponseOf<'/api/citizen/approval/items', 'get'>;
export type CitizenItemQuery = QueryOf<'/api/citizen/approval/items'>;
export type CitizenCase = ResponseOf<'/api/citizen/approval/cases/{id}', 'get'>;
export type CitizenCaseSummary = ResponseOf<'/api/citizen/approval/cases', 'get'>['items'][number];
export type OnlineCase = BodyOf<'/api/citizen/approval/cases', 'post'>;
export type UploadedFile = ResponseOf<'/api/citizen/approval/cases/{id}/materials/{seq}', 'post'>;

const quiet = { quiet401: true };

export const applyApi = {
  items: (query: CitizenItemQuery, signal?: AbortSignal) => call(client.GET('/api/citizen/approval/items', { params: { query: cleanQuery(query) }, signal }), quiet),
  item: (id: string, signal?: AbortSignal) => call(client.GET('/api/citizen/approval/items/{id}', { params: { path: { id } }, signal }), quiet),
  mine: (signal?: AbortSignal) => call(client.GET('/api/citizen/approval/cases', { signal }), quiet),
  get: (id: string, signal?: AbortSignal) => call(client.GET('/api/citizen/approval/cases/{id}', { params: { path: { id } }, signal }), quiet),
  /** 网上申请: the same requestKey gives back the same case (200 instead of 201). */
  apply: (body: OnlineCase) => call(client.POST('/api/citizen/approval/cases', { body }), quiet),
  act: (id: string, action: 'resubmit' | 'withdraw', body: { version?: number; reason?: string }) =>
    call(client.POST('/api/citizen/approval/cases/{id}/{action}', { params: { path: { id, action } }, body }), quiet),
  /** Streams one file as material `seq` (the body is the file itself); a refusal is the server's problem+json. */
  async upload(caseId: string, seq: number, file: File): Promise<UploadedFile> {
    let res: Response;
    try {
      res = await fetch(`/api/citizen/approval/cases/${caseId}/materials/${seq}?${new URLSearchParams({ name: file.name })}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { ...csrfHeaders(), 'content-type': 'application/octet-stream', accept: 'application/json, application/problem+json' },
        body: file,
      });
    } catch {
      throw new ApiError(0, { detail: 'network' });
    }
    if (!res.ok) throw new ApiError(res.status, toProblem(await res.json().catch(() => ({}))));
    return (await res.json()) as UploadedFile;
  },
};

/** A fresh idempotency key, made once per application form. */
export function newRequestKey(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/** The client-side check of a file against a material's rule (the server checks again by content). */
export function fileProblem(file: File, material: { mimeTypes: string[]; maxBytes: number }): 'type' | 'size' | null {
  const type = file.type || guessType(file.name);
  if (!material.mimeTypes.includes(type)) return 'type';
  if (file.size > material.maxBytes) return 'size';
  return null;
}

const BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function guessType(name: string): string {
  return BY_EXTENSION[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/** The short names of a material's types (PDF, JPG …) and its size limit in plain words. */
export function typeNames(mimeTypes: string[]): string {
  const names: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPG', 'image/png': 'PNG', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel' };
  return mimeTypes.map((m) => names[m] ?? m).join('、');
}

export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** The accept attribute of a file input for a material. */
export function acceptOf(mimeTypes: string[]): string {
  const ext = Object.entries(BY_EXTENSION).filter(([, m]) => mimeTypes.includes(m)).map(([e]) => `.${e}`);
  return [...mimeTypes, ...ext].join(',');
}
