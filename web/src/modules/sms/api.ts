// Calls of the SMS routes (/api/sms/…); shapes as in docs/openapi.json.
import { request, type Page } from '../../api.ts';

export const SMS_STATUSES = ['queued', 'sent', 'delivered', 'failed', 'opted_out'] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

export interface SmsMessage {
  id: string;
  to: string;
  body: string;
  template: string | null;
  purpose: string;
  urgent: boolean;
  status: SmsStatus;
  segments: number;
  holdUntil: string | null;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
  doneAt: string | null;
}

export interface SmsHistory extends Page<SmsMessage> {
  total: number;
  counts: Record<SmsStatus, number>;
}

export interface SmsTemplate {
  code: string;
  name: string;
  body: string;
  variables: string[];
  updatedAt: string;
}

export interface SmsOptOut {
  number: string;
  source: string;
  note: string | null;
  createdAt: string;
}

export interface InboxEntry {
  number: string;
  messages: { messageId: string; from: string; to: string; text: string; at: string; segments: number }[];
}

export const smsApi = {
  history: (query: { status?: SmsStatus; number?: string; cursor?: string | null; limit: number }, signal?: AbortSignal) =>
    request<SmsHistory>('GET', '/api/sms/messages', { query, signal }),
  send: (body: { to: string; text?: string; template?: string; vars?: Record<string, string>; purpose: string }) =>
    request<{ id: string; status: SmsStatus; holdUntil: string | null }>('POST', '/api/sms/messages', { body }),
  templates: () => request<SmsTemplate[]>('GET', '/api/sms/templates'),
  saveTemplate: (code: string, body: { name: string; body: string; variables: string[] }) => request<SmsTemplate>('PUT', `/api/sms/templates/${encodeURIComponent(code)}`, { body }),
  deleteTemplate: (code: string) => request<void>('DELETE', `/api/sms/templates/${encodeURIComponent(code)}`),
  optOuts: () => request<SmsOptOut[]>('GET', '/api/sms/opt-outs'),
  optOut: (body: { number: string; note?: string | null }) => request<void>('POST', '/api/sms/opt-outs', { body }),
  optIn: (number: string) => request<void>('DELETE', `/api/sms/opt-outs/${encodeURIComponent(number)}`),
  inbox: () => request<InboxEntry[]>('GET', '/api/sms/local-inbox'),
};

/** The {placeholders} of a template body, in order of first use (the server checks them again on save). */
export function placeholdersOf(body: string): string[] {
  return [...new Set([...body.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!))];
}
